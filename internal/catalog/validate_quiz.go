package catalog

import (
	"fmt"
	"math"

	"github.com/readi-platform/readi/internal/model"
)

func validateQuiz(is *issues, q *model.Quiz) {
	if q == nil {
		is.add("quiz", "module has no quiz")
		return
	}
	if q.PassPercent < 1 || q.PassPercent > 100 {
		is.add("quiz.pass_percent", "pass_percent must be between 1 and 100, found %d", q.PassPercent)
	}
	if len(q.Questions) == 0 {
		is.add("quiz.questions", "quiz needs at least one question")
		return
	}
	first := map[string]int{}
	for i, qu := range q.Questions {
		p := fmt.Sprintf("quiz.questions[%d]", i)
		validateQuestion(is, p, i, qu)
		if qu.ID == "" {
			continue
		}
		if j, dup := first[qu.ID]; dup {
			is.add(p+".id", "question %s: id is also used by question %d of this quiz", qu.ID, j+1)
		} else {
			first[qu.ID] = i
		}
	}
}

func questionName(i int, id string) string {
	if id == "" {
		return fmt.Sprintf("question %d", i+1)
	}
	return "question " + id
}

// validateQuestion checks the rules every question shares, then those of its type.
func validateQuestion(is *issues, path string, i int, q model.Question) {
	name := questionName(i, q.ID)
	if q.ID != "" && !idRE.MatchString(q.ID) {
		is.add(path+".id", "%s: id must be letters, digits, - or _", name)
	} else if q.ID == "" {
		is.add(path+".id", "%s: id is required", name)
	}
	checkValues(is, path+".readi", name+": ", q.Readi)
	if blank(q.Prompt) {
		is.add(path+".prompt", "%s: prompt is required", name)
	}
	if blank(q.Explanation) {
		is.add(path+".explanation", "%s: explanation is required", name)
	}
	if badPoints(q.Points) {
		is.add(path+".points", "%s: points must be a number of 0 or more, found %g", name, q.Points)
	}
	switch {
	case q.Type == "":
		is.add(path+".type", "%s: type is required (one of %s)", name, join(model.QuestionTypes))
		return
	case !q.Type.Valid():
		is.add(path+".type", "%s: type %q is not one of %s", name, q.Type, join(model.QuestionTypes))
		return
	}
	checkUnusedFields(is, path, name, q)
	switch q.Type {
	case model.Single, model.Multiple:
		checkOptions(is, path, name, q)
	case model.TrueFalse:
		if q.Answer == nil {
			is.add(path+".answer", "%s: true_false question needs an answer (true or false)", name)
		}
		if blank(q.FeedbackTrue) {
			is.add(path+".feedback_true", "%s: feedback_true is required", name)
		}
		if blank(q.FeedbackFalse) {
			is.add(path+".feedback_false", "%s: feedback_false is required", name)
		}
	case model.Ordering:
		checkOrdering(is, path, name, q.Items)
	case model.Matching:
		checkMatching(is, path, name, q.Pairs)
	case model.RedFlags:
		checkRedFlags(is, path, name, q.Message)
	case model.Scenario:
		checkScenario(is, path, name, q.Steps)
	}
}

// checkUnusedFields rejects fields that the question's type ignores: an
// author who writes options on an ordering question has made a mistake that
// would otherwise go unseen.
func checkUnusedFields(is *issues, path, name string, q model.Question) {
	fields := []struct {
		name  string
		set   bool
		types []model.QuestionType
	}{
		{"options", len(q.Options) > 0, []model.QuestionType{model.Single, model.Multiple}},
		{"answer", q.Answer != nil, []model.QuestionType{model.TrueFalse}},
		{"feedback_true", q.FeedbackTrue != "", []model.QuestionType{model.TrueFalse}},
		{"feedback_false", q.FeedbackFalse != "", []model.QuestionType{model.TrueFalse}},
		{"items", len(q.Items) > 0, []model.QuestionType{model.Ordering}},
		{"pairs", len(q.Pairs) > 0, []model.QuestionType{model.Matching}},
		{"message", q.Message != nil, []model.QuestionType{model.RedFlags}},
		{"steps", len(q.Steps) > 0, []model.QuestionType{model.Scenario}},
	}
	for _, f := range fields {
		if f.set && !contains(f.types, q.Type) {
			is.add(path+"."+f.name, "%s: %s is not used by %s questions", name, f.name, q.Type)
		}
	}
}

// checkID checks one id of a list inside a question and returns how to name
// its owner in further messages ("option b", or "option 2" without an id).
func checkID(is *issues, path, who, kind string, j int, id string, seen map[string]bool) string {
	switch {
	case id == "":
		is.add(path+".id", "%s: %s %d: id is required", who, kind, j+1)
		return fmt.Sprintf("%s %d", kind, j+1)
	case !idRE.MatchString(id):
		is.add(path+".id", "%s: %s id %q must be letters, digits, - or _", who, kind, id)
	case seen[id]:
		is.add(path+".id", "%s: %s id %s is used twice", who, kind, id)
	}
	seen[id] = true
	return kind + " " + id
}

