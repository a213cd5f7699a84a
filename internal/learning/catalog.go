// Package learning is what learners do: browse published modules, read
// lessons, take quizzes and see their progress. Published content is served
// from an in-memory snapshot, rebuilt when the database's content version
// changes, never queried per request.
package learning

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/readi-platform/readi/internal/grading"
	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// BaseLang is the language modules are authored in.
const BaseLang = "en"

// ErrNotFound is returned for unknown or unpublished modules, lessons and quizzes.
var ErrNotFound = store.ErrNotFound

// Service answers learners' requests.
type Service struct {
	store *store.Store
	// snap is the current published content; swapped whole on reload so
	// readers never lock.
	snap atomic.Pointer[snapshot]
	// checkEvery bounds how often a replica asks the database whether
	// another replica published something.
	checkEvery time.Duration
	lastCheck  atomic.Int64
	reloadMu   sync.Mutex
	// shuffleSecret seeds the order of ordering items and matching answers
	// so the public quiz is stable (cacheable) but not derivable from ids.
	shuffleSecret []byte
}

// snapshot is an immutable view of the published curriculum.
type snapshot struct {
	version string
	modules []*entry
	bySlug  map[string]*entry
	byID    map[int64]*entry
}

type entry struct {
	store.StoredModule
	langs   []string
	lessons map[string]int // slug → index
	// quizzes holds, per language, the translated quiz with its key, and
	// publicQuiz the learner-facing one without; both computed once.
	quizzes map[string]model.Quiz
	// outcomes remembers questions graded for an answer (all languages).
	outcomes   *outcomes
	publicQuiz map[string]model.PublicQuiz
	etag       string
	// lessonReplies caches each lesson's encoded reply per language: a
	// lesson is the most requested thing and changes only on publish.
	lessonReplies sync.Map // lessonKey → Reply
}

// Reply is an encoded reply body with its strong ETag.
type Reply struct {
	Body []byte
	ETag string
}

type lessonKey struct{ slug, lang string }

// New builds the service; call Reload before serving. checkEvery is how
// often to look for content published by another replica (0: never).
func New(s *store.Store, checkEvery time.Duration, shuffleSecret []byte) *Service {
	return &Service{store: s, checkEvery: checkEvery, shuffleSecret: shuffleSecret}
}

// Reload rebuilds the snapshot from the database.
func (s *Service) Reload(ctx context.Context) error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	version, err := s.store.ContentVersion(ctx)
	if err != nil {
		return err
	}
	mods, err := s.store.PublishedModules(ctx)
	if err != nil {
		return err
	}
	snap := &snapshot{version: version, bySlug: map[string]*entry{}, byID: map[int64]*entry{}}
	for _, m := range mods {
		e := &entry{StoredModule: m, lessons: map[string]int{}, quizzes: map[string]model.Quiz{}, outcomes: &outcomes{}, publicQuiz: map[string]model.PublicQuiz{}}
		e.langs = []string{BaseLang}
		for lang := range m.Module.Translations {
			e.langs = append(e.langs, lang)
		}
		sort.Strings(e.langs[1:])
		for i, l := range m.Module.Lessons {
			e.lessons[l.Slug] = i
		}
		for _, lang := range e.langs {
			quiz := translateQuiz(m.Module, lang)
			e.quizzes[lang] = quiz
			title := translateModule(m.Module, lang).Title
			e.publicQuiz[lang] = model.PublicQuiz{ID: m.Module.Slug, ModuleSlug: m.Module.Slug, Title: title,
				PassPercent: quiz.PassPercent, Questions: grading.PublicWithSecret(quiz, s.shuffleSecret)}
		}
		b, _ := json.Marshal(m.Module)
		sum := sha256.Sum256(b)
		e.etag = `"` + hex.EncodeToString(sum[:8]) + `"`
		snap.modules = append(snap.modules, e)
		snap.bySlug[m.Module.Slug] = e
		snap.byID[m.ID] = e
	}
	s.snap.Store(snap)
	s.lastCheck.Store(time.Now().UnixNano())
	return nil
}

