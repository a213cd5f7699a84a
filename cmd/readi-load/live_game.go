package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/readi-platform/readi/internal/model"
)

// liveConfig is what one live game run does.
type liveConfig struct {
	Players     int
	Questions   int
	TimeLimit   time.Duration // per question, whole seconds
	Think       time.Duration // players answer after a random think time up to this
	Chaos       float64       // share of players that drop their connections and come back
	AnswerConns int           // keep-alive connections per replica for answers, joins and reads
	Seed        uint64
	// XFF sends each joining player's own X-Forwarded-For address (the
	// servers then trust 127.0.0.1 as a proxy), so the per-client join
	// limit counts each player apart, as phones on a school network behind
	// a proxy would be counted.
	XFF bool
	// Progress, if set, gets a line now and then.
	Progress func(format string, a ...any)
	// CPU, if set, returns the CPU time used so far by the servers'
	// processes, by the load generator and by the whole machine, read
	// around each fan-out.
	CPU func() cpuSample
	// AfterQuestion, if set, is called once question seq's fan-out is over
	// (to take a heap profile at the game's height).
	AfterQuestion func(seq int)
}

// Chaos: each chaos player, for each question, drops its event stream at
// a random moment with probability chaosDropP (at least once per game),
// and with probability chaosCutP loses the connection while sending its
// answer (the request written whole or in part, the reply never read). A
// dropped stream comes back after the spec's backoff, 0.5 s, then 1 s …
const (
	chaosDropP      = 0.2
	chaosCutP       = 0.1
	chaosDropWithin = 6 * time.Second // after the question arrives
)

const (
	minThink       = 200 * time.Millisecond
	revealDwell    = 300 * time.Millisecond // after every online player saw the reveal
	revealMaxWait  = 5 * time.Second
	liveReqTimeout = 15 * time.Second
)

// liveEnv is where the game is played: the replicas' addresses (players
// are spread over them, the host uses the first) and an educator's access
// token.
type liveEnv struct {
	Addrs     []string
	HostToken string
	Questions []string // question ids, in order
}

// answerStatus is how one player's answer to one question ended.
type answerStatus uint8

const (
	ansNone       answerStatus = iota
	ansPending                 // being sent or retried
	ansAcked                   // 201
	ansTooLate                 // 409 live.too_late
	ansNotCurrent              // 409 live.not_current (the question closed and the next opened)
	ansClosed                  // could not answer: can_answer false when the question arrived
	ansFailed                  // anything else: an error
)

// playerAnswer is one player's answer to one question.
type playerAnswer struct {
	Status   answerStatus
	Question string
	Type     model.QuestionType
	Body     []byte // the exact request body, sent again on every retry
	Answer   json.RawMessage
	Replayed bool // the 201 came with Idempotent-Replayed
	Retries  int  // requests after the first
	Cut      int  // requests whose connection was cut (chaos)
	Err      string
}

// span is one event stream's life: from its first event to its end.
type span struct {
	start, end time.Duration // since the game's base time; end 0 = still open
	chaos      bool          // ended by a chaos drop (else by the server or an error)
}

// livePlayer is one simulated phone.
type livePlayer struct {
	idx      int
	replica  int
	id       int64
	token    string
	chaos    bool
	dropQ    []bool // chaos: drop the stream during question seq
	cutQ     []bool // chaos: cut the answer's connection at question seq
	nickname string

	mu       sync.Mutex
	stream   *sseStream
	dropping bool
	online   bool
	ended    bool
	spans    []span
	qArr     []time.Duration // arrival of state phase=question, seq k (index k)
	qSpan    []int16         // the span it arrived on (-1: none)
	qResync  []bool          // it was a stream's first event (a reconnect), not a push
	rArr     []time.Duration // the same for reveal
	rSpan    []int16
	eArr     time.Duration // the ended state
	eSpan    int16
	answers  []playerAnswer
	drops    int
	reconn   int
	unexpEnd int // streams that ended without a chaos drop before the game ended
	errs     []string
	state    playerFinal
}

// playerFinal is what GET state said at the end.
type playerFinal struct {
	Phase string `json:"phase"`
	Score int64  `json:"score"`
}

func (p *livePlayer) errorf(format string, a ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.errs) < 3 {
		p.errs = append(p.errs, fmt.Sprintf(format, a...))
	}
}

