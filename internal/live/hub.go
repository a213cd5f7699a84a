package live

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// hub holds, per game this replica serves, the current view and the
// streams watching it. A change is read from the database once per replica
// and pushed to every stream as a wake-up; each stream then renders its
// own player's state from the shared view. Answers are never broadcast.
type hub struct {
	svc    *Service
	mu     sync.Mutex
	feeds  map[int64]*feed
	closed chan struct{}
	once   sync.Once
}

type feed struct {
	id    int64
	view  atomic.Pointer[view]
	build sync.Mutex // one rebuild at a time
	// checked is when the stored version was last compared (unix ns).
	checked  atomic.Int64
	mu       sync.Mutex
	subs     map[chan struct{}]struct{}
	lastUsed atomic.Int64
	// players is the game's player count as last seen (see view.players).
	players atomic.Int64
}

func newHub(s *Service) *hub {
	return &hub{svc: s, feeds: map[int64]*feed{}, closed: make(chan struct{})}
}

func (h *hub) feed(id int64) *feed {
	h.mu.Lock()
	defer h.mu.Unlock()
	f := h.feeds[id]
	if f == nil {
		f = &feed{id: id, subs: map[chan struct{}]struct{}{}}
		h.feeds[id] = f
	}
	f.lastUsed.Store(time.Now().UnixNano())
	return f
}

// maxViewAge bounds how stale a view may be when a request (not a stream)
// reads it: within it, NOTIFY keeps views fresh; past it, the stored
// version is checked.
const maxViewAge = 2 * time.Second

// view returns game id's current view, reading it if this replica has
// none or has not checked it lately.
func (h *hub) view(ctx context.Context, id int64) (*view, error) {
	f := h.feed(id)
	if v := f.view.Load(); v != nil && time.Since(time.Unix(0, f.checked.Load())) < maxViewAge {
		return v, nil
	}
	return h.rebuild(ctx, f)
}

// refresh re-reads game id if this replica serves it.
func (h *hub) refresh(ctx context.Context, id int64) {
	h.mu.Lock()
	f := h.feeds[id]
	h.mu.Unlock()
	if f != nil {
		if _, err := h.rebuild(ctx, f); err != nil && !errors.Is(err, store.ErrNotFound) {
			h.svc.opt.Log.Warn("live refresh failed", "game", id, "err", err)
		}
	}
}

// refreshAll re-reads every game served here and forgets the ones nobody
// has watched or asked about for a while.
func (h *hub) refreshAll(ctx context.Context) {
	h.mu.Lock()
	var fs []*feed
	for id, f := range h.feeds {
		f.mu.Lock()
		idle := len(f.subs) == 0 && time.Since(time.Unix(0, f.lastUsed.Load())) > 5*time.Minute
		f.mu.Unlock()
		if idle {
			delete(h.feeds, id)
			continue
		}
		fs = append(fs, f)
	}
	h.mu.Unlock()
	for _, f := range fs {
		if _, err := h.rebuild(ctx, f); err != nil && !errors.Is(err, store.ErrNotFound) && ctx.Err() == nil {
			h.svc.opt.Log.Warn("live refresh failed", "game", f.id, "err", err)
		}
	}
}

// rebuild reads the game's row and, when its version moved, builds the
// new view and wakes every stream.
func (h *hub) rebuild(ctx context.Context, f *feed) (*view, error) {
	f.build.Lock()
	defer f.build.Unlock()
	g, err := h.svc.store.LiveGame(ctx, f.id)
	if err != nil {
		return nil, err
	}
	f.players.Store(int64(g.PlayerCount))
	old := f.view.Load()
	if old != nil && old.game.Version == g.Version {
		f.checked.Store(time.Now().UnixNano())
		return old, nil
	}
	v, err := h.svc.buildView(ctx, g, &f.players)
	if err != nil {
		return nil, err
	}
	f.view.Store(v)
	f.checked.Store(time.Now().UnixNano())
	f.mu.Lock()
	for ch := range f.subs {
		select {
		case ch <- struct{}{}:
		default: // already woken; it will read the newest view
		}
	}
	f.mu.Unlock()
	return v, nil
}

// joined records a join made here: the count the join's own update
// returned, unless a newer read already moved past it.
func (h *hub) joined(id int64, players int) {
	f := h.feed(id)
	for {
		cur := f.players.Load()
		if int64(players) <= cur || f.players.CompareAndSwap(cur, int64(players)) {
			return
		}
	}
}

func (h *hub) subscribe(f *feed) chan struct{} {
	ch := make(chan struct{}, 1)
	f.mu.Lock()
	f.subs[ch] = struct{}{}
	f.mu.Unlock()
	return ch
}

func (h *hub) unsubscribe(f *feed, ch chan struct{}) {
	f.mu.Lock()
	delete(f.subs, ch)
	f.mu.Unlock()
	f.lastUsed.Store(time.Now().UnixNano())
}

