package catalog

import (
	"errors"
	"strings"
	"testing"
)

const (
	sts   = "spot-the-scam/"
	stsL1 = sts + "01-what-is-phishing.md"
	stsL2 = sts + "02-check-the-sender.md"
	stsQ  = sts + "quiz.yaml"
	stsM  = sts + "module.yaml"
	thQ   = sts + "th/quiz.yaml"
	thL1  = sts + "th/01-what-is-phishing.md"
)

// TestLoadProblems breaks the valid pack one rule at a time and checks that
// Load reports exactly the expected problems. A want ending in * matches
// by prefix (for messages written by the YAML parser).
func TestLoadProblems(t *testing.T) {
	tests := []struct {
		name  string
		edits []edit
		want  []string
	}{
		// module.yaml
		{"slug is not the directory", []edit{{stsM, "slug: spot-the-scam", "slug: spot-a-scam"}},
			[]string{`spot-the-scam/module.yaml:1: slug "spot-a-scam" does not match the directory name "spot-the-scam"`}},
		{"slug shape", []edit{{stsM, "slug: spot-the-scam", "slug: Spot_Scam"}}, []string{
			`spot-the-scam/module.yaml:1: slug "Spot_Scam" does not match the directory name "spot-the-scam"`,
			`spot-the-scam/module.yaml:1: slug "Spot_Scam" must be lower-case letters, digits and single hyphens`}},
		{"unknown field", []edit{{stsM, "content_warning: \"\"\n", "content_warning: \"\"\ncolour: red\n"}},
			[]string{`spot-the-scam/module.yaml:12: unknown field "colour"`}},
		{"category", []edit{{stsM, "category: computer", "category: crime"}},
			[]string{`spot-the-scam/module.yaml:4: category "crime" is not one of data, computer, content, cross`}},
		{"cluster missing", []edit{{stsM, "cluster: prevention\n", ""}},
			[]string{`spot-the-scam/module.yaml: cluster is required (one of prevention, law, innovation)`}},
		{"level", []edit{{stsM, "level: beginner", "level: expert"}},
			[]string{`spot-the-scam/module.yaml:7: level "expert" is not one of beginner, intermediate, advanced`}},
		{"readi unknown", []edit{{stsM, "readi: [discernment, responsibility]", "readi: [discernment, honesty]"}},
			[]string{`spot-the-scam/module.yaml:6: readi value "honesty" is not one of responsibility, empathy, authenticity, discernment, integrity`}},
		{"readi twice", []edit{{stsM, "readi: [discernment, responsibility]", "readi: [discernment, discernment]"}},
			[]string{`spot-the-scam/module.yaml:6: readi value "discernment" is listed twice`}},
		{"minutes not a number", []edit{{stsM, "minutes: 25", "minutes: lots"}},
			[]string{`spot-the-scam/module.yaml:8: minutes: expected a whole number, found text "lots"`}},
		{"minutes zero", []edit{{stsM, "minutes: 25", "minutes: 0"}},
			[]string{`spot-the-scam/module.yaml:8: minutes must be greater than 0, found 0`}},
		{"readi not a list", []edit{{stsM, "readi: [discernment, responsibility]", "readi: {a: b}"}},
			[]string{`spot-the-scam/module.yaml:6: readi: expected a list, found a mapping`}},
		{"no objectives", []edit{{stsM, "objectives:\n  - Recognise the warning signs of a phishing message\n", "objectives: []\n"}},
			[]string{`spot-the-scam/module.yaml:9: objectives needs at least one entry`}},
		{"empty objective", []edit{{stsM, "  - Recognise the warning signs of a phishing message", `  - ""`}},
			[]string{`spot-the-scam/module.yaml:10: objective 1 is empty`}},
		{"no sources", []edit{{stsM, "sources:\n  - {title: \"Recognize and Report Phishing\", publisher: \"CISA\", year: 2023, url: \"https://www.cisa.gov/phishing\"}\n", "sources: []\n"}},
			[]string{`spot-the-scam/module.yaml:12: sources needs at least one entry`}},
		{"source year", []edit{{stsM, "year: 2023", "year: 1800"}},
			[]string{`spot-the-scam/module.yaml:13: source 1: year must be after 1900, found 1800`}},
		{"source url", []edit{{stsM, `"https://www.cisa.gov/phishing"`, `"www.cisa.gov"`}},
			[]string{`spot-the-scam/module.yaml:13: source 1: url "www.cisa.gov" must be an absolute http or https URL`}},
		{"source publisher", []edit{{stsM, `publisher: "CISA", `, ""}},
			[]string{`spot-the-scam/module.yaml:13: source 1: publisher is required`}},
		{"module.yaml missing", []edit{{stsM, "", ""}},
			[]string{`spot-the-scam/module.yaml: file not found: every module needs one`}},
		{"module.yaml empty", []edit{{stsM, "", "# nothing yet\n"}},
			[]string{`spot-the-scam/module.yaml: file is empty`}},
		{"second document", []edit{{stsM, "sources:", "---\nsources:"}},
			[]string{`spot-the-scam/module.yaml:12: invalid YAML: found a second YAML document; a file holds only one`}},

		// lessons
		{"front matter slug", []edit{{stsL1, "slug: what-is-phishing", "slug: what-is-phish"}},
			[]string{`spot-the-scam/01-what-is-phishing.md:2: front matter slug "what-is-phish" does not match the file name slug "what-is-phishing"`}},
		{"no front matter", []edit{{stsL2, "", "## Use a channel\n\nText.\n"}},
			[]string{`spot-the-scam/02-check-the-sender.md:1: lesson must start with front matter: a line ---, slug, title, readi and minutes, then ---`}},
		{"front matter not closed", []edit{{stsL2, "", "---\nslug: check-the-sender\n"}},
			[]string{`spot-the-scam/02-check-the-sender.md:1: front matter is not closed by a --- line`}},
		{"front matter syntax", []edit{{stsL2, "title: Check the sender", "title: [Check"}},
			[]string{`spot-the-scam/02-check-the-sender.md:3: invalid YAML: did not find expected ',' or ']'`}},
		{"lesson file name", []edit{{sts + "3-extra.md", "", stsLesson2}},
			[]string{`spot-the-scam/3-extra.md: lesson file name must be NN-slug.md, with a two-digit number`}},
		{"lesson number twice", []edit{{sts + "02-more.md", "", strings.Replace(stsLesson2, "check-the-sender", "more", 1)}},
			[]string{`spot-the-scam/02-more.md: lesson number 02 is also used by 02-check-the-sender.md`}},
		{"lesson slug twice", []edit{{sts + "03-check-the-sender.md", "", stsLesson2}},
			[]string{`spot-the-scam/03-check-the-sender.md:2: lesson check-the-sender: slug is also used by lesson 2`}},
		{"lesson minutes", []edit{{stsL1, "minutes: 6", "minutes: 0"}},
			[]string{`spot-the-scam/01-what-is-phishing.md:5: lesson what-is-phishing: minutes must be greater than 0, found 0`}},
		{"lesson readi", []edit{{stsL1, "readi: [discernment]\n", ""}},
			[]string{`spot-the-scam/01-what-is-phishing.md:1: lesson what-is-phishing: readi needs at least one value`}},
		{"lesson unknown field", []edit{{stsL1, "minutes: 6\n", "minutes: 6\nauthor: me\n"}},
			[]string{`spot-the-scam/01-what-is-phishing.md:6: unknown field "author"`}},
		{"lesson h1", []edit{{stsL1, "## A text at night", "# A text at night"}},
			[]string{`spot-the-scam/01-what-is-phishing.md:7: lesson what-is-phishing: headings start at ##, found a level-1 heading`}},
		{"lesson link", []edit{{stsL1, "lesson:check-the-sender", "lesson:nowhere"}},
			[]string{`spot-the-scam/01-what-is-phishing.md:9: lesson what-is-phishing: link lesson:nowhere names no lesson of this module`}},
		{"lesson empty body", []edit{{stsL2, "## Use a channel you trust\n\nCall the number on the back of your card, not the one in the message.\n", ""}},
			[]string{`spot-the-scam/02-check-the-sender.md:7: lesson check-the-sender: body is empty`}},
		{"unexpected file", []edit{{sts + "notes.txt", "", "todo"}},
			[]string{`spot-the-scam/notes.txt: unexpected file: a module holds module.yaml, quiz.yaml, NN-slug.md lessons and language folders`}},

		// quiz.yaml
		{"quiz missing", []edit{{stsQ, "", ""}},
			[]string{`spot-the-scam/quiz.yaml: file not found: every module needs one`}},
		{"quiz not a mapping", []edit{{stsQ, "", "- a\n- b\n"}},
			[]string{`spot-the-scam/quiz.yaml:1: file must be a mapping of field: value lines`}},
		{"quiz syntax", []edit{{stsQ, "    type: single", "   type: single"}},
			[]string{`spot-the-scam/quiz.yaml:3: invalid YAML: did not find expected '-' indicator`}},
		{"pass_percent", []edit{{stsQ, "pass_percent: 70", "pass_percent: 101"}},
			[]string{`spot-the-scam/quiz.yaml:1: pass_percent must be between 1 and 100, found 101`}},
		{"single two correct", []edit{{stsQ, "{id: a, text: The link in the SMS,", "{id: a, text: The link in the SMS, correct: true,"}},
			[]string{`spot-the-scam/quiz.yaml:8: question sts-q01: single question needs exactly one correct option, found 2`}},
		{"single one option", []edit{{stsQ, "      - {id: a, text: The link in the SMS, feedback: Links in unexpected messages are bait.}\n", ""}},
			[]string{`spot-the-scam/quiz.yaml:8: question sts-q01: single question needs at least 2 options, found 1`,
				`spot-the-scam/th/quiz.yaml:5: translation th: question sts-q01: option a is not in the base question`}},
		{"multiple none correct", []edit{
			{stsQ, "A deadline of two hours, correct: true,", "A deadline of two hours,"},
			{stsQ, "keep it secret, correct: true,", "keep it secret,"}},
			[]string{`spot-the-scam/quiz.yaml:16: question sts-q02: multiple question needs at least one correct option, found 0`}},
		{"option feedback", []edit{{stsQ, ", feedback: Right.}", "}"}},
			[]string{`spot-the-scam/quiz.yaml:10: question sts-q01: option b has no feedback`}},
		{"option id twice", []edit{{stsQ, "{id: b, text: A request", "{id: a, text: A request"}},
			[]string{`spot-the-scam/quiz.yaml:18: question sts-q02: option id a is used twice`}},
		{"true_false answer", []edit{{stsQ, "    answer: false\n", ""}},
			[]string{`spot-the-scam/quiz.yaml:20: question sts-q03: true_false question needs an answer (true or false)`}},
		{"true_false answer not bool", []edit{{stsQ, "answer: false", "answer: maybe"}},
			[]string{`spot-the-scam/quiz.yaml:25: answer: expected true or false, found text "maybe"`}},
		{"true_false feedback", []edit{{stsQ, "    feedback_false: Right, spelling proves nothing.\n", ""}},
			[]string{`spot-the-scam/quiz.yaml:20: question sts-q03: feedback_false is required`}},
		{"field of another type", []edit{{stsQ, "    answer: false\n", "    answer: false\n    items: [{id: a, text: b}]\n"}},
			[]string{`spot-the-scam/quiz.yaml:26: question sts-q03: items is not used by true_false questions`}},
		{"ordering sorted", []edit{{stsQ, "{id: k,", "{id: a,"}, {stsQ, "{id: c, text: Keep", "{id: b, text: Keep"}, {stsQ, "{id: x,", "{id: c,"}},
			[]string{`spot-the-scam/quiz.yaml:33: question sts-q04: item ids a, b, c already sort into the correct order, which gives the answer away`}},
		{"ordering naturally sorted", []edit{{stsQ, "{id: k,", "{id: i2,"}, {stsQ, "{id: c, text: Keep", "{id: i10, text: Keep"}, {stsQ, "{id: x,", "{id: i11,"}},
			[]string{`spot-the-scam/quiz.yaml:33: question sts-q04: item ids i2, i10, i11 already sort into the correct order, which gives the answer away`}},
		{"ordering two items", []edit{{stsQ, "      - {id: x, text: Report to the hotline}\n", ""}},
			[]string{`spot-the-scam/quiz.yaml:33: question sts-q04: ordering question needs at least 3 items, found 2`}},
		{"matching same order", []edit{{stsQ, "{id: rb, text: A small", "{id: ra, text: A small"}, {stsQ, "{id: ra, text: Easy", "{id: rb, text: Easy"}},
			[]string{`spot-the-scam/quiz.yaml:42: question sts-q05: right ids sort into the same order as their left ids, which gives the answer away`}},
		{"matching one pair", []edit{{stsQ, "      - {left: {id: l2, text: Job scam}, right: {id: ra, text: Easy money for likes}}\n", ""}},
			[]string{`spot-the-scam/quiz.yaml:42: question sts-q05: matching question needs at least 2 pairs, found 1`}},
		{"matching left twice", []edit{{stsQ, "{id: l2,", "{id: l1,"}},
			[]string{`spot-the-scam/quiz.yaml:44: question sts-q05: left id l1 is used twice`}},
		{"red_flags channel", []edit{{stsQ, "channel: sms", "channel: fax"}},
			[]string{`spot-the-scam/quiz.yaml:51: question sts-q06: message channel "fax" is not one of sms, email, chat, social`}},
		{"red_flags none flagged", []edit{{stsQ, "flag: true, why", "flag: false, why"}},
			[]string{`spot-the-scam/quiz.yaml:53: question sts-q06: message needs at least one flagged segment`}},
		{"red_flags all flagged", []edit{{stsQ, `on hold.", flag: false}`, `on hold.", flag: true}`}}, []string{
			`spot-the-scam/quiz.yaml:53: question sts-q06: message needs at least one segment that is not flagged`,
			`spot-the-scam/quiz.yaml:54: question sts-q06: flagged segment s1 has no why`}},
		{"red_flags subject", []edit{{stsQ, "      segments:\n", "      subject: Hi\n      segments:\n"}},
			[]string{`spot-the-scam/quiz.yaml:53: question sts-q06: message subject is only for email, channel is sms`}},
		{"scenario next", []edit{{stsQ, "next: after", "next: later"}}, []string{
			`spot-the-scam/quiz.yaml:65: question sts-q07: choice c1: next "later" names no step of this question`,
			`spot-the-scam/quiz.yaml:67: question sts-q07: step after cannot be reached from the start step start`}},
		{"scenario loop", []edit{{stsQ, "{id: c3, text: Report it together,", "{id: c3, text: Report it together, next: start,"}},
			[]string{`spot-the-scam/quiz.yaml:62: question sts-q07: steps start -> after -> start form a loop, so the story never ends`}},
		{"scenario no points", []edit{{stsQ, "next: after, points: 1,", "next: after,"}, {stsQ, "points: 1, feedback: Reporting", "feedback: Reporting"}},
			[]string{`spot-the-scam/quiz.yaml:61: question sts-q07: no path through the story scores more than 0 points`}},
		{"scenario feedback", []edit{{stsQ, ", feedback: Shame stops people reporting.}", "}"}},
			[]string{`spot-the-scam/quiz.yaml:66: question sts-q07: choice c2 has no feedback`}},
		{"scenario choice twice", []edit{{stsQ, "{id: c3,", "{id: c1,"}},
			[]string{`spot-the-scam/quiz.yaml:70: question sts-q07: choice id c1 is used twice`}},
		{"question explanation", []edit{{stsQ, "    explanation: Only type the address of your bank yourself.\n", ""}},
			[]string{`spot-the-scam/quiz.yaml:3: question sts-q01: explanation is required`}},
		{"question prompt", []edit{{stsQ, "    prompt: Which link is safe to open?\n", ""}},
			[]string{`spot-the-scam/quiz.yaml:3: question sts-q01: prompt is required`}},
		{"question readi", []edit{{stsQ, "    readi: [discernment]\n    prompt: Which link", "    prompt: Which link"}},
			[]string{`spot-the-scam/quiz.yaml:3: question sts-q01: readi needs at least one value`}},
		{"question type", []edit{{stsQ, "type: single", "type: choose"}},
			[]string{`spot-the-scam/quiz.yaml:4: question sts-q01: type "choose" is not one of single, multiple, true_false, ordering, matching, red_flags, scenario`}},
		{"question unknown field", []edit{{stsQ, "    prompt: Which link", "    hint: Look closely.\n    prompt: Which link"}},
			[]string{`spot-the-scam/quiz.yaml:6: unknown field "hint"`}},
		{"question points", []edit{{stsQ, "    type: single\n", "    type: single\n    points: -1\n"}},
			[]string{`spot-the-scam/quiz.yaml:5: question sts-q01: points must be a number of 0 or more, found -1`}},
		{"question id twice in module", []edit{{stsQ, "id: sts-q02", "id: sts-q01"}},
			[]string{`spot-the-scam/quiz.yaml:11: question sts-q01: id is also used by question 1 of this quiz`}},
		{"question id twice in pack", []edit{{"lock-your-accounts/quiz.yaml", "id: lya-q01", "id: sts-q01"}},
			[]string{`spot-the-scam/quiz.yaml:3: question id sts-q01 is already used in lock-your-accounts/quiz.yaml:3; ids are unique across the pack`}},

		// curriculum.yaml
		{"module in no track", []edit{{"curriculum.yaml", "  - slug: stay-safe\n    title: Stay safe\n    modules: [lock-your-accounts]\n", ""}},
			[]string{`curriculum.yaml: module lock-your-accounts is in no track`}},
		{"module without directory", []edit{{"curriculum.yaml", "modules: [spot-the-scam]", "modules: [spot-the-scam, ghost]"}},
			[]string{`curriculum.yaml:4: module ghost has no directory`}},
		{"module in two tracks", []edit{{"curriculum.yaml", "modules: [lock-your-accounts]", "modules: [lock-your-accounts, spot-the-scam]"}},
			[]string{`curriculum.yaml:7: track stay-safe: module spot-the-scam is already listed in track first-steps`}},
		{"track slug twice", []edit{{"curriculum.yaml", "slug: stay-safe", "slug: first-steps"}},
			[]string{`curriculum.yaml:5: track first-steps: slug is used twice`}},
		{"curriculum missing", []edit{{"curriculum.yaml", "", ""}},
			[]string{`curriculum.yaml: file not found: every pack needs one`}},

		// translations
		{"translated question unknown", []edit{{thQ, "id: sts-q07", "id: sts-q99"}},
			[]string{`spot-the-scam/th/quiz.yaml:6: translation th: question sts-q99 is not in the base quiz`}},
		{"translated option unknown", []edit{{thQ, "{id: a,", "{id: z,"}},
			[]string{`spot-the-scam/th/quiz.yaml:5: translation th: question sts-q01: option z is not in the base question`}},
		{"translated choice unknown", []edit{{thQ, "{id: c1,", "{id: c3,"}},
			[]string{`spot-the-scam/th/quiz.yaml:10: translation th: question sts-q07: choice c3 is not in the base question`}},
		{"translation sets correct", []edit{{thQ, "ลิงก์ใน SMS}", "ลิงก์ใน SMS, correct: true}"}},
			[]string{`spot-the-scam/th/quiz.yaml:5: unknown field "correct" (a translation carries only text)`}},
		{"translated question twice", []edit{{thQ, "  - id: sts-q07", "  - id: sts-q01\n    prompt: อีกครั้ง\n  - id: sts-q07"}},
			[]string{`spot-the-scam/th/quiz.yaml:6: question sts-q01 is translated twice`}},
		{"translated text of another type", []edit{{thQ, "    options:", "    feedback_true: ใช่\n    options:"}},
			[]string{`spot-the-scam/th/quiz.yaml:4: translation th: question sts-q01: feedback_true is not used by single questions`}},
		{"translated lesson unknown", []edit{{sts + "th/03-extra.md", "", thLesson1}},
			[]string{`spot-the-scam/th/03-extra.md: translated lesson has no base lesson 03-extra.md in spot-the-scam`}},
		{"translated lesson slug", []edit{{thL1, "slug: what-is-phishing", "slug: phishing"}},
			[]string{`spot-the-scam/th/01-what-is-phishing.md:2: translation th: lesson what-is-phishing: front matter slug "phishing" must be the base slug "what-is-phishing"`}},
		{"translated lesson minutes", []edit{{thL1, "title: ฟิชชิงคืออะไร\n", "title: ฟิชชิงคืออะไร\nminutes: 5\n"}},
			[]string{`spot-the-scam/th/01-what-is-phishing.md:4: unknown field "minutes" (a translation carries only text)`}},
		{"translated lesson link", []edit{{thL1, "lesson:check-the-sender", "lesson:nowhere"}},
			[]string{`spot-the-scam/th/01-what-is-phishing.md:7: translation th: lesson what-is-phishing: link lesson:nowhere names no lesson of this module`}},
		{"translated objectives", []edit{{sts + "th/module.yaml", "summary:", "objectives: [หนึ่ง, สอง]\nsummary:"}},
			[]string{`spot-the-scam/th/module.yaml:2: translation th: objectives has 2 entries, the base module has 1`}},
		{"folder en", []edit{{sts + "en/module.yaml", "", thModule}},
			[]string{`spot-the-scam/en: folder en is not a translation: name it with a lower-case language tag other than en (th, vi, fil, ...)`}},
		{"folder upper case", []edit{{sts + "TH/module.yaml", "", thModule}},
			[]string{`spot-the-scam/TH: folder TH is not a translation: name it with a lower-case language tag other than en (th, vi, fil, ...)`}},
		{"translation unexpected file", []edit{{sts + "th/notes.md", "", "x"}},
			[]string{`spot-the-scam/th/notes.md: unexpected file: a translation folder holds module.yaml, quiz.yaml and lesson files named like the base ones`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := validPack()
			applyEdits(t, fsys, tt.edits...)
			pack, err := Load(fsys)
			if pack != nil {
				t.Errorf("Load(%s) returned a pack, want nil", tt.name)
			}
			var probs *Problems
			if !errors.As(err, &probs) {
				t.Fatalf("Load(%s) error = %v, want *Problems", tt.name, err)
			}
			got := strings.Split(err.Error(), "\n")
			if !matchAll(got, tt.want) {
				t.Errorf("Load(%s) =\n%s\nwant\n%s", tt.name, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func matchAll(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i, w := range want {
		if p, ok := strings.CutSuffix(w, "*"); ok {
			if !strings.HasPrefix(got[i], p) {
				return false
			}
		} else if got[i] != w {
			return false
		}
	}
	return true
}