// liveGame is one run of the game against the servers.
type liveGame struct {
	cfg   liveConfig
	env   liveEnv
	ctx   context.Context
	say   func(format string, a ...any)
	api   *apiClient
	pool  []*answerPool
	pin   string
	id    int64
	base  time.Time
	n     int // questions
	plays []*livePlayer

	joinTime time.Duration

	online       atomic.Int64
	stateEvents  atomic.Int64
	stateBytes   atomic.Int64
	maxEvent     atomic.Int64
	revealSeen   []atomic.Int64
	questionSeen []atomic.Int64
	// fan-out windows: from next to every online player having the event
	fanWindow []time.Duration
	fanCPU    []cpuSample // CPU used in it
	ended     atomic.Bool // the host ended the game
	answering sync.WaitGroup

	// host side, index = seq
	qNext   []time.Duration // when the host's POST next that opened question seq was sent
	qReply  []time.Duration // how long that POST took
	rNext   []time.Duration // … that revealed it
	endNext time.Duration
	qEnd    []string // why the host moved on: "all answered" or "time up"
	hostErr []string

	latMu     sync.Mutex
	answerLat []time.Duration // pool requests for answers: from sending to the reply
	answerDue []time.Duration // the same from when it was due (waiting for a pooled connection included)
	poolWait  []time.Duration
}

// cpuSample is CPU time used so far.
type cpuSample struct {
	Servers  time.Duration `json:"servers_ns"`
	LoadGen  time.Duration `json:"load_generator_ns"`
	Postgres time.Duration `json:"postgres_ns"`
	Machine  time.Duration `json:"machine_ns"` // every process
}

func (c cpuSample) sub(o cpuSample) cpuSample {
	return cpuSample{Servers: c.Servers - o.Servers, LoadGen: c.LoadGen - o.LoadGen, Postgres: c.Postgres - o.Postgres, Machine: c.Machine - o.Machine}
}

// other is what programs besides the servers, the load generator and
// PostgreSQL used.
func (c cpuSample) other() time.Duration { return max(0, c.Machine-c.Servers-c.LoadGen-c.Postgres) }

// answerPool is a bounded set of keep-alive connections to one replica,
// shared by all players for joins, answers and reads.
type answerPool struct {
	client *fasthttp.HostClient
	sem    chan struct{}
	addr   string
}

func newAnswerPool(addr string, conns int) *answerPool {
	return &answerPool{addr: addr, sem: make(chan struct{}, conns), client: &fasthttp.HostClient{
		Addr:                          addr,
		MaxConns:                      conns,
		MaxConnWaitTimeout:            liveReqTimeout,
		ReadTimeout:                   liveReqTimeout,
		WriteTimeout:                  liveReqTimeout,
		MaxIdleConnDuration:           time.Minute,
		ReadBufferSize:                16 << 10,
		DisableHeaderNamesNormalizing: true,
		NoDefaultUserAgentHeader:      true,
	}}
}

// poolReply is one request's outcome through a pool.
type poolReply struct {
	Status   int
	Replayed bool
	Body     []byte
	Wait     time.Duration // waiting for a free connection
	Latency  time.Duration // from sending to the whole reply
}

// do sends one request; header may add one header (X-Forwarded-For).
func (ap *answerPool) do(ctx context.Context, method, path, token string, body []byte, hname, hval string) (poolReply, error) {
	var r poolReply
	t0 := time.Now()
	select {
	case ap.sem <- struct{}{}:
	case <-ctx.Done():
		return r, ctx.Err()
	}
	defer func() { <-ap.sem }()
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI("http://" + ap.addr + path)
	req.Header.SetMethod(method)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if hname != "" {
		req.Header.Set(hname, hval)
	}
	if body != nil {
		req.Header.SetContentType("application/json")
		req.SetBody(body)
	}
	t1 := time.Now()
	r.Wait = t1.Sub(t0)
	err := ap.client.DoTimeout(req, resp, liveReqTimeout)
	r.Latency = time.Since(t1)
	if err != nil {
		return r, err
	}
	r.Status = resp.StatusCode()
	r.Replayed = len(resp.Header.Peek("Idempotent-Replayed")) > 0
	r.Body = append([]byte(nil), resp.Body()...)
	return r, nil
}

// errorCode is the "code" of an error reply.
func errorCode(body []byte) string {
	var e struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	_ = json.Unmarshal(body, &e)
	return e.Error.Code
}

// hostGame is the part of HostGame the host uses.
type hostGame struct {
	ID          int64  `json:"id"`
	PIN         string `json:"pin"`
	State       string `json:"state"`
	Seq         int    `json:"seq"`
	RemainingMS *int64 `json:"remaining_ms"`
	TimeLimitMS int64  `json:"time_limit_ms"`
	Players     int    `json:"players"`
	Answered    int    `json:"answered"`
	Questions   int    `json:"question_count"`
	Question    *struct {
		ID string `json:"id"`
	} `json:"question"`
}

// playerState is the part of PlayerState a player uses to answer.
type playerState struct {
	Question  *model.PublicQuestion
	CanAnswer bool
}

