package content_test

import (
	"strings"
	"testing"

	"github.com/readi-platform/readi/content"
	"github.com/readi-platform/readi/internal/catalog"
	"github.com/readi-platform/readi/internal/model"
)

// The curriculum's floors (issue 3). The validator in internal/catalog
// refuses broken modules (missing objectives, sources, explanations or
// feedback, dead lesson links, red_flags without a flag, unreachable or
// endless scenarios); these tests keep the breadth and depth from dropping.
const (
	minModules          = 12
	minQuestions        = 150
	minPerType          = 10
	minPerValue         = 20
	minModuleQuestions  = 10
	minModuleTypes      = 3
	minLessons          = 3
	maxLessons          = 6
	minLessonMinutes    = 5
	maxLessonMinutes    = 10
	minScenarioBranches = 2
)

func loadPack(t *testing.T) *catalog.Pack {
	t.Helper()
	pack, err := catalog.Load(content.FS)
	if err != nil {
		t.Fatalf("the built-in pack does not load:\n%v", err)
	}
	return pack
}

func TestCurriculumBreadth(t *testing.T) {
	pack := loadPack(t)
	if len(pack.Modules) < minModules {
		t.Errorf("modules = %d, want at least %d", len(pack.Modules), minModules)
	}
	byCategory := map[model.Category]int{}
	byCluster := map[model.Cluster]int{}
	for _, m := range pack.Modules {
		byCategory[m.Category]++
		byCluster[m.Cluster]++
	}
	for _, c := range []model.Category{model.CategoryData, model.CategoryComputer, model.CategoryContent} {
		if byCategory[c] < 3 {
			t.Errorf("category %s has %d modules, want at least 3", c, byCategory[c])
		}
	}
	for _, c := range model.Clusters {
		if byCluster[c] < 1 {
			t.Errorf("cluster %s has no module", c)
		}
	}
}

func TestCurriculumDepth(t *testing.T) {
	pack := loadPack(t)
	perType := map[model.QuestionType]int{}
	perValue := map[model.Value]int{}
	total := 0
	for _, m := range pack.Modules {
		if len(m.Objectives) == 0 || len(m.Sources) == 0 {
			t.Errorf("%s: needs objectives and sources", m.Slug)
		}
		if n := len(m.Lessons); n < minLessons || n > maxLessons {
			t.Errorf("%s: %d lessons, want %d to %d", m.Slug, n, minLessons, maxLessons)
		}
		for _, l := range m.Lessons {
			if l.Minutes < minLessonMinutes || l.Minutes > maxLessonMinutes {
				t.Errorf("%s/%s: %d minutes, want %d to %d", m.Slug, l.Slug, l.Minutes, minLessonMinutes, maxLessonMinutes)
			}
			lower := strings.ToLower(l.Markdown)
			if !strings.Contains(lower, "what would you do") {
				t.Errorf("%s/%s: no \"What would you do?\" moment", m.Slug, l.Slug)
			}
			if !strings.Contains(lower, "readi takeaway") {
				t.Errorf("%s/%s: no READI takeaway", m.Slug, l.Slug)
			}
		}
		types := map[model.QuestionType]bool{}
		for _, q := range m.Quiz.Questions {
			total++
			perType[q.Type]++
			types[q.Type] = true
			for _, v := range q.Readi {
				perValue[v]++
			}
			if q.Type == model.Scenario && decisions(q, q.Steps[0].ID) < minScenarioBranches {
				t.Errorf("%s: scenario %s has at most %d decisions on a path, want at least %d", m.Slug, q.ID, decisions(q, q.Steps[0].ID), minScenarioBranches)
			}
		}
		if n := len(m.Quiz.Questions); n < minModuleQuestions {
			t.Errorf("%s: %d questions, want at least %d", m.Slug, n, minModuleQuestions)
		}
		if len(types) < minModuleTypes {
			t.Errorf("%s: %d question types, want at least %d", m.Slug, len(types), minModuleTypes)
		}
	}
	if total < minQuestions {
		t.Errorf("questions = %d, want at least %d", total, minQuestions)
	}
	for _, qt := range model.QuestionTypes {
		if perType[qt] < minPerType {
			t.Errorf("type %s used %d times, want at least %d", qt, perType[qt], minPerType)
		}
	}
	for _, v := range model.Values {
		if perValue[v] < minPerValue {
			t.Errorf("value %s tags %d questions, want at least %d", v, perValue[v], minPerValue)
		}
	}
}

// decisions is the largest number of real choices (steps offering two or
// more options) on any path from step id to an ending. The validator has
// already refused cycles, so the recursion ends.
func decisions(q model.Question, id string) int {
	for _, s := range q.Steps {
		if s.ID != id {
			continue
		}
		best := 0
		for _, c := range s.Choices {
			if c.Next != "" {
				best = max(best, decisions(q, c.Next))
			}
		}
		if len(s.Choices) > 1 {
			best++
		}
		return best
	}
	return 0
}

func TestCareForVictims(t *testing.T) {
	pack := loadPack(t)
	hasGetHelp := false
	for _, m := range pack.Modules {
		if m.Cluster == model.ClusterLaw {
			for _, l := range m.Lessons {
				if l.Slug == "get-help" {
					hasGetHelp = true
				}
			}
		}
		if m.Category != model.CategoryContent {
			continue
		}
		box := false
		for _, l := range m.Lessons {
			if strings.Contains(strings.ToLower(l.Markdown), "if this is happening to you") {
				box = true
			}
		}
		if !box {
			t.Errorf("%s: content module without an \"If this is happening to you\" box", m.Slug)
		}
	}
	if !hasGetHelp {
		t.Error("no law-cluster module has a get-help lesson")
	}
	for _, m := range pack.Modules {
		if strings.Contains(m.Slug, "sextortion") && m.ContentWarning == "" {
			t.Errorf("%s: needs a content warning", m.Slug)
		}
	}
}
