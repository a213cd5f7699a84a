package classes_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/readi-platform/readi/internal/classes"
	"github.com/readi-platform/readi/internal/learning"
	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
	"github.com/readi-platform/readi/internal/store/storetest"
)

func ptr[T any](v T) *T { return &v }

// seededClass is a class of n learners with m assigned modules, some
// attempts and completions, on a store that counts its queries.
type seededClass struct {
	svc     *classes.Service
	teacher model.User
	classID int64
	queries *atomic.Int64
}

func seed(t testing.TB, e storetest.Engine, learners, modules int) seededClass {
	t.Helper()
	ctx := context.Background()
	var queries atomic.Int64
	s := e.OpenWith(t, store.Options{OnQuery: func(string) { queries.Add(1) }})
	var pack []model.Module
	for i := 0; i < modules; i++ {
		slug := fmt.Sprintf("module-%02d", i)
		m := model.Module{Slug: slug, Title: "Module " + slug, Category: model.CategoryData, Cluster: model.ClusterPrevention,
			Readi: []model.Value{model.Discernment}, Level: "beginner", Minutes: 10, Position: i,
			Lessons: []model.Lesson{{Slug: "one", Title: "One", Readi: []model.Value{model.Empathy}, Minutes: 5, HTML: "<p>1</p>"}},
			Quiz:    &model.Quiz{PassPercent: 50}}
		m.Quiz.Questions = []model.Question{{ID: slug + "-q1", Type: model.TrueFalse, Readi: []model.Value{model.Integrity},
			Prompt: "p", Explanation: "e", Answer: ptr(true)}}
		pack = append(pack, m)
	}
	if _, err := s.ImportPack(ctx, pack); err != nil {
		t.Fatal(err)
	}
	learn := learning.New(s, 0, nil)
	if err := learn.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	svc := classes.New(s, learn)
	teacher := model.User{Email: ptr("teacher@example.org"), DisplayName: "T", Role: model.RoleEducator}
	if err := s.CreateUser(ctx, &teacher); err != nil {
		t.Fatal(err)
	}
	class, err := svc.Create(ctx, teacher, model.ClassRequest{Name: "Big class"})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range pack {
		if _, err := svc.Assign(ctx, teacher, class.ID, model.AssignmentRequest{ModuleSlug: m.Slug, DueAt: ptr(time.Now().Add(time.Hour).Format(time.RFC3339))}, ""); err != nil {
			t.Fatal(err)
		}
	}
	mods, _ := s.PublishedModules(ctx)
	for i := 0; i < learners; i++ {
		u := model.User{DisplayName: fmt.Sprintf("learner %03d", i), Role: model.RoleLearner}
		if err := s.CreateJoiner(ctx, &u, class.ID); err != nil {
			t.Fatal(err)
		}
		for j := 0; j < 3 && j < len(mods); j++ {
			a := store.Attempt{UserID: u.ID, ModuleID: mods[j].ID, IdempotencyKey: fmt.Sprintf("k-%d-%d", i, j), RequestHash: "h",
				Score: 1, MaxScore: 1, Percent: 100, Passed: i%2 == 0, Results: "[]"}
			if _, _, err := s.SaveAttempt(ctx, &a, nil, nil, []store.AttemptAnswer{{QuestionID: mods[j].Module.Quiz.Questions[0].ID, QuestionVersion: 1,
				Answer: "true", Points: 1, MaxPoints: 1, Correct: i%2 == 0}}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.CompleteLesson(ctx, store.Completion{UserID: u.ID, LessonID: mods[j].LessonIDs["one"], ModuleID: mods[j].ID}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return seededClass{svc: svc, teacher: teacher, classID: class.ID, queries: &queries}
}

// TestReportQueriesDoNotGrowWithTheClass builds the report for a class of
// 5 and of 500 learners with 12 modules: the number of SQL statements must
// be the same (no query per learner or per module).
func TestReportQueriesDoNotGrowWithTheClass(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			count := func(learners int) (int64, classes.Report) {
				c := seed(t, e, learners, 12)
				c.queries.Store(0)
				rep, err := c.svc.Report(context.Background(), c.teacher, c.classID, "")
				if err != nil {
					t.Fatal(err)
				}
				return c.queries.Load(), rep
			}
			small, _ := count(5)
			big, rep := count(500)
			if big != small {
				t.Errorf("Report ran %d queries for 500 learners and %d for 5, want the same", big, small)
			}
			if big > 12 {
				t.Errorf("Report ran %d queries, want at most 12", big)
			}
			if len(rep.Learners) != 500 || len(rep.Modules) != 12 {
				t.Fatalf("report = %d learners × %d modules, want 500 × 12", len(rep.Learners), len(rep.Modules))
			}
			done := 0
			for _, l := range rep.Learners {
				for _, c := range l.Modules {
					if c.Status == model.StatusCompleted {
						done++
					}
				}
			}
			if done != 250*3 {
				t.Errorf("completed cells = %d, want %d", done, 250*3)
			}
		})
	}
}

// BenchmarkClassReport reports the latency of the 500 × 12 report.
func BenchmarkClassReport(b *testing.B) {
	for _, e := range storetest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			c := seed(b, e, 500, 12)
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := c.svc.Report(ctx, c.teacher, c.classID, ""); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
