package admin

import (
	"os"
	"reflect"
	"testing"

	"github.com/readi-platform/readi/internal/model"
)

func ptr[T any](v T) *T { return &v }

// TestGIFTEveryConstruct maps testdata/all-constructs.gift, which holds
// one question per construct of the format: each one READI supports
// becomes the question below, and each one it does not is an issue with
// its line, never a silent loss.
func TestGIFTEveryConstruct(t *testing.T) {
	text, err := os.ReadFile("testdata/all-constructs.gift")
	if err != nil {
		t.Fatal(err)
	}
	parsed, issues := parseGIFT(string(text))
	qs, titles, more := mapGIFT(parsed)
	issues = append(issues, more...)
	sortIssues(issues)

	opt := func(id, text string, correct bool, fb string) model.Option {
		return model.Option{ID: id, Text: text, Correct: correct, Feedback: fb}
	}
	pair := func(l, left, r, right string) model.Pair {
		return model.Pair{Left: model.Item{ID: l, Text: left}, Right: model.Item{ID: r, Text: right}}
	}
	want := []model.Question{
		{Type: model.TrueFalse, Prompt: "Grass is green.", Answer: ptr(true)},
		{Type: model.TrueFalse, Prompt: "The sun is cold.", Answer: ptr(false), Explanation: "The sun is a star.",
			// GIFT's first feedback is for a wrong answer (true), the second for a right one.
			FeedbackTrue: "Wrong: it is hot.", FeedbackFalse: "Right, it is hot."},
		{Type: model.Single, Prompt: "What is the capital of Thailand?", Explanation: "Bangkok has been the capital since 1782.",
			Options: []model.Option{opt("a", "Bangkok", true, "Yes."), opt("b", "Chiang Mai", false, "No, that is in the north."),
				opt("c", "Phuket", false, "No, that is an island.")}},
		{Type: model.Multiple, Prompt: "Which are warning signs of a scam?",
			Options: []model.Option{opt("a", "Urgency", true, "Yes."), opt("b", "A request to pay", true, "Yes."),
				opt("c", "A sender you know", false, "No.")}},
		{Type: model.Multiple, Prompt: "Which ports are usually encrypted?",
			Options: []model.Option{opt("a", "443", true, ""), opt("b", "993", true, ""), opt("c", "80", false, "")}},
		{Type: model.Matching, Prompt: "Match the scam to its channel.",
			Pairs: []model.Pair{pair("l1", "Smishing", "r3", "SMS"), pair("l2", "Vishing", "r2", "Phone call"), pair("l3", "Phishing", "r1", "E-mail")}},
		{Type: model.Single, Prompt: "Scammers ask you to pay in _____ because gift cards cannot be traced.",
			Options: []model.Option{opt("a", "cash", false, ""), opt("b", "gift cards", true, ""), opt("c", "a bank transfer", false, "")}},
		{Type: model.TrueFalse, Prompt: `Is 1 = 1 : yes ~ # {ok} a\b?`, Answer: ptr(true),
			FeedbackTrue: "right {fb}", FeedbackFalse: "wrong # feedback"},
		{Type: model.TrueFalse, Prompt: "Is HTML & plain?", Answer: ptr(true)},
		{Type: model.TrueFalse, Prompt: "Is **Markdown** shown as text?", Answer: ptr(false)},
	}
	if len(qs) != len(want) {
		t.Fatalf("mapGIFT made %d questions, want %d: %+v", len(qs), len(want), qs)
	}
	for i := range want {
		if !reflect.DeepEqual(qs[i], want[i]) {
			t.Errorf("question %d = %+v\nwant %+v", i+1, qs[i], want[i])
		}
	}
	wantTitles := []string{"tf-true", "tf-false", "Capital of Thailand", "Warning signs", "Weighted", "Match", "", `Escapes\:ok`, "", ""}
	if !reflect.DeepEqual(titles, wantTitles) {
		t.Errorf("titles = %q, want %q", titles, wantTitles)
	}
	type seen struct {
		line               int
		construct, outcome string
	}
	var got []seen
	for _, is := range issues {
		got = append(got, seen{is.Line, is.Construct, is.Outcome})
		if is.Message == "" {
			t.Errorf("issue at line %d has no message", is.Line)
		}
	}
	wantIssues := []seen{
		{3, "category", "ignored"},
		{22, "weights", "approximated"},
		{34, "short answer", "skipped"},
		{36, "numerical", "skipped"},
		{38, "essay", "skipped"},
		{40, "description", "skipped"},
		{46, "format", "approximated"},
		{48, "format", "approximated"},
		{50, "answers", "skipped"},
	}
	if !reflect.DeepEqual(got, wantIssues) {
		t.Errorf("issues = %v\nwant %v", got, wantIssues)
	}
}