// questionOf reads the question and can_answer of a PlayerState, decoding
// only the question object (the load generator shares the CPUs).
func questionOf(raw []byte) (playerState, error) {
	var st playerState
	i := indexKey(raw, "question")
	if i < 0 || i >= len(raw) || raw[i] != '{' {
		return st, fmt.Errorf("question event without a question: %.200s", raw)
	}
	st.Question = new(model.PublicQuestion)
	if err := json.NewDecoder(bytes.NewReader(raw[i:])).Decode(st.Question); err != nil {
		return st, fmt.Errorf("question event: %v: %.200s", err, raw)
	}
	st.CanAnswer = bytes.Contains(raw, []byte(`"can_answer":true`))
	return st, nil
}

// playLive runs one game: the host creates it, the players join and open
// their event streams, the host runs the questions, and at the end every
// player's final state is read. It returns the game for the report.
func playLive(ctx context.Context, cfg liveConfig, env liveEnv) (*liveGame, error) {
	if len(env.Addrs) == 0 || len(env.Questions) == 0 {
		return nil, errors.New("live: no servers or no questions")
	}
	g := &liveGame{cfg: cfg, env: env, ctx: ctx, n: len(env.Questions), api: newAPIClient(env.Addrs[0])}
	g.say = cfg.Progress
	if g.say == nil {
		g.say = func(string, ...any) {}
	}
	g.api.http.Timeout = time.Minute
	for _, a := range env.Addrs {
		g.pool = append(g.pool, newAnswerPool(a, cfg.AnswerConns))
	}
	defer func() {
		for _, p := range g.pool {
			p.client.CloseIdleConnections()
		}
	}()
	g.revealSeen, g.questionSeen = make([]atomic.Int64, g.n+1), make([]atomic.Int64, g.n+1)
	g.fanWindow, g.fanCPU = make([]time.Duration, g.n+1), make([]cpuSample, g.n+1)
	g.qNext, g.rNext, g.qEnd = make([]time.Duration, g.n+1), make([]time.Duration, g.n+1), make([]string, g.n+1)
	g.qReply = make([]time.Duration, g.n+1)

	// The game.
	limitS := int(cfg.TimeLimit / time.Second)
	var created hostGame
	if err := g.api.call(ctx, http.MethodPost, "/api/v1/live/games", env.HostToken, map[string]any{
		"module": quizModule, "questions": env.Questions, "time_limit_s": limitS, "teams": false,
		"player_cap": max(cfg.Players, 1),
	}, http.StatusCreated, &created); err != nil {
		return nil, fmt.Errorf("create the game: %w", err)
	}
	g.pin, g.id = created.PIN, created.ID
	g.say("game %d, PIN %s, %d questions, %s each", g.id, g.pin, created.Questions, cfg.TimeLimit)
	if created.Questions != g.n {
		return nil, fmt.Errorf("the game has %d questions, want %d", created.Questions, g.n)
	}

	// The players, chaos planned up front from the seed.
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	chaosN := int(float64(cfg.Players)*cfg.Chaos + 0.5)
	chaosIdx := rng.Perm(cfg.Players)[:chaosN]
	g.plays = make([]*livePlayer, cfg.Players)
	for i := range g.plays {
		p := &livePlayer{idx: i, replica: i % len(env.Addrs), nickname: fmt.Sprintf("Player %05d", i+1),
			qArr: make([]time.Duration, g.n+1), qSpan: make([]int16, g.n+1), qResync: make([]bool, g.n+1),
			rArr: make([]time.Duration, g.n+1), rSpan: make([]int16, g.n+1), answers: make([]playerAnswer, g.n+1), eSpan: -1}
		for k := range p.qSpan {
			p.qSpan[k], p.rSpan[k] = -1, -1
		}
		g.plays[i] = p
	}
	for _, i := range chaosIdx {
		p := g.plays[i]
		p.chaos = true
		p.dropQ, p.cutQ = make([]bool, g.n+1), make([]bool, g.n+1)
		drops := false
		for k := 1; k <= g.n; k++ {
			p.dropQ[k] = rng.Float64() < chaosDropP
			p.cutQ[k] = rng.Float64() < chaosCutP
			drops = drops || p.dropQ[k]
		}
		if !drops {
			p.dropQ[1+rng.IntN(g.n)] = true
		}
	}

	// Join, a few at a time (each is a database write).
	g.say("%d players joining over %d replica(s) (%d of them will drop and reconnect)", cfg.Players, len(env.Addrs), chaosN)
	t0 := time.Now()
	if err := g.forEachPlayer(ctx, 64, g.join); err != nil {
		return nil, err
	}
	g.joinTime = time.Since(t0)
	g.say("  joined in %s", g.joinTime.Round(time.Millisecond))

	// Open every player's event stream and wait for each first event.
	g.base = time.Now()
	t0 = time.Now()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 128)
	for _, p := range g.plays {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			g.playerLoop(p, sem)
		}()
	}
	for deadline := time.Now().Add(2 * time.Minute); g.online.Load() < int64(cfg.Players); {
		if time.Now().After(deadline) || ctx.Err() != nil {
			g.ended.Store(true)
			g.closeAll()
			wg.Wait()
			return nil, fmt.Errorf("only %d of %d event streams opened within 2 minutes: %s", g.online.Load(), cfg.Players, g.firstErrors())
		}
		time.Sleep(20 * time.Millisecond)
	}
	g.say("  %d event streams open in %s", cfg.Players, time.Since(t0).Round(time.Millisecond))

	err := g.host()
	g.ended.Store(true)
	// The server closes each stream after the ended state; wait for them,
	// then close whatever is left.
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline) && g.openStreams() > 0; {
		time.Sleep(50 * time.Millisecond)
	}
	g.closeAll()
	wg.Wait()
	// Answers still being retried settle now (the game is over: a retry
	// no longer waits for its stream to come back).
	answered := make(chan struct{})
	go func() { g.answering.Wait(); close(answered) }()
	select {
	case <-answered:
	case <-time.After(30 * time.Second):
		g.hostErr = append(g.hostErr, "answers were still being retried 30 s after the game ended")
	}
	if err != nil {
		return g, err
	}

	// Every player's final state, through the pool.
	g.say("reading every player's final state")
	if err := g.forEachPlayer(ctx, 64, g.final); err != nil {
		return g, err
	}
	return g, nil
}

