package admin

import (
	"context"
	"fmt"
	"html"
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/readi-platform/readi/internal/model"
)

// GIFTResult is what a GIFT import created (or would create, dry run):
// the questions, appended to the module's draft quiz, and every construct
// READI did not take as written.
type GIFTResult struct {
	DryRun       bool             `json:"dry_run"`
	Questions    []model.Question `json:"questions"`
	Issues       []GIFTIssue      `json:"issues"`
	HeadRevision int              `json:"head_revision"`
}

// ImportGIFT parses a GIFT text and appends the questions READI can hold
// to the module's draft quiz as one revision. Each question's READI values
// are the module's (GIFT has none); ids come from the GIFT titles, else a
// number, prefixed with the module's initials. created is false when
// nothing was saved (a dry run, or no question in the text).
func (s *Service) ImportGIFT(ctx context.Context, ch Change, slug, text string, dryRun bool) (res GIFTResult, created bool, err error) {
	parsed, issues := parseGIFT(text)
	qs, titles, more := mapGIFT(parsed)
	res = GIFTResult{DryRun: dryRun, Questions: []model.Question{}, Issues: append(append([]GIFTIssue{}, issues...), more...)}
	sortIssues(res.Issues)
	fill := func(m *model.Module) {
		res.Questions = res.Questions[:0]
		for i, q := range qs {
			q.Readi = append([]model.Value(nil), m.Readi...)
			q.ID = newQuestionID(*m, titles[i], res.Questions)
			res.Questions = append(res.Questions, q)
		}
	}
	if dryRun || len(qs) == 0 {
		v, err := s.Module(ctx, slug)
		if err != nil {
			return res, false, err
		}
		fill(&v.Module)
		res.HeadRevision = v.HeadRevision
		return res, false, nil
	}
	v, err := s.save(ctx, ch, slug, "quiz.gift_import", fmt.Sprintf("imported %d GIFT question(s)", len(qs)),
		func(m *model.Module) (any, any, error) {
			fill(m)
			if m.Quiz == nil {
				m.Quiz = &model.Quiz{PassPercent: 70}
			}
			m.Quiz.Questions = append(m.Quiz.Questions, res.Questions...)
			return nil, res.Questions, nil
		})
	res.HeadRevision = v.HeadRevision
	return res, err == nil, err
}

// mapGIFT turns parsed questions into READI questions (without ids and
// READI values) and reports what does not fit.
func mapGIFT(parsed []giftQuestion) (qs []model.Question, titles []string, issues []GIFTIssue) {
	for _, g := range parsed {
		q, more, ok := mapQuestion(g)
		issues = append(issues, more...)
		if ok {
			qs, titles = append(qs, q), append(titles, g.title)
		}
	}
	return qs, titles, issues
}

func mapQuestion(g giftQuestion) (model.Question, []GIFTIssue, bool) {
	var issues []GIFTIssue
	note := func(line int, construct, outcome, format string, args ...any) {
		issues = append(issues, GIFTIssue{Line: line, Construct: construct, Outcome: outcome, Message: fmt.Sprintf(format, args...)})
	}
	text := func(s string) string { return plainText(s, g.format) }
	switch g.format {
	case "html":
		note(g.line, "format", "approximated", "[html]: the markup is removed; READI shows question text as plain text")
	case "markdown":
		note(g.line, "format", "approximated", "[markdown]: READI shows question text as plain text, Markdown signs included")
	}
	prompt := g.prompt
	if strings.TrimSpace(g.tail) != "" { // missing word: the blank is where the answers were
		prompt += "_____" + g.tail
	}
	q := model.Question{Prompt: text(prompt), Explanation: text(g.general)}
	body := strings.TrimSpace(g.body)
	switch {
	case body == "":
		note(g.bodyAt, "essay", "skipped", "essay questions are not supported: READI grades every answer automatically")
		return q, issues, false
	case strings.HasPrefix(body, "#"):
		note(g.bodyAt, "numerical", "skipped", "numerical questions are not supported by READI's seven question types")
		return q, issues, false
	}
	parts := splitUnescaped(body, "#")
	switch strings.ToUpper(strings.TrimSpace(parts[0])) {
	case "T", "TRUE", "F", "FALSE":
		answer := strings.HasPrefix(strings.ToUpper(strings.TrimSpace(parts[0])), "T")
		q.Type, q.Answer = model.TrueFalse, &answer
		wrong, right := "", ""
		if len(parts) > 1 {
			wrong = text(parts[1])
		}
		if len(parts) > 2 {
			right = text(parts[2])
		}
		if len(parts) > 3 {
			note(g.bodyAt, "feedback", "approximated", "a true/false question has two feedbacks; the rest is dropped: %q", text(strings.Join(parts[3:], "#")))
		}
		q.FeedbackTrue, q.FeedbackFalse = right, wrong
		if !answer {
			q.FeedbackTrue, q.FeedbackFalse = wrong, right
		}
		return q, issues, true
	}
	answers, stray := giftAnswers(g)
	if stray != "" {
		note(g.bodyAt, "answers", "skipped", "text before the first = or ~ answer: %q", text(stray))
		return q, issues, false
	}
	matching, wrong := false, false
	for _, a := range answers {
		matching = matching || a.matching
		wrong = wrong || !a.correct
	}
	switch {
	case matching:
		return mapMatching(g, q, answers, issues)
	case !wrong:
		note(g.bodyAt, "short answer", "skipped", "short-answer questions (only = answers) are not supported: READI has no free-text answers")
		return q, issues, false
	}
	return mapChoice(g, q, answers, issues)
}

