package progress

import (
	"math"
	"slices"
	"time"

	"github.com/readi-platform/readi/internal/model"
)

// readiMastery reports all five values in the order of the acronym, even
// those with nothing answered yet, so the chart always has five bars.
// A question tagged with two values counts towards both.
func readiMastery(modules []model.Module, h history) []ValueMastery {
	acc := make([]mastery, len(model.Values))
	for _, m := range modules {
		if m.Quiz == nil {
			continue
		}
		for _, q := range m.Quiz.Questions {
			for i, v := range model.Values {
				if slices.Contains(q.Readi, v) {
					acc[i].add(h, q.ID)
				}
			}
		}
	}
	out := make([]ValueMastery, len(model.Values))
	for i, v := range model.Values {
		out[i] = ValueMastery{Value: v, Mastery: acc[i].percent(), Questions: acc[i].answered, QuestionsTotal: acc[i].total}
	}
	return out
}

// categoryProgress reports every category in display order, including
// those without published modules, for the same reason as readiMastery.
// rows are the module rows of Compute, parallel to modules.
func categoryProgress(modules []model.Module, rows []ModuleProgress, h history) []CategoryProgress {
	out := make([]CategoryProgress, len(model.Categories))
	for i, c := range model.Categories {
		var acc mastery
		p := CategoryProgress{Category: c}
		for j, m := range modules {
			if m.Category != c {
				continue
			}
			p.Modules++
			if rows[j].Status == Completed {
				p.Completed++
			}
			if m.Quiz != nil {
				for _, q := range m.Quiz.Questions {
					acc.add(h, q.ID)
				}
			}
		}
		p.Mastery, p.Questions, p.QuestionsTotal = acc.percent(), acc.answered, acc.total
		out[i] = p
	}
	return out
}

// mastery accumulates latest results into a 0..100 mean.
type mastery struct {
	sum      float64
	answered int
	total    int
}

func (m *mastery) add(h history, questionID string) {
	m.total++
	if r, ok := h.latest[questionID]; ok {
		m.sum += r.fraction
		m.answered++
	}
}

// percent is the mean as a percentage with one decimal, 0 with no answers.
func (m mastery) percent() float64 {
	if m.answered == 0 {
		return 0
	}
	return math.Round(m.sum/float64(m.answered)*1000) / 10
}

// daysActive counts the distinct UTC calendar days on which the learner read
// a lesson or submitted an attempt, published or not: it measures the habit,
// not the curriculum.
func daysActive(in Input) int {
	type day struct {
		y int
		m time.Month
		d int
	}
	days := map[day]bool{}
	add := func(t time.Time) {
		if !t.IsZero() {
			y, m, d := t.UTC().Date()
			days[day{y, m, d}] = true
		}
	}
	for _, lessons := range in.Completed {
		for _, t := range lessons {
			add(t)
		}
	}
	for _, a := range in.Attempts {
		add(a.At)
	}
	return len(days)
}
