package classes

import (
	"context"
	"encoding/json"
	"math"
	"sort"
	"strings"

	"github.com/readi-platform/readi/internal/learning"
	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// ChoiceCount is how many learners chose an option or marked a segment.
type ChoiceCount struct {
	ID      string `json:"id"`
	Text    string `json:"text"`
	Correct bool   `json:"correct"`
	Count   int    `json:"count"`
}

// WrongAnswer is the most common wrong answer of a question.
type WrongAnswer struct {
	Answer json.RawMessage `json:"answer"`
	Label  string          `json:"label"`
	Count  int             `json:"count"`
}

// QuestionStat is how a class did on one question, counting each
// learner's latest answer.
type QuestionStat struct {
	QuestionID      string             `json:"question_id"`
	Type            model.QuestionType `json:"type"`
	Prompt          string             `json:"prompt"`
	Readi           []model.Value      `json:"readi"`
	Answers         int                `json:"answers"`
	PercentCorrect  float64            `json:"percent_correct"`
	MostChosenWrong *WrongAnswer       `json:"most_chosen_wrong"`
	Choices         []ChoiceCount      `json:"choices,omitempty"`
}

// latest keeps each learner's most recent answer per question.
func latest(answers []store.ClassAnswer) map[string]map[int64]store.ClassAnswer {
	out := map[string]map[int64]store.ClassAnswer{}
	for _, a := range answers { // oldest first, so later ones win
		if out[a.QuestionID] == nil {
			out[a.QuestionID] = map[int64]store.ClassAnswer{}
		}
		out[a.QuestionID][a.UserID] = a
	}
	return out
}

// Questions reports, per question of a module's quiz, the share of the
// class that answered it right, the most chosen wrong answer and, for
// choice questions, how often each choice was picked; prompts and choices
// in lang where the quiz is translated.
func (s *Service) Questions(ctx context.Context, u model.User, classID int64, moduleSlug, lang string) ([]QuestionStat, error) {
	if _, err := s.Get(ctx, u, classID); err != nil {
		return nil, err
	}
	m, ok := s.learning.Published(ctx, moduleSlug)
	if !ok {
		return nil, &model.ValidationError{Fields: map[string]string{"module": "module.unknown"}}
	}
	answers, err := s.store.ClassAnswers(ctx, classID, m.ID)
	if err != nil {
		return nil, err
	}
	byQuestion := latest(answers)
	out := []QuestionStat{}
	for _, q := range learning.TranslatedQuiz(m.Module, lang).Questions {
		st := QuestionStat{QuestionID: q.ID, Type: q.Type, Prompt: q.Prompt, Readi: q.Readi}
		wrong := map[string]int{}
		picks := map[string]int{}
		correct := 0
		for _, a := range byQuestion[q.ID] {
			st.Answers++
			if a.Correct {
				correct++
			} else {
				wrong[canonical(a.Answer)]++
			}
			for _, id := range pickedIDs(a.Answer) {
				picks[id]++
			}
		}
		if st.Answers > 0 {
			st.PercentCorrect = math.Round(float64(correct)/float64(st.Answers)*1000) / 10
		}
		if ans, n := mostCommon(wrong); n > 0 {
			st.MostChosenWrong = &WrongAnswer{Answer: json.RawMessage(ans), Label: label(q, ans), Count: n}
		}
		st.Choices = choiceCounts(q, picks)
		out = append(out, st)
	}
	return out, nil
}

// canonical makes equal answers compare equal: lists of ids are sorted
// for the types where order does not matter.
func canonical(answer string) string {
	var ids []string
	if json.Unmarshal([]byte(answer), &ids) == nil && ids != nil {
		sorted := append([]string(nil), ids...)
		sort.Strings(sorted)
		b, _ := json.Marshal(sorted)
		return string(b)
	}
	return answer
}

// mostCommon picks the highest count; ties go to the smallest answer so
// the result is the same on every run.
func mostCommon(counts map[string]int) (string, int) {
	best, n := "", 0
	for a, c := range counts {
		if c > n || (c == n && a < best) {
			best, n = a, c
		}
	}
	return best, n
}

func pickedIDs(answer string) []string {
	var one string
	if json.Unmarshal([]byte(answer), &one) == nil {
		return []string{one}
	}
	var many []string
	if json.Unmarshal([]byte(answer), &many) == nil {
		return many
	}
	var b bool
	if json.Unmarshal([]byte(answer), &b) == nil {
		if b {
			return []string{"true"}
		}
		return []string{"false"}
	}
	return nil
}

func choiceCounts(q model.Question, picks map[string]int) []ChoiceCount {
	var out []ChoiceCount
	switch q.Type {
	case model.Single, model.Multiple:
		for _, o := range q.Options {
			out = append(out, ChoiceCount{ID: o.ID, Text: o.Text, Correct: o.Correct, Count: picks[o.ID]})
		}
	case model.TrueFalse:
		for _, v := range []bool{true, false} {
			id := "false"
			if v {
				id = "true"
			}
			out = append(out, ChoiceCount{ID: id, Text: id, Correct: q.Answer != nil && *q.Answer == v, Count: picks[id]})
		}
	case model.RedFlags:
		for _, seg := range q.Message.Segments {
			out = append(out, ChoiceCount{ID: seg.ID, Text: seg.Text, Correct: seg.Flag, Count: picks[seg.ID]})
		}
	}
	return out
}

// label turns an answer into words an educator can read.
func label(q model.Question, answer string) string {
	texts := map[string]string{}
	for _, o := range q.Options {
		texts[o.ID] = o.Text
	}
	for _, it := range q.Items {
		texts[it.ID] = it.Text
	}
	if q.Message != nil {
		for _, s := range q.Message.Segments {
			texts[s.ID] = s.Text
		}
	}
	for _, st := range q.Steps {
		for _, c := range st.Choices {
			texts[c.ID] = c.Text
		}
	}
	for _, p := range q.Pairs {
		texts[p.Left.ID], texts[p.Right.ID] = p.Left.Text, p.Right.Text
	}
	var pairs map[string]string
	if json.Unmarshal([]byte(answer), &pairs) == nil && pairs != nil {
		keys := make([]string, 0, len(pairs))
		for k := range pairs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, texts[k]+" → "+texts[pairs[k]])
		}
		return strings.Join(parts, "; ")
	}
	ids := pickedIDs(answer)
	var parts []string
	for _, id := range ids {
		if t, ok := texts[id]; ok {
			parts = append(parts, t)
		} else {
			parts = append(parts, id)
		}
	}
	return strings.Join(parts, "; ")
}