// current returns the snapshot, reloading it first when another replica
// may have published (checked at most every checkEvery).
func (s *Service) current(ctx context.Context) *snapshot {
	snap := s.snap.Load()
	last := s.lastCheck.Load()
	if snap != nil && s.checkEvery > 0 && time.Since(time.Unix(0, last)) > s.checkEvery &&
		s.lastCheck.CompareAndSwap(last, time.Now().UnixNano()) {
		if v, err := s.store.ContentVersion(ctx); err == nil && v != snap.version {
			if err := s.Reload(ctx); err == nil {
				snap = s.snap.Load()
			}
		}
	}
	if snap == nil {
		return &snapshot{bySlug: map[string]*entry{}, byID: map[int64]*entry{}}
	}
	return snap
}

// ETag identifies the published content; it changes on every publish.
func (s *Service) ETag(ctx context.Context) string {
	sum := sha256.Sum256([]byte(s.current(ctx).version))
	return `"c` + hex.EncodeToString(sum[:8]) + `"`
}

// ModuleETag identifies one module's published content.
func (s *Service) ModuleETag(ctx context.Context, slug string) string {
	if e, ok := s.current(ctx).bySlug[slug]; ok {
		return e.etag
	}
	return ""
}

// Modules lists the published catalogue with the filters applied.
func (s *Service) Modules(ctx context.Context, f Filter) ([]ModuleSummary, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	out := []ModuleSummary{}
	for _, e := range s.current(ctx).modules {
		m := e.Module
		if (f.Category != "" && m.Category != f.Category) || (f.Cluster != "" && m.Cluster != f.Cluster) ||
			(f.Readi != "" && !moduleHasValue(m, f.Readi)) {
			continue
		}
		out = append(out, summarize(e, f.Lang))
	}
	return out, nil
}

// moduleHasValue matches a module by its own tags or any lesson's or
// question's, so filtering by a value finds everything that teaches it.
func moduleHasValue(m model.Module, v model.Value) bool {
	if hasValue(m.Readi, v) {
		return true
	}
	for _, l := range m.Lessons {
		if hasValue(l.Readi, v) {
			return true
		}
	}
	return false
}

func summarize(e *entry, lang string) ModuleSummary {
	lang = e.pickLang(lang)
	m := translateModule(e.Module, lang)
	n := 0
	if m.Quiz != nil {
		n = len(m.Quiz.Questions)
	}
	return ModuleSummary{Slug: m.Slug, Title: m.Title, Summary: m.Summary, Category: m.Category, Cluster: m.Cluster,
		Readi: m.Readi, Level: m.Level, Minutes: m.Minutes, LessonCount: len(m.Lessons), QuestionCount: n,
		Track: m.Track, TrackTitle: m.TrackTitle, Position: m.Position, ContentWarning: m.ContentWarning, Lang: lang}
}

func (e *entry) pickLang(lang string) string {
	for _, l := range e.langs {
		if l == lang {
			return l
		}
	}
	return BaseLang
}

// Module returns one module's page.
func (s *Service) Module(ctx context.Context, slug, lang string) (ModuleDetail, error) {
	e, ok := s.current(ctx).bySlug[slug]
	if !ok {
		return ModuleDetail{}, ErrNotFound
	}
	lang = e.pickLang(lang)
	m := translateModule(e.Module, lang)
	d := ModuleDetail{ModuleSummary: summarize(e, lang), Objectives: m.Objectives, Sources: m.Sources,
		QuizID: m.Slug, Languages: e.langs, Lessons: make([]LessonRef, 0, len(m.Lessons))}
	if m.Quiz != nil {
		d.PassPercent = m.Quiz.PassPercent
	}
	for _, l := range m.Lessons {
		d.Lessons = append(d.Lessons, LessonRef{Slug: l.Slug, Title: l.Title, Minutes: l.Minutes, Readi: l.Readi})
	}
	return d, nil
}

