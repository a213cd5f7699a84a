package catalog

import (
	"errors"
	"strings"
	"testing"

	"github.com/readi-platform/readi/internal/model"
)

func TestLoadValidPack(t *testing.T) {
	pack, err := Load(validPack())
	if err != nil {
		t.Fatalf("Load(valid pack) error:\n%v", err)
	}
	if got, want := len(pack.Tracks), 2; got != want {
		t.Fatalf("Load(valid pack) tracks = %d, want %d", got, want)
	}
	var slugs []string
	for _, m := range pack.Modules {
		slugs = append(slugs, m.Slug)
	}
	if got, want := strings.Join(slugs, ","), "spot-the-scam,lock-your-accounts"; got != want {
		t.Fatalf("Load(valid pack) modules = %s, want %s", got, want)
	}
	sts, lya := pack.Modules[0], pack.Modules[1]

	checks := []struct {
		what      string
		got, want any
	}{
		{"sts track", sts.Track, "first-steps"},
		{"sts position", sts.Position, 1},
		{"lya track", lya.Track, "stay-safe"},
		{"lya position", lya.Position, 2},
		{"sts category", sts.Category, model.CategoryComputer},
		{"sts sources", len(sts.Sources), 1},
		{"sts lessons", len(sts.Lessons), 2},
		{"sts lesson 1", sts.Lessons[0].Slug, "what-is-phishing"},
		{"sts lesson 2", sts.Lessons[1].Slug, "check-the-sender"},
		{"sts lesson 1 minutes", sts.Lessons[0].Minutes, 6},
		{"sts lesson 1 markdown starts", strings.SplitN(sts.Lessons[0].Markdown, "\n", 2)[0], "## A text at night"},
		{"sts lesson 1 link", strings.Contains(sts.Lessons[0].HTML, `<a href="/modules/spot-the-scam/lessons/check-the-sender" rel="noopener noreferrer">`), true},
		{"sts quiz questions", len(sts.Quiz.Questions), 7},
		{"sts quiz pass", sts.Quiz.PassPercent, 70},
		{"sts q03 answer", *sts.Quiz.Questions[2].Answer, false},
		{"sts q07 steps", len(sts.Quiz.Questions[6].Steps), 2},
		{"sts translations", len(sts.Translations), 1},
		{"th title", sts.Translations["th"].Title, "จับโกหกมิจฉาชีพ"},
		{"th lessons", len(sts.Translations["th"].Lessons), 1},
		{"th lesson title", sts.Translations["th"].Lessons["what-is-phishing"].Title, "ฟิชชิงคืออะไร"},
		{"th lesson link", strings.Contains(sts.Translations["th"].Lessons["what-is-phishing"].HTML, `href="/modules/spot-the-scam/lessons/check-the-sender"`), true},
		{"th questions", len(sts.Translations["th"].Questions), 2},
		{"th q01 prompt", sts.Translations["th"].Questions["sts-q01"].Prompt, "ลิงก์ไหนเปิดได้อย่างปลอดภัย"},
		{"th q07 feedback", sts.Translations["th"].Questions["sts-q07"].Steps[0].Choices[0].Feedback, "ความเร็วสำคัญ"},
		{"lya translations", len(lya.Translations), 0},
		{"lya lesson html", sts.Lessons[0].HTML != "" && strings.Contains(lya.Lessons[0].HTML, "<strong>strong</strong>"), true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("Load(valid pack) %s = %v, want %v", c.what, c.got, c.want)
		}
	}
	for _, m := range pack.Modules {
		if probs := ValidateModule(m); len(probs) > 0 {
			t.Errorf("ValidateModule(%s) = %v, want none", m.Slug, probs)
		}
	}
}

func TestLoadLessonOrder(t *testing.T) {
	fsys := validPack()
	applyEdits(t, fsys,
		edit{"spot-the-scam/10-later.md", "", strings.Replace(stsLesson2, "check-the-sender", "later", 1)},
		edit{"spot-the-scam/00-first.md", "", strings.Replace(stsLesson2, "check-the-sender", "first", 1)},
	)
	pack, err := Load(fsys)
	if err != nil {
		t.Fatalf("Load(pack with 4 lessons) error:\n%v", err)
	}
	var got []string
	for _, l := range pack.Modules[0].Lessons {
		got = append(got, l.Slug)
	}
	if want := "first,what-is-phishing,check-the-sender,later"; strings.Join(got, ",") != want {
		t.Errorf("Load(pack with 4 lessons) lessons = %s, want %s", strings.Join(got, ","), want)
	}
}

// TestLoadCRLF checks that files saved with Windows line endings and a
// byte order mark load like any other.
func TestLoadCRLF(t *testing.T) {
	fsys := validPack()
	for name, f := range fsys {
		fsys[name].Data = append([]byte("\xef\xbb\xbf"), []byte(strings.ReplaceAll(string(f.Data), "\n", "\r\n"))...)
	}
	if _, err := Load(fsys); err != nil {
		t.Errorf("Load(CRLF pack) error:\n%v", err)
	}
}

func TestProblemsError(t *testing.T) {
	fsys := validPack()
	applyEdits(t, fsys,
		edit{"spot-the-scam/quiz.yaml", "pass_percent: 70", "pass_percent: 0"},
		edit{"lock-your-accounts/module.yaml", "minutes: 10", "minutes: -1"},
		edit{"spot-the-scam/module.yaml", "level: beginner", "level: expert"},
		edit{"curriculum.yaml", "title: Stay safe", "title: ''"},
	)
	pack, err := Load(fsys)
	if pack != nil {
		t.Errorf("Load(broken pack) returned a pack, want nil")
	}
	var probs *Problems
	if !errors.As(err, &probs) {
		t.Fatalf("Load(broken pack) error = %T %v, want *Problems", err, err)
	}
	want := strings.Join([]string{
		"curriculum.yaml:6: track stay-safe: title is required",
		"lock-your-accounts/module.yaml:8: minutes must be greater than 0, found -1",
		"spot-the-scam/module.yaml:7: level \"expert\" is not one of beginner, intermediate, advanced",
		"spot-the-scam/quiz.yaml:1: pass_percent must be between 1 and 100, found 0",
	}, "\n")
	if got := err.Error(); got != want {
		t.Errorf("Load(broken pack) error =\n%s\nwant\n%s", got, want)
	}
}