// ValueMastery is a class's mastery of one READI value.
type ValueMastery struct {
	Value     model.Value `json:"value"`
	Mastery   float64     `json:"mastery"`
	Learners  int         `json:"learners"`
	Questions int         `json:"questions"`
}

// Readi is the class's mastery per READI value: the mean, over every
// member and every question tagged with the value that they answered, of
// their latest result on it.
func (s *Service) Readi(ctx context.Context, u model.User, classID int64) ([]ValueMastery, error) {
	if _, err := s.Get(ctx, u, classID); err != nil {
		return nil, err
	}
	answers, err := s.store.ClassAnswers(ctx, classID, 0)
	if err != nil {
		return nil, err
	}
	tags := map[string][]model.Value{}
	for _, a := range answers {
		if _, seen := tags[a.QuestionID]; seen {
			continue
		}
		tags[a.QuestionID] = nil
		if m, ok := s.learning.PublishedByID(ctx, a.ModuleID); ok {
			for _, q := range m.Module.Quiz.Questions {
				if q.ID == a.QuestionID {
					tags[a.QuestionID] = q.Readi
				}
			}
		}
	}
	type acc struct {
		sum       float64
		n         int
		learners  map[int64]bool
		questions map[string]bool
	}
	accs := map[model.Value]*acc{}
	for _, v := range model.Values {
		accs[v] = &acc{learners: map[int64]bool{}, questions: map[string]bool{}}
	}
	for qid, byUser := range latest(answers) {
		for _, a := range byUser {
			if a.MaxPoints <= 0 {
				continue
			}
			for _, v := range tags[qid] {
				if x, ok := accs[v]; ok {
					x.sum += a.Points / a.MaxPoints
					x.n++
					x.learners[a.UserID] = true
					x.questions[qid] = true
				}
			}
		}
	}
	out := make([]ValueMastery, 0, len(model.Values))
	for _, v := range model.Values {
		x := accs[v]
		vm := ValueMastery{Value: v, Learners: len(x.learners), Questions: len(x.questions)}
		if x.n > 0 {
			vm.Mastery = math.Round(x.sum/float64(x.n)*1000) / 10
		}
		out = append(out, vm)
	}
	return out, nil
}
