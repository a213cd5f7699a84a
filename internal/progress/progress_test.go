package progress

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/readi-platform/readi/internal/model"
)

func tp(t time.Time) *time.Time { return &t }

func TestComputeModules(t *testing.T) {
	got := Compute(testInput()).Modules
	want := []ModuleProgress{
		{Slug: "spot-the-scam", Title: "Spot the scam", Category: model.CategoryComputer, LessonsCompleted: 2, LessonsDone: []string{"l1", "l2"}, LessonCount: 2,
			Attempts: 2, BestPercent: 75, LastPercent: 75, Passed: true, Status: Completed, LastActivity: tp(at(2, 9, 0))},
		{Slug: "lock-your-accounts", Title: "Lock your accounts", Category: model.CategoryComputer, LessonsCompleted: 1, LessonsDone: []string{"a"}, LessonCount: 3,
			Attempts: 1, BestPercent: 50, LastPercent: 50, Status: InProgress, LastActivity: tp(at(2, 18, 0))}, // lesson a, 01:00 ICT
		{Slug: "kind-online", Title: "Kind online", Category: model.CategoryContent, LessonsCompleted: 1, LessonsDone: []string{"k1"}, LessonCount: 1,
			Status: InProgress, LastActivity: tp(at(3, 8, 0))},
		{Slug: "report-it", Title: "Report it", Category: model.CategoryCross, LessonsDone: []string{}, LessonCount: 2, Status: NotStarted},
	}
	if len(got) != len(want) {
		t.Fatalf("Compute().Modules has %d rows, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		gt, wt := g.LastActivity, w.LastActivity
		g.LastActivity, w.LastActivity = nil, nil
		if !reflect.DeepEqual(g, w) || (gt == nil) != (wt == nil) || (gt != nil && (!gt.Equal(*wt) || gt.Location() != time.UTC)) {
			t.Errorf("Compute().Modules[%d] = %+v (last %v), want %+v (last %v)", i, g, gt, w, wt)
		}
	}
}

func TestModuleStatus(t *testing.T) {
	m := testModules()[0] // lessons l1, l2
	read := map[string]time.Time{"l1": at(1, 9, 0), "l2": at(1, 9, 5)}
	pass := AttemptSummary{Percent: 80, Passed: true, At: at(1, 10, 0)}
	fail := AttemptSummary{Percent: 40, At: at(1, 11, 0)}
	tests := []struct {
		name     string
		read     map[string]time.Time
		attempts []AttemptSummary
		want     Status
	}{
		{"nothing", nil, nil, NotStarted},
		{"only a removed lesson read", map[string]time.Time{"gone": at(1, 8, 0)}, nil, NotStarted},
		{"one lesson", map[string]time.Time{"l1": at(1, 9, 0)}, nil, InProgress},
		{"all lessons, no attempt", read, nil, InProgress},
		{"quiz passed, lessons unread", nil, []AttemptSummary{pass}, InProgress},
		{"all lessons, quiz failed", read, []AttemptSummary{fail}, InProgress},
		{"all lessons, passed then failed", read, []AttemptSummary{pass, fail}, Completed},
	}
	for _, tc := range tests {
		if got := moduleRow(m, tc.read, tc.attempts).Status; got != tc.want {
			t.Errorf("moduleRow(%s).Status = %s, want %s", tc.name, got, tc.want)
		}
	}
	row := moduleRow(m, read, []AttemptSummary{pass, fail})
	if row.BestPercent != 80 || row.LastPercent != 40 || !row.Passed {
		t.Errorf("moduleRow(pass, fail) = best %v last %v passed %v, want 80 40 true", row.BestPercent, row.LastPercent, row.Passed)
	}
	noQuiz := m
	noQuiz.Quiz = nil
	if got := moduleRow(noQuiz, read, nil).Status; got != Completed {
		t.Errorf("moduleRow(no quiz, all read).Status = %s, want %s", got, Completed)
	}
}

// Attempts at the same instant keep their input order, so "last" is the
// one the store listed last.
func TestComputeEqualTimes(t *testing.T) {
	in := Input{Modules: testModules()[:1], Attempts: []AttemptSummary{
		{ModuleSlug: "spot-the-scam", Percent: 10, At: at(1, 9, 0)},
		{ModuleSlug: "spot-the-scam", Percent: 90, At: at(1, 9, 0)},
		{ModuleSlug: "spot-the-scam", Percent: 30, At: at(1, 9, 0)},
	}}
	if got := Compute(in).Modules[0]; got.LastPercent != 30 || got.BestPercent != 90 {
		t.Errorf("Compute(equal times) = last %v best %v, want 30 90", got.LastPercent, got.BestPercent)
	}
}

func TestComputeReadi(t *testing.T) {
	// Latest answered: q1 1 (A2), q2 0.5 (A1; skipped in A2), q3 0, q4 1; q5, q6 never answered.
	want := []ValueMastery{
		{Value: model.Responsibility, Mastery: 25, Questions: 2, QuestionsTotal: 2}, // q2 0.5, q3 0
		{Value: model.Empathy, Mastery: 0, Questions: 0, QuestionsTotal: 1},
		{Value: model.Authenticity, Mastery: 0, Questions: 0, QuestionsTotal: 1},
		{Value: model.Discernment, Mastery: 75, Questions: 2, QuestionsTotal: 2}, // q1 1, q2 0.5
		{Value: model.Integrity, Mastery: 100, Questions: 1, QuestionsTotal: 1},
	}
	if got := Compute(testInput()).Readi; !reflect.DeepEqual(got, want) {
		t.Errorf("Compute().Readi = %+v, want %+v", got, want)
	}
}

// A later wrong answer replaces an earlier right one: mastery is what the
// learner knows now, not their best day.
func TestComputeReadiLatestWins(t *testing.T) {
	in := testInput()
	in.Attempts = append(in.Attempts, AttemptSummary{ModuleSlug: "spot-the-scam", At: at(5, 9, 0),
		Results: []model.QuestionResult{result("q1", 0), result("q2", 1)}})
	got := Compute(in).Readi[3] // discernment: q1 0, q2 1
	if got.Mastery != 50 || got.Questions != 2 {
		t.Errorf("Compute(after a new attempt).Readi[discernment] = %+v, want mastery 50 over 2", got)
	}
}

func TestComputeCategories(t *testing.T) {
	want := []CategoryProgress{
		{Category: model.CategoryData},
		{Category: model.CategoryComputer, Modules: 2, Completed: 1, Mastery: 62.5, Questions: 4, QuestionsTotal: 4},
		{Category: model.CategoryContent, Modules: 1, QuestionsTotal: 1},
		{Category: model.CategoryCross, Modules: 1, QuestionsTotal: 1},
	}
	if got := Compute(testInput()).Categories; !reflect.DeepEqual(got, want) {
		t.Errorf("Compute().Categories = %+v, want %+v", got, want)
	}
}

func TestComputeTotalsAndDays(t *testing.T) {
	r := Compute(testInput())
	// The unpublished module's attempt is not counted, but its day is.
	want := Totals{Modules: 4, ModulesCompleted: 1, Lessons: 8, LessonsCompleted: 4, Attempts: 3}
	if r.Totals != want {
		t.Errorf("Compute().Totals = %+v, want %+v", r.Totals, want)
	}
	if r.DaysActive != 4 {
		t.Errorf("Compute().DaysActive = %d, want 4 (1-4 March, UTC)", r.DaysActive)
	}
}

func TestComputeEmpty(t *testing.T) {
	r := Compute(Input{Modules: testModules()})
	if r.DaysActive != 0 || r.Totals.LessonsCompleted != 0 || r.Totals.Attempts != 0 || len(r.Readi) != 5 || len(r.Categories) != 4 {
		t.Errorf("Compute(no history) = %+v, want zero counts, 5 values, 4 categories", r)
	}
	for _, m := range r.Modules {
		if m.Status != NotStarted || m.LastActivity != nil {
			t.Errorf("Compute(no history) module %s = %s, last %v; want not_started, nil", m.Slug, m.Status, m.LastActivity)
		}
	}
	if b, _ := json.Marshal(Compute(Input{})); !strings.Contains(string(b), `"modules":[]`) {
		t.Errorf("Compute(Input{}) JSON = %s, want an empty modules list, not null", b)
	}
}

func TestReportJSON(t *testing.T) {
	b, err := json.Marshal(Compute(testInput()))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, key := range []string{`"modules":[{"slug":"spot-the-scam","title":"Spot the scam","category":"computer",` +
		`"lessons_completed":2,"lessons_done":["l1","l2"],"lesson_count":2,"attempts":2,"best_percent":75,"last_percent":75,"passed":true,` +
		`"status":"completed","last_activity":"2025-03-02T09:00:00Z"}`,
		`"last_activity":null}]`,
		`"readi":[{"value":"responsibility","mastery":25,"questions":2,"questions_total":2}`,
		`"categories":[{"category":"data","modules":0,"completed":0,"mastery":0,"questions":0,"questions_total":0}`,
		`"resume":{"module_slug":"kind-online","kind":"quiz"}`,
		`"days_active":4`,
		`"totals":{"modules":4,"modules_completed":1,"lessons":8,"lessons_completed":4,"attempts":3}`,
	} {
		if !strings.Contains(s, key) {
			t.Errorf("Compute() JSON = %s\nwant it to contain %s", s, key)
		}
	}
}
