package grading

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/readi-platform/readi/internal/model"
)

func TestGradeOrdering(t *testing.T) {
	runGradeCases(t, "q-order", []gradeCase{
		{name: "correct", answer: `["k","c","x"]`, points: 3, correct: true, answered: true, feedback: []fb{}},
		{name: "one in place", answer: `["c","k","x"]`, points: 1, answered: true,
			feedback: []fb{{ID: "c", Text: "Belongs in position 2 of 3.", Code: CodeWrongPosition, Params: map[string]int{"n": 2, "total": 3}}, {ID: "k", Text: "Belongs in position 1 of 3.", Code: CodeWrongPosition, Params: map[string]int{"n": 1, "total": 3}}}},
		{name: "none in place", answer: `["x","k","c"]`, points: 0, answered: true},
		{name: "unanswered", answer: "", feedback: []fb{}},
		{name: "string", answer: `"k"`, code: CodeAnswerShape},
		{name: "object", answer: `{"k":1}`, code: CodeAnswerShape},
		{name: "missing item", answer: `["k","c"]`, code: CodeAnswerInvalid},
		{name: "empty", answer: `[]`, code: CodeAnswerInvalid},
		{name: "duplicate", answer: `["k","c","c"]`, code: CodeAnswerInvalid},
		{name: "unknown item", answer: `["k","c","z"]`, code: CodeAnswerInvalid},
		{name: "extra item", answer: `["k","c","x","x"]`, code: CodeAnswerInvalid},
	})
}

func TestGradeMatching(t *testing.T) {
	runGradeCases(t, "q-match", []gradeCase{
		{name: "correct", answer: `{"l3":"rc","l1":"rb","l2":"ra"}`, points: 1, correct: true, answered: true,
			feedback: []fb{{ID: "l1", Correct: true, Text: "FB-pair-1"}, {ID: "l2", Correct: true, Text: "FB-pair-2"}, {ID: "l3", Correct: true, Text: "FB-pair-3"}}},
		{name: "partial matching", answer: `{"l1":"rb"}`, points: 0.33, answered: true,
			feedback: []fb{{ID: "l1", Correct: true, Text: "FB-pair-1"}}},
		{name: "one right one wrong", answer: `{"l2":"rc","l1":"rb"}`, points: 0.33, answered: true,
			feedback: []fb{{ID: "l1", Correct: true, Text: "FB-pair-1"}, {ID: "l2", Text: TextWrongPair, Code: CodeWrongPair}}},
		{name: "all wrong", answer: `{"l1":"ra","l2":"rc","l3":"rb"}`, points: 0, answered: true},
		{name: "empty object", answer: `{}`, points: 0, answered: true, feedback: []fb{}},
		{name: "unanswered", answer: "", feedback: []fb{}},
		{name: "list", answer: `["l1","rb"]`, code: CodeAnswerShape},
		{name: "number value", answer: `{"l1":1}`, code: CodeAnswerShape},
		{name: "null value", answer: `{"l1":null}`, code: CodeAnswerShape},
		{name: "null value beside unknown left", answer: `{"l9":"ra","l1":null}`, code: CodeAnswerShape},
		{name: "unknown left", answer: `{"l9":"ra"}`, code: CodeAnswerInvalid},
		{name: "right used as left", answer: `{"rb":"l1"}`, code: CodeAnswerInvalid},
		{name: "unknown right", answer: `{"l1":"r9"}`, code: CodeAnswerInvalid},
		{name: "right used twice", answer: `{"l1":"ra","l2":"ra"}`, code: CodeAnswerInvalid},
	})
}

func TestGradeScenario(t *testing.T) {
	runGradeCases(t, "q-scen", []gradeCase{
		{name: "best path", answer: `["c1","c3"]`, points: 1, correct: true, answered: true,
			feedback: []fb{{ID: "c1", Correct: true, Text: "FB-c1"}, {ID: "c3", Correct: true, Text: "FB-c3"}}},
		{name: "short ending", answer: `["c2"]`, points: 0.33, answered: true,
			feedback: []fb{{ID: "c2", Text: "FB-c2"}}},
		{name: "long worse path", answer: `["c1","c4","c5"]`, points: 0.33, answered: true,
			feedback: []fb{{ID: "c1", Correct: true, Text: "FB-c1"}, {ID: "c4", Text: "FB-c4"}, {ID: "c5", Correct: true, Text: "FB-c5"}}},
		{name: "stopped before an ending", answer: `["c1","c4"]`, points: 0.33, answered: true},
		{name: "stopped at the start", answer: `["c1"]`, points: 0, answered: true},
		{name: "empty path", answer: `[]`, points: 0, answered: true, feedback: []fb{}},
		{name: "unanswered", answer: "", feedback: []fb{}},
		{name: "string", answer: `"c1"`, code: CodeAnswerShape},
		{name: "object", answer: `{"start":"c1"}`, code: CodeAnswerShape},
		{name: "not from the start", answer: `["c3"]`, code: CodeAnswerInvalid},
		{name: "past an ending", answer: `["c2","c3"]`, code: CodeAnswerInvalid},
		{name: "skips a step", answer: `["c1","c5"]`, code: CodeAnswerInvalid},
		{name: "duplicate", answer: `["c1","c1"]`, code: CodeAnswerInvalid},
		{name: "unknown choice", answer: `["c9"]`, code: CodeAnswerInvalid},
	})
}

// A scenario whose content slipped past validation with a cycle must still
// grade in bounded time instead of recursing forever.
func TestGradeScenarioCycle(t *testing.T) {
	q := model.Question{ID: "loop", Type: model.Scenario, Steps: []model.Step{
		{ID: "a", Choices: []model.Choice{{ID: "x", Next: "b", Points: 1}, {ID: "end", Points: 1}}},
		{ID: "b", Choices: []model.Choice{{ID: "y", Next: "a", Points: 1}}},
	}}
	quiz := model.Quiz{Questions: []model.Question{q}}
	g, err := Grade(quiz, map[string]json.RawMessage{"loop": json.RawMessage(`["x","y","x"]`)})
	var ae *AnswerError
	if !errors.As(err, &ae) || ae.Code != CodeAnswerInvalid {
		t.Fatalf("Grade(cycle, repeated choice) = %+v, %v; want %s", g, err, CodeAnswerInvalid)
	}
	g, err = Grade(quiz, map[string]json.RawMessage{"loop": json.RawMessage(`["x","y"]`)})
	if err != nil || g.Score < 0 || g.Score > g.MaxScore {
		t.Fatalf("Grade(cycle, [x y]) = %+v, %v; want a score within 0..%v", g, err, g.MaxScore)
	}
}