// Lesson returns one lesson page.
func (s *Service) Lesson(ctx context.Context, slug, lesson, lang string) (LessonView, error) {
	e, ok := s.current(ctx).bySlug[slug]
	if !ok {
		return LessonView{}, ErrNotFound
	}
	i, ok := e.lessons[lesson]
	if !ok {
		return LessonView{}, ErrNotFound
	}
	lang = e.pickLang(lang)
	l := translateLesson(e.Module, i, lang)
	v := LessonView{ModuleSlug: slug, Slug: l.Slug, Title: l.Title, HTML: l.HTML, Readi: l.Readi,
		Minutes: l.Minutes, Position: i + 1, Lang: lang}
	if i > 0 {
		v.Prev = &e.Module.Lessons[i-1].Slug
	}
	if i+1 < len(e.Module.Lessons) {
		v.Next = &e.Module.Lessons[i+1].Slug
	}
	return v, nil
}

// Quiz returns the learner-facing quiz (no key, no feedback).
func (s *Service) Quiz(ctx context.Context, id, lang string) (model.PublicQuiz, error) {
	e, ok := s.current(ctx).bySlug[id]
	if !ok || e.Module.Quiz == nil || len(e.Module.Quiz.Questions) == 0 {
		return model.PublicQuiz{}, ErrNotFound
	}
	return e.publicQuiz[e.pickLang(lang)], nil
}

// lookup finds a published module or ErrNotFound.
func (s *Service) lookup(ctx context.Context, slug string) (*entry, error) {
	e, ok := s.current(ctx).bySlug[slug]
	if !ok {
		return nil, fmt.Errorf("module %q: %w", slug, ErrNotFound)
	}
	return e, nil
}

// Published returns a published module with its database ids.
func (s *Service) Published(ctx context.Context, slug string) (store.StoredModule, bool) {
	e, ok := s.current(ctx).bySlug[slug]
	if !ok {
		return store.StoredModule{}, false
	}
	return e.StoredModule, true
}

// PublishedByID returns a published module by its database id.
func (s *Service) PublishedByID(ctx context.Context, id int64) (store.StoredModule, bool) {
	e, ok := s.current(ctx).byID[id]
	if !ok {
		return store.StoredModule{}, false
	}
	return e.StoredModule, true
}

// Title is a module's title in a language, falling back to English.
func Title(m model.Module, lang string) string { return translateModule(m, lang).Title }

// TranslatedQuiz is a module's whole quiz, answer keys included, with its
// texts in a language where translated (English otherwise): for educators'
// views, never for learners (see Quiz).
func TranslatedQuiz(m model.Module, lang string) model.Quiz { return translateQuiz(m, lang) }

// LessonReply is the lesson as the encoded reply body `{"data": ...}` with
// its ETag, built once per lesson and language and then served from
// memory. encode is the API's JSON encoder, so cached and fresh replies
// are identical.
func (s *Service) LessonReply(ctx context.Context, slug, lesson, lang string, encode func(any) ([]byte, error)) (Reply, error) {
	e, ok := s.current(ctx).bySlug[slug]
	if !ok {
		return Reply{}, ErrNotFound
	}
	key := lessonKey{lesson, e.pickLang(lang)}
	if r, ok := e.lessonReplies.Load(key); ok {
		return r.(Reply), nil
	}
	v, err := s.Lesson(ctx, slug, lesson, lang)
	if err != nil {
		return Reply{}, err
	}
	b, err := encode(struct {
		Data LessonView `json:"data"`
	}{v})
	if err != nil {
		return Reply{}, err
	}
	sum := sha256.Sum256(b)
	r := Reply{Body: b, ETag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	e.lessonReplies.Store(key, r)
	return r, nil
}

// TranslatedLessons is a module's lessons with titles (and HTML) in a
// language where translated, English otherwise.
func TranslatedLessons(m model.Module, lang string) []model.Lesson {
	out := make([]model.Lesson, len(m.Lessons))
	for i := range m.Lessons {
		out[i] = translateLesson(m, i, lang)
	}
	return out
}