func (h *hub) close() { h.once.Do(func() { close(h.closed) }) }

// Event is one message of an event stream: Kind "state", "host",
// "removed", or "ping" (nothing changed: keep the connection alive). Last
// means the stream ends after it.
type Event struct {
	Kind string
	Data []byte
	Last bool
}

// ErrStreamClosed ends a stream when the server shuts down.
var ErrStreamClosed = errors.New("live: server shutting down")

// Stream is one open event stream, a player's or a host's.
type Stream struct {
	svc   *Service
	f     *feed
	ch    chan struct{}
	next  func(ctx context.Context, first bool) (Event, bool, error)
	first bool
	// poll, for a host, re-reads the counts that change without an
	// event (players joining, answers arriving).
	poll time.Duration
}

// Next blocks until there is something to send, or heartbeat passes
// (a "ping" event).
func (st *Stream) Next(ctx context.Context, heartbeat time.Duration) (Event, error) {
	if st.first {
		st.first = false
		ev, _, err := st.next(ctx, true)
		return ev, err
	}
	hb := time.NewTimer(heartbeat)
	defer hb.Stop()
	var tick <-chan time.Time
	if st.poll > 0 {
		t := time.NewTicker(st.poll)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return Event{}, ctx.Err()
		case <-st.svc.hub.closed:
			return Event{}, ErrStreamClosed
		case <-hb.C:
			return Event{Kind: "ping"}, nil
		case <-st.ch:
		case <-tick:
		}
		ev, send, err := st.next(ctx, false)
		if err != nil || send {
			return ev, err
		}
	}
}

// Close stops the stream's wake-ups.
func (st *Stream) Close() { st.svc.hub.unsubscribe(st.f, st.ch) }

// PlayerStream opens the event stream of the player holding token.
func (s *Service) PlayerStream(ctx context.Context, token, pin string) (*Stream, error) {
	p, v, err := s.playerView(ctx, token, pin)
	if err != nil {
		return nil, err
	}
	f := s.hub.feed(p.GameID)
	st := &Stream{svc: s, f: f, ch: s.hub.subscribe(f), first: true}
	var sentVersion int64 = -1
	sentSeq, sentState := v.game.Seq, v.game.State
	st.next = func(ctx context.Context, first bool) (Event, bool, error) {
		v := f.view.Load()
		if v == nil || (!first && v.game.Version == sentVersion) {
			return Event{}, false, nil
		}
		if v.removed[p.ID] {
			return Event{Kind: "removed", Data: []byte("{}"), Last: true}, true, nil
		}
		var mine *store.LiveAnswer
		// A fresh question has no answer yet; otherwise (a pause, a
		// resume, a reconnect) the player may have answered already.
		if v.game.State == model.LiveQuestion && (first || (sentState == model.LiveQuestion && sentSeq == v.game.Seq)) {
			a, err := s.store.LiveAnswerOf(ctx, p.ID, v.game.Seq)
			if err == nil {
				mine = &a
			} else if !errors.Is(err, store.ErrNotFound) {
				return Event{}, false, err
			}
		}
		b, err := json.Marshal(s.playerState(ctx, v, p, mine))
		if err != nil {
			return Event{}, false, err
		}
		sentVersion, sentSeq, sentState = v.game.Version, v.game.Seq, v.game.State
		return Event{Kind: "state", Data: b, Last: v.game.State == model.LiveEnded}, true, nil
	}
	return st, nil
}

// HostStream opens the host's event stream of game id. Besides every
// change it sends the counts of players and answers when they move
// (read once a second, by the host's stream only).
func (s *Service) HostStream(ctx context.Context, u model.User, id int64, lang string) (*Stream, error) {
	if _, err := s.hostGame(ctx, u, id); err != nil {
		return nil, err
	}
	if _, err := s.hub.view(ctx, id); err != nil {
		return nil, err
	}
	f := s.hub.feed(id)
	st := &Stream{svc: s, f: f, ch: s.hub.subscribe(f), first: true, poll: time.Second}
	var sent []byte
	st.next = func(ctx context.Context, first bool) (Event, bool, error) {
		v := f.view.Load()
		if time.Since(time.Unix(0, f.checked.Load())) > maxViewAge {
			var err error
			if v, err = s.hub.rebuild(ctx, f); err != nil {
				return Event{}, false, err
			}
		}
		hg, err := s.hostView(ctx, v, lang)
		if err != nil {
			return Event{}, false, err
		}
		hg.RemainingMS = nil // the host screen counts down from the change it saw
		b, err := json.Marshal(hg)
		if err != nil || (!first && bytes.Equal(b, sent)) {
			return Event{}, false, err
		}
		sent = b
		if hg.State == model.LiveQuestion {
			hg.RemainingMS = remaining(v.game, nowMS())
			b, err = json.Marshal(hg)
		}
		return Event{Kind: "host", Data: b, Last: hg.State == model.LiveEnded}, true, err
	}
	return st, nil
}
