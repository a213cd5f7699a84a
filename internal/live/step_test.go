package live

import (
	"errors"
	"testing"
	"time"

	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

func newGame(limitS int) store.LiveGame {
	return store.LiveGame{ID: 7, Questions: []string{"q1", "q2", "q3"}, TimeLimitS: limitS, State: model.LiveLobby, Version: 1}
}

// mustStep applies action at now and fails the test on an error.
func mustStep(t *testing.T, g store.LiveGame, action string, now int64) store.LiveGame {
	t.Helper()
	next, err := step(g, action, now)
	if err != nil {
		t.Fatalf("step(%s in %s %d, %s) = %v", g.State, g.State, g.Seq, action, err)
	}
	return next
}

func wantStepErr(t *testing.T, g store.LiveGame, action string, want error) {
	t.Helper()
	if _, err := step(g, action, 1); !errors.Is(err, want) {
		t.Errorf("%s in %s (seq %d, paused %v) = %v, want %v", action, g.State, g.Seq, g.PausedMS != nil, err, want)
	}
}

func ms(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestStepWalksLobbyQuestionRevealEnded(t *testing.T) {
	g := newGame(20)
	now := int64(1_000_000)
	for seq := 1; seq <= 3; seq++ {
		g = mustStep(t, g, ActNext, now)
		if g.State != model.LiveQuestion || g.Seq != seq || ms(g.DeadlineMS) != now+20000 || g.PausedMS != nil {
			t.Fatalf("question %d = %s seq %d deadline %v paused %v", seq, g.State, g.Seq, ms(g.DeadlineMS), ms(g.PausedMS))
		}
		now += 5000
		g = mustStep(t, g, ActNext, now)
		if g.State != model.LiveReveal || g.Seq != seq || g.DeadlineMS != nil || g.PausedMS != nil {
			t.Fatalf("reveal %d = %s seq %d deadline %v", seq, g.State, g.Seq, ms(g.DeadlineMS))
		}
		now += 5000
	}
	g = mustStep(t, g, ActNext, now)
	if g.State != model.LiveEnded || g.Seq != 3 || g.EndedAt == nil || !g.EndedAt.Equal(time.UnixMilli(now)) || g.EndedAt.Location() != time.UTC {
		t.Fatalf("after the last reveal = %s seq %d ended %v", g.State, g.Seq, g.EndedAt)
	}
	for _, a := range []string{ActNext, ActSkip, ActPause, ActResume, ActLock, ActUnlock, ActEnd} {
		wantStepErr(t, g, a, ErrEnded)
	}
}

func TestStepUntimedHasNoClock(t *testing.T) {
	g := mustStep(t, newGame(0), ActNext, 5000)
	if g.State != model.LiveQuestion || g.DeadlineMS != nil || remaining(g, 99999) != nil {
		t.Fatalf("untimed question = deadline %v remaining %v", ms(g.DeadlineMS), ms(remaining(g, 99999)))
	}
	wantStepErr(t, g, ActPause, ErrNotQuestion)
	wantStepErr(t, g, ActResume, ErrNotQuestion)
}

func TestStepSkip(t *testing.T) {
	g := newGame(20)
	wantStepErr(t, g, ActSkip, ErrNotQuestion)
	g = mustStep(t, g, ActNext, 0)
	g = mustStep(t, g, ActSkip, 100)
	if g.State != model.LiveQuestion || g.Seq != 2 || ms(g.DeadlineMS) != int64(20100) {
		t.Fatalf("skip = %s seq %d deadline %v, want question 2 with a fresh clock", g.State, g.Seq, ms(g.DeadlineMS))
	}
	// Paused, then skipped: the next question starts unpaused.
	g = mustStep(t, g, ActPause, 200)
	g = mustStep(t, g, ActSkip, 300)
	if g.Seq != 3 || g.PausedMS != nil || ms(g.DeadlineMS) != int64(20300) {
		t.Fatalf("skip while paused = seq %d paused %v deadline %v", g.Seq, ms(g.PausedMS), ms(g.DeadlineMS))
	}
	r := mustStep(t, g, ActNext, 400)
	wantStepErr(t, r, ActSkip, ErrNotQuestion)
	g = mustStep(t, g, ActSkip, 500)
	if g.State != model.LiveEnded || g.Seq != 3 || g.EndedAt == nil {
		t.Fatalf("skip of the last question = %s seq %d ended %v", g.State, g.Seq, g.EndedAt)
	}
}

func TestStepPauseResumeFreezesTheClock(t *testing.T) {
	g := mustStep(t, newGame(20), ActNext, 10_000) // deadline 30 000
	wantStepErr(t, g, ActResume, ErrNotQuestion)
	g = mustStep(t, g, ActPause, 16_000)
	if ms(g.PausedMS) != int64(14_000) || g.DeadlineMS != nil {
		t.Fatalf("pause = paused %v deadline %v, want 14000 left and no deadline", ms(g.PausedMS), ms(g.DeadlineMS))
	}
	for _, now := range []int64{16_000, 50_000, 1 << 40} {
		if r := remaining(g, now); ms(r) != int64(14_000) {
			t.Errorf("remaining while paused at %d = %v, want 14000", now, ms(r))
		}
	}
	wantStepErr(t, g, ActPause, ErrNotQuestion)
	g = mustStep(t, g, ActResume, 100_000)
	if ms(g.DeadlineMS) != int64(114_000) || g.PausedMS != nil {
		t.Fatalf("resume = deadline %v paused %v, want 114000", ms(g.DeadlineMS), ms(g.PausedMS))
	}
	if r := remaining(g, 104_000); ms(r) != int64(10_000) {
		t.Errorf("remaining after resume = %v, want 10000", ms(r))
	}
	if r := remaining(g, 200_000); ms(r) != int64(0) {
		t.Errorf("remaining after the deadline = %v, want 0", ms(r))
	}
	// Once time is up there is no clock to stop: a pause would reopen the
	// question (a paused question takes answers).
	for _, now := range []int64{114_000, 200_000} {
		if _, err := step(g, ActPause, now); !errors.Is(err, ErrNotQuestion) {
			t.Errorf("pause at %d, the deadline being 114000 = %v, want %v", now, err, ErrNotQuestion)
		}
	}
	if last := mustStep(t, g, ActPause, 113_999); ms(last.PausedMS) != int64(1) {
		t.Errorf("pause 1 ms before the deadline = %v left, want 1", ms(last.PausedMS))
	}
	// The reveal drops the clock, paused or not.
	r := mustStep(t, mustStep(t, g, ActPause, 105_000), ActNext, 106_000)
	if r.State != model.LiveReveal || r.PausedMS != nil || r.DeadlineMS != nil || remaining(r, 106_000) != nil {
		t.Errorf("reveal of a paused question = paused %v deadline %v", ms(r.PausedMS), ms(r.DeadlineMS))
	}
	wantStepErr(t, r, ActPause, ErrNotQuestion)
	wantStepErr(t, r, ActResume, ErrNotQuestion)
}

func TestStepLockEndAndUnknown(t *testing.T) {
	g := newGame(20)
	if l := mustStep(t, g, ActLock, 0); !l.Locked || l.State != model.LiveLobby {
		t.Fatalf("lock = locked %v state %s", l.Locked, l.State)
	} else if u := mustStep(t, l, ActUnlock, 0); u.Locked {
		t.Fatal("unlock left the game locked")
	}
	q := mustStep(t, g, ActNext, 0)
	if l := mustStep(t, q, ActLock, 10); !l.Locked || l.State != model.LiveQuestion || ms(l.DeadlineMS) != int64(20000) {
		t.Fatalf("lock during a question = locked %v state %s deadline %v: the clock must not move", l.Locked, l.State, ms(l.DeadlineMS))
	}
	for _, from := range []store.LiveGame{g, q, mustStep(t, q, ActPause, 5), mustStep(t, q, ActNext, 5)} {
		e := mustStep(t, from, ActEnd, 42)
		if e.State != model.LiveEnded || e.DeadlineMS != nil || e.PausedMS != nil || e.EndedAt == nil || e.Seq != from.Seq {
			t.Errorf("end from %s = %s deadline %v paused %v ended %v seq %d", from.State, e.State, ms(e.DeadlineMS), ms(e.PausedMS), e.EndedAt, e.Seq)
		}
	}
	wantStepErr(t, g, "explode", store.ErrNotFound)
	// step returns a new game; the one given is left as it was.
	_ = mustStep(t, g, ActNext, 0)
	if g.State != model.LiveLobby || g.Seq != 0 || g.DeadlineMS != nil {
		t.Errorf("step changed its argument: %s %d", g.State, g.Seq)
	}
}
