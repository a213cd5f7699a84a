// Package grading scores quiz attempts and builds the learner-facing view of
// a quiz. It is pure (no I/O, no clock, no process-wide randomness) so the
// API can cache what it returns and tests need nothing but values.
package grading

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"

	"github.com/readi-platform/readi/internal/model"
)

// Error codes of an AnswerError. They double as translation keys (design
// section 4), so they are part of the API contract.
const (
	CodeQuestionUnknown = "attempt.question_unknown" // the question id is not in the quiz
	CodeAnswerShape     = "attempt.answer_shape"     // wrong JSON type for the question type
	CodeAnswerInvalid   = "attempt.answer_invalid"   // right shape, but ids or a path the question does not allow
)

// AnswerError is a learner mistake in an attempt body, not a server fault:
// the API answers it with 422 and names the question.
type AnswerError struct {
	QuestionID string
	Code       string
}

func (e *AnswerError) Error() string {
	switch e.Code {
	case CodeQuestionUnknown:
		return fmt.Sprintf("question %q is not in this quiz", e.QuestionID)
	case CodeAnswerShape:
		return fmt.Sprintf("answer to question %q has the wrong shape", e.QuestionID)
	default:
		return fmt.Sprintf("answer to question %q is not valid for that question", e.QuestionID)
	}
}

func shapeError(q model.Question) error {
	return &AnswerError{QuestionID: q.ID, Code: CodeAnswerShape}
}

func invalidError(q model.Question) error {
	return &AnswerError{QuestionID: q.ID, Code: CodeAnswerInvalid}
}

// fullMarks is how close to 1 a fraction must be to count as correct: a
// scenario's path and best path add the same points in different orders.
const fullMarks = 1 - 1e-9

// Grade scores every question of quiz against answers (question id → the
// answer JSON of its type). A question without an answer, or with JSON null,
// scores 0 and is reported as not answered. Any other non-null value is an
// answer, even an empty list.
//
// Feedback.Correct says whether the learner handled that id rightly: a
// wrong option picked and a correct option missed are both false; the client
// knows which ids it sent, so it can tell the two apart.
//
// The first problem found is returned as an *AnswerError: an unknown
// question id first (the smallest, so the error is deterministic), then the
// quiz's questions in order. A question of a type the grader does not know
// is a content bug and returns a plain error.
func Grade(quiz model.Quiz, answers map[string]json.RawMessage) (model.Grade, error) {
	return GradeMemo(quiz, answers, nil)
}

// Memo remembers graded questions. A question's result is a function of
// the question and the answer's bytes alone, so a caller that holds the
// quiz fixed (a content snapshot) can keep results and skip grading an
// answer it has seen: most learners give the same few answers. Both
// methods must be safe for concurrent use; Put may decline to keep a
// result (to bound its size). Results are shared: nobody may modify one.
type Memo interface {
	Get(q *model.Question, raw json.RawMessage) (model.QuestionResult, bool)
	Put(q *model.Question, raw json.RawMessage, r model.QuestionResult)
}

// GradeMemo is Grade consulting memo (nil: none) for each question.
func GradeMemo(quiz model.Quiz, answers map[string]json.RawMessage, memo Memo) (model.Grade, error) {
	if id, ok := unknownQuestion(quiz, answers); ok {
		return model.Grade{}, &AnswerError{QuestionID: id, Code: CodeQuestionUnknown}
	}
	g := model.Grade{Results: make([]model.QuestionResult, 0, len(quiz.Questions))}
	for i := range quiz.Questions {
		q := &quiz.Questions[i]
		raw := answers[q.ID]
		r, ok := model.QuestionResult{}, false
		if memo != nil {
			r, ok = memo.Get(q, raw)
		}
		if !ok {
			var err error
			if r, err = gradeQuestion(*q, raw); err != nil {
				return model.Grade{}, err
			}
			if memo != nil {
				memo.Put(q, raw, r)
			}
		}
		g.Results = append(g.Results, r)
		g.Score += r.Points
		g.MaxScore += r.MaxPoints
	}
	g.Score = round(g.Score, 2)
	g.MaxScore = round(g.MaxScore, 2)
	if g.MaxScore > 0 {
		g.Percent = round(g.Score/g.MaxScore*100, 1)
	}
	g.Passed = g.Percent >= float64(quiz.PassPercent)
	return g, nil
}

