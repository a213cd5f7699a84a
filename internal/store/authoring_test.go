package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
	"github.com/readi-platform/readi/internal/store/storetest"
)

// setTitle is an edit that renames the module.
func setTitle(title string) func(m *model.Module) (any, any, error) {
	return func(m *model.Module) (any, any, error) {
		before := m.Title
		m.Title = title
		return before, title, nil
	}
}

func auditCount(t *testing.T, s *store.Store, action string) int {
	t.Helper()
	list, err := s.Audit(context.Background(), store.AuditQuery{Action: action, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

func TestSaveModuleRevisionsAndConflicts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		admin := newUser(t, s, "admin@example.org")
		create := store.ModuleEdit{Slug: "alpha", ActorID: admin.ID, Mode: store.SaveCreate, Action: "module.create",
			Apply: func(m *model.Module) (any, any, error) { m.Title = "Alpha"; return nil, "Alpha", nil }}
		st, _, changed, err := s.SaveModule(ctx, create)
		if err != nil || !changed || st.HeadRevision != 1 {
			t.Fatalf("SaveModule(create) = %+v, %v, %v, want revision 1", st, changed, err)
		}
		if _, _, _, err := s.SaveModule(ctx, create); !errors.Is(err, store.ErrExists) {
			t.Fatalf("SaveModule(create again) = %v, want ErrExists", err)
		}
		missing := store.ModuleEdit{Slug: "nope", Mode: store.SaveExisting, Apply: setTitle("x")}
		if _, _, _, err := s.SaveModule(ctx, missing); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("SaveModule(missing) = %v, want ErrNotFound", err)
		}
		edit := func(base *int, title string) error {
			_, _, _, err := s.SaveModule(ctx, store.ModuleEdit{Slug: "alpha", ActorID: admin.ID, Base: base,
				Mode: store.SaveExisting, Action: "module.update", Apply: setTitle(title)})
			return err
		}
		one := 1
		if err := edit(&one, "Alpha 2"); err != nil {
			t.Fatalf("edit on revision 1 = %v", err)
		}
		if err := edit(&one, "Alpha 3"); !errors.Is(err, store.ErrStale) {
			t.Fatalf("edit on stale revision 1 = %v, want ErrStale", err)
		}
		// The same title again changes nothing: no revision, no audit entry.
		if err := edit(nil, "Alpha 2"); err != nil {
			t.Fatal(err)
		}
		// A refused edit writes neither a revision nor an audit entry.
		boom := errors.New("boom")
		_, _, _, err = s.SaveModule(ctx, store.ModuleEdit{Slug: "alpha", Mode: store.SaveExisting, Action: "module.update",
			Apply: func(m *model.Module) (any, any, error) { m.Title = "half"; return nil, nil, boom }})
		if !errors.Is(err, boom) {
			t.Fatalf("SaveModule(failing edit) = %v, want boom", err)
		}
		if st, _ := s.ModuleStateOf(ctx, "alpha"); st.HeadRevision != 2 {
			t.Fatalf("head after no-op and failed edits = %d, want 2", st.HeadRevision)
		}
		if n := auditCount(t, s, "module.update"); n != 1 {
			t.Fatalf("audit module.update entries = %d, want 1", n)
		}
		// Concurrent saves on the same base: exactly one wins.
		two := 2
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func() { defer wg.Done(); errs[i] = edit(&two, fmt.Sprint("racer ", i)) }()
		}
		wg.Wait()
		wins := 0
		for _, err := range errs {
			switch {
			case err == nil:
				wins++
			case !errors.Is(err, store.ErrStale):
				t.Errorf("racing save = %v, want nil or ErrStale", err)
			}
		}
		if wins != 1 {
			t.Fatalf("racing saves on revision 2: %d won, want exactly 1", wins)
		}
		revs, err := s.Revisions(ctx, "alpha", 0, 10)
		if err != nil || len(revs) != 3 || revs[0].Number != 3 || revs[2].AuthorName == nil || *revs[2].AuthorName != "Ana" {
			t.Fatalf("Revisions() = %+v, %v, want 3, newest first, with the author's name", revs, err)
		}
	})
}

