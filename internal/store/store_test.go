package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
	"github.com/readi-platform/readi/internal/store/storetest"
)

func ptr[T any](v T) *T { return &v }

func newUser(t *testing.T, s *store.Store, email string) model.User {
	t.Helper()
	u := model.User{Email: ptr(email), PasswordHash: "x", DisplayName: "Ana", Role: model.RoleLearner}
	if err := s.CreateUser(context.Background(), &u); err != nil {
		t.Fatalf("CreateUser(%s) = %v, want nil", email, err)
	}
	return u
}

func testModule(slug string, questions int) model.Module {
	m := model.Module{Slug: slug, Title: "T " + slug, Category: model.CategoryData, Cluster: model.ClusterPrevention,
		Readi: []model.Value{model.Discernment}, Level: "beginner", Minutes: 10,
		Lessons: []model.Lesson{{Slug: "one", Title: "One", Readi: []model.Value{model.Empathy}, Minutes: 5, HTML: "<p>1</p>"},
			{Slug: "two", Title: "Two", Readi: []model.Value{model.Integrity}, Minutes: 5, HTML: "<p>2</p>"}},
		Quiz: &model.Quiz{PassPercent: 70}}
	for i := 0; i < questions; i++ {
		m.Quiz.Questions = append(m.Quiz.Questions, model.Question{ID: fmt.Sprintf("%s-q%d", slug, i), Type: model.TrueFalse,
			Readi: []model.Value{model.Discernment}, Prompt: "p", Explanation: "e", Answer: ptr(true)})
	}
	return m
}

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		applied, err := s.Migrate(ctx)
		if err != nil || len(applied) != 0 {
			t.Fatalf("second Migrate() = %v, %v, want nothing applied", applied, err)
		}
		v, err := s.SchemaVersion(ctx)
		if err != nil || v < 3 {
			t.Fatalf("SchemaVersion() = %d, %v, want >= 3", v, err)
		}
	})
}

func TestUsersAndTokens(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newUser(t, s, "ana@example.org")
		dup := model.User{Email: ptr("ana@example.org"), DisplayName: "B", Role: model.RoleLearner}
		if err := s.CreateUser(ctx, &dup); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("CreateUser(duplicate) = %v, want ErrConflict", err)
		}
		// Two pseudonymous learners without e-mail may coexist.
		for i := 0; i < 2; i++ {
			p := model.User{DisplayName: "nick", Role: model.RoleLearner}
			if err := s.CreateUser(ctx, &p); err != nil {
				t.Fatalf("CreateUser(no email) = %v", err)
			}
		}
		if got, err := s.UserByEmail(ctx, "ANA@example.org "); err != nil || got.ID != u.ID {
			t.Fatalf("UserByEmail = %v, %v, want user %d", got.ID, err, u.ID)
		}
		first := store.RefreshToken{UserID: u.ID, TokenHash: "h1", Family: "f", ExpiresAt: farFuture()}
		if err := s.CreateRefreshToken(ctx, &first); err != nil {
			t.Fatal(err)
		}
		next := store.RefreshToken{TokenHash: "h2", ExpiresAt: farFuture()}
		if id, err := s.RotateRefreshToken(ctx, "h1", &next); err != nil || id != u.ID {
			t.Fatalf("RotateRefreshToken(h1) = %d, %v, want %d, nil", id, err, u.ID)
		}
		again := store.RefreshToken{TokenHash: "h3", ExpiresAt: farFuture()}
		if _, err := s.RotateRefreshToken(ctx, "h1", &again); !errors.Is(err, store.ErrTokenReused) {
			t.Fatalf("RotateRefreshToken(spent h1) = %v, want ErrTokenReused", err)
		}
		// Reuse revoked the whole family, including the fresh h2.
		if _, err := s.RotateRefreshToken(ctx, "h2", &store.RefreshToken{TokenHash: "h4", ExpiresAt: farFuture()}); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("RotateRefreshToken(h2 after reuse) = %v, want ErrNotFound", err)
		}
		if err := s.DeleteUser(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UserByID(ctx, u.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("UserByID(deleted) = %v, want ErrNotFound", err)
		}
	})
}

