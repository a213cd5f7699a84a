package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// ProgressCell is one learner's standing in one module, for class reports.
type ProgressCell struct {
	UserID           int64
	ModuleID         int64
	Attempts         int
	Failed           int
	BestPercent      float64
	Passed           bool
	LessonsCompleted int
}

// ClassProgress returns, for every current member of a class, their
// progress in the given modules, in three queries whatever the class size
// (no query per learner or per module). Learners removed from the class
// are not included: an educator's view ends when the membership does.
func (s *Store) ClassProgress(ctx context.Context, classID int64, moduleIDs []int64) ([]ProgressCell, error) {
	cells := map[[2]int64]*ProgressCell{}
	cell := func(u, m int64) *ProgressCell {
		k := [2]int64{u, m}
		if c, ok := cells[k]; ok {
			return c
		}
		c := &ProgressCell{UserID: u, ModuleID: m}
		cells[k] = c
		return c
	}
	if len(moduleIDs) == 0 {
		return nil, nil
	}
	db := s.read(ctx)
	var prog []ModuleProgress
	if err := db.Table("module_progress p").Select("p.*").
		Joins("JOIN class_members m ON m.user_id = p.user_id AND m.class_id = ?", classID).
		Where("p.module_id IN ?", moduleIDs).Find(&prog).Error; err != nil {
		return nil, err
	}
	for _, p := range prog {
		c := cell(p.UserID, p.ModuleID)
		c.Attempts, c.BestPercent, c.Passed = p.Attempts, p.BestPercent, p.Passed
	}
	var failed []struct {
		UserID   int64
		ModuleID int64
		N        int
	}
	if err := db.Raw(`SELECT a.user_id, a.module_id, COUNT(*) AS n FROM attempts a
		JOIN class_members m ON m.user_id = a.user_id AND m.class_id = ?
		WHERE a.passed = ? AND a.module_id IN ? GROUP BY a.user_id, a.module_id`, classID, false, moduleIDs).Scan(&failed).Error; err != nil {
		return nil, err
	}
	for _, f := range failed {
		cell(f.UserID, f.ModuleID).Failed = f.N
	}
	var read []struct {
		UserID   int64
		ModuleID int64
		N        int
	}
	if err := db.Raw(`SELECT c.user_id, c.module_id, COUNT(*) AS n FROM lesson_completions c
		JOIN class_members m ON m.user_id = c.user_id AND m.class_id = ?
		JOIN lessons l ON l.id = c.lesson_id AND l.removed = ?
		WHERE c.module_id IN ? GROUP BY c.user_id, c.module_id`, classID, false, moduleIDs).Scan(&read).Error; err != nil {
		return nil, err
	}
	for _, r := range read {
		cell(r.UserID, r.ModuleID).LessonsCompleted = r.N
	}
	out := make([]ProgressCell, 0, len(cells))
	for _, c := range cells {
		out = append(out, *c)
	}
	return out, nil
}

// ClassAnswer is one stored answer of a class member.
type ClassAnswer struct {
	UserID     int64
	ModuleID   int64
	QuestionID string
	Answer     string
	Points     float64
	MaxPoints  float64
	Correct    bool
	At         time.Time
	AttemptID  int64
}

// ClassAnswers returns every answer current members gave, oldest first,
// optionally for one module (moduleID 0 = all), in one query.
func (s *Store) ClassAnswers(ctx context.Context, classID, moduleID int64) ([]ClassAnswer, error) {
	var rows []struct {
		ID       int64
		UserID   int64
		ModuleID int64
		Answers  string
		At       time.Time
	}
	q := s.read(ctx).Table("attempts a").Select("a.id, a.user_id, a.module_id, a.answers, a.created_at AS at").
		Joins("JOIN class_members m ON m.user_id = a.user_id AND m.class_id = ?", classID)
	if moduleID != 0 {
		q = q.Where("a.module_id = ?", moduleID)
	}
	if err := q.Order("a.created_at, a.id").Find(&rows).Error; err != nil {
		return nil, err
	}
	var out []ClassAnswer
	for _, r := range rows {
		var answers []AttemptAnswer
		if err := json.Unmarshal([]byte(r.Answers), &answers); err != nil {
			return nil, fmt.Errorf("attempt %d answers: %w", r.ID, err)
		}
		for _, x := range answers {
			if x.Answer == "" {
				continue // left unanswered
			}
			out = append(out, ClassAnswer{UserID: r.UserID, ModuleID: r.ModuleID, QuestionID: x.QuestionID, Answer: x.Answer,
				Points: x.Points, MaxPoints: x.MaxPoints, Correct: x.Correct, At: r.At, AttemptID: r.ID})
		}
	}
	return out, nil
}
