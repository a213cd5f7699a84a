package grading

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/readi-platform/readi/internal/model"
)

// answers builds an attempt body's answers from id/JSON pairs.
func answers(kv ...string) map[string]json.RawMessage {
	m := make(map[string]json.RawMessage, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = json.RawMessage(kv[i+1])
	}
	return m
}

// perfect answers every fixture question correctly.
var perfect = []string{
	"q-single", `"b"`, "q-multi", `["a","c"]`, "q-tf", `false`, "q-order", `["k","c","x"]`,
	"q-match", `{"l1":"rb","l2":"ra","l3":"rc"}`, "q-flags", `["s2","s4"]`, "q-scen", `["c1","c3"]`,
}

func TestGradeQuiz(t *testing.T) {
	// Weights: single 2, ordering 3, the other five 1: max 10.
	tests := []struct {
		name    string
		answers map[string]json.RawMessage
		score   float64
		percent float64
		passed  bool
	}{
		{"perfect", answers(perfect...), 10, 100, true},
		{"nothing answered", answers(), 0, 0, false},
		{"all null", answers("q-single", "null", "q-scen", "null"), 0, 0, false},
		// 2 + 0.5 + 1 + 1 (one item in place) + 0.33 + 0.5 + 1 = 6.33
		{"partial", answers("q-single", `"b"`, "q-multi", `["a"]`, "q-tf", `false`, "q-order", `["c","k","x"]`,
			"q-match", `{"l1":"rb"}`, "q-flags", `["s2"]`, "q-scen", `["c1","c3"]`), 6.33, 63.3, false},
		// 2 + 1 + 3 + 1 = 7 of 10: exactly the pass mark.
		{"at the pass mark", answers("q-single", `"b"`, "q-tf", `false`, "q-order", `["k","c","x"]`, "q-flags", `["s2","s4"]`), 7, 70, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, err := Grade(testQuiz(), tc.answers)
			if err != nil {
				t.Fatalf("Grade() error = %v", err)
			}
			if g.Score != tc.score || g.MaxScore != 10 || g.Percent != tc.percent || g.Passed != tc.passed {
				t.Errorf("Grade() = score %v/%v, %v%%, passed %v; want %v/10, %v%%, passed %v",
					g.Score, g.MaxScore, g.Percent, g.Passed, tc.score, tc.percent, tc.passed)
			}
			qs := testQuiz().Questions
			if len(g.Results) != len(qs) {
				t.Fatalf("Grade() gave %d results, want %d", len(g.Results), len(qs))
			}
			for i, r := range g.Results {
				if r.QuestionID != qs[i].ID {
					t.Errorf("result %d is %q, want %q (quiz order)", i, r.QuestionID, qs[i].ID)
				}
				if r.Explanation == "" {
					t.Errorf("result %q has no explanation", r.QuestionID)
				}
				_, sent := tc.answers[r.QuestionID]
				if r.Answered && !sent {
					t.Errorf("result %q answered without an answer", r.QuestionID)
				}
			}
		})
	}
}

func TestGradeErrors(t *testing.T) {
	tests := []struct {
		name    string
		answers map[string]json.RawMessage
		id      string
		code    string
	}{
		{"unknown question", answers("q-single", `"b"`, "nope", `"a"`), "nope", CodeQuestionUnknown},
		{"smallest unknown question wins", answers("zz", `1`, "aa", `1`, "q-tf", `true`), "aa", CodeQuestionUnknown},
		{"unknown before bad shape", answers("q-tf", `"x"`, "nope", `1`), "nope", CodeQuestionUnknown},
		{"first bad question in quiz order", answers("q-scen", `1`, "q-multi", `["z"]`), "q-multi", CodeAnswerInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, err := Grade(testQuiz(), tc.answers)
			var ae *AnswerError
			if !errors.As(err, &ae) || ae.QuestionID != tc.id || ae.Code != tc.code {
				t.Fatalf("Grade() = %+v, %v; want AnswerError{%s %s}", g, err, tc.id, tc.code)
			}
			if msg := ae.Error(); msg != strings.ToLower(msg[:1])+msg[1:] || !strings.Contains(msg, tc.id) {
				t.Errorf("Error() = %q, want lower-case and naming %q", msg, tc.id)
			}
		})
	}
}

func TestAnswerErrorMessages(t *testing.T) {
	for _, code := range []string{CodeQuestionUnknown, CodeAnswerShape, CodeAnswerInvalid} {
		msg := (&AnswerError{QuestionID: "q1", Code: code}).Error()
		if msg == "" || strings.ToLower(msg[:1]) != msg[:1] || !strings.Contains(msg, `"q1"`) {
			t.Errorf("AnswerError{q1 %s}.Error() = %q, want lower-case text naming q1", code, msg)
		}
	}
}

func TestGradeUnknownType(t *testing.T) {
	quiz := model.Quiz{Questions: []model.Question{{ID: "q", Type: "essay"}}}
	_, err := Grade(quiz, nil)
	var ae *AnswerError
	if err == nil || errors.As(err, &ae) {
		t.Fatalf("Grade(essay) error = %v, want a plain (server) error", err)
	}
}

func TestGradeWeights(t *testing.T) {
	q := question(t, "q-multi")
	q.Points = 1.5
	quiz := model.Quiz{PassPercent: 50, Questions: []model.Question{q}}
	g, err := Grade(quiz, answers("q-multi", `["a"]`))
	if err != nil {
		t.Fatal(err)
	}
	// Half of 1.5 is 0.75; 0.75/1.5 is 50%.
	if g.Score != 0.75 || g.MaxScore != 1.5 || g.Percent != 50 || !g.Passed {
		t.Errorf("Grade(weight 1.5, half right) = %v/%v %v%% passed %v, want 0.75/1.5 50%% true",
			g.Score, g.MaxScore, g.Percent, g.Passed)
	}
}

// Content validation should stop these, but a grader fed a broken quiz must
// still answer within 0..MaxScore rather than panic or return NaN.
func TestGradeMalformedContent(t *testing.T) {
	quiz := model.Quiz{PassPercent: 50, Questions: []model.Question{
		{ID: "no-message", Type: model.RedFlags},
		{ID: "no-correct", Type: model.Multiple, Options: []model.Option{{ID: "a"}}},
		{ID: "no-steps", Type: model.Scenario},
		{ID: "no-points", Type: model.Scenario, Steps: []model.Step{{ID: "s", Choices: []model.Choice{{ID: "c", Next: "missing"}}}}},
		{ID: "no-key", Type: model.TrueFalse},
	}}
	g, err := Grade(quiz, answers("no-message", `[]`, "no-correct", `["a"]`, "no-steps", `[]`, "no-points", `["c"]`, "no-key", `false`))
	if err != nil {
		t.Fatalf("Grade(malformed quiz) error = %v", err)
	}
	if err := checkGrade(quiz, g); err != nil {
		t.Errorf("Grade(malformed quiz) = %+v: %v", g, err)
	}
	for _, bad := range []map[string]json.RawMessage{answers("no-message", `["s1"]`), answers("no-steps", `["c"]`)} {
		var ae *AnswerError
		if _, err := Grade(quiz, bad); !errors.As(err, &ae) || ae.Code != CodeAnswerInvalid {
			t.Errorf("Grade(malformed quiz, %s) error = %v, want %s", bad, err, CodeAnswerInvalid)
		}
	}
}
