package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm/clause"

	"github.com/readi-platform/readi/internal/model"
)

// Completion is a lesson a learner has read to the end.
type Completion struct {
	UserID      int64     `json:"user_id"`
	LessonID    int64     `json:"lesson_id"`
	ModuleID    int64     `json:"module_id"`
	CompletedAt time.Time `json:"completed_at"`
}

// CompleteLesson records that the user finished a lesson. Completing it
// again keeps the first time and is not an error.
func (s *Store) CompleteLesson(ctx context.Context, c Completion) (created bool, err error) {
	c.CompletedAt = time.Now().UTC()
	res := s.write(ctx).Table("lesson_completions").Clauses(clause.OnConflict{DoNothing: true}).Create(&c)
	return res.RowsAffected > 0, res.Error
}

// Completions lists a user's completed lessons.
func (s *Store) Completions(ctx context.Context, userID int64) ([]Completion, error) {
	var out []Completion
	err := s.read(ctx).Table("lesson_completions").Where("user_id = ?", userID).Order("completed_at").Find(&out).Error
	return out, err
}

// Attempt is one graded submission of a quiz.
type Attempt struct {
	ID             int64
	UserID         int64
	ModuleID       int64
	IdempotencyKey string
	RequestHash    string
	Score          float64
	MaxScore       float64
	Percent        float64
	Passed         bool
	// Results is empty in rows written since migration 7; older rows
	// keep their per-question scores here (JSON []storedResult).
	Results string
	// Answers is JSON []AttemptAnswer: every question of the quiz, with
	// the answer given, its scores and the reference of its feedback and
	// explanation. One column rather than a row per question keeps the hot
	// write small.
	Answers   string
	CreatedAt time.Time
}

// AttemptAnswer is one question of an attempt as its row keeps it: the
// answer (raw JSON, empty when the question was left unanswered), the
// question version it was graded against (for class analytics), the scores,
// and Detail, the reference of the graded feedback and explanation in
// result_texts (see result_texts.go).
type AttemptAnswer struct {
	QuestionID      string  `json:"q"`
	QuestionVersion int     `json:"v"`
	Answer          string  `json:"a,omitempty"`
	Points          float64 `json:"p"`
	MaxPoints       float64 `json:"m"`
	Correct         bool    `json:"c,omitempty"`
	Detail          string  `json:"d,omitempty"`
}

// ModuleProgress is a learner's running summary for one module's quiz.
type ModuleProgress struct {
	UserID        int64     `json:"user_id"`
	ModuleID      int64     `json:"module_id"`
	Attempts      int       `json:"attempts"`
	BestPercent   float64   `json:"best_percent"`
	LastPercent   float64   `json:"last_percent"`
	Passed        bool      `json:"passed"`
	LastAttemptID int64     `json:"last_attempt_id"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// ErrIdempotencyMismatch reports an Idempotency-Key reused with a
// different request body.
var ErrIdempotencyMismatch = errors.New("idempotency key reused with a different request")

// SaveAttempt stores a graded attempt, its answers and the learner's module
// progress atomically, exactly once per (user, idempotency key). When the
// key was seen before it stores nothing and returns the earlier attempt
// with replayed = true, so a retried submission is never counted twice,
// even when the retries race each other.
//
// Attempts are the write hot path, so they are group-committed: the
// submissions that arrive while a transaction is running are written
// together in the next one (see attemptWriter). It returns only once its
// attempt is committed.
//
// answers has one entry per question of the quiz. results, when not nil,
// are the graded results in the same order, and details their details
// from DetailOf (nil to have them computed here): each answer then refers
// to its result's detail, stored once in result_texts.
func (s *Store) SaveAttempt(ctx context.Context, a *Attempt, results []model.QuestionResult, details []ResultDetail, answers []AttemptAnswer) (saved Attempt, replayed bool, err error) {
	// Encoding happens here, on the caller's goroutine, so the single
	// writer does nothing but write.
	var texts map[string]string
	if a.Answers, texts, err = s.texts.compactAnswers(answers, results, details); err != nil {
		return saved, false, err
	}
	a.Results = ""
	a.CreatedAt = time.Now().UTC()
	return s.attempts.save(ctx, a, texts)
}

// AttemptByKey returns a user's attempt stored under an idempotency key.
func (s *Store) AttemptByKey(ctx context.Context, userID int64, key string) (Attempt, error) {
	var a Attempt
	err := s.read(ctx).Table("attempts").Where("user_id = ? AND idempotency_key = ?", userID, key).Take(&a).Error
	return a, notFound(err)
}

// Attempts lists a user's attempts, oldest first.
func (s *Store) Attempts(ctx context.Context, userID int64) ([]Attempt, error) {
	var out []Attempt
	err := s.read(ctx).Table("attempts").Where("user_id = ?", userID).Order("created_at, id").Find(&out).Error
	return out, err
}

// CountAttempts counts stored attempts, all or of one user (0 = all).
func (s *Store) CountAttempts(ctx context.Context, userID int64) (int64, error) {
	var n int64
	q := s.read(ctx).Table("attempts")
	if userID != 0 {
		q = q.Where("user_id = ?", userID)
	}
	return n, q.Count(&n).Error
}

// Progress lists a user's module summaries.
func (s *Store) Progress(ctx context.Context, userID int64) ([]ModuleProgress, error) {
	var out []ModuleProgress
	err := s.read(ctx).Table("module_progress").Where("user_id = ?", userID).Find(&out).Error
	return out, err
}

// UserExport is everything READI holds about one user.
type UserExport struct {
	User        model.User       `json:"user"`
	Completions []Completion     `json:"lesson_completions"`
	Attempts    []ExportAttempt  `json:"attempts"`
	Progress    []ModuleProgress `json:"module_progress"`
}

// ExportAttempt is an attempt with its results decoded.
type ExportAttempt struct {
	ID        int64                  `json:"id"`
	ModuleID  int64                  `json:"module_id"`
	Score     float64                `json:"score"`
	MaxScore  float64                `json:"max_score"`
	Percent   float64                `json:"percent"`
	Passed    bool                   `json:"passed"`
	Results   []model.QuestionResult `json:"results"`
	CreatedAt time.Time              `json:"created_at"`
}

// ExportUser gathers a user's data for GET /api/v1/me/export.
func (s *Store) ExportUser(ctx context.Context, userID int64) (UserExport, error) {
	var e UserExport
	var err error
	if e.User, err = s.UserByID(ctx, userID); err != nil {
		return e, err
	}
	if e.Completions, err = s.Completions(ctx, userID); err != nil {
		return e, err
	}
	attempts, err := s.Attempts(ctx, userID)
	if err != nil {
		return e, err
	}
	e.Attempts = make([]ExportAttempt, 0, len(attempts))
	for _, a := range attempts {
		x := ExportAttempt{ID: a.ID, ModuleID: a.ModuleID, Score: a.Score, MaxScore: a.MaxScore, Percent: a.Percent, Passed: a.Passed, CreatedAt: a.CreatedAt}
		if x.Results, err = s.AttemptResults(ctx, a); err != nil {
			return e, err
		}
		e.Attempts = append(e.Attempts, x)
	}
	e.Progress, err = s.Progress(ctx, userID)
	return e, err
}
