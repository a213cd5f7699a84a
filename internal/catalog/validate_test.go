package catalog

import (
	"math"
	"strings"
	"testing"

	"github.com/readi-platform/readi/internal/model"
)

// validModule is spot-the-scam from the valid test pack, freshly loaded so
// that each test may change it.
func validModule(t *testing.T) model.Module {
	t.Helper()
	pack, err := Load(validPack())
	if err != nil {
		t.Fatalf("Load(valid pack) error:\n%v", err)
	}
	return pack.Modules[0]
}

// TestValidateModule checks rules on modules built in memory, as an admin
// API would, where problems carry a field path instead of file:line.
func TestValidateModule(t *testing.T) {
	q := func(m *model.Module, i int) *model.Question { return &m.Quiz.Questions[i] }
	thq := func(m *model.Module, id string) model.Question { return m.Translations["th"].Questions[id] }
	tests := []struct {
		name   string
		change func(m *model.Module)
		want   []string
	}{
		{"valid", func(m *model.Module) {}, nil},
		{"no quiz", func(m *model.Module) { m.Quiz = nil }, []string{"quiz: module has no quiz"}},
		{"no lessons", func(m *model.Module) { m.Lessons = nil; m.Translations = nil },
			[]string{"lessons: module spot-the-scam has no lessons"}},
		{"no questions", func(m *model.Module) { m.Quiz.Questions = nil; m.Translations = nil },
			[]string{"quiz.questions: quiz needs at least one question"}},
		{"h1 in Markdown", func(m *model.Module) { m.Lessons[1].Markdown = "Intro.\n\n# Title\n" },
			[]string{"lessons[1].markdown: lesson check-the-sender: headings start at ##, found a level-1 heading (Markdown line 3)"}},
		{"setext h1", func(m *model.Module) { m.Lessons[1].Markdown = "Title\n=====\n" },
			[]string{"lessons[1].markdown: lesson check-the-sender: headings start at ##, found a level-1 heading (Markdown line 1)"}},
		{"lesson autolink", func(m *model.Module) { m.Lessons[1].Markdown = "See\n<lesson:nope>.\n" },
			[]string{"lessons[1].markdown: lesson check-the-sender: link lesson:nope names no lesson of this module (Markdown line 2)"}},
		{"reference link", func(m *model.Module) { m.Lessons[1].Markdown = "See [this][x].\n\n[x]: lesson:nope\n" },
			[]string{"lessons[1].markdown: lesson check-the-sender: link lesson:nope names no lesson of this module (Markdown line 1)"}},
		{"lesson without slug", func(m *model.Module) { m.Lessons[1].Slug = "" },
			[]string{"lessons[0].markdown: lesson what-is-phishing: link lesson:check-the-sender names no lesson of this module (Markdown line 3)",
				"lessons[1].slug: lesson 2: slug is required",
				"translations.th.lessons.what-is-phishing.markdown: translation th: lesson what-is-phishing: link lesson:check-the-sender names no lesson of this module (Markdown line 3)"}},
		{"question without id", func(m *model.Module) { q(m, 1).ID = "" },
			[]string{"quiz.questions[1].id: question 2: id is required"}},
		{"question id shape", func(m *model.Module) { q(m, 1).ID = "sts q02" },
			[]string{`quiz.questions[1].id: question sts q02: id must be letters, digits, - or _`}},
		{"NaN points", func(m *model.Module) { q(m, 0).Points = math.NaN() },
			[]string{"quiz.questions[0].points: question sts-q01: points must be a number of 0 or more, found NaN"}},
		{"option without id", func(m *model.Module) { q(m, 1).Options[2].ID = "" },
			[]string{"quiz.questions[1].options[2].id: question sts-q02: option 3: id is required"}},
		{"option without text", func(m *model.Module) { q(m, 1).Options[2].Text = " " },
			[]string{"quiz.questions[1].options[2].text: question sts-q02: option c: text is required"}},
		{"matching right id", func(m *model.Module) { q(m, 4).Pairs[0].Right.ID = "" },
			[]string{"quiz.questions[4].pairs[0].right.id: question sts-q05: right 1: id is required"}},
		{"red_flags without message", func(m *model.Module) { q(m, 5).Message = nil },
			[]string{"quiz.questions[5].message: question sts-q06: red_flags question needs a message"}},
		{"red_flags without sender", func(m *model.Module) { q(m, 5).Message.Sender = "" },
			[]string{"quiz.questions[5].message.sender: question sts-q06: message sender is required"}},
		{"scenario without steps", func(m *model.Module) { q(m, 6).Steps = nil; m.Translations = nil },
			[]string{"quiz.questions[6].steps: question sts-q07: scenario question needs at least one step"}},
		{"step without choices", func(m *model.Module) { q(m, 6).Steps[1].Choices = nil },
			[]string{"quiz.questions[6].steps[1].choices: question sts-q07: step after needs at least one choice"}},
		{"step id twice", func(m *model.Module) { q(m, 6).Steps[1].ID = "start" }, []string{
			"quiz.questions[6].steps[1].id: question sts-q07: step id start is used twice",
			`quiz.questions[6].steps[0].choices[0].next: question sts-q07: choice c1: next "after" names no step of this question`,
			"quiz.questions[6].steps[1]: question sts-q07: step start cannot be reached from the start step start"}},
		{"scenario loop to itself", func(m *model.Module) { q(m, 6).Steps[1].Choices[0].Next = "after" },
			[]string{"quiz.questions[6].steps[1]: question sts-q07: steps after -> after form a loop, so the story never ends"}},
		{"negative choice points", func(m *model.Module) { q(m, 6).Steps[0].Choices[1].Points = -2 },
			[]string{"quiz.questions[6].steps[0].choices[1].points: question sts-q07: choice c2: points must be a number of 0 or more, found -2"}},
		{"options on scenario", func(m *model.Module) { q(m, 6).Options = q(m, 0).Options },
			[]string{"quiz.questions[6].options: question sts-q07: options is not used by scenario questions"}},
		{"translation language", func(m *model.Module) { m.Translations["en"] = model.ModuleTranslation{Title: "x"} },
			[]string{"translations.en: translation en: language must be a lower-case tag other than en"}},
		{"translated correct", func(m *model.Module) { thq(m, "sts-q01").Options[0].Correct = true },
			[]string{"translations.th.questions.sts-q01.options[0].correct: translation th: question sts-q01: correct comes from the base question and cannot be translated"}},
		{"translated next", func(m *model.Module) { thq(m, "sts-q07").Steps[0].Choices[0].Next = "after" },
			[]string{"translations.th.questions.sts-q07.steps[0].choices[0]: translation th: question sts-q07: next and points come from the base question and cannot be translated"}},
		{"translated type", func(m *model.Module) {
			tq := thq(m, "sts-q01")
			tq.Type, tq.Readi = model.Multiple, []model.Value{model.Empathy}
			m.Translations["th"].Questions["sts-q01"] = tq
		}, []string{
			"translations.th.questions.sts-q01.type: translation th: question sts-q01: type comes from the base question and cannot be translated",
			"translations.th.questions.sts-q01.readi: translation th: question sts-q01: readi comes from the base question and cannot be translated"}},
		{"translated lesson minutes", func(m *model.Module) {
			l := m.Translations["th"].Lessons["what-is-phishing"]
			l.Minutes = 3
			m.Translations["th"].Lessons["what-is-phishing"] = l
		}, []string{"translations.th.lessons.what-is-phishing: translation th: lesson what-is-phishing: readi and minutes come from the base lesson and cannot be translated"}},
		{"translated pair", func(m *model.Module) {
			tq := thq(m, "sts-q05")
			tq.Pairs = []model.Pair{{Left: model.Item{ID: "l1"}, Right: model.Item{ID: "ra", Text: "x"}}}
			m.Translations["th"].Questions["sts-q05"] = tq
		}, []string{"translations.th.questions.sts-q05.pairs[0].right.id: translation th: question sts-q05: pair l1: right id ra is not the right side of that pair in the base question"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := validModule(t)
			tt.change(&m)
			var got []string
			for _, p := range ValidateModule(m) {
				if p.File != "" || p.Line != 0 {
					t.Errorf("ValidateModule(%s) problem %q has a file or line", tt.name, p)
				}
				got = append(got, p.Message)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("ValidateModule(%s) =\n%s\nwant\n%s", tt.name, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestGivesAway(t *testing.T) {
	tests := []struct {
		ids  []string
		want bool
	}{
		{[]string{"a", "b", "c"}, true},
		{[]string{"k", "c", "x"}, false},
		{[]string{"i2", "i10", "i11"}, true}, // natural order
		{[]string{"i10", "i11", "i2"}, true}, // byte order
		{[]string{"i10", "i2", "i11"}, false},
		{[]string{"s1", "s01", "s2"}, true}, // equal numbers: natural order cannot tell, byte order can
	}
	for _, tt := range tests {
		if got := givesAway(tt.ids); got != tt.want {
			t.Errorf("givesAway(%v) = %v, want %v", tt.ids, got, tt.want)
		}
	}
}