// forEachPlayer runs fn for every player, conc at a time, and returns the
// first error.
func (g *liveGame) forEachPlayer(ctx context.Context, conc int, fn func(*livePlayer) error) error {
	var wg sync.WaitGroup
	var first atomic.Pointer[error]
	sem := make(chan struct{}, conc)
	for _, p := range g.plays {
		if first.Load() != nil || ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := fn(p); err != nil {
				first.CompareAndSwap(nil, &err)
			}
		}()
	}
	wg.Wait()
	if e := first.Load(); e != nil {
		return *e
	}
	return ctx.Err()
}

// join sends POST /live/join, retrying a transport error.
func (g *liveGame) join(p *livePlayer) error {
	body, _ := json.Marshal(map[string]string{"pin": g.pin, "nickname": p.nickname, "lang": "en"})
	hname, hval := "", ""
	if g.cfg.XFF {
		hname, hval = "X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", (p.idx>>16)&255, (p.idx>>8)&255, p.idx&255)
	}
	for attempt := 0; ; attempt++ {
		r, err := g.pool[p.replica].do(g.ctx, http.MethodPost, "/api/v1/live/join", "", body, hname, hval)
		if err != nil {
			if attempt < 5 && g.ctx.Err() == nil {
				time.Sleep(200 * time.Millisecond)
				continue
			}
			return fmt.Errorf("join %s: %w", p.nickname, err)
		}
		if r.Status != http.StatusCreated {
			return fmt.Errorf("join %s: HTTP %d: %.300s", p.nickname, r.Status, r.Body)
		}
		var j struct {
			Data struct {
				Token  string `json:"player_token"`
				Player struct {
					ID int64 `json:"id"`
				} `json:"player"`
			} `json:"data"`
		}
		if err := json.Unmarshal(r.Body, &j); err != nil || j.Data.Token == "" || j.Data.Player.ID == 0 {
			return fmt.Errorf("join %s: reply without a token or player id: %.300s", p.nickname, r.Body)
		}
		p.token, p.id = j.Data.Token, j.Data.Player.ID
		return nil
	}
}

// final reads GET state once the game is over.
func (g *liveGame) final(p *livePlayer) error {
	for attempt := 0; ; attempt++ {
		r, err := g.pool[p.replica].do(g.ctx, http.MethodGet, "/api/v1/live/games/"+g.pin+"/state", p.token, nil, "", "")
		if err != nil {
			if attempt < 5 && g.ctx.Err() == nil {
				time.Sleep(200 * time.Millisecond)
				continue
			}
			return fmt.Errorf("final state of %s: %w", p.nickname, err)
		}
		if r.Status != http.StatusOK {
			return fmt.Errorf("final state of %s: HTTP %d: %.300s", p.nickname, r.Status, r.Body)
		}
		var s struct {
			Data playerFinal `json:"data"`
		}
		if err := json.Unmarshal(r.Body, &s); err != nil {
			return fmt.Errorf("final state of %s: %w", p.nickname, err)
		}
		p.state = s.Data
		return nil
	}
}

// now is the time since the game's base.
func (g *liveGame) now() time.Duration { return time.Since(g.base) }

