package admin

import (
	"context"
	"errors"
	"fmt"

	"github.com/readi-platform/readi/internal/catalog"
	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// Publish makes the head revision what learners see. It is rendered and
// checked by the same code as a content pack (catalog.RenderLesson,
// catalog.ValidateModule) plus the pack-wide rule that question ids are
// unique; any problem refuses the publish with the whole list (*Invalid).
// A pack module nobody has edited is already published as it is.
func (s *Service) Publish(ctx context.Context, ch Change, slug string) (ModuleView, error) {
	st, err := s.store.ModuleStateOf(ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		return s.Module(ctx, slug)
	}
	if err != nil {
		return ModuleView{}, err
	}
	if st.Deleted {
		return ModuleView{}, store.ErrNotFound
	}
	if ch.Base != nil && *ch.Base != st.HeadRevision {
		return ModuleView{}, ErrStale
	}
	rev, err := s.store.RevisionOf(ctx, slug, st.HeadRevision)
	if err != nil {
		return ModuleView{}, err
	}
	problems, err := s.problems(ctx, rev.Module)
	if err != nil {
		return ModuleView{}, err
	}
	if len(problems) > 0 {
		return ModuleView{}, &Invalid{Msg: fmt.Sprintf("module %s cannot be published: %d problem(s)", slug, len(problems)), Problems: problems}
	}
	err = s.store.PublishModule(ctx, store.ModulePublish{Slug: slug, ActorID: ch.Actor.ID, Revision: st.HeadRevision, Module: Render(rev.Module)})
	if err != nil {
		return ModuleView{}, storeError(err)
	}
	if err := s.reload(ctx); err != nil {
		return ModuleView{}, err
	}
	return s.Module(ctx, slug)
}

// problems lists everything publishing m would refuse.
func (s *Service) problems(ctx context.Context, m model.Module) ([]Problem, error) {
	out := moduleProblems(catalog.ValidateModule(m))
	if out == nil {
		out = []Problem{}
	}
	switch {
	case m.Track == "":
		out = append(out, Problem{Path: "track", Message: "track is required"})
	case !slugRE.MatchString(m.Track):
		out = append(out, Problem{Path: "track", Message: "track must be lower-case letters, digits and single hyphens"})
	}
	if m.Quiz == nil || len(m.Quiz.Questions) == 0 {
		return out, nil
	}
	index := map[string]int{}
	ids := make([]string, 0, len(m.Quiz.Questions))
	for i, q := range m.Quiz.Questions {
		if _, dup := index[q.ID]; !dup {
			index[q.ID] = i
		}
		ids = append(ids, q.ID)
	}
	owners, err := s.store.QuestionOwners(ctx, ids, m.Slug)
	if err != nil {
		return nil, err
	}
	return append(out, takenProblems(owners, index)...), nil
}

// Render returns m with every lesson and translated lesson rendered to
// the sanitised HTML learners receive. m itself is not changed.
func Render(m model.Module) model.Module {
	m = store.WithoutHTML(m) // copies the lessons and translations
	for i := range m.Lessons {
		m.Lessons[i].HTML = catalog.RenderLesson(m.Slug, m.Lessons[i].Markdown)
	}
	for lang, tr := range m.Translations {
		for slug, l := range tr.Lessons {
			l.HTML = catalog.RenderLesson(m.Slug, l.Markdown)
			tr.Lessons[slug] = l
		}
		m.Translations[lang] = tr
	}
	return m
}

// Preview renders Markdown exactly as a lesson of module would be: the
// sanitised HTML learners would see. Rendering is pure, so it needs no
// module to exist.
func (s *Service) Preview(r PreviewRequest) string {
	return catalog.RenderLesson(r.Module, r.Markdown)
}
