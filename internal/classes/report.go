package classes

import (
	"context"
	"time"

	"github.com/readi-platform/readi/internal/learning"
	"github.com/readi-platform/readi/internal/model"
)

func learningTitle(m model.Module, lang string) string { return learning.Title(m, lang) }

// ReportModule is a column of the class report: an assigned module.
type ReportModule struct {
	Slug         string     `json:"slug"`
	Title        string     `json:"title"`
	AssignmentID int64      `json:"assignment_id"`
	DueAt        *time.Time `json:"due_at"`
	LessonCount  int        `json:"lesson_count"`
}

// ReportCell is one learner's standing in one assigned module.
type ReportCell struct {
	Status           string  `json:"status"`
	BestPercent      float64 `json:"best_percent"`
	Attempts         int     `json:"attempts"`
	FailedAttempts   int     `json:"failed_attempts"`
	LessonsCompleted int     `json:"lessons_completed"`
}

// ReportRow is a learner of the class with a cell per assigned module (in
// the order of Report.Modules).
type ReportRow struct {
	UserID     int64        `json:"user_id"`
	Nickname   string       `json:"nickname"`
	LastActive *time.Time   `json:"last_active"`
	Modules    []ReportCell `json:"modules"`
}

// HelpReason says why a learner is on the "needs help" list.
type HelpReason struct {
	Kind       string `json:"kind"` // overdue | failed_twice
	ModuleSlug string `json:"module_slug"`
}

// NeedsHelp is a learner who is overdue or failed the same quiz twice.
type NeedsHelp struct {
	UserID   int64        `json:"user_id"`
	Nickname string       `json:"nickname"`
	Reasons  []HelpReason `json:"reasons"`
}

// Report is the progress matrix: learners × assigned modules.
type Report struct {
	Class     model.Class    `json:"class"`
	Modules   []ReportModule `json:"modules"`
	Learners  []ReportRow    `json:"learners"`
	NeedsHelp []NeedsHelp    `json:"needs_help"`
}

// Report builds the class's progress matrix in a fixed number of queries,
// whatever the number of learners and modules.
func (s *Service) Report(ctx context.Context, u model.User, classID int64, lang string) (Report, error) {
	c, err := s.Get(ctx, u, classID)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Class: c, Modules: []ReportModule{}, Learners: []ReportRow{}, NeedsHelp: []NeedsHelp{}}
	assigned, err := s.store.Assignments(ctx, classID)
	if err != nil {
		return rep, err
	}
	var ids []int64
	for _, a := range assigned {
		m, ok := s.learning.PublishedByID(ctx, a.ModuleID)
		if !ok {
			continue
		}
		ids = append(ids, a.ModuleID)
		rep.Modules = append(rep.Modules, ReportModule{Slug: m.Module.Slug, Title: learningTitle(m.Module, lang), AssignmentID: a.ID,
			DueAt: a.DueAt, LessonCount: len(m.Module.Lessons)})
	}
	members, err := s.store.Members(ctx, classID)
	if err != nil {
		return rep, err
	}
	cells, err := s.store.ClassProgress(ctx, classID, ids)
	if err != nil {
		return rep, err
	}
	type key struct{ user, module int64 }
	byKey := make(map[key]int, len(cells))
	for i, c := range cells {
		byKey[key{c.UserID, c.ModuleID}] = i
	}
	now := s.now()
	for _, m := range members {
		row := ReportRow{UserID: m.UserID, Nickname: m.Nickname, LastActive: m.LastActive, Modules: make([]ReportCell, len(ids))}
		var reasons []HelpReason
		for j, id := range ids {
			cell := ReportCell{}
			if i, ok := byKey[key{m.UserID, id}]; ok {
				c := cells[i]
				cell = ReportCell{BestPercent: c.BestPercent, Attempts: c.Attempts, FailedAttempts: c.Failed, LessonsCompleted: c.LessonsCompleted}
				done := c.Passed && c.LessonsCompleted >= rep.Modules[j].LessonCount
				cell.Status = status(done, c.Attempts > 0 || c.LessonsCompleted > 0, rep.Modules[j].DueAt, now)
				if c.Failed >= 2 && !c.Passed {
					reasons = append(reasons, HelpReason{Kind: "failed_twice", ModuleSlug: rep.Modules[j].Slug})
				}
			} else {
				cell.Status = status(false, false, rep.Modules[j].DueAt, now)
			}
			if cell.Status == model.StatusOverdue {
				reasons = append(reasons, HelpReason{Kind: "overdue", ModuleSlug: rep.Modules[j].Slug})
			}
			row.Modules[j] = cell
		}
		rep.Learners = append(rep.Learners, row)
		if len(reasons) > 0 {
			rep.NeedsHelp = append(rep.NeedsHelp, NeedsHelp{UserID: m.UserID, Nickname: m.Nickname, Reasons: reasons})
		}
	}
	return rep, nil
}
