package catalog

import (
	"math"
	"regexp"
	"testing"

	"github.com/readi-platform/readi/internal/model"
)

var hexSHA256 = regexp.MustCompile(`^[0-9a-f]{64}$`)

func TestModuleHash(t *testing.T) {
	base := ModuleHash(validModule(t))
	if !hexSHA256.MatchString(base) {
		t.Fatalf("ModuleHash(valid) = %q, want 64 hex digits", base)
	}
	tests := []struct {
		name   string
		change func(m *model.Module)
		same   bool
	}{
		{"unchanged", func(m *model.Module) {}, true},
		{"empty instead of nil", func(m *model.Module) {
			m.Quiz.Questions[0].Items = []model.Item{}
			m.Lessons[0].Readi = append([]model.Value{}, m.Lessons[0].Readi...)
			m.Translations["vi"] = model.ModuleTranslation{}
		}, true},
		{"title", func(m *model.Module) { m.Title += "!" }, false},
		{"position", func(m *model.Module) { m.Position = 9 }, false},
		{"lesson Markdown", func(m *model.Module) { m.Lessons[1].Markdown += "More." }, false},
		{"lesson HTML", func(m *model.Module) { m.Lessons[1].HTML += "<p>More.</p>" }, false},
		{"lesson order", func(m *model.Module) { m.Lessons[0], m.Lessons[1] = m.Lessons[1], m.Lessons[0] }, false},
		{"option correct", func(m *model.Module) { m.Quiz.Questions[1].Options[2].Correct = true }, false},
		{"points", func(m *model.Module) { m.Quiz.Questions[0].Points = 2 }, false},
		{"translation", func(m *model.Module) {
			tr := m.Translations["th"]
			tr.Title += "!"
			m.Translations["th"] = tr
		}, false},
	}
	for _, tt := range tests {
		m := validModule(t)
		tt.change(&m)
		if got := ModuleHash(m); (got == base) != tt.same {
			t.Errorf("ModuleHash(%s) = %s, same as before = %v, want %v", tt.name, got, got == base, tt.same)
		}
	}
}

func TestQuestionHash(t *testing.T) {
	m := validModule(t)
	seen := map[string]string{}
	for _, q := range m.Quiz.Questions {
		h := QuestionHash(q)
		if !hexSHA256.MatchString(h) {
			t.Errorf("QuestionHash(%s) = %q, want 64 hex digits", q.ID, h)
		}
		if other, dup := seen[h]; dup {
			t.Errorf("QuestionHash(%s) = QuestionHash(%s), want different", q.ID, other)
		}
		seen[h] = q.ID
		if again := QuestionHash(q); again != h {
			t.Errorf("QuestionHash(%s) = %s then %s, want stable", q.ID, h, again)
		}
	}
	q := m.Quiz.Questions[0]
	before := QuestionHash(q)
	q.Points = 1 // weight 1 is the default, but written out it is a change
	if QuestionHash(q) == before {
		t.Errorf("QuestionHash(points 0 -> 1) unchanged, want changed")
	}
	q.Points = math.NaN()
	if h := QuestionHash(q); !hexSHA256.MatchString(h) {
		t.Errorf("QuestionHash(NaN points) = %q, want 64 hex digits", h)
	}
}
