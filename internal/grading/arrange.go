package grading

import (
	"encoding/json"
	"fmt"

	"github.com/readi-platform/readi/internal/model"
)

// Short texts for parts that have no authored feedback. They are English
// like the authored text; the API may swap them for a translation.
const (
	// TextWrongPosition is formatted with the item's correct position and
	// the number of items.
	TextWrongPosition = "Belongs in position %d of %d."
	TextWrongPair     = "That is not the right match."

	// Translation keys of the texts above, for the app's catalogue.
	CodeWrongPosition = "feedback.wrong_position"
	CodeWrongPair     = "feedback.wrong_pair"
)

// gradeOrdering scores items in the right position / items. The answer must
// place every item exactly once: a partial order cannot be scored fairly.
// Each misplaced item gets an entry saying where it belongs.
func gradeOrdering(q model.Question, raw json.RawMessage) (float64, []model.Feedback, error) {
	ids, ok := decodeIDs(raw)
	if !ok {
		return 0, nil, shapeError(q)
	}
	if len(ids) != len(q.Items) || !distinct(ids, len(q.Items)) {
		return 0, nil, invalidError(q)
	}
	for _, id := range ids {
		if itemIndex(q.Items, id) < 0 {
			return 0, nil, invalidError(q)
		}
	}
	right := 0
	fb := make([]model.Feedback, 0, len(ids))
	for i, id := range ids {
		if q.Items[i].ID == id {
			right++
			continue
		}
		at := itemIndex(q.Items, id) + 1
		fb = append(fb, model.Feedback{ID: id, Text: fmt.Sprintf(TextWrongPosition, at, len(q.Items)),
			Code: CodeWrongPosition, Params: map[string]int{"n": at, "total": len(q.Items)}})
	}
	return ratio(right, len(q.Items)), fb, nil
}

func itemIndex(items []model.Item, id string) int {
	for i := range items {
		if items[i].ID == id {
			return i
		}
	}
	return -1
}

// gradeMatching scores right pairs / pairs. A partial matching is allowed
// (lefts left out score 0), but no right may be used twice: that would let a
// learner hedge. Feedback follows the authored pair order, one entry per
// left the learner matched, keyed by the left id.
func gradeMatching(q model.Question, raw json.RawMessage) (float64, []model.Feedback, error) {
	var m map[string]*string
	if raw[0] != '{' || json.Unmarshal(raw, &m) != nil {
		return 0, nil, shapeError(q)
	}
	for _, right := range m { // shape first, so the code does not depend on map order
		if right == nil {
			return 0, nil, shapeError(q)
		}
	}
	if len(m) > len(q.Pairs) {
		return 0, nil, invalidError(q)
	}
	used := make([]bool, len(q.Pairs))
	for left, right := range m {
		if leftIndex(q.Pairs, left) < 0 {
			return 0, nil, invalidError(q)
		}
		j := rightIndex(q.Pairs, *right)
		if j < 0 || used[j] {
			return 0, nil, invalidError(q)
		}
		used[j] = true
	}
	right := 0
	fb := make([]model.Feedback, 0, len(m))
	for _, p := range q.Pairs {
		chosen, ok := m[p.Left.ID]
		if !ok {
			continue
		}
		if *chosen == p.Right.ID {
			right++
			fb = append(fb, model.Feedback{ID: p.Left.ID, Correct: true, Text: p.Feedback})
		} else {
			fb = append(fb, model.Feedback{ID: p.Left.ID, Correct: false, Text: TextWrongPair, Code: CodeWrongPair})
		}
	}
	return ratio(right, len(q.Pairs)), fb, nil
}

func leftIndex(pairs []model.Pair, id string) int {
	for i := range pairs {
		if pairs[i].Left.ID == id {
			return i
		}
	}
	return -1
}

func rightIndex(pairs []model.Pair, id string) int {
	for i := range pairs {
		if pairs[i].Right.ID == id {
			return i
		}
	}
	return -1
}
