package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/readi-platform/readi/internal/model"
)

// Where a module came from: the content pack on disk, or the admin editor.
const (
	SourcePack  = "pack"
	SourceAdmin = "admin"
)

// moduleRow, lessonRow and questionRow are the content tables. The text of
// each lives in a JSON document (doc) with its translations; the columns
// beside it are what queries filter and join on.
type moduleRow struct {
	ID          int64
	Slug        string
	Source      string
	Track       string
	Position    int
	Category    string
	Cluster     string
	Level       string
	Minutes     int
	Readi       string
	PassPercent int
	Published   bool
	ContentHash string
	Doc         string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

type lessonRow struct {
	ID          int64
	ModuleID    int64
	Slug        string
	Position    int
	Removed     bool
	ContentHash string
	Doc         string
	UpdatedAt   time.Time
}

type questionRow struct {
	ID          string
	ModuleID    int64
	Position    int
	Type        string
	Version     int
	ContentHash string
	Doc         string
	UpdatedAt   time.Time
}

// lessonDoc and questionDoc keep a lesson or question with its translations.
type lessonDoc struct {
	Lesson       model.Lesson            `json:"lesson"`
	Translations map[string]model.Lesson `json:"translations,omitempty"`
}

type questionDoc struct {
	Question     model.Question            `json:"question"`
	Translations map[string]model.Question `json:"translations,omitempty"`
}

// StoredModule is a published module with the database ids that learning
// records refer to.
type StoredModule struct {
	ID               int64
	Module           model.Module
	LessonIDs        map[string]int64 // by lesson slug
	QuestionVersions map[string]int   // by question id
	UpdatedAt        time.Time
}

// ImportReport says what an import changed, by module slug. Skipped are
// pack modules the pack import leaves alone: an admin has published or
// deleted them in the editor (source "admin"), or one of their question ids
// now belongs to such a module.
type ImportReport struct {
	Created     []string `json:"created"`
	Updated     []string `json:"updated"`
	Unchanged   []string `json:"unchanged"`
	Unpublished []string `json:"unpublished"`
	Skipped     []string `json:"skipped"`
}

// Changed reports whether the import wrote anything.
func (r ImportReport) Changed() bool {
	return len(r.Created)+len(r.Updated)+len(r.Unpublished) > 0
}

func hashJSON(v any) (string, string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", "", err
	}
	sum := sha256.Sum256(b)
	return string(b), hex.EncodeToString(sum[:]), nil
}

// ImportPack makes the database hold exactly the pack's modules, published,
// in one transaction. It is idempotent: an unchanged module writes nothing,
// a changed one is updated in place keyed by slug, lesson slug and question
// id (a changed question gets a new version, so attempts keep the version
// they were graded against), and pack modules missing from the pack are
// unpublished, never deleted, so learners' records stay intact.
//
// Modules an admin published or deleted in the editor (source "admin") are
// never overwritten: the editor is then where that module lives, and the
// pack import reports them as skipped.
func (s *Store) ImportPack(ctx context.Context, modules []model.Module) (ImportReport, error) {
	var rep ImportReport
	err := s.tx(ctx, func(db *gorm.DB) error {
		rep = ImportReport{}
		if s.dialect == Postgres { // replicas starting together import one at a time
			if err := db.Exec("SELECT pg_advisory_xact_lock(7274735)").Error; err != nil {
				return err
			}
		}
		var existing []moduleRow
		if err := db.Table("modules").Find(&existing).Error; err != nil {
			return err
		}
		bySlug := map[string]moduleRow{}
		for _, m := range existing {
			bySlug[m.Slug] = m
		}
		inPack := map[string]bool{}
		for _, m := range modules {
			inPack[m.Slug] = true
			old, found := bySlug[m.Slug]
			_, sum, err := hashJSON(m)
			if err != nil {
				return err
			}
			if found && old.Source == SourceAdmin {
				rep.Skipped = append(rep.Skipped, m.Slug)
				continue
			}
			if found && old.ContentHash == sum && old.Published {
				rep.Unchanged = append(rep.Unchanged, m.Slug)
				continue
			}
			taken, err := questionOwners(db, questionIDs(m), m.Slug, SourceAdmin)
			if err != nil {
				return err
			}
			if len(taken) > 0 { // taking them over would change an admin's module
				rep.Skipped = append(rep.Skipped, m.Slug)
				continue
			}
			if err := upsertModule(db, m, sum, old, found, SourcePack); err != nil {
				return fmt.Errorf("module %s: %w", m.Slug, err)
			}
			if found {
				// The published content no longer comes from a revision.
				if err := db.Exec("UPDATE module_authoring SET published_revision = NULL WHERE slug = ?", m.Slug).Error; err != nil {
					return err
				}
				rep.Updated = append(rep.Updated, m.Slug)
			} else {
				rep.Created = append(rep.Created, m.Slug)
			}
		}
		for _, old := range existing {
			if old.Source == SourcePack && old.Published && !inPack[old.Slug] {
				if err := db.Table("modules").Where("id = ?", old.ID).
					Updates(map[string]any{"published": false, "updated_at": time.Now().UTC()}).Error; err != nil {
					return err
				}
				rep.Unpublished = append(rep.Unpublished, old.Slug)
			}
		}
		return nil
	})
	return rep, err
}

