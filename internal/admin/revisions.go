package admin

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// RevisionItem is one saved version of a module, without its document.
type RevisionItem struct {
	store.Revision
	Published bool `json:"published"` // the version learners see
}

// RevisionView is one saved version with its document.
type RevisionView struct {
	RevisionItem
	Module model.Module `json:"module"`
}

// Revisions lists a module's revisions, newest first, a page at a time;
// next is the cursor of the following page (nil on the last one).
func (s *Service) Revisions(ctx context.Context, slug string, cursor string, limit int) ([]RevisionItem, *string, error) {
	st, err := s.knownState(ctx, slug)
	if err != nil {
		return nil, nil, err
	}
	before, err := strconv.Atoi(cursorOr(cursor, "0"))
	if err != nil || before < 0 {
		return nil, nil, errBadCursor
	}
	revs, err := s.store.Revisions(ctx, slug, before, limit+1)
	if err != nil {
		return nil, nil, err
	}
	var next *string
	if len(revs) > limit {
		revs = revs[:limit]
		c := strconv.Itoa(revs[limit-1].Number)
		next = &c
	}
	out := make([]RevisionItem, len(revs))
	for i, r := range revs {
		out[i] = RevisionItem{Revision: r, Published: st.PublishedRevision != nil && *st.PublishedRevision == r.Number}
	}
	return out, next, nil
}

// Revision returns one revision whole.
func (s *Service) Revision(ctx context.Context, slug string, number int) (RevisionView, error) {
	st, err := s.knownState(ctx, slug)
	if err != nil {
		return RevisionView{}, err
	}
	rev, err := s.store.RevisionOf(ctx, slug, number)
	if err != nil {
		return RevisionView{}, err
	}
	item := RevisionItem{Revision: rev, Published: st.PublishedRevision != nil && *st.PublishedRevision == number}
	return RevisionView{RevisionItem: item, Module: rev.Module}, nil
}

// Restore saves an old revision's document as the newest revision: the
// history is never rewritten, and a deleted module comes back as a draft.
// Learners see it once it is published.
func (s *Service) Restore(ctx context.Context, ch Change, slug string, number int) (ModuleView, error) {
	rev, err := s.store.RevisionOf(ctx, slug, number)
	if err != nil {
		return ModuleView{}, err
	}
	st, head, _, err := s.store.SaveModule(ctx, store.ModuleEdit{Slug: slug, ActorID: ch.Actor.ID, Base: ch.Base,
		Mode: store.SaveRestore, Note: fmt.Sprintf("restored revision %d", number), Action: "revision.restore",
		Apply: func(m *model.Module) (any, any, error) {
			before := map[string]any{"title": m.Title}
			*m = rev.Module
			m.Slug = slug
			return before, map[string]any{"restored_revision": number}, nil
		}})
	if err != nil {
		return ModuleView{}, storeError(err)
	}
	return s.view(ctx, &st, head)
}

// Diff is what changed between two versions of a module.
type Diff struct {
	From    string      `json:"from"`
	To      string      `json:"to"`
	Changes []DiffEntry `json:"changes"`
}

// Diff compares two versions of a module, each named by a revision
// number, "head" or "published". By default it shows what publishing the
// head would change: from the published version (or, for a module never
// published, from nothing) to the head.
func (s *Service) Diff(ctx context.Context, slug, from, to string) (Diff, error) {
	if _, err := s.knownState(ctx, slug); err != nil {
		return Diff{}, err
	}
	if to == "" {
		to = "head"
	}
	if from == "" {
		from = "published"
	}
	a, err := s.version(ctx, slug, from)
	if err != nil {
		return Diff{}, err
	}
	b, err := s.version(ctx, slug, to)
	if err != nil {
		return Diff{}, err
	}
	return Diff{From: from, To: to, Changes: diffModules(a, b)}, nil
}

var (
	errBadCursor  = &model.ValidationError{Fields: map[string]string{"cursor": "cursor.invalid"}}
	errBadVersion = &model.ValidationError{Fields: map[string]string{"from": "revision.invalid"}}
)

// version resolves a name of a version to its document. "published" of a
// module learners do not see is the empty module.
func (s *Service) version(ctx context.Context, slug, name string) (model.Module, error) {
	switch name {
	case "published":
		pub, err := s.store.PublishedModule(ctx, slug)
		if errors.Is(err, store.ErrNotFound) {
			return model.Module{Slug: slug}, nil
		}
		return store.WithoutHTML(pub.Module), err
	case "head":
		v, err := s.Module(ctx, slug)
		return v.Module, err
	}
	n, err := strconv.Atoi(name)
	if err != nil || n < 1 {
		return model.Module{}, errBadVersion
	}
	rev, err := s.store.RevisionOf(ctx, slug, n)
	return rev.Module, err
}

// knownState is the module's editor state; a published pack module that
// nobody has edited has an empty one; anything else is ErrNotFound.
func (s *Service) knownState(ctx context.Context, slug string) (store.ModuleState, error) {
	st, err := s.store.ModuleStateOf(ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		if _, perr := s.store.PublishedModule(ctx, slug); perr != nil {
			return st, perr
		}
		return store.ModuleState{Slug: slug}, nil
	}
	return st, err
}

func cursorOr(c, def string) string {
	if c == "" {
		return def
	}
	return c
}
