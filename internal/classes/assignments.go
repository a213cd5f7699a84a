package classes

import (
	"context"
	"errors"
	"time"

	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// AssignmentView is an assignment with its module's title, in the
// language asked for where the module is translated (English otherwise).
// Every educator view of a class takes that language, lang.
type AssignmentView struct {
	model.Assignment
	ModuleTitle string `json:"module_title"`
}

func (s *Service) view(ctx context.Context, a store.StoredAssignment, lang string) AssignmentView {
	v := AssignmentView{Assignment: model.Assignment{ID: a.ID, ClassID: a.ClassID, DueAt: a.DueAt, CreatedAt: a.CreatedAt}}
	if m, ok := s.learning.PublishedByID(ctx, a.ModuleID); ok {
		v.ModuleSlug, v.ModuleTitle = m.Module.Slug, learningTitle(m.Module, lang)
	}
	return v
}

// Assign gives the class a published module, optionally with a due date.
func (s *Service) Assign(ctx context.Context, u model.User, classID int64, r model.AssignmentRequest, lang string) (AssignmentView, error) {
	if _, err := s.Get(ctx, u, classID); err != nil {
		return AssignmentView{}, err
	}
	due, err := r.Validate()
	if err != nil {
		return AssignmentView{}, err
	}
	m, ok := s.learning.Published(ctx, r.ModuleSlug)
	if !ok {
		return AssignmentView{}, ErrModuleUnknown
	}
	a, err := s.store.CreateAssignment(ctx, classID, m.ID, u.ID, due)
	if errors.Is(err, store.ErrConflict) {
		return AssignmentView{}, ErrAlreadyAssigned
	}
	if err != nil {
		return AssignmentView{}, err
	}
	return s.view(ctx, a, lang), nil
}

// Assignments lists a class's assignments.
func (s *Service) Assignments(ctx context.Context, u model.User, classID int64, lang string) ([]AssignmentView, error) {
	if _, err := s.Get(ctx, u, classID); err != nil {
		return nil, err
	}
	rows, err := s.store.Assignments(ctx, classID)
	out := make([]AssignmentView, 0, len(rows))
	for _, a := range rows {
		out = append(out, s.view(ctx, a, lang))
	}
	return out, err
}

// Assignment returns one assignment.
func (s *Service) Assignment(ctx context.Context, u model.User, classID, id int64, lang string) (AssignmentView, error) {
	if _, err := s.Get(ctx, u, classID); err != nil {
		return AssignmentView{}, err
	}
	a, err := s.store.Assignment(ctx, classID, id)
	if err != nil {
		return AssignmentView{}, err
	}
	return s.view(ctx, a, lang), nil
}

// SetDue changes or clears an assignment's due date.
func (s *Service) SetDue(ctx context.Context, u model.User, classID, id int64, p model.AssignmentPatch, lang string) (AssignmentView, error) {
	if _, err := s.Get(ctx, u, classID); err != nil {
		return AssignmentView{}, err
	}
	due, err := p.Validate()
	if err != nil {
		return AssignmentView{}, err
	}
	if err := s.store.SetAssignmentDue(ctx, classID, id, due); err != nil {
		return AssignmentView{}, err
	}
	return s.Assignment(ctx, u, classID, id, lang)
}

// Unassign removes an assignment.
func (s *Service) Unassign(ctx context.Context, u model.User, classID, id int64) error {
	if _, err := s.Get(ctx, u, classID); err != nil {
		return err
	}
	return s.store.DeleteAssignment(ctx, classID, id)
}

// LearnerAssignment is what a learner sees of an assignment.
type LearnerAssignment struct {
	ID          int64      `json:"id"`
	ClassID     int64      `json:"class_id"`
	ClassName   string     `json:"class_name"`
	ModuleSlug  string     `json:"module_slug"`
	ModuleTitle string     `json:"module_title"`
	DueAt       *time.Time `json:"due_at"`
	Status      string     `json:"status"`
}

// ForLearner lists the assignments of every class u is in, with status.
func (s *Service) ForLearner(ctx context.Context, u model.User, lang string) ([]LearnerAssignment, error) {
	rows, err := s.store.AssignmentsForLearner(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	progress, err := s.store.Progress(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	comps, err := s.store.Completions(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	passed := map[int64]bool{}
	started := map[int64]bool{}
	for _, p := range progress {
		passed[p.ModuleID] = p.Passed
		started[p.ModuleID] = true
	}
	read := map[int64]int{}
	for _, c := range comps {
		read[c.ModuleID]++
		started[c.ModuleID] = true
	}
	out := make([]LearnerAssignment, 0, len(rows))
	for _, a := range rows {
		m, ok := s.learning.PublishedByID(ctx, a.ModuleID)
		if !ok {
			continue
		}
		done := passed[a.ModuleID] && read[a.ModuleID] >= len(m.Module.Lessons)
		out = append(out, LearnerAssignment{ID: a.ID, ClassID: a.ClassID, ClassName: a.ClassName,
			ModuleSlug: m.Module.Slug, ModuleTitle: learningTitle(m.Module, lang), DueAt: a.DueAt,
			Status: status(done, started[a.ModuleID], a.DueAt, s.now())})
	}
	return out, nil
}

// status is an assignment's state for one learner.
func status(done, started bool, due *time.Time, now time.Time) string {
	switch {
	case done:
		return model.StatusCompleted
	case due != nil && now.After(*due):
		return model.StatusOverdue
	case started:
		return model.StatusInProgress
	}
	return model.StatusNotStarted
}