func checkOptions(is *issues, path, name string, q model.Question) {
	if len(q.Options) < 2 {
		is.add(path+".options", "%s: %s question needs at least 2 options, found %d", name, q.Type, len(q.Options))
	}
	seen := map[string]bool{}
	correct := 0
	for j, o := range q.Options {
		p := fmt.Sprintf("%s.options[%d]", path, j)
		label := checkID(is, p, name, "option", j, o.ID, seen)
		if blank(o.Text) {
			is.add(p+".text", "%s: %s: text is required", name, label)
		}
		if blank(o.Feedback) {
			is.add(p+".feedback", "%s: %s has no feedback", name, label)
		}
		if o.Correct {
			correct++
		}
	}
	if q.Type == model.Single && correct != 1 {
		is.add(path+".options", "%s: single question needs exactly one correct option, found %d", name, correct)
	}
	if q.Type == model.Multiple && correct == 0 {
		is.add(path+".options", "%s: multiple question needs at least one correct option, found 0", name)
	}
}

func checkOrdering(is *issues, path, name string, items []model.Item) {
	if len(items) < 3 {
		is.add(path+".items", "%s: ordering question needs at least 3 items, found %d", name, len(items))
	}
	seen := map[string]bool{}
	ids := make([]string, len(items))
	for j, it := range items {
		p := fmt.Sprintf("%s.items[%d]", path, j)
		label := checkID(is, p, name, "item", j, it.ID, seen)
		if blank(it.Text) {
			is.add(p+".text", "%s: %s: text is required", name, label)
		}
		ids[j] = it.ID
	}
	if len(items) >= 2 && len(seen) == len(items) && givesAway(ids) {
		is.add(path+".items", "%s: item ids %s already sort into the correct order, which gives the answer away", name, joinIDs(ids))
	}
}

func checkMatching(is *issues, path, name string, pairs []model.Pair) {
	if len(pairs) < 2 {
		is.add(path+".pairs", "%s: matching question needs at least 2 pairs, found %d", name, len(pairs))
	}
	left, right := map[string]bool{}, map[string]bool{}
	for j, pr := range pairs {
		p := fmt.Sprintf("%s.pairs[%d]", path, j)
		l := checkID(is, p+".left", name, "left", j, pr.Left.ID, left)
		r := checkID(is, p+".right", name, "right", j, pr.Right.ID, right)
		if blank(pr.Left.Text) {
			is.add(p+".left.text", "%s: %s: text is required", name, l)
		}
		if blank(pr.Right.Text) {
			is.add(p+".right.text", "%s: %s: text is required", name, r)
		}
	}
	if len(pairs) >= 2 && len(left) == len(pairs) && len(right) == len(pairs) && rightFollowsLeft(pairs) {
		is.add(path+".pairs", "%s: right ids sort into the same order as their left ids, which gives the answer away", name)
	}
}

func checkRedFlags(is *issues, path, name string, m *model.Message) {
	if m == nil {
		is.add(path+".message", "%s: red_flags question needs a message", name)
		return
	}
	p := path + ".message"
	switch {
	case m.Channel == "":
		is.add(p+".channel", "%s: message channel is required (one of %s)", name, join(model.Channels))
	case !contains(model.Channels, m.Channel):
		is.add(p+".channel", "%s: message channel %q is not one of %s", name, m.Channel, join(model.Channels))
	}
	if blank(m.Sender) {
		is.add(p+".sender", "%s: message sender is required", name)
	}
	if m.Subject != "" && m.Channel != "email" {
		is.add(p+".subject", "%s: message subject is only for email, channel is %s", name, m.Channel)
	}
	seen := map[string]bool{}
	flagged := 0
	for j, s := range m.Segments {
		sp := fmt.Sprintf("%s.segments[%d]", p, j)
		label := checkID(is, sp, name, "segment", j, s.ID, seen)
		if blank(s.Text) {
			is.add(sp+".text", "%s: %s: text is required", name, label)
		}
		if s.Flag {
			flagged++
			if blank(s.Why) {
				is.add(sp+".why", "%s: flagged %s has no why", name, label)
			}
		}
	}
	if flagged == 0 {
		is.add(p+".segments", "%s: message needs at least one flagged segment", name)
	}
	if flagged == len(m.Segments) {
		is.add(p+".segments", "%s: message needs at least one segment that is not flagged", name)
	}
}

// badPoints reports a weight that would break grading: negative, NaN or infinite.
func badPoints(f float64) bool { return f < 0 || math.IsNaN(f) || math.IsInf(f, 0) }
