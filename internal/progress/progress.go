// Package progress turns a learner's history (lessons read, quiz attempts)
// into the report behind GET /api/v1/me/progress and the "review what I got
// wrong" queue. It is pure computation over values the store has already
// loaded: no I/O and no clock, so the same input always gives the same
// report and tests are plain tables.
package progress

import (
	"time"

	"github.com/readi-platform/readi/internal/model"
)

// Input is everything one learner's report is computed from.
type Input struct {
	// Modules are the published modules in curriculum order, with their
	// Lessons and Quiz. History of anything not listed (an unpublished
	// module, a removed lesson or question) is left out of the report,
	// except that it still counts towards days active.
	Modules []model.Module
	// Completed maps module slug → lesson slug → when the lesson was read.
	Completed map[string]map[string]time.Time
	// Attempts are the learner's graded quiz attempts, in any order.
	Attempts []AttemptSummary
}

// AttemptSummary is one graded attempt as the store keeps it.
type AttemptSummary struct {
	ModuleSlug string
	QuizID     string
	Percent    float64
	Passed     bool
	At         time.Time
	Results    []model.QuestionResult
}

// Status is where a learner stands with a module.
type Status string

// The module statuses. A module is completed when every lesson is read and
// its quiz passed; it is in progress as soon as a lesson is read or the quiz
// attempted.
const (
	NotStarted Status = "not_started"
	InProgress Status = "in_progress"
	Completed  Status = "completed"
)

// Report is the learner's progress, shaped for the JSON API.
type Report struct {
	Modules    []ModuleProgress   `json:"modules"`
	Readi      []ValueMastery     `json:"readi"`
	Categories []CategoryProgress `json:"categories"`
	Resume     *Resume            `json:"resume"` // null when everything is completed
	DaysActive int                `json:"days_active"`
	Totals     Totals             `json:"totals"`
}

// ModuleProgress is one row per published module, in curriculum order.
// BestPercent and LastPercent are 0 while Attempts is 0.
type ModuleProgress struct {
	Slug             string         `json:"slug"`
	Title            string         `json:"title"`
	Category         model.Category `json:"category"`
	LessonsCompleted int            `json:"lessons_completed"`
	LessonsDone      []string       `json:"lessons_done"` // slugs, in lesson order, so any device can tick them
	LessonCount      int            `json:"lesson_count"`
	Attempts         int            `json:"attempts"`
	BestPercent      float64        `json:"best_percent"`
	LastPercent      float64        `json:"last_percent"`
	Passed           bool           `json:"passed"`
	Status           Status         `json:"status"`
	LastActivity     *time.Time     `json:"last_activity"` // null before any activity
}

// ValueMastery is how well the learner does on questions tagged with one
// READI value: the mean of their latest answered result on each, 0..100.
// Questions counts the answered questions the mean is over; QuestionsTotal
// all tagged questions of the published quizzes.
type ValueMastery struct {
	Value          model.Value `json:"value"`
	Mastery        float64     `json:"mastery"`
	Questions      int         `json:"questions"`
	QuestionsTotal int         `json:"questions_total"`
}

// CategoryProgress summarises the modules of one offence category; Mastery
// and the question counts are as in ValueMastery, over the category's quizzes.
type CategoryProgress struct {
	Category       model.Category `json:"category"`
	Modules        int            `json:"modules"`
	Completed      int            `json:"completed"`
	Mastery        float64        `json:"mastery"`
	Questions      int            `json:"questions"`
	QuestionsTotal int            `json:"questions_total"`
}

// Resume is where the "continue" button leads. LessonSlug is empty when
// Kind is "quiz".
type Resume struct {
	ModuleSlug string `json:"module_slug"`
	LessonSlug string `json:"lesson_slug,omitempty"`
	Kind       string `json:"kind"` // "lesson" or "quiz"
}

// Totals are the headline counts over the published modules.
type Totals struct {
	Modules          int `json:"modules"`
	ModulesCompleted int `json:"modules_completed"`
	Lessons          int `json:"lessons"`
	LessonsCompleted int `json:"lessons_completed"`
	Attempts         int `json:"attempts"`
}

// Compute builds the learner's report from in.
func Compute(in Input) Report {
	h := newHistory(in)
	r := Report{
		Modules:    make([]ModuleProgress, len(in.Modules)),
		DaysActive: daysActive(in),
	}
	for i, m := range in.Modules {
		row := moduleRow(m, in.Completed[m.Slug], h.byModule[m.Slug])
		r.Modules[i] = row
		r.Totals.Modules++
		r.Totals.Lessons += row.LessonCount
		r.Totals.LessonsCompleted += row.LessonsCompleted
		r.Totals.Attempts += row.Attempts
		if row.Status == Completed {
			r.Totals.ModulesCompleted++
		}
	}
	r.Readi = readiMastery(in.Modules, h)
	r.Categories = categoryProgress(in.Modules, r.Modules, h)
	r.Resume = resume(in, r.Modules)
	return r
}

// moduleRow sums up one module. attempts are in time order.
func moduleRow(m model.Module, read map[string]time.Time, attempts []AttemptSummary) ModuleProgress {
	row := ModuleProgress{
		Slug:        m.Slug,
		Title:       m.Title,
		Category:    m.Category,
		LessonCount: len(m.Lessons),
		Attempts:    len(attempts),
		LessonsDone: []string{},
	}
	for _, l := range m.Lessons {
		if _, ok := read[l.Slug]; ok {
			row.LessonsCompleted++
			row.LessonsDone = append(row.LessonsDone, l.Slug)
		}
	}
	var last time.Time
	for _, t := range read { // a removed lesson's reading is still activity
		last = later(last, t)
	}
	for _, a := range attempts {
		row.BestPercent = max(row.BestPercent, a.Percent)
		row.LastPercent = a.Percent
		row.Passed = row.Passed || a.Passed
		last = later(last, a.At)
	}
	if !last.IsZero() {
		last = last.UTC() // one zone in the API, whatever the store returned
		row.LastActivity = &last
	}
	quizDone := m.Quiz == nil || row.Passed
	switch {
	case row.LessonsCompleted == row.LessonCount && quizDone:
		row.Status = Completed
	case row.LessonsCompleted > 0 || row.Attempts > 0:
		row.Status = InProgress
	default:
		row.Status = NotStarted
	}
	return row
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
