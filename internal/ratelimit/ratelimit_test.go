package ratelimit

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a fake time source the tests move by hand; safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 11, 3, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func mustAllow(t *testing.T, l *Limiter, key string) {
	t.Helper()
	if ok, retry := l.Allow(key); !ok {
		t.Fatalf("Allow(%q) = false, %v; want true", key, retry)
	}
}

func TestLimitAndRetryAfter(t *testing.T) {
	c := newClock()
	l := New(3, time.Minute, c.Now)
	mustAllow(t, l, "ip:1") // t=0
	c.Advance(10 * time.Second)
	mustAllow(t, l, "ip:1") // t=10s
	c.Advance(10 * time.Second)
	mustAllow(t, l, "ip:1") // t=20s
	c.Advance(5 * time.Second)

	// t=25s: three events in the window; the oldest (t=0) leaves at t=60s.
	if ok, retry := l.Allow("ip:1"); ok || retry != 35*time.Second {
		t.Errorf("4th Allow at 25s = %v, %v; want false, 35s", ok, retry)
	}
	// Other keys are unaffected.
	mustAllow(t, l, "ip:2")

	c.Advance(35*time.Second - time.Nanosecond)
	if ok, retry := l.Allow("ip:1"); ok || retry != time.Nanosecond {
		t.Errorf("Allow 1ns before the oldest event expires = %v, %v; want false, 1ns", ok, retry)
	}
	c.Advance(time.Nanosecond) // t=60s: the t=0 event has left the window
	mustAllow(t, l, "ip:1")
	// Now t=10s, t=20s and t=60s count: the next slot frees at t=70s.
	if ok, retry := l.Allow("ip:1"); ok || retry != 10*time.Second {
		t.Errorf("Allow at 60s after refill = %v, %v; want false, 10s", ok, retry)
	}
}

// TestSlidingNotFixed shows that a burst straddling a minute boundary is
// still limited, which a fixed-window counter would let through twice.
func TestSlidingNotFixed(t *testing.T) {
	c := newClock()
	l := New(5, time.Minute, c.Now)
	c.Advance(50 * time.Second)
	for range 5 {
		mustAllow(t, l, "k")
	}
	c.Advance(20 * time.Second) // 70s: a new fixed minute, same sliding window
	if ok, _ := l.Allow("k"); ok {
		t.Errorf("Allow 20s after a full burst = true, want false")
	}
}

func TestRefusedAttemptsAreNotCounted(t *testing.T) {
	c := newClock()
	l := New(2, time.Minute, c.Now)
	mustAllow(t, l, "k")
	mustAllow(t, l, "k")
	for range 100 {
		c.Advance(time.Second / 2)
		l.Allow("k")
	}
	c.Advance(10 * time.Second) // 60s after the first two events
	mustAllow(t, l, "k")
}

func TestReset(t *testing.T) {
	c := newClock()
	l := New(2, time.Hour, c.Now)
	mustAllow(t, l, "acct:7")
	mustAllow(t, l, "acct:7")
	if ok, _ := l.Allow("acct:7"); ok {
		t.Fatalf("Allow past the limit = true, want false")
	}
	l.Reset("acct:7")
	l.Reset("never-seen") // harmless
	mustAllow(t, l, "acct:7")
	mustAllow(t, l, "acct:7")
}

func TestStaleKeysAreDropped(t *testing.T) {
	c := newClock()
	l := New(5, time.Minute, c.Now)
	for i := range 1000 {
		mustAllow(t, l, fmt.Sprintf("ip:%d", i))
	}
	if got := l.Len(); got != 1000 {
		t.Fatalf("Len after 1000 keys = %d, want 1000", got)
	}
	c.Advance(time.Minute)
	mustAllow(t, l, "fresh")
	if got := l.Len(); got != 1 {
		t.Errorf("Len after the window passed = %d, want 1 (stale keys dropped)", got)
	}
}