func (g *liveGame) openStreams() int {
	n := 0
	for _, p := range g.plays {
		p.mu.Lock()
		if p.stream != nil {
			n++
		}
		p.mu.Unlock()
	}
	return n
}

// closeAll closes every stream still open (the game is over).
func (g *liveGame) closeAll() {
	for _, p := range g.plays {
		p.mu.Lock()
		if p.stream != nil {
			p.dropping = true
			p.stream.Close()
		}
		p.mu.Unlock()
	}
}

func (g *liveGame) firstErrors() string {
	var out []string
	for _, p := range g.plays {
		p.mu.Lock()
		out = append(out, p.errs...)
		p.mu.Unlock()
		if len(out) >= 3 {
			break
		}
	}
	if len(out) == 0 {
		return "no errors recorded"
	}
	return fmt.Sprint(out)
}

// playerLoop keeps one player's event stream open until the game is over:
// it reconnects after any end or error with the spec's backoff (0.5 s,
// 1 s, 2 s … 5 s), the first event of each stream resyncing the player.
// sem bounds the first connection (setup), released after it.
func (g *liveGame) playerLoop(p *livePlayer, sem chan struct{}) {
	path := "/api/v1/live/games/" + g.pin + "/events"
	backoff := 500 * time.Millisecond
	first := true
	release := func() {
		if sem != nil {
			<-sem
			sem = nil
		}
	}
	defer release()
	for g.ctx.Err() == nil {
		p.mu.Lock()
		done := p.ended
		p.mu.Unlock()
		if done || (!first && g.ended.Load()) {
			return
		}
		first = false
		st, err := openSSE(g.ctx, g.env.Addrs[p.replica], path, p.token, liveReqTimeout)
		release()
		if err != nil {
			var he *httpStatusError
			if errors.As(err, &he) && (he.Status == http.StatusUnauthorized || he.Status == http.StatusForbidden) {
				p.errorf("event stream refused: %v", err)
				return
			}
			if !g.ended.Load() {
				p.errorf("event stream: %v", err)
			}
			time.Sleep(jitter(backoff))
			backoff = min(2*backoff, 5*time.Second)
			continue
		}
		p.mu.Lock()
		p.stream, p.dropping = st, false
		p.mu.Unlock()
		got := g.readStream(p, st)
		st.Close()
		p.mu.Lock()
		chaos := p.dropping
		wasOnline := p.online
		p.stream, p.online = nil, false
		if got > 0 {
			sp := &p.spans[len(p.spans)-1]
			sp.end, sp.chaos = g.now(), chaos
		}
		if !chaos && !p.ended && !g.ended.Load() {
			p.unexpEnd++
		}
		ended := p.ended
		p.mu.Unlock()
		if wasOnline {
			g.online.Add(-1)
		}
		if ended || g.ended.Load() {
			return
		}
		if got > 0 {
			backoff = 500 * time.Millisecond
		}
		time.Sleep(jitter(backoff))
		if got == 0 {
			backoff = min(2*backoff, 5*time.Second)
		}
		p.mu.Lock()
		p.reconn++
		p.mu.Unlock()
	}
}

// jitter spreads d by ±10%, so reconnects do not come in lockstep.
func jitter(d time.Duration) time.Duration {
	return d - d/10 + rand.N(d/5+1)
}