// unknownQuestion finds the smallest answered id that is not a question of
// quiz, without sorting (Grade is the write hot path).
func unknownQuestion(quiz model.Quiz, answers map[string]json.RawMessage) (string, bool) {
	var first string
	found := false
	for id := range answers {
		if hasQuestion(quiz, id) {
			continue
		}
		if !found || id < first {
			first, found = id, true
		}
	}
	return first, found
}

func hasQuestion(quiz model.Quiz, id string) bool {
	for i := range quiz.Questions {
		if quiz.Questions[i].ID == id {
			return true
		}
	}
	return false
}

// scorer grades one answered question: the fraction of its weight earned
// (clamped to 0..1 by the caller) and the feedback entries to show.
type scorer func(q model.Question, raw json.RawMessage) (float64, []model.Feedback, error)

func scorerFor(t model.QuestionType) scorer {
	switch t {
	case model.Single:
		return gradeSingle
	case model.Multiple:
		return gradeMultiple
	case model.TrueFalse:
		return gradeTrueFalse
	case model.Ordering:
		return gradeOrdering
	case model.Matching:
		return gradeMatching
	case model.RedFlags:
		return gradeRedFlags
	case model.Scenario:
		return gradeScenario
	}
	return nil
}

func gradeQuestion(q model.Question, raw json.RawMessage) (model.QuestionResult, error) {
	r := model.QuestionResult{
		QuestionID:  q.ID,
		MaxPoints:   round(q.Weight(), 2),
		Feedback:    []model.Feedback{},
		Explanation: q.Explanation,
	}
	score := scorerFor(q.Type)
	if score == nil {
		return r, fmt.Errorf("grading: question %q has unknown type %q", q.ID, q.Type)
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return r, nil
	}
	f, fb, err := score(q, raw)
	if err != nil {
		return r, err
	}
	f = max(0, min(1, f))
	if math.IsNaN(f) {
		f = 0
	}
	r.Answered = true
	r.Correct = f >= fullMarks
	r.Points = round(f*q.Weight(), 2)
	if r.Correct {
		r.Points = r.MaxPoints
	}
	if fb != nil {
		r.Feedback = fb
	}
	return r, nil
}

// round rounds x to the given number of decimals, so scores read the same in
// JSON, in the database and in a CSV export.
func round(x float64, decimals int) float64 {
	p := math.Pow10(decimals)
	return math.Round(x*p) / p
}

// decodeID reads a single id answer ("a").
func decodeID(raw json.RawMessage) (string, bool) {
	var s string
	if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// decodeIDs reads a list of ids (["a","c"]); a null inside the list is the
// wrong shape, not an empty id.
func decodeIDs(raw json.RawMessage) ([]string, bool) {
	var ps []*string
	if raw[0] != '[' || json.Unmarshal(raw, &ps) != nil {
		return nil, false
	}
	ids := make([]string, len(ps))
	for i, p := range ps {
		if p == nil {
			return nil, false
		}
		ids[i] = *p
	}
	return ids, true
}

// distinct reports whether ids holds no id twice. A list longer than limit
// (the number of ids the question has) must repeat one, which keeps the
// quadratic check cheap even for a hostile multi-megabyte answer.
func distinct(ids []string, limit int) bool {
	if len(ids) > limit {
		return false
	}
	for i := range ids {
		for j := i + 1; j < len(ids); j++ {
			if ids[i] == ids[j] {
				return false
			}
		}
	}
	return true
}