func TestKeyCapEvictsLeastRecentlyActive(t *testing.T) {
	c := newClock()
	l := New(1, time.Hour, c.Now)
	l.maxKeys = 100
	for i := range 100 {
		mustAllow(t, l, fmt.Sprintf("k%d", i))
		c.Advance(time.Second)
	}
	for i := range 1000 {
		mustAllow(t, l, fmt.Sprintf("flood%d", i))
		if got := l.Len(); got > 100 {
			t.Fatalf("Len = %d after %d more keys, want at most 100", got, i+1)
		}
	}
	// The flood pushed out every older key: k99 is allowed again.
	mustAllow(t, l, "k99")
	// The newest flood key is still tracked and still limited.
	if ok, _ := l.Allow("flood999"); ok {
		t.Errorf("Allow(flood999) again = true, want false: the newest key must survive eviction")
	}
}

func TestDefaultCapHolds(t *testing.T) {
	c := newClock()
	l := New(3, time.Hour, c.Now)
	for i := range DefaultMaxKeys + 5000 {
		l.Allow(fmt.Sprintf("ip:%d", i))
	}
	if got := l.Len(); got != DefaultMaxKeys {
		t.Errorf("Len after %d keys = %d, want DefaultMaxKeys (%d)", DefaultMaxKeys+5000, got, DefaultMaxKeys)
	}
}

func TestLongKeysAreBoundedButDistinct(t *testing.T) {
	l := New(1, time.Hour, newClock().Now)
	a := strings.Repeat("a", 10_000) + "@example.org"
	b := strings.Repeat("a", 10_000) + "@example.com"
	mustAllow(t, l, a)
	mustAllow(t, l, b)
	if ok, _ := l.Allow(a); ok {
		t.Errorf("second Allow(long key) = true, want false")
	}
	if k := normKey(a); len(k) > maxKeyLen {
		t.Errorf("normKey(10 kB key) is %d bytes, want at most %d", len(k), maxKeyLen)
	}
}

func TestNewPanicsOnNonsense(t *testing.T) {
	for _, tc := range []struct {
		limit  int
		window time.Duration
	}{{0, time.Minute}, {-1, time.Minute}, {1, 0}, {1, -time.Second}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%d, %v) did not panic", tc.limit, tc.window)
				}
			}()
			New(tc.limit, tc.window, nil)
		}()
	}
}

// TestConcurrentUse is meant for -race; it also checks that the limit holds
// exactly when many goroutines hit one key at once.
func TestConcurrentUse(t *testing.T) {
	c := newClock()
	l := New(50, time.Minute, c.Now)
	var mu sync.Mutex
	allowed := 0
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 200 {
				if ok, _ := l.Allow("shared"); ok {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
				l.Allow(fmt.Sprintf("g%d-%d", g, i))
				if i%50 == 0 {
					l.Reset(fmt.Sprintf("g%d-%d", g, i-1))
					c.Advance(time.Millisecond)
				}
				_ = l.Len()
			}
		})
	}
	wg.Wait()
	if allowed != 50 {
		t.Errorf("concurrent Allow(shared) let %d through, want exactly 50", allowed)
	}
	if got := l.Len(); got > 1+16*200 {
		t.Errorf("Len = %d, want at most %d", got, 1+16*200)
	}

	// Eviction under contention: a tiny cap, many goroutines, for -race.
	small := New(2, time.Minute, c.Now)
	small.maxKeys = 8
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				small.Allow(fmt.Sprintf("%d-%d", g, i%20))
			}
		})
	}
	wg.Wait()
	if got := small.Len(); got > 8 {
		t.Errorf("Len with cap 8 = %d, want at most 8", got)
	}
}

func TestCheckDoesNotRecord(t *testing.T) {
	now := time.Unix(1000, 0)
	l := New(2, time.Minute, func() time.Time { return now })
	for i := 0; i < 5; i++ {
		if ok, _ := l.Check("ip"); !ok {
			t.Fatalf("Check #%d = false before any event, want true", i)
		}
	}
	l.Allow("ip")
	l.Allow("ip")
	if ok, wait := l.Check("ip"); ok || wait != time.Minute {
		t.Fatalf("Check at the limit = %v, %v, want false, 1m", ok, wait)
	}
	now = now.Add(time.Minute)
	if ok, _ := l.Check("ip"); !ok {
		t.Fatal("Check after the window = false, want true")
	}
}
