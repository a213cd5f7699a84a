package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/readi-platform/readi/internal/model"
)

// QuestionIDsTaken reports question ids of a module being published that
// another module already uses: ids are unique across the curriculum, since
// progress and review are keyed on them. Owners maps each id to its module.
type QuestionIDsTaken struct {
	Owners map[string]string
}

func (e *QuestionIDsTaken) Error() string { return "question ids are used by other modules" }

// ModuleInfo is how a module's row stands in the published tables.
type ModuleInfo struct {
	Slug      string
	Source    string
	Published bool
}

// ModuleInfos lists every module row (published or not) with its source.
func (s *Store) ModuleInfos(ctx context.Context) (map[string]ModuleInfo, error) {
	var rows []ModuleInfo
	if err := s.read(ctx).Table("modules").Select("slug, source, published").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[string]ModuleInfo, len(rows))
	for _, r := range rows {
		out[r.Slug] = r
	}
	return out, nil
}

// ModulePublish is the publishing of one validated, rendered revision.
type ModulePublish struct {
	Slug     string
	ActorID  int64
	Revision int          // the head revision that was validated
	Module   model.Module // that revision, with its lessons rendered to HTML
}

// PublishModule makes a revision what learners see, in one transaction:
// the module, its lessons and questions are written in place exactly as the
// pack import writes them (a changed question gets a new version; attempts
// keep theirs), marked source "admin" so the pack import leaves them alone,
// and the audit log records it. A head that moved since validation is
// ErrStale; question ids used by other modules are *QuestionIDsTaken.
func (s *Store) PublishModule(ctx context.Context, p ModulePublish) error {
	return s.tx(ctx, func(db *gorm.DB) error {
		st, found, err := s.lockState(db, p.Slug)
		switch {
		case err != nil:
			return err
		case !found || st.Deleted:
			return ErrNotFound
		case st.HeadRevision != p.Revision:
			return ErrStale
		}
		taken, err := questionOwners(db, questionIDs(p.Module), p.Slug, "")
		if err != nil {
			return err
		}
		if len(taken) > 0 {
			return &QuestionIDsTaken{Owners: taken}
		}
		if err := writePublished(db, p.Module); err != nil {
			return err
		}
		before := st.PublishedRevision
		st.PublishedRevision, st.UpdatedBy, st.UpdatedAt = &p.Revision, actorPtr(p.ActorID), time.Now().UTC()
		if err := saveState(db, st, true); err != nil {
			return err
		}
		return insertAudit(db, p.ActorID, "module.publish", "module:"+p.Slug,
			map[string]any{"published_revision": before}, map[string]any{"published_revision": p.Revision})
	})
}

// writePublished upserts m into the published tables as source "admin".
func writePublished(db *gorm.DB, m model.Module) error {
	var rows []moduleRow
	if err := db.Table("modules").Where("slug = ?", m.Slug).Find(&rows).Error; err != nil {
		return err
	}
	var old moduleRow
	if len(rows) > 0 {
		old = rows[0]
	}
	_, sum, err := hashJSON(m)
	if err != nil {
		return err
	}
	return upsertModule(db, m, sum, old, len(rows) > 0, SourceAdmin)
}

// DeleteModule takes a module away from learners and marks it deleted in
// the editor. Nothing is erased: the module row stays (unpublished, so
// learners' attempts, progress and completions keep pointing at it), and so
// do its revisions, from which it can be restored.
func (s *Store) DeleteModule(ctx context.Context, slug string, actorID int64, base *int) error {
	return s.tx(ctx, func(db *gorm.DB) error {
		st, found, err := s.lockState(db, slug)
		if err != nil {
			return err
		}
		if found && st.Deleted {
			return ErrNotFound
		}
		if base != nil && *base != st.HeadRevision {
			return ErrStale
		}
		if st, err = s.ensureState(db, st, found); err != nil {
			return err
		}
		before := map[string]any{"head_revision": st.HeadRevision, "published_revision": st.PublishedRevision}
		st.Deleted, st.PublishedRevision = true, nil
		st.UpdatedBy, st.UpdatedAt = actorPtr(actorID), time.Now().UTC()
		if err := saveState(db, st, true); err != nil {
			return err
		}
		if err := unpublish(db, slug); err != nil {
			return err
		}
		return insertAudit(db, actorID, "module.delete", "module:"+slug, before, map[string]any{"deleted": true})
	})
}

// ensureState gives a module that has no editor state one, recording its
// published content as revision 1; a module with neither is ErrNotFound.
func (s *Store) ensureState(db *gorm.DB, st ModuleState, found bool) (ModuleState, error) {
	if found {
		return st, nil
	}
	pub, err := publishedModule(db, st.Slug)
	if err != nil {
		return st, err
	}
	return appendRevision(db, st, false, WithoutHTML(pub.Module), 0, "the published content before the first edit")
}

// unpublish hides a module from learners and hands it to the editor
// (source "admin"), so that a later pack import does not publish it again.
func unpublish(db *gorm.DB, slug string) error {
	return db.Table("modules").Where("slug = ?", slug).
		Updates(map[string]any{"published": false, "source": SourceAdmin, "updated_at": time.Now().UTC()}).Error
}

func questionIDs(m model.Module) []string {
	if m.Quiz == nil {
		return nil
	}
	ids := make([]string, 0, len(m.Quiz.Questions))
	for _, q := range m.Quiz.Questions {
		ids = append(ids, q.ID)
	}
	return ids
}

// questionOwners maps those of ids that belong to a module other than
// slug (of the given source, if not empty) to that module's slug.
func questionOwners(db *gorm.DB, ids []string, slug, source string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct{ ID, Slug string }
	q := db.Table("questions q").Select("q.id, m.slug").Joins("JOIN modules m ON m.id = q.module_id").
		Where("q.id IN ? AND m.slug <> ?", ids, slug)
	if source != "" {
		q = q.Where("m.source = ?", source)
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.Slug
	}
	return out, nil
}

// QuestionOwners is questionOwners for callers outside a transaction: the
// editor checks a draft's ids before publishing it.
func (s *Store) QuestionOwners(ctx context.Context, ids []string, slug string) (map[string]string, error) {
	return questionOwners(s.read(ctx), ids, slug, "")
}
