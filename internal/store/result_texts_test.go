package store_test

import (
	"context"
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
		var saved []store.Attempt
		for _, key := range []string{"key-one-1", "key-two-2"} {
			a := store.Attempt{UserID: u.ID, ModuleID: mods[0].ID, IdempotencyKey: key, RequestHash: key, Score: 1.5, MaxScore: 3, Percent: 50}
			got, replayed, err := s.SaveAttempt(ctx, &a, results, nil, nil)
			if err != nil || replayed {
				t.Fatalf("SaveAttempt(%s) = %v, replayed %v", key, err, replayed)
			}
			saved = append(saved, got)
		}
		if strings.Contains(saved[0].Results, "oldest trick") || strings.Contains(saved[0].Results, "Smishing") {
			t.Errorf("the attempt row repeats the long texts: %s", saved[0].Results)
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
		// A row that refers to a text nobody stored is an error, not a blank.
		broken := saved[0]
		broken.Results = `[{"q":"alpha-q0","p":1,"m":1,"d":"AAAAAAAAAAAAAAAA"}]`
		if _, err := s.AttemptResults(ctx, broken); err == nil {
			t.Error("AttemptResults(dangling reference) = nil error")
		}
	})
}
