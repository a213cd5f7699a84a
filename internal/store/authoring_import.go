package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/readi-platform/readi/internal/model"
)

// ImportedModule is one module of a pack imported through the editor.
type ImportedModule struct {
	// Doc is the module as a revision keeps it (no HTML); Rendered is the
	// same with its lessons rendered, as learners will get it.
	Doc, Rendered model.Module
	// Revise records Doc as a new revision (it differs from the head);
	// Publish makes it what learners see (it differs from the published).
	Revise, Publish bool
}

// PackImport is a whole editor import, written in one transaction.
type PackImport struct {
	ActorID   int64
	Modules   []ImportedModule
	Unpublish []string // modules a replacing import takes away
	Report    any      // what the audit log records
}

// ImportModules writes an editor import in one transaction, so a pack is
// taken whole or not at all: a revision for every module that changed, the
// published tables for every module learners will see differently (as
// PublishModule does), and the unpublishing of modules a replacing import
// leaves out (kept as drafts, never deleted). Question ids may move
// between modules of the pack, but not take over another module's.
func (s *Store) ImportModules(ctx context.Context, p PackImport) error {
	return s.tx(ctx, func(db *gorm.DB) error {
		inPack := map[string]bool{}
		for _, m := range p.Modules {
			inPack[m.Doc.Slug] = true
		}
		for _, m := range p.Modules {
			if err := s.importModule(db, p.ActorID, m, inPack); err != nil {
				return err
			}
		}
		for _, slug := range p.Unpublish {
			st, found, err := s.lockState(db, slug)
			if err != nil {
				return err
			}
			if st, err = s.ensureState(db, st, found); err != nil {
				return err
			}
			st.PublishedRevision, st.UpdatedBy, st.UpdatedAt = nil, actorPtr(p.ActorID), time.Now().UTC()
			if err := saveState(db, st, true); err != nil {
				return err
			}
			if err := unpublish(db, slug); err != nil {
				return err
			}
		}
		return insertAudit(db, p.ActorID, "content.import", "pack", nil, p.Report)
	})
}

func (s *Store) importModule(db *gorm.DB, actorID int64, m ImportedModule, inPack map[string]bool) error {
	slug := m.Doc.Slug
	st, found, err := s.lockState(db, slug)
	if err != nil {
		return err
	}
	if m.Revise {
		if _, perr := publishedModule(db, slug); perr == nil && !found {
			if st, err = s.ensureState(db, st, false); err != nil {
				return err
			}
			found = true
		}
		st.Deleted = false
		if st, err = appendRevision(db, st, found, m.Doc, actorID, "imported from a content pack"); err != nil {
			return err
		}
		found = true
	}
	if !m.Publish {
		return nil
	}
	taken, err := questionOwners(db, questionIDs(m.Rendered), slug, "")
	if err != nil {
		return err
	}
	for id, owner := range taken {
		if inPack[owner] {
			delete(taken, id) // moves within the pack
		}
	}
	if len(taken) > 0 {
		return &QuestionIDsTaken{Owners: taken}
	}
	if err := writePublished(db, m.Rendered); err != nil {
		return err
	}
	if !found { // unchanged head published as it is: give it a state
		if st, err = s.ensureState(db, st, false); err != nil {
			return err
		}
	}
	head := st.HeadRevision
	st.PublishedRevision, st.Deleted, st.UpdatedBy, st.UpdatedAt = &head, false, actorPtr(actorID), time.Now().UTC()
	return saveState(db, st, true)
}
