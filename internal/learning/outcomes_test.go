package learning

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/readi-platform/readi/internal/grading"
	"github.com/readi-platform/readi/internal/model"
)

// The reply assembled from remembered outcomes must say exactly what
// encoding the whole result says.
func TestReplyFromOutcomesEqualsThePlainEncoding(t *testing.T) {
	quiz := model.Quiz{PassPercent: 50, Questions: []model.Question{
		{ID: "q1", Type: model.TrueFalse, Answer: ptr(true), Explanation: `True: a <b>bank</b> never asks for your PIN & OTP "by SMS".`},
		{ID: "q2", Type: model.TrueFalse, Answer: ptr(false), Explanation: "ภาษาไทย: อย่าโอนเงิน"},
	}}
	memo := &outcomes{}
	answers := map[string]json.RawMessage{"q1": json.RawMessage(`true`), "q2": json.RawMessage(`true`)}
	first, err := grading.GradeMemo(quiz, answers, memo)
	if err != nil {
		t.Fatal(err)
	}
	outs := memo.lookup(quiz, answers)
	if len(outs) != 2 {
		t.Fatalf("lookup after grading = %d outcomes, want 2", len(outs))
	}
	again, err := grading.GradeMemo(quiz, answers, memo)
	if err != nil || !reflect.DeepEqual(again, first) {
		t.Fatalf("grading from the memo = %+v, %v; want %+v", again, err, first)
	}
	if memo.lookup(quiz, map[string]json.RawMessage{"q1": json.RawMessage(`false`)}) != nil {
		t.Fatal("lookup of answers never graded returned outcomes")
	}

	res := AttemptResult{AttemptSummary: AttemptSummary{AttemptID: 7, QuizID: "spot-the-scam", Score: first.Score, MaxScore: first.MaxScore,
		Percent: first.Percent, Passed: first.Passed, CreatedAt: time.Date(2026, 11, 27, 9, 30, 0, 123, time.UTC)}, Results: first.Results}
	plain, err := res.Reply(json.Marshal)
	if err != nil {
		t.Fatal(err)
	}
	res.outcomes = outs
	for range 2 { // the second time from the cached encodings
		fast, err := res.Reply(json.Marshal)
		if err != nil {
			t.Fatal(err)
		}
		var a, b any
		if err := json.Unmarshal(plain, &a); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(fast, &b); err != nil {
			t.Fatalf("assembled reply is not JSON: %v\n%s", err, fast)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("assembled reply\n%s\nwant\n%s", fast, plain)
		}
	}
}

func TestOutcomesStopGrowingAtTheirBound(t *testing.T) {
	quiz := model.Quiz{Questions: []model.Question{{ID: "q1", Type: model.Single, Options: []model.Option{{ID: "a", Correct: true}, {ID: "b"}}}}}
	memo := &outcomes{}
	memo.n.Store(maxOutcomes)
	answers := map[string]json.RawMessage{"q1": json.RawMessage(`"a"`)}
	if _, err := grading.GradeMemo(quiz, answers, memo); err != nil {
		t.Fatal(err)
	}
	if memo.lookup(quiz, answers) != nil || memo.n.Load() != maxOutcomes {
		t.Fatalf("a full memo kept another outcome (n = %d)", memo.n.Load())
	}
}

func ptr[T any](v T) *T { return &v }