func mapMatching(g giftQuestion, q model.Question, answers []giftAnswer, issues []GIFTIssue) (model.Question, []GIFTIssue, bool) {
	q.Type = model.Matching
	for _, a := range answers {
		left, right := plainText(a.text, g.format), plainText(a.match, g.format)
		switch {
		case !a.correct || !a.matching:
			issues = append(issues, GIFTIssue{Line: a.line, Construct: "matching", Outcome: "skipped",
				Message: "every answer of a matching question must be written = left -> right"})
			return q, issues, false
		case left == "":
			issues = append(issues, GIFTIssue{Line: a.line, Construct: "matching", Outcome: "approximated",
				Message: fmt.Sprintf("an extra right answer without a left (%q) is not supported and was left out", right)})
			continue
		}
		q.Pairs = append(q.Pairs, model.Pair{Left: model.Item{Text: left}, Right: model.Item{Text: right}, Feedback: plainText(a.feedback, g.format)})
	}
	if len(q.Pairs) < 2 {
		issues = append(issues, GIFTIssue{Line: g.bodyAt, Construct: "matching", Outcome: "skipped", Message: "a matching question needs at least 2 pairs"})
		return q, issues, false
	}
	// Right ids run backwards so that they never sort like the left ones.
	for i := range q.Pairs {
		q.Pairs[i].Left.ID, q.Pairs[i].Right.ID = fmt.Sprintf("l%d", i+1), fmt.Sprintf("r%d", len(q.Pairs)-i)
	}
	return q, issues, true
}

func mapChoice(g giftQuestion, q model.Question, answers []giftAnswer, issues []GIFTIssue) (model.Question, []GIFTIssue, bool) {
	weights := make([]float64, len(answers))
	written, right := false, 0
	for i, a := range answers {
		if a.correct {
			weights[i] = 100
		}
		if a.weight != nil {
			weights[i], written = *a.weight, true
		}
		if weights[i] > 0 {
			right++
		}
		q.Options = append(q.Options, model.Option{ID: optionID(i), Text: plainText(a.text, g.format),
			Correct: weights[i] > 0, Feedback: plainText(a.feedback, g.format)})
	}
	switch {
	case right == 0:
		issues = append(issues, GIFTIssue{Line: g.bodyAt, Construct: "weights", Outcome: "skipped", Message: "no answer is right (= or a positive %weight%)"})
		return q, issues, false
	case right == 1:
		q.Type = model.Single
		if written && !readiWeights(weights, 1) {
			issues = append(issues, GIFTIssue{Line: g.bodyAt, Construct: "weights", Outcome: "approximated",
				Message: fmt.Sprintf("weights %s: READI scores the right answer in full and every other answer 0", weightList(weights))})
		}
	default:
		q.Type = model.Multiple
		if !readiWeights(weights, right) {
			issues = append(issues, GIFTIssue{Line: g.bodyAt, Construct: "weights", Outcome: "approximated",
				Message: fmt.Sprintf("weights %s: READI gives each of the %d right answers an equal share and takes one share off for each wrong pick", weightList(weights), right)})
		}
	}
	return q, issues, true
}

// readiWeights reports whether GIFT weights mean what READI's grading
// does: each of k right answers 100/k, each wrong one -100/k (k > 1) or 0
// (k = 1).
func readiWeights(w []float64, k int) bool {
	share := 100 / float64(k)
	for _, x := range w {
		want := -share
		if x > 0 {
			want = share
		} else if k == 1 {
			want = 0
		}
		if math.Abs(x-want) > 0.5 {
			return false
		}
	}
	return true
}

func weightList(w []float64) string {
	s := make([]string, len(w))
	for i, x := range w {
		s[i] = fmt.Sprintf("%g%%", x)
	}
	return strings.Join(s, " ")
}

func optionID(i int) string {
	if i < 26 {
		return string(rune('a' + i))
	}
	return fmt.Sprintf("o%d", i+1)
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// plainText resolves escapes and joins wrapped lines; HTML loses its
// markup. READI shows question text as text, never as HTML.
func plainText(s, format string) string {
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
	s = unescapeGIFT(s)
	if format == "html" {
		s = strings.TrimSpace(html.UnescapeString(tagRE.ReplaceAllString(s, "")))
	}
	return s
}

func splitUnescaped(s, sep string) []string {
	var out []string
	for {
		i := findUnescaped(s, sep, 0)
		if i < 0 {
			return append(out, s)
		}
		out, s = append(out, s[:i]), s[i+len(sep):]
	}
}

var idJunkRE = regexp.MustCompile(`[^a-z0-9]+`)

// newQuestionID makes an id unique in m and among added: the module's
// initials, then the GIFT title made into a slug, or g and a number.
func newQuestionID(m model.Module, title string, added []model.Question) string {
	prefix := ""
	for _, part := range strings.Split(m.Slug, "-") {
		if part != "" {
			prefix += part[:1]
		}
	}
	base := strings.Trim(idJunkRE.ReplaceAllString(strings.ToLower(unescapeGIFT(title)), "-"), "-")
	if len(base) > 40 {
		base = strings.TrimRight(base[:40], "-")
	}
	used := map[string]bool{}
	if m.Quiz != nil {
		for _, q := range m.Quiz.Questions {
			used[q.ID] = true
		}
	}
	for _, q := range added {
		used[q.ID] = true
	}
	for n := 1; ; n++ {
		id := prefix + "-" + base
		switch {
		case base == "":
			id = fmt.Sprintf("%s-g%02d", prefix, len(used)+n)
		case n > 1:
			id = fmt.Sprintf("%s-%d", id, n)
		}
		if !used[id] {
			return id
		}
	}
}

func sortIssues(list []GIFTIssue) {
	sort.SliceStable(list, func(i, j int) bool { return list[i].Line < list[j].Line })
}