// upsertModule writes one module as published, in place by slug, with its
// lessons by slug and questions by id. ImportPack (source "pack") and the
// editor's publish (source "admin") share it, so both keep learners'
// records the same way.
func upsertModule(db *gorm.DB, m model.Module, sum string, old moduleRow, found bool, source string) error {
	now := time.Now().UTC()
	header := m
	header.Lessons, header.Quiz = nil, nil
	header.Translations = map[string]model.ModuleTranslation{}
	for lang, tr := range m.Translations {
		tr.Lessons, tr.Questions = nil, nil
		header.Translations[lang] = tr
	}
	doc, _, err := hashJSON(header)
	if err != nil {
		return err
	}
	readi, _ := json.Marshal(m.Readi)
	pass := 0
	if m.Quiz != nil {
		pass = m.Quiz.PassPercent
	}
	row := moduleRow{ID: old.ID, Slug: m.Slug, Source: source, Track: m.Track, Position: m.Position,
		Category: string(m.Category), Cluster: string(m.Cluster), Level: m.Level, Minutes: m.Minutes,
		Readi: string(readi), PassPercent: pass, Published: true, ContentHash: sum, Doc: doc,
		CreatedAt: old.CreatedAt, UpdatedAt: now}
	if !found {
		row.CreatedAt = now
		if err := db.Table("modules").Create(&row).Error; err != nil {
			return err
		}
	} else if err := db.Table("modules").Where("id = ?", row.ID).Select("*").Updates(&row).Error; err != nil {
		return err
	}
	if err := syncLessons(db, row.ID, m, now); err != nil {
		return err
	}
	return syncQuestions(db, row.ID, m, now)
}