func TestImportPackIsIdempotent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		pack := []model.Module{testModule("alpha", 3), testModule("beta", 2)}
		rep, err := s.ImportPack(ctx, pack)
		if err != nil || len(rep.Created) != 2 {
			t.Fatalf("ImportPack(first) = %+v, %v, want 2 created", rep, err)
		}
		v1, _ := s.ContentVersion(ctx)
		rep, err = s.ImportPack(ctx, pack)
		if err != nil || rep.Changed() || len(rep.Unchanged) != 2 {
			t.Fatalf("ImportPack(same) = %+v, %v, want nothing changed", rep, err)
		}
		if v2, _ := s.ContentVersion(ctx); v2 != v1 {
			t.Fatalf("ContentVersion changed on a no-op import: %s -> %s", v1, v2)
		}
		changed := testModule("alpha", 3)
		changed.Quiz.Questions[1].Prompt = "new prompt"
		changed.Lessons = changed.Lessons[:1]
		rep, err = s.ImportPack(ctx, []model.Module{changed})
		if err != nil || len(rep.Updated) != 1 || len(rep.Unpublished) != 1 {
			t.Fatalf("ImportPack(changed) = %+v, %v, want alpha updated, beta unpublished", rep, err)
		}
		mods, err := s.PublishedModules(ctx)
		if err != nil || len(mods) != 1 {
			t.Fatalf("PublishedModules() = %d, %v, want 1", len(mods), err)
		}
		m := mods[0]
		if len(m.Module.Lessons) != 1 || m.Module.Quiz.Questions[1].Prompt != "new prompt" {
			t.Fatalf("module after update = %+v", m.Module)
		}
		if m.QuestionVersions["alpha-q1"] != 2 || m.QuestionVersions["alpha-q0"] != 1 {
			t.Fatalf("question versions = %v, want q1 bumped to 2, q0 kept at 1", m.QuestionVersions)
		}
	})
}

func TestSaveAttemptExactlyOnceUnderConcurrentRetries(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newUser(t, s, "b@example.org")
		if _, err := s.ImportPack(ctx, []model.Module{testModule("alpha", 1)}); err != nil {
			t.Fatal(err)
		}
		mods, _ := s.PublishedModules(ctx)
		var wg sync.WaitGroup
		ids := make([]int64, 50)
		errs := make([]error, 50)
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := store.Attempt{UserID: u.ID, ModuleID: mods[0].ID, IdempotencyKey: "k1", RequestHash: "r",
					Score: 1, MaxScore: 1, Percent: 100, Passed: true, Results: "[]"}
				saved, _, err := s.SaveAttempt(ctx, &a, nil, nil, []store.AttemptAnswer{{QuestionID: "alpha-q0", QuestionVersion: 1, Answer: "true", Points: 1, MaxPoints: 1, Correct: true}})
				ids[i], errs[i] = saved.ID, err
			}()
		}
		wg.Wait()
		for i := range 50 {
			if errs[i] != nil || ids[i] != ids[0] {
				t.Fatalf("SaveAttempt #%d = %d, %v, want attempt %d", i, ids[i], errs[i], ids[0])
			}
		}
		if n, _ := s.CountAttempts(ctx, u.ID); n != 1 {
			t.Fatalf("CountAttempts = %d, want 1", n)
		}
		p, _ := s.Progress(ctx, u.ID)
		if len(p) != 1 || p[0].Attempts != 1 {
			t.Fatalf("Progress = %+v, want one module with 1 attempt", p)
		}
		a := store.Attempt{UserID: u.ID, ModuleID: mods[0].ID, IdempotencyKey: "k1", RequestHash: "other", Results: "[]"}
		if _, _, err := s.SaveAttempt(ctx, &a, nil, nil, nil); !errors.Is(err, store.ErrIdempotencyMismatch) {
			t.Fatalf("SaveAttempt(same key, other body) = %v, want ErrIdempotencyMismatch", err)
		}
	})
}

