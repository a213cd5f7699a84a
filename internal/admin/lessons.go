package admin

import (
	"context"
	"slices"

	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// Lesson and quiz errors the API answers with 4xx.
var (
	ErrLessonExists = &Error{Status: 409, Code: "lesson.exists", Msg: "the module already has a lesson with this slug"}
	ErrNotAnOrder   = &model.ValidationError{Fields: map[string]string{"lessons": "lessons.not_a_permutation"}}
)

// AddLesson appends a lesson to the module.
func (s *Service) AddLesson(ctx context.Context, ch Change, slug string, r LessonRequest) (ModuleView, error) {
	if err := r.Validate(); err != nil {
		return ModuleView{}, err
	}
	l := model.Lesson{Slug: r.Slug, Title: r.Title, Markdown: r.Markdown, Readi: r.Readi, Minutes: r.Minutes}
	return s.save(ctx, ch, slug, "lesson.create", "added lesson "+r.Slug, func(m *model.Module) (any, any, error) {
		if lessonIndex(*m, l.Slug) >= 0 {
			return nil, nil, ErrLessonExists
		}
		m.Lessons = append(m.Lessons, l)
		return nil, l, nil
	})
}

// PatchLesson changes a lesson. A new slug carries its translations along;
// links to the old slug from other lessons are then reported by the
// publish validation, not rewritten behind the author's back.
func (s *Service) PatchLesson(ctx context.Context, ch Change, slug, lesson string, p LessonPatch) (ModuleView, error) {
	if err := p.Validate(); err != nil {
		return ModuleView{}, err
	}
	return s.save(ctx, ch, slug, "lesson.update", "edited lesson "+lesson, func(m *model.Module) (any, any, error) {
		i := lessonIndex(*m, lesson)
		if i < 0 {
			return nil, nil, store.ErrNotFound
		}
		before := m.Lessons[i]
		l := &m.Lessons[i]
		if p.Slug != nil && *p.Slug != lesson {
			if lessonIndex(*m, *p.Slug) >= 0 {
				return nil, nil, ErrLessonExists
			}
			renameTranslatedLesson(m, lesson, *p.Slug)
			l.Slug = *p.Slug
		}
		set(&l.Title, p.Title)
		set(&l.Markdown, p.Markdown)
		set(&l.Readi, p.Readi)
		set(&l.Minutes, p.Minutes)
		return before, *l, nil
	})
}

// DeleteLesson removes a lesson (and its translations) from the draft.
// Once published, learners' completions of it are kept, hidden.
func (s *Service) DeleteLesson(ctx context.Context, ch Change, slug, lesson string) (ModuleView, error) {
	return s.save(ctx, ch, slug, "lesson.delete", "deleted lesson "+lesson, func(m *model.Module) (any, any, error) {
		i := lessonIndex(*m, lesson)
		if i < 0 {
			return nil, nil, store.ErrNotFound
		}
		before := m.Lessons[i]
		m.Lessons = slices.Delete(slices.Clone(m.Lessons), i, i+1)
		renameTranslatedLesson(m, lesson, "")
		return before, nil, nil
	})
}

// OrderLessons puts the lessons in the order given, which must name each
// lesson exactly once.
func (s *Service) OrderLessons(ctx context.Context, ch Change, slug string, r LessonOrder) (ModuleView, error) {
	return s.save(ctx, ch, slug, "lesson.reorder", "reordered the lessons", func(m *model.Module) (any, any, error) {
		before := lessonSlugs(*m)
		if len(r.Lessons) != len(m.Lessons) {
			return nil, nil, ErrNotAnOrder
		}
		ordered := make([]model.Lesson, 0, len(m.Lessons))
		for _, ls := range r.Lessons {
			i := lessonIndex(*m, ls)
			if i < 0 || lessonIndex(model.Module{Lessons: ordered}, ls) >= 0 {
				return nil, nil, ErrNotAnOrder
			}
			ordered = append(ordered, m.Lessons[i])
		}
		m.Lessons = ordered
		return before, r.Lessons, nil
	})
}

// PutQuiz replaces the quiz, in quiz.yaml's shape. Translations of
// questions that are gone are dropped with them; a question kept under its
// id keeps its translation, which the publish validation checks against
// the new structure.
func (s *Service) PutQuiz(ctx context.Context, ch Change, slug string, q model.Quiz) (ModuleView, error) {
	return s.save(ctx, ch, slug, "quiz.update", "edited the quiz", func(m *model.Module) (any, any, error) {
		before := m.Quiz
		m.Quiz = &q
		keep := map[string]bool{}
		for _, qu := range q.Questions {
			keep[qu.ID] = true
		}
		for lang, tr := range m.Translations {
			kept := map[string]model.Question{}
			for id, tq := range tr.Questions {
				if keep[id] {
					kept[id] = tq
				}
			}
			tr.Questions = kept
			m.Translations[lang] = tr
		}
		return before, m.Quiz, nil
	})
}

func lessonIndex(m model.Module, slug string) int {
	return slices.IndexFunc(m.Lessons, func(l model.Lesson) bool { return l.Slug == slug })
}

func lessonSlugs(m model.Module) []string {
	out := make([]string, len(m.Lessons))
	for i, l := range m.Lessons {
		out[i] = l.Slug
	}
	return out
}

// renameTranslatedLesson moves every translation of lesson from to to, or
// drops them when to is empty.
func renameTranslatedLesson(m *model.Module, from, to string) {
	if len(m.Translations) == 0 {
		return
	}
	trs := make(map[string]model.ModuleTranslation, len(m.Translations))
	for lang, tr := range m.Translations {
		if tl, ok := tr.Lessons[from]; ok {
			tr.Lessons = cloneMap(tr.Lessons)
			delete(tr.Lessons, from)
			if to != "" {
				tl.Slug = to
				tr.Lessons[to] = tl
			}
		}
		trs[lang] = tr
	}
	m.Translations = trs
}

func cloneMap[K comparable, V any](m map[K]V) map[K]V {
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
