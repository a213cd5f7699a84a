package progress

import (
	"sort"
	"time"

	"github.com/readi-platform/readi/internal/model"
)

// history is the learner's attempts put in time order, and what that order
// says about each question.
type history struct {
	attempts []AttemptSummary            // oldest first; equal times keep input order
	byModule map[string][]AttemptSummary // slug → its attempts, oldest first
	latest   map[string]latestResult     // question id → latest answered result
}

// latestResult is the newest answered result of one question. attempt and
// result locate it in history.attempts so the review queue can follow the
// attempts' order.
type latestResult struct {
	fraction float64
	correct  bool
	at       time.Time
	attempt  int
	result   int
}

// newHistory orders the attempts and keeps, per question of a published
// quiz, the newest result the learner actually answered. A skipped question
// says nothing about what the learner knows, so it does not overwrite an
// earlier answer.
func newHistory(in Input) history {
	h := history{
		attempts: make([]AttemptSummary, len(in.Attempts)),
		byModule: map[string][]AttemptSummary{},
		latest:   map[string]latestResult{},
	}
	copy(h.attempts, in.Attempts)
	sort.SliceStable(h.attempts, func(i, j int) bool { return h.attempts[i].At.Before(h.attempts[j].At) })
	known := questionModules(in.Modules)
	for ai, a := range h.attempts {
		h.byModule[a.ModuleSlug] = append(h.byModule[a.ModuleSlug], a)
		for ri, r := range a.Results {
			if _, ok := known[r.QuestionID]; !ok || !r.Answered || r.MaxPoints <= 0 {
				continue
			}
			h.latest[r.QuestionID] = latestResult{
				fraction: max(0, min(1, r.Points/r.MaxPoints)),
				correct:  r.Correct,
				at:       a.At,
				attempt:  ai,
				result:   ri,
			}
		}
	}
	return h
}

// questionModules maps each question id of the published quizzes to the
// slug of its module (ids are unique across the pack).
func questionModules(modules []model.Module) map[string]string {
	m := map[string]string{}
	for _, mod := range modules {
		if mod.Quiz == nil {
			continue
		}
		for _, q := range mod.Quiz.Questions {
			m[q.ID] = mod.Slug
		}
	}
	return m
}
