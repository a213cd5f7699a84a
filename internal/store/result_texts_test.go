package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
	"github.com/readi-platform/readi/internal/store/storetest"
)

func TestAttemptResultsKeepEveryTextStoringEachOnce(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newUser(t, s, "texts@example.org")
		if _, err := s.ImportPack(ctx, []model.Module{testModule("alpha", 1)}); err != nil {
			t.Fatal(err)
		}
		mods, _ := s.PublishedModules(ctx)
		long := "Right. A message that rushes you to click is the oldest trick there is: slow down, check, then act."
		explain := "Smishing is phishing by SMS. ภาษาไทย: อย่าคลิกลิงก์ในข้อความที่ไม่รู้จัก — and 'quotes' \"too\" <b>"
		results := []model.QuestionResult{
			{QuestionID: "alpha-q0", Correct: true, Points: 1, MaxPoints: 1, Answered: true, Explanation: explain,
				Feedback: []model.Feedback{{ID: "a", Correct: true, Text: long}, {ID: "b", Text: "Short, kept inline."}}},
			{QuestionID: "alpha-q1", Points: 0.5, MaxPoints: 1, Answered: true, Explanation: explain,
				Feedback: []model.Feedback{{ID: "s2", Text: "You missed 2 of the warning signs in this message, look again.", Code: "missed", Params: map[string]int{"n": 2}}}},
			{QuestionID: "alpha-q2", MaxPoints: 1, Feedback: []model.Feedback{}},
		}
		answers := []store.AttemptAnswer{
			{QuestionID: "alpha-q0", QuestionVersion: 1, Answer: `"a"`, Points: 1, MaxPoints: 1, Correct: true},
			{QuestionID: "alpha-q1", QuestionVersion: 1, Answer: `["s2"]`, Points: 0.5, MaxPoints: 1},
			{QuestionID: "alpha-q2", QuestionVersion: 1, MaxPoints: 1},
		}
		var saved []store.Attempt
		for _, key := range []string{"key-one-1", "key-two-2"} {
			a := store.Attempt{UserID: u.ID, ModuleID: mods[0].ID, IdempotencyKey: key, RequestHash: key, Score: 1.5, MaxScore: 3, Percent: 50}
			got, replayed, err := s.SaveAttempt(ctx, &a, results, nil, answers)
			if err != nil || replayed {
				t.Fatalf("SaveAttempt(%s) = %v, replayed %v", key, err, replayed)
			}
			saved = append(saved, got)
		}
		if row := saved[0].Results + saved[0].Answers; strings.Contains(row, "oldest trick") || strings.Contains(row, "Smishing") {
			t.Errorf("the attempt row repeats the long texts: %s", row)
		}
		if n, err := store.CountResultTexts(ctx, s); err != nil || n != 3 {
			t.Errorf("result_texts rows = %d, %v; want 3 (one detail per question, each once)", n, err)
		}
		// Another replica, or this one after a restart, reads the texts back
		// from the database.
		store.ForgetResultTexts(s)
		for _, a := range saved {
			stored, err := s.AttemptByKey(ctx, u.ID, a.IdempotencyKey)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.AttemptResults(ctx, stored)
			if err != nil || !reflect.DeepEqual(got, results) {
				t.Fatalf("AttemptResults = %+v, %v\nwant %+v", got, err, results)
			}
			scores := store.AttemptScores(stored)
			if len(scores) != 3 || scores[1].Points != 0.5 || !scores[0].Correct || scores[0].Explanation != "" {
				t.Errorf("AttemptScores = %+v, want the scores without looking texts up", scores)
			}
		}
		// The export carries the texts too.
		e, err := s.ExportUser(ctx, u.ID)
		if err != nil || len(e.Attempts) != 2 || !reflect.DeepEqual(e.Attempts[1].Results, results) {
			t.Fatalf("ExportUser attempts = %+v, %v", e.Attempts, err)
		}
		if saved[0].Results != "" {
			t.Errorf("a new row keeps results %q; they belong with its answers", saved[0].Results)
		}
		// A row written before migration 7 keeps its scores and references
		// in results, and only the answered questions in answers.
		var stored []store.AttemptAnswer
		if err := json.Unmarshal([]byte(saved[0].Answers), &stored); err != nil || len(stored) != 3 {
			t.Fatalf("answers column = %s, %v", saved[0].Answers, err)
		}
		legacy := saved[0]
		legacy.Results = fmt.Sprintf(`[{"q":"alpha-q0","c":true,"p":1,"m":1,"a":true,"d":%q},{"q":"alpha-q1","p":0.5,"m":1,"a":true,"d":%q},{"q":"alpha-q2","p":0,"m":1,"d":%q}]`,
			stored[0].Detail, stored[1].Detail, stored[2].Detail)
		legacy.Answers = `[{"q":"alpha-q0","v":1,"a":"\"a\"","p":1,"m":1,"c":true},{"q":"alpha-q1","v":1,"a":"[\"s2\"]","p":0.5,"m":1,"c":false}]`
		if got, err := s.AttemptResults(ctx, legacy); err != nil || !reflect.DeepEqual(got, results) {
			t.Errorf("AttemptResults(row before migration 7) = %+v, %v\nwant %+v", got, err, results)
		}
		// A row that refers to a text nobody stored is an error, not a blank,
		// in either layout.
		broken := saved[0]
		broken.Answers = `[{"q":"alpha-q0","v":1,"a":"true","p":1,"m":1,"d":"AAAAAAAAAAAAAAAA"}]`
		if _, err := s.AttemptResults(ctx, broken); err == nil {
			t.Error("AttemptResults(dangling reference) = nil error")
		}
		broken.Results = `[{"q":"alpha-q0","p":1,"m":1,"d":"AAAAAAAAAAAAAAAA"}]`
		if _, err := s.AttemptResults(ctx, broken); err == nil {
			t.Error("AttemptResults(dangling reference, before migration 7) = nil error")
		}
	})
}
