// Package ratelimit counts events per key in memory and refuses them past a
// limit: login attempts per client IP and per account, wrong class codes.
//
// It is deliberately per process. With several replicas behind a load
// balancer each keeps its own counts, so an attacker gets at most limit
// tries per replica per window; that still turns online guessing from
// thousands of tries a minute into a handful, which is the point.
package ratelimit

import (
	"container/list"
	"crypto/sha256"
	"sync"
	"time"
)

// DefaultMaxKeys bounds the number of keys a Limiter tracks. At a few hundred
// bytes per key this keeps the worst case, a flood of distinct IPs or
// invented e-mail addresses, to some tens of megabytes.
const DefaultMaxKeys = 100_000

// maxKeyLen is the longest key stored as given; longer keys are replaced by
// their SHA-256 so that each key costs a bounded amount of memory.
const maxKeyLen = 64

// Limiter allows at most limit events per key in any sliding window of the
// given length. It keeps, per key, the times of the events inside the
// window, which is exact (unlike fixed windows, which allow a double burst
// across a boundary) and cheap for the small limits used against guessing.
//
// Keys are kept in order of their latest event, so stale keys are found at
// the front and dropped as a side effect of Allow: no goroutine, nothing to
// close. When the key cap is reached the least recently active key goes.
//
// A Limiter is safe for concurrent use.
type Limiter struct {
	limit   int
	window  time.Duration
	now     func() time.Time
	epoch   time.Time // times are stored as offsets from here, see offset
	maxKeys int

	mu    sync.Mutex
	keys  map[string]*list.Element // of *entry
	order *list.List               // of *entry, least recently active first
}

// entry holds one key's events inside the window, oldest first. The slice
// grows only as events arrive, so the many keys seen once stay small.
type entry struct {
	key    string
	events []time.Duration // offsets, at most limit of them
}

// New returns a Limiter allowing limit events per key within window. now is
// the clock (nil means time.Now); tests pass a fake one. It panics if limit
// or window is not positive, which is a programming error.
func New(limit int, window time.Duration, now func() time.Time) *Limiter {
	if limit <= 0 || window <= 0 {
		panic("ratelimit: limit and window must be positive")
	}
	if now == nil {
		now = time.Now
	}
	return &Limiter{
		limit:   limit,
		window:  window,
		now:     now,
		epoch:   now(),
		maxKeys: DefaultMaxKeys,
		keys:    make(map[string]*list.Element),
		order:   list.New(),
	}
}

// Allow records an event for key and reports true if key has had fewer than
// limit events in the last window. Otherwise it records nothing and reports
// false with how long until the oldest counted event leaves the window, which
// the API sends as Retry-After. Refused attempts are not counted, so a client
// that keeps hammering is let in again on schedule rather than never.
func (l *Limiter) Allow(key string) (ok bool, retryAfter time.Duration) {
	key = normKey(key)
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.offset()
	l.dropStale(now)

	el, found := l.keys[key]
	if !found {
		if len(l.keys) >= l.maxKeys {
			l.remove(l.order.Front())
		}
		el = l.order.PushBack(&entry{key: key})
		l.keys[key] = el
	}
	e := el.Value.(*entry)
	e.expire(now - l.window)
	if len(e.events) >= l.limit {
		return false, e.events[0] + l.window - now
	}
	e.events = append(e.events, now)
	l.order.MoveToBack(el)
	return true, 0
}

// Check reports what Allow would answer for key without recording an
// event. It suits limits that count failures only: check before the
// attempt, and call Allow when the attempt fails.
func (l *Limiter) Check(key string) (ok bool, retryAfter time.Duration) {
	key = normKey(key)
	l.mu.Lock()
	defer l.mu.Unlock()
	el, found := l.keys[key]
	if !found {
		return true, 0
	}
	now := l.offset()
	e := el.Value.(*entry)
	e.expire(now - l.window)
	if len(e.events) >= l.limit {
		return false, e.events[0] + l.window - now
	}
	return true, 0
}

// Reset forgets every event for key, e.g. an account's failed logins once it
// signs in successfully.
func (l *Limiter) Reset(key string) {
	key = normKey(key)
	l.mu.Lock()
	defer l.mu.Unlock()
	if el, ok := l.keys[key]; ok {
		l.remove(el)
	}
}

// Len returns the number of keys currently tracked, for metrics and tests.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}

// offset returns the current time as a duration since the limiter was made.
// Durations are smaller than time.Time and, with a real clock, come from the
// monotonic reading, so a wall-clock jump cannot unlock or lock everybody.
func (l *Limiter) offset() time.Duration { return l.now().Sub(l.epoch) }

// dropStale removes keys whose latest event has left the window. Keys are
// ordered by latest event, so it stops at the first live one.
func (l *Limiter) dropStale(now time.Duration) {
	for el := l.order.Front(); el != nil; el = l.order.Front() {
		e := el.Value.(*entry)
		if len(e.events) > 0 && e.events[len(e.events)-1] > now-l.window {
			return
		}
		l.remove(el)
	}
}

func (l *Limiter) remove(el *list.Element) {
	delete(l.keys, el.Value.(*entry).key)
	l.order.Remove(el)
}

// expire drops the events at or before cutoff. Copying down rather than
// re-slicing keeps the backing array from creeping forward and regrowing.
func (e *entry) expire(cutoff time.Duration) {
	i := 0
	for i < len(e.events) && e.events[i] <= cutoff {
		i++
	}
	if i > 0 {
		e.events = e.events[:copy(e.events, e.events[i:])]
	}
}

// normKey bounds the memory a key can take. Callers may pass anything a
// client sent (an e-mail address, say), and should not have to think of this.
func normKey(key string) string {
	if len(key) <= maxKeyLen {
		return key
	}
	sum := sha256.Sum256([]byte(key))
	return "sha256:" + string(sum[:])
}
