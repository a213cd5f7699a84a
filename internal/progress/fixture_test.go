package progress

import (
	"time"

	"github.com/readi-platform/readi/internal/model"
)

// at is a time on day d (1-based) of March 2025, UTC.
func at(d, hour, minute int) time.Time {
	return time.Date(2025, 3, d, hour, minute, 0, 0, time.UTC)
}

func lessons(slugs ...string) []model.Lesson {
	out := make([]model.Lesson, len(slugs))
	for i, s := range slugs {
		out[i] = model.Lesson{Slug: s, Title: s}
	}
	return out
}

func q(id string, values ...model.Value) model.Question {
	return model.Question{ID: id, Type: model.Single, Readi: values}
}

// testModules is a small curriculum: two computer modules, one content
// module and one cross-cutting module, nothing in the data category.
func testModules() []model.Module {
	return []model.Module{
		{Slug: "spot-the-scam", Title: "Spot the scam", Category: model.CategoryComputer, Lessons: lessons("l1", "l2"),
			Quiz: &model.Quiz{PassPercent: 70, Questions: []model.Question{
				q("q1", model.Discernment), q("q2", model.Responsibility, model.Discernment)}}},
		{Slug: "lock-your-accounts", Title: "Lock your accounts", Category: model.CategoryComputer, Lessons: lessons("a", "b", "c"),
			Quiz: &model.Quiz{PassPercent: 70, Questions: []model.Question{
				q("q3", model.Responsibility), q("q4", model.Integrity)}}},
		{Slug: "kind-online", Title: "Kind online", Category: model.CategoryContent, Lessons: lessons("k1"),
			Quiz: &model.Quiz{PassPercent: 70, Questions: []model.Question{q("q5", model.Empathy)}}},
		{Slug: "report-it", Title: "Report it", Category: model.CategoryCross, Lessons: lessons("r1", "r2"),
			Quiz: &model.Quiz{PassPercent: 70, Questions: []model.Question{q("q6", model.Authenticity)}}},
	}
}

// result is an answered result worth one point.
func result(id string, points float64) model.QuestionResult {
	return model.QuestionResult{QuestionID: id, Points: points, MaxPoints: 1, Answered: true, Correct: points == 1}
}

func skipped(id string) model.QuestionResult {
	return model.QuestionResult{QuestionID: id, MaxPoints: 1}
}

// testInput is a learner who finished spot-the-scam (failing, then passing
// its quiz), started lock-your-accounts, read all of kind-online, never
// opened report-it, and once touched a module that is no longer published.
// Attempts are deliberately out of time order.
func testInput() Input {
	bangkok := time.FixedZone("ICT", 7*3600)
	return Input{
		Modules: testModules(),
		Completed: map[string]map[string]time.Time{
			"spot-the-scam":      {"l1": at(1, 9, 0), "l2": time.Date(2025, 3, 1, 23, 30, 0, 0, bangkok)}, // day 1 in UTC
			"lock-your-accounts": {"a": time.Date(2025, 3, 3, 1, 0, 0, 0, bangkok)},                       // day 2 in UTC
			"kind-online":        {"k1": at(3, 8, 0)},
			"old-module":         {"x": at(4, 12, 0)},
		},
		Attempts: []AttemptSummary{
			{ModuleSlug: "lock-your-accounts", Percent: 50, At: at(2, 11, 0),
				Results: []model.QuestionResult{result("q3", 0), result("q4", 1)}},
			{ModuleSlug: "spot-the-scam", Percent: 25, At: at(1, 10, 0),
				Results: []model.QuestionResult{result("q1", 0), result("q2", 0.5)}},
			{ModuleSlug: "old-module", Percent: 100, Passed: true, At: at(4, 13, 0),
				Results: []model.QuestionResult{result("q99", 1)}},
			{ModuleSlug: "spot-the-scam", Percent: 75, Passed: true, At: at(2, 9, 0),
				Results: []model.QuestionResult{result("q1", 1), skipped("q2")}},
		},
	}
}

// withoutLesson returns in with one lesson reading removed.
func withoutLesson(in Input, module, lesson string) Input {
	c := map[string]map[string]time.Time{}
	for m, ls := range in.Completed {
		c[m] = map[string]time.Time{}
		for l, t := range ls {
			if m != module || l != lesson {
				c[m][l] = t
			}
		}
	}
	in.Completed = c
	return in
}