// readStream reads events until the stream ends and returns how many it
// got.
func (g *liveGame) readStream(p *livePlayer, st *sseStream) int {
	var ev sseEvent
	n := 0
	for {
		if err := st.next(&ev); err != nil {
			return n
		}
		at := g.now()
		if ev.Name == "removed" {
			p.errorf("removed from the game")
			p.mu.Lock()
			p.ended = true
			p.mu.Unlock()
			return n
		}
		if ev.Name != "state" {
			continue
		}
		n++
		g.stateEvents.Add(1)
		g.stateBytes.Add(int64(len(ev.Data)))
		if l := int64(len(ev.Data)); l > g.maxEvent.Load() {
			g.maxEvent.Store(l) // racy maximum, good enough for a report
		}
		phase, _ := scanString(ev.Data, "phase")
		seq64, _ := scanInt(ev.Data, "seq")
		seq := int(seq64)
		resync := n == 1
		p.mu.Lock()
		if resync {
			p.spans = append(p.spans, span{start: at})
			p.online = true
		}
		si := int16(len(p.spans) - 1)
		var scheduleAnswer, scheduleDrop bool
		switch phase {
		case model.LiveQuestion:
			if seq >= 1 && seq <= g.n && p.qSpan[seq] < 0 {
				p.qArr[seq], p.qSpan[seq], p.qResync[seq] = at, si, resync
				g.questionSeen[seq].Add(1)
				scheduleDrop = p.chaos && p.dropQ[seq] && !resync
			}
			if seq >= 1 && seq <= g.n && p.answers[seq].Status == ansNone {
				p.answers[seq].Status = ansPending
				scheduleAnswer = true
			}
		case model.LiveReveal:
			if seq >= 1 && seq <= g.n && p.rSpan[seq] < 0 {
				p.rArr[seq], p.rSpan[seq] = at, si
				g.revealSeen[seq].Add(1)
			}
		case model.LiveEnded:
			if !p.ended {
				p.eArr, p.eSpan = at, si
			}
			p.ended = true
		case model.LiveLobby:
		default:
			if len(p.errs) < 3 {
				p.errs = append(p.errs, fmt.Sprintf("state event without a known phase: %.200s", ev.Data))
			}
		}
		ended := p.ended
		p.mu.Unlock()
		if resync {
			g.online.Add(1)
		}
		if scheduleAnswer {
			raw := append([]byte(nil), ev.Data...)
			think := minThink + rand.N(g.cfg.Think-minThink+1)
			if resync {
				think = minThink + rand.N(time.Second)
			}
			g.answering.Add(1)
			time.AfterFunc(think, func() {
				defer g.answering.Done()
				g.answer(p, seq, raw)
			})
		}
		if scheduleDrop {
			time.AfterFunc(rand.N(chaosDropWithin), func() { g.drop(p) })
		}
		if ended {
			return n
		}
	}
}

// drop is a chaos drop: the stream closes as if the phone lost its network.
func (g *liveGame) drop(p *livePlayer) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stream == nil || p.ended || g.ended.Load() {
		return
	}
	p.dropping = true
	p.drops++
	if p.online {
		p.online = false
		g.online.Add(-1)
	}
	p.stream.Close()
}

func (p *livePlayer) isOnline() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.online
}

// answer answers question seq (raw: the state event that showed it) after
// the think time, and retries the same body until it is acknowledged or
// the server says it is too late.
func (g *liveGame) answer(p *livePlayer, seq int, raw []byte) {
	set := func(f func(a *playerAnswer)) {
		p.mu.Lock()
		f(&p.answers[seq])
		p.mu.Unlock()
	}
	st, err := questionOf(raw)
	if err != nil {
		set(func(a *playerAnswer) { a.Status, a.Err = ansFailed, err.Error() })
		return
	}
	if !st.CanAnswer {
		// Answered already (a resync after a cut request that got through
		// is handled by the retry loop, which owns the answer) or closed.
		set(func(a *playerAnswer) { a.Status, a.Question = ansClosed, st.Question.ID })
		return
	}
	answer, err := randomAnswer(st.Question)
	if err != nil {
		set(func(a *playerAnswer) { a.Status, a.Err = ansFailed, err.Error() })
		return
	}
	body, _ := json.Marshal(map[string]any{"question": st.Question.ID, "answer": answer})
	set(func(a *playerAnswer) {
		a.Question, a.Type, a.Body, a.Answer = st.Question.ID, st.Question.Type, body, answer
	})
	path := "/api/v1/live/games/" + g.pin + "/answers"
	backoff := 100 * time.Millisecond
	for attempt := 0; ; attempt++ {
		if g.ctx.Err() != nil {
			set(func(a *playerAnswer) { a.Status, a.Err = ansFailed, "unresolved when the run ended" })
			return
		}
		if attempt > 0 {
			set(func(a *playerAnswer) { a.Retries++ })
		}
		cut := p.chaos && attempt == 0 && p.cutQ[seq] && !g.ended.Load()
		if cut || (!p.isOnline() && !g.ended.Load()) {
			// The network goes (or is gone) while the answer is sent: the
			// request leaves on a connection of its own that is cut, and
			// the stream drops too. Back online, it is sent again.
			g.cutRequest(p, path, body)
			set(func(a *playerAnswer) { a.Cut++ })
			if cut {
				g.drop(p)
			}
			for !p.isOnline() && g.ctx.Err() == nil && !g.ended.Load() {
				time.Sleep(50 * time.Millisecond)
			}
			continue
		}
		r, err := g.pool[p.replica].do(g.ctx, http.MethodPost, path, p.token, body, "", "")
		if err == nil {
			g.latMu.Lock()
			g.answerLat = append(g.answerLat, r.Latency)
			g.answerDue = append(g.answerDue, r.Wait+r.Latency)
			g.poolWait = append(g.poolWait, r.Wait)
			g.latMu.Unlock()
		}
		switch {
		case err != nil || r.Status >= 500 || r.Status == http.StatusTooManyRequests:
			time.Sleep(jitter(backoff))
			backoff = min(2*backoff, time.Second)
			continue
		case r.Status == http.StatusCreated:
			if !bytes.Contains(r.Body, []byte(`"received":true`)) {
				set(func(a *playerAnswer) { a.Err = fmt.Sprintf("201 without received: %.200s", r.Body) })
			}
			set(func(a *playerAnswer) { a.Status, a.Replayed = ansAcked, r.Replayed })
			return
		case r.Status == http.StatusConflict:
			switch code := errorCode(r.Body); code {
			case "live.too_late", "live.ended":
				set(func(a *playerAnswer) { a.Status = ansTooLate })
			case "live.not_current":
				set(func(a *playerAnswer) { a.Status = ansNotCurrent })
			default:
				set(func(a *playerAnswer) { a.Status, a.Err = ansFailed, fmt.Sprintf("HTTP 409 %s: %.200s", code, r.Body) })
			}
			return
		default:
			set(func(a *playerAnswer) { a.Status, a.Err = ansFailed, fmt.Sprintf("HTTP %d: %.200s", r.Status, r.Body) })
			return
		}
	}
}