func syncLessons(db *gorm.DB, moduleID int64, m model.Module, now time.Time) error {
	var rows []lessonRow
	if err := db.Table("lessons").Where("module_id = ?", moduleID).Find(&rows).Error; err != nil {
		return err
	}
	old := map[string]lessonRow{}
	for _, r := range rows {
		old[r.Slug] = r
	}
	keep := map[string]bool{}
	for i, l := range m.Lessons {
		keep[l.Slug] = true
		d := lessonDoc{Lesson: l, Translations: map[string]model.Lesson{}}
		for lang, tr := range m.Translations {
			if tl, ok := tr.Lessons[l.Slug]; ok {
				d.Translations[lang] = tl
			}
		}
		doc, sum, err := hashJSON(d)
		if err != nil {
			return err
		}
		prev, found := old[l.Slug]
		if found && prev.ContentHash == sum && prev.Position == i && !prev.Removed {
			continue
		}
		row := lessonRow{ID: prev.ID, ModuleID: moduleID, Slug: l.Slug, Position: i, ContentHash: sum, Doc: doc, UpdatedAt: now}
		if found {
			err = db.Table("lessons").Where("id = ?", prev.ID).Select("*").Updates(&row).Error
		} else {
			err = db.Table("lessons").Create(&row).Error
		}
		if err != nil {
			return err
		}
	}
	// A lesson dropped from the pack is hidden, not deleted, so learners'
	// completions of it survive (and return if the lesson does).
	for slug, r := range old {
		if !keep[slug] && !r.Removed {
			if err := db.Table("lessons").Where("id = ?", r.ID).Updates(map[string]any{"removed": true, "updated_at": now}).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

func syncQuestions(db *gorm.DB, moduleID int64, m model.Module, now time.Time) error {
	var rows []questionRow
	if err := db.Table("questions").Where("module_id = ?", moduleID).Find(&rows).Error; err != nil {
		return err
	}
	old := map[string]questionRow{}
	for _, r := range rows {
		old[r.ID] = r
	}
	keep := map[string]bool{}
	var questions []model.Question
	if m.Quiz != nil {
		questions = m.Quiz.Questions
	}
	for i, q := range questions {
		keep[q.ID] = true
		d := questionDoc{Question: q, Translations: map[string]model.Question{}}
		for lang, tr := range m.Translations {
			if tq, ok := tr.Questions[q.ID]; ok {
				d.Translations[lang] = tq
			}
		}
		doc, sum, err := hashJSON(d)
		if err != nil {
			return err
		}
		prev, found := old[q.ID]
		if found && prev.ContentHash == sum && prev.Position == i {
			continue
		}
		row := questionRow{ID: q.ID, ModuleID: moduleID, Position: i, Type: string(q.Type), Version: prev.Version + 1,
			ContentHash: sum, Doc: doc, UpdatedAt: now}
		if found && prev.ContentHash == sum {
			row.Version = prev.Version // only moved
		}
		if found {
			err = db.Table("questions").Where("id = ?", q.ID).Select("*").Updates(&row).Error
		} else {
			// A question id is unique across the pack; one that moved from
			// another module is taken over rather than duplicated.
			err = db.Exec("DELETE FROM questions WHERE id = ?", q.ID).Error
			if err == nil {
				err = db.Table("questions").Create(&row).Error
			}
		}
		if err != nil {
			return err
		}
	}
	for id := range old {
		if !keep[id] {
			if err := db.Exec("DELETE FROM questions WHERE id = ?", id).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// PublishedModules loads every published module whole (lessons, quiz,
// translations) in curriculum order, in three queries. The learning
// service caches the result; it is not for per-request use.
func (s *Store) PublishedModules(ctx context.Context) ([]StoredModule, error) {
	return loadModules(s.read(ctx), "published = ?", true)
}

// PublishedModule loads one published module whole, or ErrNotFound.
func (s *Store) PublishedModule(ctx context.Context, slug string) (StoredModule, error) {
	return publishedModule(s.read(ctx), slug)
}

func publishedModule(db *gorm.DB, slug string) (StoredModule, error) {
	mods, err := loadModules(db, "published = ? AND slug = ?", true, slug)
	if err != nil {
		return StoredModule{}, err
	}
	if len(mods) == 0 {
		return StoredModule{}, ErrNotFound
	}
	return mods[0], nil
}

// loadModules loads the modules matching where, whole, in three queries.
func loadModules(db *gorm.DB, where string, args ...any) ([]StoredModule, error) {
	var mods []moduleRow
	if err := db.Table("modules").Where(where, args...).Order("position, slug").Find(&mods).Error; err != nil {
		return nil, err
	}
	ids := make([]int64, len(mods))
	out := make([]StoredModule, len(mods))
	index := map[int64]int{}
	for i, r := range mods {
		ids[i] = r.ID
		index[r.ID] = i
		var m model.Module
		if err := json.Unmarshal([]byte(r.Doc), &m); err != nil {
			return nil, fmt.Errorf("module %s: %w", r.Slug, err)
		}
		m.Quiz = &model.Quiz{PassPercent: r.PassPercent}
		out[i] = StoredModule{ID: r.ID, Module: m, LessonIDs: map[string]int64{}, QuestionVersions: map[string]int{}, UpdatedAt: r.UpdatedAt}
	}
	if len(ids) == 0 {
		return out, nil
	}
	var lessons []lessonRow
	if err := db.Table("lessons").Where("module_id IN ? AND removed = ?", ids, false).Order("module_id, position").Find(&lessons).Error; err != nil {
		return nil, err
	}
	for _, r := range lessons {
		var d lessonDoc
		if err := json.Unmarshal([]byte(r.Doc), &d); err != nil {
			return nil, fmt.Errorf("lesson %s: %w", r.Slug, err)
		}
		sm := &out[index[r.ModuleID]]
		sm.Module.Lessons = append(sm.Module.Lessons, d.Lesson)
		sm.LessonIDs[r.Slug] = r.ID
		for lang, tl := range d.Translations {
			tr := sm.Module.Translations[lang]
			if tr.Lessons == nil {
				tr.Lessons = map[string]model.Lesson{}
			}
			tr.Lessons[r.Slug] = tl
			sm.Module.Translations[lang] = tr
		}
	}
	var questions []questionRow
	if err := db.Table("questions").Where("module_id IN ?", ids).Order("module_id, position").Find(&questions).Error; err != nil {
		return nil, err
	}
	for _, r := range questions {
		var d questionDoc
		if err := json.Unmarshal([]byte(r.Doc), &d); err != nil {
			return nil, fmt.Errorf("question %s: %w", r.ID, err)
		}
		sm := &out[index[r.ModuleID]]
		sm.Module.Quiz.Questions = append(sm.Module.Quiz.Questions, d.Question)
		sm.QuestionVersions[r.ID] = r.Version
		for lang, tq := range d.Translations {
			tr := sm.Module.Translations[lang]
			if tr.Questions == nil {
				tr.Questions = map[string]model.Question{}
			}
			tr.Questions[r.ID] = tq
			sm.Module.Translations[lang] = tr
		}
	}
	return out, nil
}

// ContentVersion changes whenever published content changes; replicas
// compare it to decide whether their cache is stale.
func (s *Store) ContentVersion(ctx context.Context) (string, error) {
	var row struct {
		N int64
		T *string
	}
	err := s.read(ctx).Raw("SELECT COUNT(*) AS n, CAST(MAX(updated_at) AS TEXT) AS t FROM modules").Scan(&row).Error
	if err != nil {
		return "", err
	}
	v := fmt.Sprint(row.N)
	if row.T != nil {
		v += "@" + *row.T
	}
	return v, nil
}