// One group commit writes its attempts with a few multi-row statements:
// each attempt must still come out as if written alone, in order.
func TestBatchWritesEachAttemptAsAlone(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		ann, ben := newUser(t, s, "ann@example.org"), newUser(t, s, "ben@example.org")
		if _, err := s.ImportPack(ctx, []model.Module{testModule("alpha", 1), testModule("beta", 1)}); err != nil {
			t.Fatal(err)
		}
		mods, _ := s.PublishedModules(ctx)
		alpha, beta := mods[0].ID, mods[1].ID
		if mods[0].Module.Slug != "alpha" {
			alpha, beta = beta, alpha
		}
		attempt := func(user, module int64, key, hash string, percent float64) *store.Attempt {
			return &store.Attempt{UserID: user, ModuleID: module, IdempotencyKey: key, RequestHash: hash,
				Percent: percent, Passed: percent >= 80, Answers: "[]"}
		}
		batch := []*store.Attempt{
			attempt(ann.ID, alpha, "key-1", "h1", 40),
			attempt(ann.ID, alpha, "key-2", "h2", 90),
			attempt(ann.ID, alpha, "key-1", "h1", 40),     // a retry in the same batch: replayed
			attempt(ann.ID, alpha, "key-1", "other", 100), // the key with another body: refused
			attempt(ben.ID, alpha, "key-1", "h1", 10),     // the same key from someone else: new
			attempt(ann.ID, beta, "key-3", "h3", 70),
			attempt(ann.ID, alpha, "key-4", "h4", 20),
		}
		saved, replayed, errs, err := store.SaveBatch(ctx, s, batch)
		if err != nil {
			t.Fatalf("SaveBatch = %v", err)
		}
		for i, want := range []struct {
			replayed bool
			sameAs   int // index of the attempt whose row it gets; -1: its own
			err      error
		}{{false, -1, nil}, {false, -1, nil}, {true, 0, nil}, {true, 0, store.ErrIdempotencyMismatch}, {false, -1, nil}, {false, -1, nil}, {false, -1, nil}} {
			if !errors.Is(errs[i], want.err) || replayed[i] != want.replayed {
				t.Errorf("attempt %d: replayed %v, error %v; want %v, %v", i, replayed[i], errs[i], want.replayed, want.err)
			}
			if want.sameAs >= 0 && want.err == nil && saved[i].ID != saved[want.sameAs].ID {
				t.Errorf("attempt %d: id %d, want attempt %d's id %d", i, saved[i].ID, want.sameAs, saved[want.sameAs].ID)
			}
		}
		ids := map[int64]bool{}
		for _, i := range []int{0, 1, 4, 5, 6} {
			if saved[i].ID == 0 || ids[saved[i].ID] {
				t.Errorf("attempt %d: id %d, want a new one of its own", i, saved[i].ID)
			}
			ids[saved[i].ID] = true
		}
		// A later batch replays a key stored by an earlier one and adds to
		// the same progress.
		more, moreReplayed, moreErrs, err := store.SaveBatch(ctx, s, []*store.Attempt{
			attempt(ann.ID, alpha, "key-2", "h2", 90),
			attempt(ann.ID, alpha, "key-5", "h5", 50),
		})
		if err != nil || moreErrs[0] != nil || moreErrs[1] != nil || !moreReplayed[0] || more[0].ID != saved[1].ID || moreReplayed[1] {
			t.Fatalf("second SaveBatch = %v, %v, replayed %v, ids %d (want %d) and a new one", err, moreErrs, moreReplayed, more[0].ID, saved[1].ID)
		}
		type progress struct {
			attempts   int
			best, last float64
			passed     bool
			lastID     int64
		}
		want := map[int64]map[int64]progress{
			ann.ID: {alpha: {4, 90, 50, true, more[1].ID}, beta: {1, 70, 70, false, saved[5].ID}},
			ben.ID: {alpha: {1, 10, 10, false, saved[4].ID}},
		}
		for user, byModule := range want {
			rows, err := s.Progress(ctx, user)
			if err != nil || len(rows) != len(byModule) {
				t.Fatalf("Progress(%d) = %+v, %v", user, rows, err)
			}
			for _, r := range rows {
				got := progress{r.Attempts, r.BestPercent, r.LastPercent, r.Passed, r.LastAttemptID}
				if got != byModule[r.ModuleID] {
					t.Errorf("progress of user %d in module %d = %+v, want %+v", user, r.ModuleID, got, byModule[r.ModuleID])
				}
			}
		}
		if n, _ := s.CountAttempts(ctx, 0); n != 6 {
			t.Errorf("CountAttempts = %d, want 6", n)
		}
	})
}