// cutRequest sends an answer on a connection of its own and cuts it: half
// the time after the whole request is written (the server may or may not
// store it; the reply is never read), half the time in the middle of it.
func (g *liveGame) cutRequest(p *livePlayer, path string, body []byte) {
	addr := g.env.Addrs[p.replica]
	conn, err := net.DialTimeout("tcp4", addr, 5*time.Second)
	if err != nil {
		return
	}
	defer conn.Close()
	req := []byte("POST " + path + " HTTP/1.1\r\nHost: " + addr + "\r\nAuthorization: Bearer " + p.token +
		"\r\nContent-Type: application/json\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n")
	req = append(req, body...)
	_ = conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if rand.IntN(2) == 0 {
		_, _ = conn.Write(req[:len(req)-len(body)/2-1])
		return
	}
	_, _ = conn.Write(req)
	time.Sleep(rand.N(20 * time.Millisecond))
}

// randomAnswer picks a valid answer of the question's type at random.
func randomAnswer(q *model.PublicQuestion) (json.RawMessage, error) {
	ids := func(items []model.PublicItem) []string {
		out := make([]string, len(items))
		for i, it := range items {
			out[i] = it.ID
		}
		return out
	}
	subset := func(all []string) []string {
		rand.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		return all[:1+rand.IntN(len(all))]
	}
	var v any
	switch q.Type {
	case model.Single:
		if len(q.Options) == 0 {
			return nil, fmt.Errorf("question %s has no options", q.ID)
		}
		v = q.Options[rand.IntN(len(q.Options))].ID
	case model.Multiple:
		if len(q.Options) == 0 {
			return nil, fmt.Errorf("question %s has no options", q.ID)
		}
		v = subset(ids(q.Options))
	case model.TrueFalse:
		v = rand.IntN(2) == 0
	case model.Ordering:
		if len(q.Items) == 0 {
			return nil, fmt.Errorf("question %s has no items", q.ID)
		}
		all := ids(q.Items)
		rand.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		v = all
	case model.RedFlags:
		if q.Message == nil || len(q.Message.Segments) == 0 {
			return nil, fmt.Errorf("question %s has no message", q.ID)
		}
		v = subset(ids(q.Message.Segments))
	default:
		return nil, fmt.Errorf("question %s: type %q is not playable live", q.ID, q.Type)
	}
	return json.Marshal(v)
}