func TestPublishKeepsAttemptsAndPackImportSkipsAdminModules(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		learner := newUser(t, s, "learner@example.org")
		pack := testModule("alpha", 2)
		if _, err := s.ImportPack(ctx, []model.Module{pack}); err != nil {
			t.Fatal(err)
		}
		pub, _ := s.PublishedModule(ctx, "alpha")
		a := store.Attempt{UserID: learner.ID, ModuleID: pub.ID, IdempotencyKey: "k-0001", RequestHash: "h",
			Score: 2, MaxScore: 2, Percent: 100, Passed: true, Results: `[{"question_id":"alpha-q0","correct":true}]`}
		if _, _, err := s.SaveAttempt(ctx, &a, nil, nil, []store.AttemptAnswer{{QuestionID: "alpha-q0", QuestionVersion: 1, Answer: "true", Points: 1, MaxPoints: 1, Correct: true}}); err != nil {
			t.Fatal(err)
		}
		// The first edit of a pack module records the published content first.
		st, head, _, err := s.SaveModule(ctx, store.ModuleEdit{Slug: "alpha", Mode: store.SaveExisting, Action: "quiz.update",
			Apply: func(m *model.Module) (any, any, error) {
				f := false
				m.Quiz.Questions[0].Answer = &f // the key changes
				m.Quiz.Questions = m.Quiz.Questions[:1]
				return nil, nil, nil
			}})
		if err != nil || st.HeadRevision != 2 {
			t.Fatalf("first edit = %+v, %v, want revision 2", st, err)
		}
		first, err := s.RevisionOf(ctx, "alpha", 1)
		if err != nil || first.AuthorID != nil || len(first.Module.Quiz.Questions) != 2 || first.Module.Lessons[0].HTML != "" {
			t.Fatalf("revision 1 = %+v, %v, want the published content (no HTML) by nobody", first, err)
		}
		err = s.PublishModule(ctx, store.ModulePublish{Slug: "alpha", Revision: 1, Module: head})
		if !errors.Is(err, store.ErrStale) {
			t.Fatalf("PublishModule(old revision) = %v, want ErrStale", err)
		}
		head.Lessons[0].HTML = "<p>rendered</p>"
		if err := s.PublishModule(ctx, store.ModulePublish{Slug: "alpha", Revision: 2, Module: head}); err != nil {
			t.Fatalf("PublishModule() = %v", err)
		}
		pub, _ = s.PublishedModule(ctx, "alpha")
		if pub.QuestionVersions["alpha-q0"] != 2 || len(pub.Module.Quiz.Questions) != 1 {
			t.Fatalf("published = %v versions, want alpha-q0 at version 2 and alpha-q1 gone", pub.QuestionVersions)
		}
		attempts, _ := s.Attempts(ctx, learner.ID)
		if len(attempts) != 1 || attempts[0].Percent != 100 || attempts[0].Results != a.Results {
			t.Fatalf("attempts after the publish = %+v, want the graded attempt unchanged", attempts)
		}
		export, _ := s.ExportUser(ctx, learner.ID)
		if len(export.Progress) != 1 || export.Progress[0].BestPercent != 100 {
			t.Fatalf("progress after the publish = %+v, want best 100 kept", export.Progress)
		}
		// The pack import now leaves the module to the editor.
		rep, err := s.ImportPack(ctx, []model.Module{pack, testModule("beta", 1)})
		if err != nil || len(rep.Skipped) != 1 || rep.Skipped[0] != "alpha" || len(rep.Created) != 1 {
			t.Fatalf("ImportPack() = %+v, %v, want alpha skipped, beta created", rep, err)
		}
		if pub, _ = s.PublishedModule(ctx, "alpha"); len(pub.Module.Quiz.Questions) != 1 {
			t.Fatalf("the pack import overwrote the admin's module")
		}
		// Question ids are unique across modules: beta's cannot be taken.
		st, head, _, _ = s.SaveModule(ctx, store.ModuleEdit{Slug: "alpha", Mode: store.SaveExisting, Action: "quiz.update",
			Apply: func(m *model.Module) (any, any, error) {
				m.Quiz.Questions = append(m.Quiz.Questions, model.Question{ID: "beta-q0", Type: model.TrueFalse})
				return nil, nil, nil
			}})
		var taken *store.QuestionIDsTaken
		if err := s.PublishModule(ctx, store.ModulePublish{Slug: "alpha", Revision: st.HeadRevision, Module: head}); !errors.As(err, &taken) || taken.Owners["beta-q0"] != "beta" {
			t.Fatalf("PublishModule(taken id) = %v, want beta-q0 owned by beta", err)
		}
		// Deleting hides the module but keeps learners' records.
		if err := s.DeleteModule(ctx, "alpha", 0, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PublishedModule(ctx, "alpha"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("PublishedModule(deleted) = %v, want ErrNotFound", err)
		}
		if n, _ := s.CountAttempts(ctx, learner.ID); n != 1 {
			t.Fatalf("attempts after deleting the module = %d, want 1 kept", n)
		}
		if n := auditCount(t, s, "module."); n != 2 {
			t.Fatalf("audit module.* entries = %d, want publish and delete", n)
		}
	})
}

func TestListUsersAndChangeUser(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		a := newUser(t, s, "Mali.Admin@example.org")
		b := newUser(t, s, "b@example.org")
		nick := model.User{DisplayName: "100%_Nick", Role: model.RoleLearner}
		if err := s.CreateUser(ctx, &nick); err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string]int{"MALI": 1, "example": 2, "ana": 2, "100%_": 1, "%": 1, "_": 1, "zzz": 0} {
			if got, err := s.ListUsers(ctx, store.UserQuery{Q: q, Limit: 10}); err != nil || len(got) != want {
				t.Errorf("ListUsers(%q) = %d users, %v, want %d", q, len(got), err, want)
			}
		}
		page, _ := s.ListUsers(ctx, store.UserQuery{After: a.ID, Limit: 1})
		if len(page) != 1 || page[0].ID != b.ID {
			t.Fatalf("ListUsers(after %d) = %+v, want user %d", a.ID, page, b.ID)
		}
		off := true
		u, err := s.ChangeUser(ctx, store.UserChange{ActorID: a.ID, UserID: b.ID, Disabled: &off})
		if err != nil || !u.Disabled {
			t.Fatalf("ChangeUser(disable) = %+v, %v", u, err)
		}
		if _, err := s.ChangeUser(ctx, store.UserChange{ActorID: a.ID, UserID: 999999, Disabled: &off}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("ChangeUser(missing) = %v, want ErrNotFound", err)
		}
		list, _ := s.Audit(ctx, store.AuditQuery{ActorID: a.ID, Action: "user.update", Limit: 10})
		if len(list) != 1 || string(list[0].Before) != `{"disabled":false,"role":"learner"}` || string(list[0].After) != `{"disabled":true,"role":"learner"}` {
			t.Fatalf("audit = %+v, want one user.update with before and after", list)
		}
	})
}
