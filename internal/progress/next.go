package progress

import (
	"math"
	"time"

	"github.com/readi-platform/readi/internal/model"
)

// This file answers "what should I do next": the resume point of the report
// and the review queue.

// ReviewItem is a question to look at again.
type ReviewItem struct {
	ModuleSlug string    `json:"module_slug"`
	QuestionID string    `json:"question_id"`
	Fraction   float64   `json:"fraction"` // of the question's points earned last time, 0..1
	At         time.Time `json:"at"`       // when it was last answered
}

// ReviewQueue lists the questions of published quizzes whose latest
// answered result was not fully correct: newest attempt first, and within
// one attempt in quiz order, so the learner revisits what is freshest. A
// question answered right since drops out; one skipped since keeps its
// earlier result, as in the mastery figures. limit <= 0 means no limit.
func ReviewQueue(in Input, limit int) []ReviewItem {
	h := newHistory(in)
	modules := questionModules(in.Modules)
	out := []ReviewItem{}
	for ai := len(h.attempts) - 1; ai >= 0; ai-- {
		for ri, r := range h.attempts[ai].Results {
			l, ok := h.latest[r.QuestionID]
			if !ok || l.attempt != ai || l.result != ri || l.correct {
				continue
			}
			out = append(out, ReviewItem{
				ModuleSlug: modules[r.QuestionID],
				QuestionID: r.QuestionID,
				Fraction:   math.Round(l.fraction*100) / 100,
				At:         l.at.UTC(),
			})
			if limit > 0 && len(out) == limit {
				return out
			}
		}
	}
	return out
}

// resume picks where "continue" leads, in this order:
//  1. the first unread lesson of the most recently active unfinished module
//     (the learner is most likely to want to go on with what they just did);
//  2. else the quiz of the most recently active module whose lessons are all
//     read but whose quiz is not passed;
//  3. else the first lesson of the first module not started, in curriculum
//     order;
//  4. else nothing: every module is completed.
//
// Ties in recency go to the module earlier in the curriculum.
func resume(in Input, rows []ModuleProgress) *Resume {
	if i := mostRecent(rows, func(ModuleProgress) bool { return true }); i >= 0 {
		if l := firstUnread(in.Modules[i], in.Completed[rows[i].Slug]); l != "" {
			return &Resume{ModuleSlug: rows[i].Slug, LessonSlug: l, Kind: "lesson"}
		}
	}
	allRead := func(r ModuleProgress) bool { return r.LessonsCompleted == r.LessonCount }
	if i := mostRecent(rows, allRead); i >= 0 {
		return &Resume{ModuleSlug: rows[i].Slug, Kind: "quiz"}
	}
	for i, r := range rows {
		if r.Status != NotStarted {
			continue
		}
		if m := in.Modules[i]; len(m.Lessons) > 0 {
			return &Resume{ModuleSlug: r.Slug, LessonSlug: m.Lessons[0].Slug, Kind: "lesson"}
		}
		return &Resume{ModuleSlug: r.Slug, Kind: "quiz"}
	}
	return nil
}

// mostRecent returns the index of the in-progress row with the latest
// activity that also satisfies ok, or -1.
func mostRecent(rows []ModuleProgress, ok func(ModuleProgress) bool) int {
	best := -1
	for i, r := range rows {
		if r.Status != InProgress || !ok(r) {
			continue
		}
		if best < 0 || activity(r).After(activity(rows[best])) {
			best = i
		}
	}
	return best
}

func activity(r ModuleProgress) (t time.Time) {
	if r.LastActivity != nil {
		t = *r.LastActivity
	}
	return t
}

func firstUnread(m model.Module, read map[string]time.Time) string {
	for _, l := range m.Lessons {
		if _, ok := read[l.Slug]; !ok {
			return l.Slug
		}
	}
	return ""
}
