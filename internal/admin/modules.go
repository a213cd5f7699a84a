package admin

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/readi-platform/readi/internal/catalog"
	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// Where a module stands in the editor.
const (
	StateDraft     = "draft"     // learners do not see it
	StatePublished = "published" // learners see exactly the head revision
	StateChanged   = "changed"   // learners see an older version than the head
	StateDeleted   = "deleted"   // taken away from learners; restorable
)

// ModuleView is a module in the editor: the head revision whole (lesson
// Markdown, quiz with its answer key, translations), where it stands, and
// every problem that publishing it now would report.
type ModuleView struct {
	Slug              string       `json:"slug"`
	State             string       `json:"state"`
	Source            string       `json:"source"`
	HeadRevision      int          `json:"head_revision"`
	PublishedRevision *int         `json:"published_revision"`
	UpdatedAt         *time.Time   `json:"updated_at"`
	UpdatedBy         *int64       `json:"updated_by"`
	Module            model.Module `json:"module"`
	Problems          []Problem    `json:"problems"`
}

// ModuleItem is one row of the editor's module list.
type ModuleItem struct {
	Slug              string         `json:"slug"`
	Title             string         `json:"title"`
	State             string         `json:"state"`
	Source            string         `json:"source"`
	Category          model.Category `json:"category"`
	Cluster           model.Cluster  `json:"cluster"`
	Track             string         `json:"track"`
	Position          int            `json:"position"`
	LessonCount       int            `json:"lesson_count"`
	QuestionCount     int            `json:"question_count"`
	HeadRevision      int            `json:"head_revision"`
	PublishedRevision *int           `json:"published_revision"`
	UpdatedAt         *time.Time     `json:"updated_at"`
}

// stateOf compares the head with what learners see. A pack module nobody
// has edited has no editor state and is published as it is.
func stateOf(st *store.ModuleState, published *model.Module, head model.Module) string {
	switch {
	case st != nil && st.Deleted:
		return StateDeleted
	case published == nil:
		return StateDraft
	case st == nil || st.PublishedRevision != nil && *st.PublishedRevision == st.HeadRevision:
		return StatePublished
	case sameContent(head, *published):
		return StatePublished
	}
	return StateChanged
}

// sameContent compares what authors write (not the rendered HTML, which a
// new renderer may change), canonically.
func sameContent(a, b model.Module) bool {
	return catalog.ModuleHash(store.WithoutHTML(a)) == catalog.ModuleHash(store.WithoutHTML(b))
}

// Modules lists every module in the editor in curriculum order: drafts,
// published and changed ones; deleted ones only when state asks for them
// (state is one of the states, "all", or empty for all but deleted).
func (s *Service) Modules(ctx context.Context, state string) ([]ModuleItem, error) {
	if !contains([]string{"", "all", StateDraft, StatePublished, StateChanged, StateDeleted}, state) {
		return nil, &model.ValidationError{Fields: map[string]string{"state": "field.invalid"}}
	}
	cur, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	infos, err := s.store.ModuleInfos(ctx)
	if err != nil {
		return nil, err
	}
	out := []ModuleItem{}
	for slug, head := range cur.heads {
		var st *store.ModuleState
		if found, ok := cur.states[slug]; ok {
			st = &found
		}
		it := ModuleItem{Slug: slug, Title: head.Title, State: stateOf(st, cur.published[slug], head),
			Source: infos[slug].Source, Category: head.Category, Cluster: head.Cluster, Track: head.Track,
			Position: head.Position, LessonCount: len(head.Lessons)}
		if head.Quiz != nil {
			it.QuestionCount = len(head.Quiz.Questions)
		}
		if st != nil {
			it.HeadRevision, it.PublishedRevision, it.UpdatedAt = st.HeadRevision, st.PublishedRevision, &st.UpdatedAt
		}
		if state == "all" || it.State == state || state == "" && it.State != StateDeleted {
			out = append(out, it)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Position != out[j].Position {
			return out[i].Position < out[j].Position
		}
		return out[i].Slug < out[j].Slug
	})
	return out, nil
}

