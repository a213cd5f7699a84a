package classes

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"time"

	"github.com/readi-platform/readi/internal/model"
)

// ReportCSV is the report as CSV: UTF-8 with a byte-order mark so that
// Excel shows Thai and other scripts correctly, one row per learner and
// assigned module, and every cell that a spreadsheet would run as a
// formula neutralised.
func (s *Service) ReportCSV(ctx context.Context, u model.User, classID int64, lang string) ([]byte, error) {
	rep, err := s.Report(ctx, u, classID, lang)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.Write([]string{"nickname", "module", "module_title", "due_at", "status", "best_percent", "attempts", "lessons_completed", "last_active"})
	for _, l := range rep.Learners {
		last := ""
		if l.LastActive != nil {
			last = l.LastActive.UTC().Format(time.RFC3339)
		}
		for j, m := range rep.Modules {
			c := l.Modules[j]
			due := ""
			if m.DueAt != nil {
				due = m.DueAt.UTC().Format(time.RFC3339)
			}
			w.Write([]string{model.SafeCSVCell(l.Nickname), model.SafeCSVCell(m.Slug), model.SafeCSVCell(m.Title), due, c.Status,
				strconv.FormatFloat(c.BestPercent, 'f', 1, 64), strconv.Itoa(c.Attempts), strconv.Itoa(c.LessonsCompleted), last})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("write csv: %w", err)
	}
	return buf.Bytes(), nil
}
