package grading

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/readi-platform/readi/internal/model"
)

// FuzzGrade feeds arbitrary attempt bodies to Grade: it must never panic,
// and must either refuse the body with an *AnswerError or return a score
// within 0..MaxScore whose results follow the quiz.
func FuzzGrade(f *testing.F) {
	seeds := []string{
		`{"answers":{"q-single":"b","q-multi":["a","c"],"q-tf":false,"q-order":["k","c","x"],` +
			`"q-match":{"l1":"rb","l2":"ra","l3":"rc"},"q-flags":["s2","s4"],"q-scen":["c1","c3"]}}`,
		`{"answers":{"q-single":"a","q-multi":["b","d"],"q-tf":true,"q-order":["x","k","c"],` +
			`"q-match":{"l1":"ra"},"q-flags":["s1"],"q-scen":["c1","c4"]}}`,
		`{"answers":{"q-single":null,"q-multi":[],"q-match":{},"q-flags":[],"q-scen":[]}}`,
		`{"answers":{"q-single":["b"]}}`,
		`{"answers":{"q-multi":["a","a"]}}`,
		`{"answers":{"q-multi":["a",null]}}`,
		`{"answers":{"q-tf":"true"}}`,
		`{"answers":{"q-order":["k","c"]}}`,
		`{"answers":{"q-order":["k","c","z"]}}`,
		`{"answers":{"q-match":{"l1":"ra","l2":"ra"}}}`,
		`{"answers":{"q-match":{"l1":null}}}`,
		`{"answers":{"q-match":["l1"]}}`,
		`{"answers":{"q-flags":["s2","s2"]}}`,
		`{"answers":{"q-flags":"s2"}}`,
		`{"answers":{"q-scen":["c2","c3"]}}`,
		`{"answers":{"q-scen":["c3"]}}`,
		`{"answers":{"q-scen":{"start":"c1"}}}`,
		`{"answers":{"nope":1}}`,
		`{"answers":{}}`,
		`{}`,
		`not json`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	quiz := testQuiz()
	f.Fuzz(func(t *testing.T, body []byte) {
		var req struct {
			Answers map[string]json.RawMessage `json:"answers"`
		}
		if json.Unmarshal(body, &req) != nil {
			return
		}
		g, err := Grade(quiz, req.Answers)
		if err != nil {
			var ae *AnswerError
			if !errors.As(err, &ae) {
				t.Fatalf("Grade(%s) error = %v (%T), want *AnswerError", body, err, err)
			}
			return
		}
		if err := checkGrade(quiz, g); err != nil {
			t.Fatalf("Grade(%s) = %+v: %v", body, g, err)
		}
	})
}

// checkGrade reports what is inconsistent in g as a grade of quiz.
func checkGrade(quiz model.Quiz, g model.Grade) error {
	if !(g.Score >= 0 && g.Score <= g.MaxScore) {
		return fmt.Errorf("score %v outside 0..%v", g.Score, g.MaxScore)
	}
	if !(g.Percent >= 0 && g.Percent <= 100) {
		return fmt.Errorf("percent %v outside 0..100", g.Percent)
	}
	if len(g.Results) != len(quiz.Questions) {
		return fmt.Errorf("%d results for %d questions", len(g.Results), len(quiz.Questions))
	}
	for i, r := range g.Results {
		if r.QuestionID != quiz.Questions[i].ID || r.Points < 0 || r.Points > r.MaxPoints ||
			(r.Correct && (r.Points != r.MaxPoints || !r.Answered)) ||
			(!r.Answered && r.Points != 0) || r.Feedback == nil {
			return fmt.Errorf("result %d inconsistent: %+v", i, r)
		}
	}
	return nil
}

// BenchmarkGrade grades a 12-question quiz holding every type, answered in
// full with partly wrong answers: the shape of a real submission.
func BenchmarkGrade(b *testing.B) {
	base := testQuiz()
	raw := map[string]string{
		"q-single": `"a"`, "q-multi": `["a","b"]`, "q-tf": `false`, "q-order": `["c","k","x"]`,
		"q-match": `{"l1":"rb","l2":"rc","l3":"ra"}`, "q-flags": `["s2","s1"]`, "q-scen": `["c1","c4","c5"]`,
	}
	quiz := model.Quiz{PassPercent: 70}
	ans := map[string]json.RawMessage{}
	for i := 0; len(quiz.Questions) < 12; i++ {
		q := base.Questions[i%len(base.Questions)]
		a := raw[q.ID]
		q.ID = fmt.Sprintf("%s-%d", q.ID, i)
		quiz.Questions = append(quiz.Questions, q)
		ans[q.ID] = json.RawMessage(a)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Grade(quiz, ans); err != nil {
			b.Fatal(err)
		}
	}
}