func TestGIFTEdgeCases(t *testing.T) {
	tests := []struct {
		name, text string
		questions  int
		issues     []string // construct/outcome
	}{
		{"windows line ends and a BOM", "\ufeff::a::Yes?{T}\r\n\r\n::b::No?{F}\r\n", 2, nil},
		{"comment inside a question keeps it whole", "Pick one {\n// not an answer\n=x ~y}", 1, nil},
		{"single with partial credit", "Pick {=a ~%50%b ~c}", 1, []string{"weights/approximated"}},
		{"no right answer", "Pick {~a ~b}", 0, []string{"weights/skipped"}},
		{"matching distractor", "Match {=a -> 1 =b -> 2 = -> 3}", 1, []string{"matching/approximated"}},
		{"matching of one pair", "Match {=a -> 1}", 0, []string{"matching/skipped"}},
		{"two answer blocks", "A {=x ~y} and B {=z ~w}", 0, []string{"answers/skipped"}},
		{"unclosed title", "::oops Question {T}", 0, []string{"title/skipped"}},
		{"stray text before answers", "Q {hello =a ~b}", 0, []string{"answers/skipped"}},
		{"numeric range", "Q {#1..5}", 0, []string{"numerical/skipped"}},
		{"extra true/false feedback", "Q {T#a#b#c}", 1, []string{"feedback/approximated"}},
	}
	for _, tt := range tests {
		parsed, issues := parseGIFT(tt.text)
		qs, _, more := mapGIFT(parsed)
		var got []string
		for _, is := range append(issues, more...) {
			got = append(got, is.Construct+"/"+is.Outcome)
		}
		if len(qs) != tt.questions || !reflect.DeepEqual(got, tt.issues) {
			t.Errorf("%s: %d questions, issues %v; want %d, %v", tt.name, len(qs), got, tt.questions, tt.issues)
		}
	}
}

func TestNewQuestionID(t *testing.T) {
	m := model.Module{Slug: "spot-the-scam", Quiz: &model.Quiz{Questions: []model.Question{{ID: "sts-phishing"}}}}
	tests := []struct {
		title string
		added []model.Question
		want  string
	}{
		{"Phishing", nil, "sts-phishing-2"},
		{"Is it a scam?", nil, "sts-is-it-a-scam"},
		{"", nil, "sts-g02"},
		{"", []model.Question{{ID: "sts-g02"}}, "sts-g03"},
		{"ภาษาไทย", nil, "sts-g02"},
	}
	for _, tt := range tests {
		if got := newQuestionID(m, tt.title, tt.added); got != tt.want {
			t.Errorf("newQuestionID(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
}

func TestGIFTIssueLinesInsideAQuestion(t *testing.T) {
	text := "// header\n\n::m::Match {\n  =a -> 1\n  =b -> 2\n  = -> extra\n}\n"
	parsed, _ := parseGIFT(text)
	_, _, issues := mapGIFT(parsed)
	if len(issues) != 1 || issues[0].Line != 6 {
		t.Fatalf("issues = %+v, want the extra right answer at line 6", issues)
	}
}

// FuzzGIFT checks that no text makes the GIFT import panic, and that
// every question it creates has a type READI grades.
func FuzzGIFT(f *testing.F) {
	seed, _ := os.ReadFile("testdata/all-constructs.gift")
	f.Add(string(seed))
	for _, s := range []string{"{", "}", "::", "::a", "{=", "{~%", "{~%50", "{T#", `\`, "{=a->}", "$CATEGORY:", "[html]{T}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		parsed, _ := parseGIFT(text)
		qs, titles, _ := mapGIFT(parsed)
		if len(titles) != len(qs) {
			t.Fatalf("%d titles for %d questions", len(titles), len(qs))
		}
		for _, q := range qs {
			if !q.Type.Valid() {
				t.Fatalf("question of type %q from %q", q.Type, text)
			}
		}
	})
}