func TestBackupSQLite(t *testing.T) {
	s := storetest.Engines()[0].Open(t)
	u := newUser(t, s, "c@example.org")
	file := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(context.Background(), file); err != nil {
		t.Fatalf("Backup() = %v", err)
	}
	copyStore, err := store.Open(context.Background(), store.Options{SQLitePath: file})
	if err != nil {
		t.Fatal(err)
	}
	defer copyStore.Close()
	if got, err := copyStore.UserByID(context.Background(), u.ID); err != nil || *got.Email != "c@example.org" {
		t.Fatalf("backup UserByID = %v, %v", got, err)
	}
	if err := s.Backup(context.Background(), file); err == nil {
		t.Fatalf("Backup(existing file) = nil, want an error")
	}
	if _, err := os.Stat(file); err != nil {
		t.Fatal(err)
	}
}

func farFuture() time.Time { return time.Now().Add(time.Hour) }

func TestDroppedLessonKeepsCompletions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		u := newUser(t, s, "d@example.org")
		full := testModule("alpha", 1)
		if _, err := s.ImportPack(ctx, []model.Module{full}); err != nil {
			t.Fatal(err)
		}
		mods, _ := s.PublishedModules(ctx)
		if _, err := s.CompleteLesson(ctx, store.Completion{UserID: u.ID, LessonID: mods[0].LessonIDs["two"], ModuleID: mods[0].ID}); err != nil {
			t.Fatal(err)
		}
		short := testModule("alpha", 1)
		short.Lessons = short.Lessons[:1]
		if _, err := s.ImportPack(ctx, []model.Module{short}); err != nil {
			t.Fatal(err)
		}
		mods, _ = s.PublishedModules(ctx)
		if len(mods[0].Module.Lessons) != 1 {
			t.Fatalf("lessons after drop = %d, want 1", len(mods[0].Module.Lessons))
		}
		if c, _ := s.Completions(ctx, u.ID); len(c) != 1 {
			t.Fatalf("completions after the lesson left the pack = %d, want 1 kept", len(c))
		}
		if _, err := s.ImportPack(ctx, []model.Module{full}); err != nil {
			t.Fatal(err)
		}
		if mods, _ = s.PublishedModules(ctx); len(mods[0].Module.Lessons) != 2 {
			t.Fatalf("lessons after the lesson came back = %d, want 2", len(mods[0].Module.Lessons))
		}
	})
}

func TestSettings(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if v, err := s.Setting(ctx, "k"); err != nil || v != "" {
			t.Fatalf("Setting(unset) = %q, %v", v, err)
		}
		for _, want := range []string{"one", "two"} {
			if err := s.SetSetting(ctx, "k", want); err != nil {
				t.Fatal(err)
			}
			if v, _ := s.Setting(ctx, "k"); v != want {
				t.Fatalf("Setting = %q, want %q", v, want)
			}
		}
	})
}