// host runs the game from the lobby to the end: each question is opened
// with POST next and closed, with POST next {"state":"question","seq":k},
// when the host's event stream says every player answered or its time is
// up; each reveal stays until every online player has seen it.
func (g *liveGame) host() error {
	hs := newHostStream(g)
	go hs.run()
	defer hs.stop()
	next := func(state string, seq int) (hostGame, time.Duration, error) {
		var hg hostGame
		at := g.now()
		err := g.api.call(g.ctx, http.MethodPost, fmt.Sprintf("/api/v1/live/games/%d/next", g.id), g.env.HostToken,
			model.LiveNextRequest{State: state, Seq: seq}, http.StatusOK, &hg)
		return hg, at, err
	}
	cpu := g.cfg.CPU
	if cpu == nil {
		cpu = func() cpuSample { return cpuSample{} }
	}
	state, seq := model.LiveLobby, 0
	for k := 1; k <= g.n; k++ {
		c0 := cpu()
		hg, at, err := next(state, seq)
		if err != nil {
			return fmt.Errorf("open question %d: %w", k, err)
		}
		g.qNext[k], g.qReply[k] = at, g.now()-at
		if hg.State != model.LiveQuestion || hg.Seq != k {
			return fmt.Errorf("after next: state %s seq %d, want question %d", hg.State, hg.Seq, k)
		}
		limit := g.cfg.TimeLimit
		if hg.RemainingMS != nil {
			limit = time.Duration(*hg.RemainingMS) * time.Millisecond
		}
		closeAt := time.Now().Add(limit)
		// The fan-out's window: until every online player has the
		// question (or 5 s), and the CPU each side used in it.
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
			if g.questionSeen[k].Load() >= g.online.Load() {
				break
			}
		}
		g.fanWindow[k] = g.now() - at
		g.fanCPU[k] = cpu().sub(c0)
		if g.cfg.AfterQuestion != nil {
			g.cfg.AfterQuestion(k)
		}
		g.qEnd[k] = hs.waitAnswered(k, closeAt)
		if g.ctx.Err() != nil {
			return g.ctx.Err()
		}
		hg, at, err = next(model.LiveQuestion, k)
		if err != nil {
			return fmt.Errorf("reveal question %d: %w", k, err)
		}
		g.rNext[k] = at
		if hg.State != model.LiveReveal || hg.Seq != k {
			return fmt.Errorf("after next: state %s seq %d, want reveal %d", hg.State, hg.Seq, k)
		}
		// Let the reveal reach everyone online before the next question,
		// so the two fan-outs are measured apart.
		for deadline := time.Now().Add(revealMaxWait); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if g.revealSeen[k].Load() >= g.online.Load() {
				break
			}
		}
		time.Sleep(revealDwell)
		g.say("  question %d/%d: %s after %s; %d players answered", k, g.n, g.qEnd[k],
			(g.rNext[k] - g.qNext[k]).Round(time.Millisecond), hs.answered(k))
		state, seq = model.LiveReveal, k
	}
	hg, at, err := next(state, seq)
	if err != nil {
		return fmt.Errorf("end the game: %w", err)
	}
	g.endNext = at
	if hg.State != model.LiveEnded {
		return fmt.Errorf("after the last reveal next gave state %s, want ended", hg.State)
	}
	return nil
}

// hostStream follows GET host-events: the latest HostGame.
type hostStream struct {
	g       *liveGame
	mu      sync.Mutex
	last    hostGame
	changed chan struct{}
	cancel  context.CancelFunc
	ctx     context.Context
	done    chan struct{}
	events  int
	errs    []string
}

func newHostStream(g *liveGame) *hostStream {
	ctx, cancel := context.WithCancel(g.ctx)
	return &hostStream{g: g, ctx: ctx, cancel: cancel, changed: make(chan struct{}, 1), done: make(chan struct{})}
}

func (h *hostStream) run() {
	defer close(h.done)
	path := fmt.Sprintf("/api/v1/live/games/%d/host-events", h.g.id)
	for h.ctx.Err() == nil {
		st, err := openSSE(h.ctx, h.g.env.Addrs[0], path, h.g.env.HostToken, liveReqTimeout)
		if err != nil {
			h.mu.Lock()
			if len(h.errs) < 3 && h.ctx.Err() == nil {
				h.errs = append(h.errs, err.Error())
			}
			h.mu.Unlock()
			time.Sleep(500 * time.Millisecond)
			continue
		}
		stop := context.AfterFunc(h.ctx, func() { st.Close() })
		var ev sseEvent
		for st.next(&ev) == nil {
			if ev.Name != "host" {
				continue
			}
			var hg hostGame
			if err := json.Unmarshal(ev.Data, &hg); err != nil {
				continue
			}
			h.mu.Lock()
			h.last = hg
			h.events++
			h.mu.Unlock()
			select {
			case h.changed <- struct{}{}:
			default:
			}
		}
		stop()
		st.Close()
		if h.ctx.Err() == nil {
			time.Sleep(500 * time.Millisecond)
		}
	}
}

func (h *hostStream) stop() {
	h.cancel()
	<-h.done
}

// waitAnswered waits until the host stream shows question seq with every
// player answered ("all answered") or until deadline ("time up").
func (h *hostStream) waitAnswered(seq int, deadline time.Time) string {
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	for {
		h.mu.Lock()
		hg := h.last
		h.mu.Unlock()
		if hg.State == model.LiveQuestion && hg.Seq == seq && hg.Players > 0 && hg.Answered >= hg.Players {
			return "all answered"
		}
		select {
		case <-h.changed:
		case <-timer.C:
			return "time up"
		case <-h.ctx.Done():
			return "stopped"
		}
	}
}

// answered is the last answered count the host saw for question seq.
func (h *hostStream) answered(seq int) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.last.Seq == seq {
		return h.last.Answered
	}
	return -1
}

// sortedCopy returns the durations sorted.
func sortedCopy(d []time.Duration) []time.Duration {
	out := slices.Clone(d)
	slices.Sort(out)
	return out
}
