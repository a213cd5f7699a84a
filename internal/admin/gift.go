package admin

import (
	"regexp"
	"strconv"
	"strings"
)

// GIFT is Moodle's plain-text quiz format. parseGIFT reads all of it;
// giftQuestions (gift_import.go) maps what READI's question types can
// hold and reports the rest. Nothing is dropped without an issue.

// GIFTIssue is a construct of a GIFT text that READI does not take as
// written, with its line. Outcome says what happened to it: "skipped" (no
// question was created), "approximated" (the question was created, but
// this part differs) or "ignored" (no effect on any question).
type GIFTIssue struct {
	Line      int    `json:"line"`
	Construct string `json:"construct"`
	Message   string `json:"message"`
	Outcome   string `json:"outcome"`
}

// giftQuestion is one question as written, escapes still in its texts.
type giftQuestion struct {
	line    int
	title   string
	format  string // html, moodle, plain, markdown, or ""
	prompt  string
	tail    string // text after the answers: a missing-word question when not blank
	body    string // between { and }, general feedback removed
	general string // after ####
	bodyAt  int    // line of the {
	lines   lineMap
}

// lineMap finds the line of an offset in a question's text.
type lineMap struct {
	first  int   // line of offset 0
	breaks []int // offsets of the newlines
}

func (m lineMap) at(off int) int {
	n := 0
	for _, b := range m.breaks {
		if b < off {
			n++
		}
	}
	return m.first + n
}

var formatRE = regexp.MustCompile(`^\[(html|moodle|plain|markdown)\]`)

// parseGIFT splits a GIFT text into questions. Lines starting with // are
// comments; blank lines separate questions; $CATEGORY lines are reported
// (a READI quiz belongs to its module, so there is nothing to file under).
func parseGIFT(text string) ([]giftQuestion, []GIFTIssue) {
	text = strings.TrimPrefix(strings.ReplaceAll(text, "\r\n", "\n"), "\ufeff")
	var (
		qs     []giftQuestion
		issues []GIFTIssue
		block  []string
		start  int
	)
	flush := func() {
		if len(block) > 0 {
			q, issue := parseQuestion(strings.Join(block, "\n"), start)
			if issue != nil {
				issues = append(issues, *issue)
			} else {
				qs = append(qs, q)
			}
		}
		block = nil
	}
	for i, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "//"):
		case trimmed == "":
			flush()
		case len(block) == 0 && strings.HasPrefix(trimmed, "$CATEGORY:"):
			issues = append(issues, GIFTIssue{Line: i + 1, Construct: "category", Outcome: "ignored",
				Message: "category " + strings.TrimSpace(strings.TrimPrefix(trimmed, "$CATEGORY:")) + " is ignored: the questions go into this module's quiz"})
		default:
			if len(block) == 0 {
				start = i + 1
			}
			block = append(block, line)
		}
	}
	flush()
	return qs, issues
}

// parseQuestion splits one question into title, format, prompt and the
// answer block. A question without an answer block is a description.
func parseQuestion(text string, line int) (giftQuestion, *GIFTIssue) {
	q := giftQuestion{line: line, lines: lineMap{first: line}}
	for i, r := range text {
		if r == '\n' {
			q.lines.breaks = append(q.lines.breaks, i)
		}
	}
	rest := strings.TrimLeft(text, " \t\n")
	off := len(text) - len(rest)
	if strings.HasPrefix(rest, "::") {
		end := findUnescaped(rest, "::", 2)
		if end < 0 {
			return q, &GIFTIssue{Line: line, Construct: "title", Outcome: "skipped", Message: "the title is not closed by ::"}
		}
		q.title = rest[2:end]
		off += end + 2
		rest = rest[end+2:]
	}
	trimmed := strings.TrimLeft(rest, " \t\n")
	off += len(rest) - len(trimmed)
	rest = trimmed
	if m := formatRE.FindStringSubmatch(rest); m != nil {
		q.format = m[1]
		off += len(m[0])
		rest = rest[len(m[0]):]
	}
	open := findUnescaped(rest, "{", 0)
	if open < 0 {
		return q, &GIFTIssue{Line: line, Construct: "description", Outcome: "skipped",
			Message: "a text without answers (a description) is not a question in READI; put it in a lesson"}
	}
	close := findUnescaped(rest, "}", open+1)
	if close < 0 {
		return q, &GIFTIssue{Line: q.lines.at(off + open), Construct: "answers", Outcome: "skipped", Message: "the answers are not closed by }"}
	}
	q.bodyAt = q.lines.at(off + open)
	q.prompt, q.tail = rest[:open], rest[close+1:]
	if findUnescaped(q.tail, "{", 0) >= 0 {
		return q, &GIFTIssue{Line: q.bodyAt, Construct: "answers", Outcome: "skipped",
			Message: "a question with more than one answer block (embedded answers) is not supported"}
	}
	q.body = rest[open+1 : close]
	if g := findUnescaped(q.body, "####", 0); g >= 0 {
		q.body, q.general = q.body[:g], q.body[g+4:]
	}
	return q, nil
}

// giftAnswer is one answer of a choice or matching question.
type giftAnswer struct {
	line     int
	correct  bool     // written with =
	weight   *float64 // %n%, when written
	text     string
	match    string // the right side of a matching pair (text -> match)
	matching bool
	feedback string
}

var weightRE = regexp.MustCompile(`^%(-?\d+(?:\.\d+)?)%`)

// giftAnswers splits an answer block into its = and ~ answers; anything
// before the first of them is returned as stray text.
func giftAnswers(q giftQuestion) (answers []giftAnswer, stray string) {
	body := q.body
	var marks []int
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '\\':
			i++
		case '=', '~':
			marks = append(marks, i)
		}
	}
	if len(marks) == 0 {
		return nil, strings.TrimSpace(body)
	}
	stray = strings.TrimSpace(body[:marks[0]])
	marks = append(marks, len(body))
	line, counted := q.bodyAt, 0 // lines are counted once, in passing
	for k := 0; k+1 < len(marks); k++ {
		line += strings.Count(body[counted:marks[k]], "\n")
		counted = marks[k]
		raw := body[marks[k]+1 : marks[k+1]]
		a := giftAnswer{line: line, correct: body[marks[k]] == '='}
		raw = strings.TrimLeft(raw, " \t\n")
		if m := weightRE.FindStringSubmatch(raw); m != nil {
			w, _ := strconv.ParseFloat(m[1], 64)
			a.weight = &w
			raw = raw[len(m[0]):]
		}
		if h := findUnescaped(raw, "#", 0); h >= 0 {
			raw, a.feedback = raw[:h], raw[h+1:]
		}
		if arrow := findUnescaped(raw, "->", 0); arrow >= 0 {
			a.matching = true
			raw, a.match = raw[:arrow], raw[arrow+2:]
		}
		a.text = raw
		answers = append(answers, a)
	}
	return answers, stray
}

// findUnescaped is the index of sub in s at or after from, not preceded by
// an escaping backslash; -1 if there is none.
func findUnescaped(s, sub string, from int) int {
	for i := from; i+len(sub) <= len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if strings.HasPrefix(s[i:], sub) {
			return i
		}
	}
	return -1
}

// unescapeGIFT resolves \: \= \~ \# \{ \} \\ and \n, and trims.
func unescapeGIFT(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case ':', '=', '~', '#', '{', '}', '\\':
				b.WriteByte(s[i])
			default:
				b.WriteByte('\\')
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return strings.TrimSpace(b.String())
}
