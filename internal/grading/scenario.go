package grading

import (
	"encoding/json"

	"github.com/readi-platform/readi/internal/model"
)

// gradeScenario scores the points of the path taken / the points of the best
// path from the start. The path must follow the next links from the first
// step; it may stop before an ending (the learner left the story), in which
// case what was taken is scored. Each choice taken gets its feedback, marked
// correct when it still allows the best score.
func gradeScenario(q model.Question, raw json.RawMessage) (float64, []model.Feedback, error) {
	path, ok := decodeIDs(raw)
	if !ok {
		return 0, nil, shapeError(q)
	}
	if len(path) == 0 {
		return 0, nil, nil
	}
	if len(q.Steps) == 0 || !distinct(path, choiceCount(q.Steps)) {
		return 0, nil, invalidError(q)
	}
	b := newBestPaths(q.Steps)
	step := 0
	total := 0.0
	fb := make([]model.Feedback, 0, len(path))
	for _, id := range path {
		if step < 0 { // the story already ended
			return 0, nil, invalidError(q)
		}
		c, ok := findChoice(q.Steps[step], id)
		if !ok {
			return 0, nil, invalidError(q)
		}
		next := b.next(c)
		best := c.Points+b.from(next) >= b.from(step)-1e-9
		fb = append(fb, model.Feedback{ID: c.ID, Correct: best, Text: c.Feedback})
		total += c.Points
		step = next
	}
	top := b.from(0)
	if top <= 0 {
		return 0, fb, nil
	}
	return total / top, fb, nil
}

func choiceCount(steps []model.Step) int {
	n := 0
	for _, s := range steps {
		n += len(s.Choices)
	}
	return n
}

func findChoice(s model.Step, id string) (model.Choice, bool) {
	for _, c := range s.Choices {
		if c.ID == id {
			return c, true
		}
	}
	return model.Choice{}, false
}

// bestPaths memoises the most points reachable from each step. Content
// validation forbids cycles; a cycle found anyway counts as 0 rather than
// recursing forever.
type bestPaths struct {
	steps []model.Step
	index map[string]int
	memo  []float64
	state []uint8 // 0 unseen, 1 on the stack, 2 done
}

func newBestPaths(steps []model.Step) *bestPaths {
	b := &bestPaths{
		steps: steps,
		index: make(map[string]int, len(steps)),
		memo:  make([]float64, len(steps)),
		state: make([]uint8, len(steps)),
	}
	for i := len(steps) - 1; i >= 0; i-- { // the first step of a duplicated id wins
		b.index[steps[i].ID] = i
	}
	return b
}

// from returns the best points reachable from step i; -1 (after an ending)
// is worth nothing.
func (b *bestPaths) from(i int) float64 {
	if i < 0 || b.state[i] == 1 {
		return 0
	}
	if b.state[i] == 2 {
		return b.memo[i]
	}
	b.state[i] = 1
	best, first := 0.0, true
	for _, c := range b.steps[i].Choices {
		v := c.Points + b.from(b.next(c))
		if first || v > best {
			best, first = v, false
		}
	}
	b.memo[i], b.state[i] = best, 2
	return best
}

// next is the index of the step c leads to, or -1 when c ends the story
// (no next, or a next naming no step).
func (b *bestPaths) next(c model.Choice) int {
	if j, ok := b.index[c.Next]; ok && c.Next != "" {
		return j
	}
	return -1
}
