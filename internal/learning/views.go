package learning

import (
	"github.com/readi-platform/readi/internal/model"
)

// ModuleSummary is a catalogue card.
type ModuleSummary struct {
	Slug           string          `json:"slug"`
	Title          string          `json:"title"`
	Summary        string          `json:"summary"`
	Category       model.Category  `json:"category"`
	Cluster        model.Cluster   `json:"cluster"`
	Readi          []model.Value   `json:"readi"`
	Level          string          `json:"level"`
	Minutes        int             `json:"minutes"`
	LessonCount    int             `json:"lesson_count"`
	QuestionCount  int             `json:"question_count"`
	Track          string          `json:"track"`
	TrackTitle     string          `json:"track_title"`
	Position       int             `json:"position"`
	ContentWarning string          `json:"content_warning,omitempty"`
	Lang           string          `json:"lang"`
	Progress       *ModuleProgress `json:"progress,omitempty"`
}

// ModuleProgress is the signed-in learner's standing in one module.
type ModuleProgress struct {
	LessonsCompleted int     `json:"lessons_completed"`
	Attempts         int     `json:"attempts"`
	BestPercent      float64 `json:"best_percent"`
	Passed           bool    `json:"passed"`
	Status           string  `json:"status"`
}

// LessonRef is a lesson as listed in a module.
type LessonRef struct {
	Slug    string        `json:"slug"`
	Title   string        `json:"title"`
	Minutes int           `json:"minutes"`
	Readi   []model.Value `json:"readi"`
}

// ModuleDetail is a module page.
type ModuleDetail struct {
	ModuleSummary
	Objectives  []string       `json:"objectives"`
	Sources     []model.Source `json:"sources"`
	Lessons     []LessonRef    `json:"lessons"`
	QuizID      string         `json:"quiz_id"`
	PassPercent int            `json:"pass_percent"`
	Languages   []string       `json:"languages"`
}

// LessonView is a lesson page: sanitised HTML and its neighbours.
type LessonView struct {
	ModuleSlug string        `json:"module_slug"`
	Slug       string        `json:"slug"`
	Title      string        `json:"title"`
	HTML       string        `json:"html"`
	Readi      []model.Value `json:"readi"`
	Minutes    int           `json:"minutes"`
	Position   int           `json:"position"`
	Prev       *string       `json:"prev"`
	Next       *string       `json:"next"`
	Lang       string        `json:"lang"`
}

// Filter narrows the catalogue.
type Filter struct {
	Category model.Category
	Readi    model.Value
	Cluster  model.Cluster
	Lang     string
}

// Validate checks the filter values against the taxonomy.
func (f Filter) Validate() error {
	fields := map[string]string{}
	if f.Category != "" && !f.Category.Valid() {
		fields["category"] = "category.unknown"
	}
	if f.Readi != "" && !f.Readi.Valid() {
		fields["readi"] = "readi.unknown"
	}
	if f.Cluster != "" && !f.Cluster.Valid() {
		fields["cluster"] = "cluster.unknown"
	}
	if len(f.Lang) > 10 {
		fields["lang"] = "lang.unknown"
	}
	if len(fields) > 0 {
		return &model.ValidationError{Fields: fields}
	}
	return nil
}

func hasValue(list []model.Value, v model.Value) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
