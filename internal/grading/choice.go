package grading

import (
	"encoding/json"

	"github.com/readi-platform/readi/internal/model"
)

// TextNotAFlag is the feedback for an innocent red_flags segment the learner
// marked: innocent segments carry no authored why.
const TextNotAFlag = "This part is not a warning sign."

// CodeNotAFlag is TextNotAFlag's translation key.
const CodeNotAFlag = "feedback.not_a_flag"

func optionIndex(q model.Question, id string) int {
	for i := range q.Options {
		if q.Options[i].ID == id {
			return i
		}
	}
	return -1
}

// gradeSingle is all or nothing; the chosen option's feedback explains it.
func gradeSingle(q model.Question, raw json.RawMessage) (float64, []model.Feedback, error) {
	id, ok := decodeID(raw)
	if !ok {
		return 0, nil, shapeError(q)
	}
	i := optionIndex(q, id)
	if i < 0 {
		return 0, nil, invalidError(q)
	}
	o := q.Options[i]
	fb := []model.Feedback{{ID: o.ID, Correct: o.Correct, Text: o.Feedback}}
	if o.Correct {
		return 1, fb, nil
	}
	return 0, fb, nil
}

// gradeMultiple scores (right picks − wrong picks) / correct options, so
// ticking every box earns nothing. Feedback covers every option picked and
// every correct option missed, in authored order.
func gradeMultiple(q model.Question, raw json.RawMessage) (float64, []model.Feedback, error) {
	ids, ok := decodeIDs(raw)
	if !ok {
		return 0, nil, shapeError(q)
	}
	if !distinct(ids, len(q.Options)) {
		return 0, nil, invalidError(q)
	}
	picked := make([]bool, len(q.Options))
	for _, id := range ids {
		i := optionIndex(q, id)
		if i < 0 {
			return 0, nil, invalidError(q)
		}
		picked[i] = true
	}
	var right, wrong, correct int
	fb := make([]model.Feedback, 0, len(q.Options))
	for i, o := range q.Options {
		if o.Correct {
			correct++
		}
		switch {
		case picked[i] && o.Correct:
			right++
			fb = append(fb, model.Feedback{ID: o.ID, Correct: true, Text: o.Feedback})
		case picked[i]:
			wrong++
			fb = append(fb, model.Feedback{ID: o.ID, Correct: false, Text: o.Feedback})
		case o.Correct: // missed
			fb = append(fb, model.Feedback{ID: o.ID, Correct: false, Text: o.Feedback})
		}
	}
	return ratio(right-wrong, correct), fb, nil
}

// gradeTrueFalse is all or nothing, with the feedback written for the side
// the learner chose. The feedback id is "true" or "false".
func gradeTrueFalse(q model.Question, raw json.RawMessage) (float64, []model.Feedback, error) {
	var chose bool
	if (raw[0] != 't' && raw[0] != 'f') || json.Unmarshal(raw, &chose) != nil {
		return 0, nil, shapeError(q)
	}
	key := q.Answer != nil && *q.Answer
	text, id := q.FeedbackFalse, "false"
	if chose {
		text, id = q.FeedbackTrue, "true"
	}
	fb := []model.Feedback{{ID: id, Correct: chose == key, Text: text}}
	if chose == key {
		return 1, fb, nil
	}
	return 0, fb, nil
}

// gradeRedFlags scores like multiple: (flags found − innocent segments
// marked) / flags. Every flag is explained, found or missed, so the learner
// learns the ones they overlooked.
func gradeRedFlags(q model.Question, raw json.RawMessage) (float64, []model.Feedback, error) {
	ids, ok := decodeIDs(raw)
	if !ok {
		return 0, nil, shapeError(q)
	}
	if q.Message == nil {
		if len(ids) == 0 {
			return 0, nil, nil
		}
		return 0, nil, invalidError(q)
	}
	segs := q.Message.Segments
	if !distinct(ids, len(segs)) {
		return 0, nil, invalidError(q)
	}
	marked := make([]bool, len(segs))
	for _, id := range ids {
		i := segmentIndex(segs, id)
		if i < 0 {
			return 0, nil, invalidError(q)
		}
		marked[i] = true
	}
	var found, wrong, flags int
	fb := make([]model.Feedback, 0, len(segs))
	for i, s := range segs {
		switch {
		case s.Flag:
			flags++
			if marked[i] {
				found++
			}
			fb = append(fb, model.Feedback{ID: s.ID, Correct: marked[i], Text: s.Why})
		case marked[i]:
			wrong++
			fb = append(fb, model.Feedback{ID: s.ID, Correct: false, Text: TextNotAFlag, Code: CodeNotAFlag})
		}
	}
	return ratio(found-wrong, flags), fb, nil
}

func segmentIndex(segs []model.Segment, id string) int {
	for i := range segs {
		if segs[i].ID == id {
			return i
		}
	}
	return -1
}

// ratio is n/d as a fraction, 0 when there is nothing to divide by (content
// validation forbids that, but a grader must not return NaN).
func ratio(n, d int) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / float64(d)
}