// Module returns one module in the editor, deleted ones included.
func (s *Service) Module(ctx context.Context, slug string) (ModuleView, error) {
	st, err := s.store.ModuleStateOf(ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		pub, err := s.store.PublishedModule(ctx, slug)
		if err != nil {
			return ModuleView{}, err
		}
		return s.view(ctx, nil, store.WithoutHTML(pub.Module))
	}
	if err != nil {
		return ModuleView{}, err
	}
	rev, err := s.store.RevisionOf(ctx, slug, st.HeadRevision)
	if err != nil {
		return ModuleView{}, err
	}
	return s.view(ctx, &st, rev.Module)
}

func (s *Service) view(ctx context.Context, st *store.ModuleState, head model.Module) (ModuleView, error) {
	v := ModuleView{Slug: head.Slug, Module: head}
	var published *model.Module
	pub, err := s.store.PublishedModule(ctx, head.Slug)
	switch {
	case err == nil:
		published = &pub.Module
	case !errors.Is(err, store.ErrNotFound):
		return v, err
	}
	infos, err := s.store.ModuleInfos(ctx)
	if err != nil {
		return v, err
	}
	v.State, v.Source = stateOf(st, published, head), infos[head.Slug].Source
	if st != nil {
		v.HeadRevision, v.PublishedRevision, v.UpdatedAt, v.UpdatedBy = st.HeadRevision, st.PublishedRevision, &st.UpdatedAt, st.UpdatedBy
	}
	if v.Problems, err = s.problems(ctx, head); err != nil {
		return v, err
	}
	return v, nil
}

// CreateModule starts a module as a draft. It is placed after every other
// module, in the track named, else in the last module's track.
func (s *Service) CreateModule(ctx context.Context, ch Change, r ModuleFields) (ModuleView, error) {
	if err := r.Validate(); err != nil {
		return ModuleView{}, err
	}
	cur, err := s.current(ctx)
	if err != nil {
		return ModuleView{}, err
	}
	m := model.Module{Slug: r.Slug, Track: "main", Position: cur.last + 1}
	lastSlug := ""
	for slug, h := range cur.heads { // the track of the last module (by position, then slug)
		if h.Position == cur.last && h.Track != "" && slug > lastSlug {
			m.Track, lastSlug = h.Track, slug
		}
	}
	p := r.patch()
	p.apply(&m)
	m.TrackTitle = cur.trackTitle(m.Track)
	st, head, _, err := s.store.SaveModule(ctx, store.ModuleEdit{Slug: r.Slug, ActorID: ch.Actor.ID, Mode: store.SaveCreate,
		Note: "created", Action: "module.create",
		Apply: func(doc *model.Module) (any, any, error) { *doc = m; return nil, header(m), nil }})
	if err != nil {
		return ModuleView{}, storeError(err)
	}
	return s.view(ctx, &st, head)
}

// PatchModule changes module fields.
func (s *Service) PatchModule(ctx context.Context, ch Change, slug string, p ModulePatch) (ModuleView, error) {
	if err := p.Validate(); err != nil {
		return ModuleView{}, err
	}
	title := ""
	if p.Track != nil && *p.Track != "" {
		cur, err := s.current(ctx)
		if err != nil {
			return ModuleView{}, err
		}
		title = cur.trackTitle(*p.Track)
	}
	return s.save(ctx, ch, slug, "module.update", "edited the module fields", func(m *model.Module) (any, any, error) {
		before := header(*m)
		p.apply(m)
		if title != "" {
			m.TrackTitle = title
		}
		return before, header(*m), nil
	})
}

// DeleteModule takes the module away from learners; its records and
// revisions stay, and restoring a revision brings it back.
func (s *Service) DeleteModule(ctx context.Context, ch Change, slug string) error {
	if err := s.store.DeleteModule(ctx, slug, ch.Actor.ID, ch.Base); err != nil {
		return storeError(err)
	}
	return s.reload(ctx)
}

// save applies one edit of an existing module as a new revision.
func (s *Service) save(ctx context.Context, ch Change, slug, action, note string, apply func(*model.Module) (any, any, error)) (ModuleView, error) {
	st, head, _, err := s.store.SaveModule(ctx, store.ModuleEdit{Slug: slug, ActorID: ch.Actor.ID, Base: ch.Base,
		Mode: store.SaveExisting, Note: note, Action: action, Apply: apply})
	if err != nil {
		return ModuleView{}, storeError(err)
	}
	return s.view(ctx, &st, head)
}

// header is a module without lessons, quiz and translations: what the
// audit log records of a change to module fields.
func header(m model.Module) model.Module {
	m.Lessons, m.Quiz, m.Translations = nil, nil, nil
	return m
}
