package grading

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/readi-platform/readi/internal/model"
)

// Every secret text of the fixture carries one of these markers, so a test
// can assert that none of them reaches a learner before grading.
var secretMarkers = []string{"FB-", "WHY-", "EXPL-"}

func ptr[T any](v T) *T { return &v }

// testQuiz holds one question of every type. Its texts are unique so
// feedback can be traced back to the part that produced it.
func testQuiz() model.Quiz {
	disc := []model.Value{model.Discernment}
	return model.Quiz{PassPercent: 70, Questions: []model.Question{
		{ID: "q-single", Type: model.Single, Readi: disc, Points: 2, Prompt: "Which link is safe?", Explanation: "EXPL-single",
			Options: []model.Option{
				{ID: "a", Text: "bit.ly/x", Feedback: "FB-single-a"},
				{ID: "b", Text: "the bank's own app", Correct: true, Feedback: "FB-single-b"},
				{ID: "c", Text: "the SMS link", Feedback: "FB-single-c"},
			}},
		{ID: "q-multi", Type: model.Multiple, Readi: []model.Value{model.Responsibility, model.Discernment}, Prompt: "Signs of phishing?", Explanation: "EXPL-multi",
			Options: []model.Option{
				{ID: "a", Text: "urgency", Correct: true, Feedback: "FB-multi-a"},
				{ID: "b", Text: "your name", Feedback: "FB-multi-b"},
				{ID: "c", Text: "odd sender", Correct: true, Feedback: "FB-multi-c"},
				{ID: "d", Text: "a logo", Feedback: "FB-multi-d"},
			}},
		{ID: "q-tf", Type: model.TrueFalse, Readi: []model.Value{model.Authenticity}, Prompt: "Banks ask for your OTP.", Explanation: "EXPL-tf",
			Answer: ptr(false), FeedbackTrue: "FB-tf-true", FeedbackFalse: "FB-tf-false"},
		{ID: "q-order", Type: model.Ordering, Readi: []model.Value{model.Responsibility}, Points: 3, Prompt: "Order the steps.", Explanation: "EXPL-order",
			Items: []model.Item{{ID: "k", Text: "stop"}, {ID: "c", Text: "check"}, {ID: "x", Text: "report"}}},
		{ID: "q-match", Type: model.Matching, Readi: []model.Value{model.Integrity}, Prompt: "Match the terms.", Explanation: "EXPL-match",
			Pairs: []model.Pair{
				{Left: model.Item{ID: "l1", Text: "phishing"}, Right: model.Item{ID: "rb", Text: "fake message"}, Feedback: "FB-pair-1"},
				{Left: model.Item{ID: "l2", Text: "mule"}, Right: model.Item{ID: "ra", Text: "moves money"}, Feedback: "FB-pair-2"},
				{Left: model.Item{ID: "l3", Text: "malware"}, Right: model.Item{ID: "rc", Text: "bad software"}, Feedback: "FB-pair-3"},
			}},
		{ID: "q-flags", Type: model.RedFlags, Readi: disc, Prompt: "Mark the warning signs.", Explanation: "EXPL-flags",
			Message: &model.Message{Channel: "sms", Sender: "+63 917 555 0142", Segments: []model.Segment{
				{ID: "s1", Text: "Your parcel is on hold."},
				{ID: "s2", Text: "Pay PHP 35 within 2 hours", Flag: true, Why: "WHY-s2"},
				{ID: "s3", Text: "Thank you."},
				{ID: "s4", Text: "at lbc-parcel.top", Flag: true, Why: "WHY-s4"},
			}}},
		{ID: "q-scen", Type: model.Scenario, Readi: []model.Value{model.Empathy}, Prompt: "A friend is being bullied.", Explanation: "EXPL-scen",
			Steps: []model.Step{
				{ID: "start", Text: "You see the post.", Choices: []model.Choice{
					{ID: "c1", Text: "message your friend", Next: "s2", Feedback: "FB-c1"},
					{ID: "c2", Text: "scroll on", Points: 1, Feedback: "FB-c2"},
				}},
				{ID: "s2", Text: "Your friend is upset.", Choices: []model.Choice{
					{ID: "c3", Text: "help them report it", Points: 3, Feedback: "FB-c3"},
					{ID: "c4", Text: "reply to the bully", Next: "s3", Points: 1, Feedback: "FB-c4"},
				}},
				{ID: "s3", Text: "It gets worse.", Choices: []model.Choice{
					{ID: "c5", Text: "log off", Feedback: "FB-c5"},
				}},
			}},
	}}
}

// question returns the fixture question with the given id.
func question(t testing.TB, id string) model.Question {
	t.Helper()
	for _, q := range testQuiz().Questions {
		if q.ID == id {
			return q
		}
	}
	t.Fatalf("no fixture question %q", id)
	return model.Question{}
}

// gradeCase is one answer to one fixture question and what grading it must
// give: either an error code or the result.
type gradeCase struct {
	name     string
	answer   string // raw JSON; "" means the key is absent
	code     string
	points   float64
	correct  bool
	answered bool
	feedback []model.Feedback // nil: not checked
}

// runGradeCases grades each case as a one-question quiz and compares.
func runGradeCases(t *testing.T, id string, cases []gradeCase) {
	t.Helper()
	q := question(t, id)
	quiz := model.Quiz{PassPercent: 50, Questions: []model.Question{q}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			answers := map[string]json.RawMessage{}
			if tc.answer != "" {
				answers[id] = json.RawMessage(tc.answer)
			}
			g, err := Grade(quiz, answers)
			if tc.code != "" {
				var ae *AnswerError
				if !errors.As(err, &ae) || ae.Code != tc.code || ae.QuestionID != id {
					t.Fatalf("Grade(%s: %s) error = %v, want *AnswerError %s", id, tc.answer, err, tc.code)
				}
				return
			}
			if err != nil {
				t.Fatalf("Grade(%s: %s) error = %v, want nil", id, tc.answer, err)
			}
			r := g.Results[0]
			got := fmt.Sprintf("points=%v correct=%v answered=%v max=%v", r.Points, r.Correct, r.Answered, r.MaxPoints)
			want := fmt.Sprintf("points=%v correct=%v answered=%v max=%v", tc.points, tc.correct, tc.answered, q.Weight())
			if got != want {
				t.Errorf("Grade(%s: %s) = %s, want %s", id, tc.answer, got, want)
			}
			if r.Explanation != q.Explanation {
				t.Errorf("Grade(%s: %s) explanation = %q, want %q", id, tc.answer, r.Explanation, q.Explanation)
			}
			if tc.feedback != nil && !reflect.DeepEqual(r.Feedback, tc.feedback) {
				t.Errorf("Grade(%s: %s) feedback = %+v, want %+v", id, tc.answer, r.Feedback, tc.feedback)
			}
			if r.Feedback == nil {
				t.Errorf("Grade(%s: %s) feedback is nil, want a list (JSON [])", id, tc.answer)
			}
		})
	}
}
