package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store/storetest"
)

// Live games (issue 10) through the real router on every engine. Every
// wait is on a condition (a state read, an event frame) with a deadline;
// nothing sleeps a fixed time to make an assertion true.
//
// One server per engine serves every scenario (each plays its own games),
// and the scenarios run in parallel: a live game is mostly waiting, and
// one timed question has to run out on the server's clock.
func TestLive(t *testing.T) {
	scenarios := []struct {
		name string
		fn   func(t *testing.T, h *harness, env *liveEnv)
	}{
		{"StateMachine", liveStateMachine},
		{"PauseResumeFreezesTheClock", livePauseResumeFreezesTheClock},
		{"Scoring", liveScoring},
		{"OneAnswerPerPlayerAndQuestion", liveOneAnswerPerPlayerAndQuestion},
		{"LateAnswers", liveLateAnswers},
		{"LateJoinerWaitsForTheNextQuestion", liveLateJoinerWaitsForTheNextQuestion},
		{"PlayerCapAndLock", livePlayerCapAndLock},
		{"RemovePlayer", liveRemovePlayer},
		{"Teams", liveTeams},
		{"ReconnectMidQuestion", liveReconnectMidQuestion},
		{"ClassGame", liveClassGame},
		{"EventStream", liveEventStream},
		{"NoAnswerKeyBeforeReveal", liveNoAnswerKeyBeforeReveal},
		{"BadInput", liveBadInput},
		{"JoinRateLimit", liveJoinRateLimit},
		{"RemovedSignedInPlayerRejoins", liveRemovedSignedInPlayerRejoins},
	}
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			// Room for the many sign-ins (the harness allows five per client).
			base := newHarness(t, e, func(c *configT) { c.LoginLimit = 1000 })
			env := &liveEnv{engine: e, base: base, url: listenLive(base)}
			env.host = base.userWithRole("Host", model.RoleEducator)
			// other hosts no game of its own: it is the stranger at the door.
			env.other = base.userWithRole("Other", model.RoleEducator)
			for i, sc := range scenarios {
				t.Run(sc.name, func(t *testing.T) {
					t.Parallel()
					sc.fn(t, env.harness(t, i+1), env)
				})
			}
		})
	}
}

// liveEnv is what the scenarios of one engine share.
type liveEnv struct {
	engine      storetest.Engine
	base        *harness
	url         string // the server on a loopback socket, for event streams
	host, other session
}

// harness is the shared server seen from one scenario: its failures are
// the scenario's, and the accounts it makes have addresses of their own.
func (env *liveEnv) harness(t *testing.T, n int) *harness {
	b := env.base
	return &harness{t: t, srv: b.srv, app: b.app, store: b.store, seq: n * 10000}
}

// --- helpers -------------------------------------------------------------

type lvGame struct {
	h    *harness
	host string
	id   int64
	pin  string
}

type lvPlayer struct {
	g     lvGame
	token string
	id    int64
	nick  string
}

func lvNum(v any) float64 {
	f, ok := v.(float64)
	if !ok {
		return math.NaN()
	}
	return f
}

func lvInt(v any) int64 { return int64(lvNum(v)) }

func lvCreate(h *harness, host string, body map[string]any) lvGame {
	h.t.Helper()
	if _, ok := body["module"]; !ok {
		body["module"] = "spot-the-scam"
	}
	d := data(h.expect(201, req{Method: "POST", Path: "/api/v1/live/games", Token: host, Body: body}))
	pin, _ := d["pin"].(string)
	if !model.ValidLivePIN(pin) || pin[0] == '0' {
		h.t.Fatalf("created game pin = %q, want six digits not starting with 0", pin)
	}
	return lvGame{h: h, host: host, id: lvInt(d["id"]), pin: pin}
}

func (g lvGame) path(suffix string) string {
	return fmt.Sprintf("/api/v1/live/games/%d%s", g.id, suffix)
}

func (g lvGame) view() map[string]any {
	g.h.t.Helper()
	return data(g.h.expect(200, req{Method: "GET", Path: g.path(""), Token: g.host}))
}

// step applies a host action that must succeed and returns the HostGame.
func (g lvGame) step(action string) map[string]any {
	g.h.t.Helper()
	return data(g.h.expect(200, req{Method: "POST", Path: g.path("/" + action), Token: g.host}))
}

func (g lvGame) try(action string, body any) reply {
	g.h.t.Helper()
	return g.h.do(req{Method: "POST", Path: g.path("/" + action), Token: g.host, Body: body})
}

func (g lvGame) report() map[string]any {
	g.h.t.Helper()
	return data(g.h.expect(200, req{Method: "GET", Path: g.path("/report"), Token: g.host}))
}

func (g lvGame) joinReply(nick, access string, extra map[string]any) reply {
	g.h.t.Helper()
	body := map[string]any{"pin": g.pin, "nickname": nick}
	for k, v := range extra {
		body[k] = v
	}
	return g.h.do(req{Method: "POST", Path: "/api/v1/live/join", Token: access, Body: body})
}

// join adds a player (anonymous when access is empty) and checks the reply.
func (g lvGame) join(nick, access string) lvPlayer {
	g.h.t.Helper()
	r := g.joinReply(nick, access, nil)
	if r.Status != 201 {
		g.h.t.Fatalf("join %q = %d %s, want 201", nick, r.Status, r.Body)
	}
	d := data(r)
	token, _ := d["player_token"].(string)
	if !strings.HasPrefix(token, "lp_") || len(token) < 20 {
		g.h.t.Fatalf("join %q: player_token %q, want an opaque lp_ token", nick, token)
	}
	game := d["game"].(map[string]any)
	if lvInt(game["id"]) != g.id || game["pin"] != g.pin {
		g.h.t.Fatalf("join %q: game = %v, want id %d pin %s", nick, game, g.id, g.pin)
	}
	p := d["player"].(map[string]any)
	return lvPlayer{g: g, token: token, id: lvInt(p["id"]), nick: p["nickname"].(string)}
}

func (p lvPlayer) stateReply() reply {
	p.g.h.t.Helper()
	return p.g.h.do(req{Method: "GET", Path: "/api/v1/live/games/" + p.g.pin + "/state", Token: p.token})
}

func (p lvPlayer) state() map[string]any {
	p.g.h.t.Helper()
	r := p.stateReply()
	if r.Status != 200 {
		p.g.h.t.Fatalf("state of %s = %d %s, want 200", p.nick, r.Status, r.Body)
	}
	return data(r)
}

func (p lvPlayer) answer(qid string, answer any) reply {
	p.g.h.t.Helper()
	return p.g.h.do(req{Method: "POST", Path: "/api/v1/live/games/" + p.g.pin + "/answers", Token: p.token,
		Body: map[string]any{"question": qid, "answer": answer}})
}

// answerOK answers and returns the receipt's elapsed_ms.
func (p lvPlayer) answerOK(qid string, answer any) int {
	p.g.h.t.Helper()
	r := p.answer(qid, answer)
	if r.Status != 201 {
		p.g.h.t.Fatalf("%s answers %s with %v = %d %s, want 201", p.nick, qid, answer, r.Status, r.Body)
	}
	if r.Header.Get("Idempotent-Replayed") != "" {
		p.g.h.t.Fatalf("%s's first answer to %s came back as a replay", p.nick, qid)
	}
	d := data(r)
	if d["question"] != qid || d["received"] != true {
		p.g.h.t.Fatalf("receipt = %s, want question %s received", r.Body, qid)
	}
	for _, k := range []string{"correct", "points", "score", "streak"} {
		if _, ok := d[k]; ok {
			p.g.h.t.Fatalf("receipt %s tells %q before the reveal", r.Body, k)
		}
	}
	return int(lvInt(d["elapsed_ms"]))
}

func wantLiveErr(t *testing.T, what string, r reply, status int, code string) {
	t.Helper()
	if r.Status != status || (code != "" && errorCode(r) != code) {
		t.Errorf("%s = %d %s, want %d %s", what, r.Status, r.Body, status, code)
	}
}

// lvPoints is the spec's formula: round(1000 × (1 − elapsed/limit/2)) ×
// fraction, 1000 × fraction untimed.
func lvPoints(elapsedMS, limitMS int, fraction float64) int {
	speed := 1.0
	if limitMS > 0 {
		speed = 1 - float64(elapsedMS)/float64(limitMS)/2
	}
	return int(math.Round(1000 * speed * fraction))
}

// eventually polls cond until it holds, failing after within.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", within, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// keyFields are the names the answer key or its explanations go by in
// authored questions; none may appear anywhere inside a question sent
// before the reveal.
var keyFields = regexp.MustCompile(`^(correct.*|answers?|flags?|why|feedback.*|explanation|key|solution|right|points)$`)

func assertNoKey(t *testing.T, where string, q any) {
	t.Helper()
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				if keyFields.MatchString(k) {
					t.Errorf("%s: question carries %q at %s before the reveal: %v", where, k, path, q)
				}
				walk(path+"."+k, c)
			}
		case []any:
			for i, c := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), c)
			}
		}
	}
	walk("question", q)
}

// assertQuestionPhase checks a player state (or its event frame) while a
// question is open: the question is there, without its key; no reveal, no
// correctness, no points.
func assertQuestionPhase(t *testing.T, where string, st map[string]any, qid string) {
	t.Helper()
	if st["phase"] != "question" {
		t.Fatalf("%s: phase = %v, want question", where, st["phase"])
	}
	q, _ := st["question"].(map[string]any)
	if q == nil || q["id"] != qid {
		t.Fatalf("%s: question = %v, want %s", where, st["question"], qid)
	}
	assertNoKey(t, where, q)
	for _, k := range []string{"reveal", "correct", "points"} {
		if v, ok := st[k]; !ok || v != nil {
			t.Errorf("%s: %s = %v (present %v), want null before the reveal", where, k, v, ok)
		}
	}
}

func assertHostQuestionPhase(t *testing.T, where string, hg map[string]any, qid string) {
	t.Helper()
	if hg["state"] != "question" {
		t.Fatalf("%s: state = %v, want question", where, hg["state"])
	}
	q, _ := hg["question"].(map[string]any)
	if q == nil || q["id"] != qid {
		t.Fatalf("%s: question = %v, want %s", where, hg["question"], qid)
	}
	assertNoKey(t, where, q)
	if v, ok := hg["reveal"]; !ok || v != nil {
		t.Errorf("%s: reveal = %v, want null before the reveal", where, v)
	}
}

func jsonEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	var x, y any
	json.Unmarshal(ja, &x)
	json.Unmarshal(jb, &y)
	return reflect.DeepEqual(x, y)
}

func leaderIDs(list any) []int64 {
	var out []int64
	l, _ := list.([]any)
	for _, e := range l {
		out = append(out, lvInt(e.(map[string]any)["player_id"]))
	}
	return out
}

// assertListedAsViewed checks that GET /live/games (a list of HostGame)
// describes game g as GET /live/games/{id} does.
func assertListedAsViewed(t *testing.T, g lvGame) {
	t.Helper()
	v := g.view()
	var entry map[string]any
	for _, x := range g.h.expect(200, req{Method: "GET", Path: "/api/v1/live/games", Token: g.host}).JSON["data"].([]any) {
		if m := x.(map[string]any); lvInt(m["id"]) == g.id {
			entry = m
		}
	}
	if entry == nil {
		t.Fatalf("game %d is not in its host's list", g.id)
	}
	for _, k := range []string{"state", "seq", "paused", "locked", "players", "time_limit_s", "time_limit_ms", "question_count", "player_cap"} {
		if !reflect.DeepEqual(entry[k], v[k]) {
			t.Errorf("GET /live/games lists %s = %v, GET /live/games/%d says %v", k, entry[k], g.id, v[k])
		}
	}
}

func reportPlayer(rep map[string]any, id int64) map[string]any {
	for _, p := range rep["players"].([]any) {
		if m := p.(map[string]any); lvInt(m["id"]) == id {
			return m
		}
	}
	return nil
}

func reportQuestion(rep map[string]any, qid string) map[string]any {
	for _, q := range rep["questions"].([]any) {
		if m := q.(map[string]any); m["id"] == qid {
			return m
		}
	}
	return nil
}

// --- event streams over a real socket -------------------------------------

type sseFrame struct {
	Event string
	Data  []byte
}

func (f sseFrame) object(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(f.Data, &m); err != nil {
		t.Fatalf("event %s data is not a JSON object: %v: %s", f.Event, err, f.Data)
	}
	return m
}

type sseStream struct {
	frames chan sseFrame
	retry  chan string
	cancel context.CancelFunc
}

// openStream opens an event stream on the listening server and parses its
// frames in a goroutine. The stream is cancelled when the test ends.
func openStream(t *testing.T, base, path, token string) *sseStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	rq, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
	rq.Header.Set("Authorization", "Bearer "+token)
	rq.Header.Set("Accept-Encoding", "gzip")
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(rq)
	if err != nil {
		cancel()
		t.Fatalf("GET %s: %v", path, err)
	}
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") ||
		resp.Header.Get("Content-Encoding") != "" {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		cancel()
		t.Fatalf("GET %s = %d %q %q %s, want 200 text/event-stream, uncompressed", path, resp.StatusCode,
			resp.Header.Get("Content-Type"), resp.Header.Get("Content-Encoding"), b)
	}
	s := &sseStream{frames: make(chan sseFrame, 64), retry: make(chan string, 1), cancel: cancel}
	go func() {
		defer close(s.frames)
		defer resp.Body.Close()
		br := bufio.NewReader(resp.Body)
		var ev string
		var buf []byte
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\r\n")
			switch {
			case line == "":
				if ev != "" || buf != nil {
					s.frames <- sseFrame{Event: ev, Data: buf}
				}
				ev, buf = "", nil
			case strings.HasPrefix(line, ":"): // a comment (ping)
			case strings.HasPrefix(line, "retry: "):
				select {
				case s.retry <- strings.TrimPrefix(line, "retry: "):
				default:
				}
			case strings.HasPrefix(line, "event: "):
				ev = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				buf = append(buf, strings.TrimPrefix(line, "data: ")...)
			}
		}
	}()
	t.Cleanup(cancel)
	return s
}

// next waits for the next frame; ok is false if the stream closed.
func (s *sseStream) next(t *testing.T, within time.Duration) (sseFrame, bool) {
	t.Helper()
	select {
	case f, ok := <-s.frames:
		return f, ok
	case <-time.After(within):
		t.Fatalf("no event within %v", within)
	}
	return sseFrame{}, false
}

// nextState waits for the next frame, which must be event kind.
func (s *sseStream) nextOf(t *testing.T, kind string) map[string]any {
	t.Helper()
	f, ok := s.next(t, 5*time.Second)
	if !ok {
		t.Fatalf("stream closed, want an event %q", kind)
	}
	if f.Event != kind {
		t.Fatalf("event %q %s, want %q", f.Event, f.Data, kind)
	}
	return f.object(t)
}

// closed waits for the server to end the stream.
func (s *sseStream) closed(t *testing.T) {
	t.Helper()
	for {
		f, ok := s.next(t, 5*time.Second)
		if !ok {
			return
		}
		t.Errorf("stream sent %q %s, want it closed", f.Event, f.Data)
	}
}

// listenLive serves the harness on a loopback socket; the live service is
// closed first at the end, so open streams do not hold the shutdown.
func listenLive(h *harness) string {
	base := h.listen()
	h.t.Cleanup(h.srv.Live.Close)
	return base
}

// --- the state machine -----------------------------------------------------

func liveStateMachine(t *testing.T, h *harness, env *liveEnv) {
	ed := h.userWithRole("Lister", model.RoleEducator) // its own: the test lists its games
	g := lvCreate(h, ed.Access, map[string]any{"questions": []string{"sts-q01", "sts-q04", "sts-q03"}, "time_limit_s": 0})
	v := g.view()
	if v["state"] != "lobby" || lvNum(v["seq"]) != 0 || v["question"] != nil || v["remaining_ms"] != nil || v["reveal"] != nil ||
		lvNum(v["question_count"]) != 3 || lvNum(v["time_limit_ms"]) != 0 || v["locked"] != false || v["paused"] != false ||
		lvNum(v["players"]) != 0 || v["join_url"] != "/live?pin="+g.pin || v["module_title"] == "" {
		t.Fatalf("new game = %v, want an open lobby of 3 questions", v)
	}
	excl := map[string]string{}
	for _, e := range v["excluded"].([]any) {
		excl[e.(map[string]any)["id"].(string)] = e.(map[string]any)["type"].(string)
	}
	if excl["sts-q07"] != "matching" || excl["sts-q17"] != "scenario" || excl["sts-q01"] != "" {
		t.Errorf("excluded = %v, want the matching and scenario questions only", v["excluded"])
	}
	// Every playable question when none are named.
	all := lvCreate(h, ed.Access, map[string]any{"time_limit_s": 20})
	if n := lvNum(all.view()["question_count"]); n != 14 {
		t.Errorf("question_count without a list = %v, want the 14 playable questions of 18", n)
	}

	p := g.join("Mali", "")
	if v = g.view(); lvNum(v["players"]) != 1 || len(v["recent_players"].([]any)) != 1 ||
		v["recent_players"].([]any)[0].(map[string]any)["nickname"] != "Mali" {
		t.Errorf("lobby after a join = players %v recent %v, want Mali", v["players"], v["recent_players"])
	}
	if st := p.state(); st["phase"] != "lobby" || lvNum(st["seq"]) != 0 || st["question"] != nil || st["can_answer"] != false {
		t.Errorf("player state in the lobby = %v", st)
	}
	// The phone's lobby counts the players in, as the host's does.
	if st := p.state(); lvNum(st["players"]) != 1 {
		t.Errorf("player state in the lobby: players = %v, want 1 (the host view says %v)", st["players"], g.view()["players"])
	}
	for _, a := range []string{"skip", "pause", "resume"} {
		wantLiveErr(t, a+" in the lobby", g.try(a, nil), 409, "live.not_question")
	}

	// lobby → question 1
	v = g.step("next")
	assertHostQuestionPhase(t, "next from the lobby", v, "sts-q01")
	if lvNum(v["seq"]) != 1 || v["remaining_ms"] != nil {
		t.Errorf("question 1 = seq %v remaining %v, want seq 1 and no clock (untimed)", v["seq"], v["remaining_ms"])
	}
	wantLiveErr(t, "pause an untimed question", g.try("pause", nil), 409, "live.not_question")
	// A host screen that still shows the lobby must not step again.
	wantLiveErr(t, "next with a stale state", g.try("next", map[string]any{"state": "lobby", "seq": 0}), 409, "live.moved_on")
	wantLiveErr(t, "next with a stale seq", g.try("next", map[string]any{"state": "question", "seq": 2}), 409, "live.moved_on")
	if v = g.view(); v["state"] != "question" || lvNum(v["seq"]) != 1 {
		t.Fatalf("a refused next moved the game: %v %v", v["state"], v["seq"])
	}
	// question 1 → reveal 1, with the state the screen saw.
	v = data(h.expect(200, req{Method: "POST", Path: g.path("/next"), Token: ed.Access, Body: map[string]any{"state": "question", "seq": 1}}))
	if v["state"] != "reveal" || lvNum(v["seq"]) != 1 || v["question"].(map[string]any)["id"] != "sts-q01" ||
		v["reveal"].(map[string]any)["question_id"] != "sts-q01" {
		t.Fatalf("reveal 1 = %v", v)
	}
	wantLiveErr(t, "the second tab's next", g.try("next", map[string]any{"state": "question", "seq": 1}), 409, "live.moved_on")
	wantLiveErr(t, "skip in a reveal", g.try("skip", nil), 409, "live.not_question")
	// reveal 1 → question 2 → skip → question 3 (no reveal of 2)
	v = g.step("next")
	assertHostQuestionPhase(t, "question 2", v, "sts-q04")
	p.answerOK("sts-q04", false)
	v = g.step("skip")
	assertHostQuestionPhase(t, "skip to question 3", v, "sts-q03")
	if lvNum(v["seq"]) != 3 {
		t.Errorf("after skip seq = %v, want 3", v["seq"])
	}
	// A skipped question's answers still count.
	if st := p.state(); lvNum(st["score"]) != 1000 || lvNum(st["streak"]) != 1 || st["can_answer"] != true {
		t.Errorf("after a skip = score %v streak %v can_answer %v, want 1000 1 true (the answer to the skipped question counts)",
			st["score"], st["streak"], st["can_answer"])
	}
	if v = g.step("next"); v["state"] != "reveal" || lvNum(v["seq"]) != 3 {
		t.Fatalf("reveal 3 = %v %v", v["state"], v["seq"])
	}
	if v = g.step("next"); v["state"] != "ended" || lvNum(v["seq"]) != 3 || v["remaining_ms"] != nil {
		t.Fatalf("after the last reveal = %v %v, want ended", v["state"], v["seq"])
	}
	if st := p.state(); st["phase"] != "ended" || st["can_answer"] != false || st["review"] == nil {
		t.Errorf("player state at the end = %v, want ended with a review", st)
	}
	// Nothing moves an ended game.
	for _, a := range []string{"next", "skip", "pause", "resume", "lock", "unlock", "end"} {
		wantLiveErr(t, a+" after the end", g.try(a, nil), 409, "live.ended")
	}
	wantLiveErr(t, "next after the end with its state", g.try("next", map[string]any{"state": "ended", "seq": 3}), 409, "live.ended")
	wantLiveErr(t, "answer after the end", p.answer("sts-q03", []string{"a"}), 409, "live.ended")
	if r := g.joinReply("Late", "", nil); !(r.Status == 404 && errorCode(r) == "live.not_found") && !(r.Status == 409 && errorCode(r) == "live.ended") {
		t.Errorf("join an ended game = %d %s, want 404 live.not_found or 409 live.ended", r.Status, r.Body)
	}

	// Skipping the last question ends the game; end works from the lobby.
	g2 := lvCreate(h, ed.Access, map[string]any{"questions": []string{"sts-q01", "sts-q04"}, "time_limit_s": 0})
	g2.step("next")
	if v = g2.step("skip"); v["state"] != "question" || lvNum(v["seq"]) != 2 {
		t.Fatalf("skip 1 = %v %v", v["state"], v["seq"])
	}
	if v = g2.step("skip"); v["state"] != "ended" {
		t.Fatalf("skip of the last question = %v, want ended", v["state"])
	}
	g3 := lvCreate(h, ed.Access, map[string]any{"time_limit_s": 0})
	if v = g3.step("end"); v["state"] != "ended" || lvNum(v["seq"]) != 0 {
		t.Fatalf("end from the lobby = %v %v", v["state"], v["seq"])
	}
	// My games, newest first.
	list := h.expect(200, req{Method: "GET", Path: "/api/v1/live/games", Token: ed.Access}).JSON["data"].([]any)
	var ids []int64
	for _, x := range list {
		ids = append(ids, lvInt(x.(map[string]any)["id"]))
	}
	if want := []int64{g3.id, g2.id, all.id, g.id}; !reflect.DeepEqual(ids, want) {
		t.Errorf("my games = %v, want %v (newest first)", ids, want)
	}
}

func livePauseResumeFreezesTheClock(t *testing.T, h *harness, env *liveEnv) {
	ed := env.host
	g := lvCreate(h, ed.Access, map[string]any{"questions": []string{"sts-q01", "sts-q04"}, "time_limit_s": 60})
	p := g.join("Mali", "")
	v := g.step("next")
	if r := lvNum(v["remaining_ms"]); !(r > 50000 && r <= 60000) || lvNum(v["time_limit_ms"]) != 60000 || v["paused"] != false {
		t.Fatalf("timed question = remaining %v limit %v paused %v", v["remaining_ms"], v["time_limit_ms"], v["paused"])
	}
	v = g.step("pause")
	frozen := lvNum(v["remaining_ms"])
	if v["paused"] != true || !(frozen > 50000 && frozen <= 60000) {
		t.Fatalf("paused = %v remaining %v", v["paused"], v["remaining_ms"])
	}
	// However often it is read, a paused clock shows the same time.
	for start, n := time.Now(), 0; n < 3 || time.Since(start) < 150*time.Millisecond; n++ {
		st := p.state()
		if st["paused"] != true || lvNum(st["remaining_ms"]) != frozen || st["can_answer"] != true {
			t.Fatalf("player state while paused = paused %v remaining %v can_answer %v, want true %v true",
				st["paused"], st["remaining_ms"], st["can_answer"], frozen)
		}
		if hv := g.view(); lvNum(hv["remaining_ms"]) != frozen || hv["paused"] != true {
			t.Fatalf("host view while paused = remaining %v paused %v, want %v", hv["remaining_ms"], hv["paused"], frozen)
		}
	}
	wantLiveErr(t, "pause twice", g.try("pause", nil), 409, "live.not_question")
	assertListedAsViewed(t, g)
	// An answer while paused is timed at the pause.
	elapsed := p.answerOK("sts-q01", "a")
	if want := 60000 - int(frozen); elapsed != want {
		t.Errorf("elapsed while paused = %d, want %d (the limit less the frozen time)", elapsed, want)
	}
	v = g.step("resume")
	resumed := lvNum(v["remaining_ms"])
	if v["paused"] != false || !(resumed <= frozen && resumed > frozen-5000) {
		t.Fatalf("resumed = paused %v remaining %v, want the clock from %v", v["paused"], v["remaining_ms"], frozen)
	}
	wantLiveErr(t, "resume twice", g.try("resume", nil), 409, "live.not_question")
	eventually(t, 3*time.Second, "the clock to run again", func() bool {
		st := p.state()
		return st["paused"] == false && lvNum(st["remaining_ms"]) < resumed
	})
	g.step("next") // reveal
	wantLiveErr(t, "pause in a reveal", g.try("pause", nil), 409, "live.not_question")
	wantLiveErr(t, "resume in a reveal", g.try("resume", nil), 409, "live.not_question")
	st := p.state()
	if want := lvPoints(elapsed, 60000, 1); st["correct"] != true || lvNum(st["points"]) != float64(want) {
		t.Errorf("points for an answer while paused = %v %v, want correct and %d", st["correct"], st["points"], want)
	}
	if st["remaining_ms"] != nil {
		t.Errorf("remaining_ms in a reveal = %v, want null", st["remaining_ms"])
	}
}

// --- scoring ---------------------------------------------------------------

func liveScoring(t *testing.T, h *harness, env *liveEnv) {
	ed := env.host
	const limit = 60000
	g := lvCreate(h, ed.Access, map[string]any{"questions": []string{"sts-q01", "sts-q04", "sts-q03", "sts-q05"}, "time_limit_s": 60})
	a, b, c := g.join("Ana", ""), g.join("Ben", ""), g.join("Cai", "")
	score := map[int64]int{}
	check := func(p lvPlayer, correct any, points, streak int) {
		t.Helper()
		st := p.state()
		if st["phase"] != "reveal" {
			t.Fatalf("%s: phase %v, want reveal", p.nick, st["phase"])
		}
		if correct == nil {
			if st["correct"] != nil || st["points"] != nil {
				t.Errorf("%s did not answer: correct %v points %v, want null", p.nick, st["correct"], st["points"])
			}
		} else if st["correct"] != correct || lvNum(st["points"]) != float64(points) {
			t.Errorf("%s: correct %v points %v, want %v %d", p.nick, st["correct"], st["points"], correct, points)
		}
		score[p.id] += points
		if lvNum(st["score"]) != float64(score[p.id]) || lvNum(st["streak"]) != float64(streak) {
			t.Errorf("%s: score %v streak %v, want %d %d", p.nick, st["score"], st["streak"], score[p.id], streak)
		}
	}

	// Q1 single: Ana right, Ben wrong, Cai silent.
	g.step("next")
	ea := a.answerOK("sts-q01", "a")
	b.answerOK("sts-q01", "b")
	if st := a.state(); lvNum(st["score"]) != 0 || st["answered"] != true || st["can_answer"] != false {
		t.Errorf("during the question Ana's state = score %v answered %v can_answer %v, want 0 true false", st["score"], st["answered"], st["can_answer"])
	}
	rv := g.step("next")
	p1 := lvPoints(ea, limit, 1)
	if p1 < 500 || p1 > 1000 {
		t.Fatalf("first correct answer scores %d, want 500..1000", p1)
	}
	check(a, true, p1, 1)
	check(b, false, 0, 0)
	check(c, nil, 0, 0)
	rev := rv["reveal"].(map[string]any)
	if rev["correct"] != "a" || lvNum(rev["answered"]) != 2 || lvNum(rev["correct_count"]) != 1 || rev["explanation"] == "" {
		t.Errorf("reveal 1 = %v", rev)
	}
	wantDist := []any{
		map[string]any{"choice": "a", "count": 1.0, "correct": true}, map[string]any{"choice": "b", "count": 1.0, "correct": false},
		map[string]any{"choice": "c", "count": 0.0, "correct": false}, map[string]any{"choice": "d", "count": 0.0, "correct": false}}
	if !reflect.DeepEqual(rev["distribution"], wantDist) {
		t.Errorf("distribution 1 = %v, want %v", rev["distribution"], wantDist)
	}
	lb := rv["leaderboard"].([]any)
	if len(lb) != 3 || lvInt(lb[0].(map[string]any)["player_id"]) != a.id || lvNum(lb[0].(map[string]any)["rank"]) != 1 ||
		lvNum(lb[1].(map[string]any)["rank"]) != 2 || lvNum(lb[2].(map[string]any)["rank"]) != 2 {
		t.Errorf("leaderboard 1 = %v, want Ana first and the two on 0 sharing rank 2", lb)
	}

	// Q2 true/false: Ana right again (streak bonus), Ben wrong.
	g.step("next")
	ea = a.answerOK("sts-q04", false)
	b.answerOK("sts-q04", true)
	if st := a.state(); lvNum(st["score"]) != float64(p1) || lvNum(st["streak"]) != 1 {
		t.Errorf("score moved during the question: %v streak %v, want %d 1", st["score"], st["streak"], p1)
	}
	rv = g.step("next")
	if rv["reveal"].(map[string]any)["correct"] != false {
		t.Errorf("reveal 2 key = %v, want false", rv["reveal"].(map[string]any)["correct"])
	}
	check(a, true, lvPoints(ea, limit, 1)+100, 2)
	check(b, false, 0, 0)
	check(c, nil, 0, 0)

	// Q3 multiple (a, b, c, d right): Ana half right, Ben all right,
	// Cai one right and one wrong (nothing).
	g.step("next")
	ea = a.answerOK("sts-q03", []string{"a", "b"})
	eb := b.answerOK("sts-q03", []string{"d", "c", "b", "a"})
	c.answerOK("sts-q03", []string{"a", "e"})
	rv = g.step("next")
	if !jsonEqual(rv["reveal"].(map[string]any)["correct"], []string{"a", "b", "c", "d"}) {
		t.Errorf("reveal 3 key = %v", rv["reveal"].(map[string]any)["correct"])
	}
	half := lvPoints(ea, limit, 0.5)
	if half <= 0 || half >= lvPoints(ea, limit, 1) {
		t.Errorf("partial credit = %d, want a part of a full answer's points", half)
	}
	check(a, false, half, 0)
	check(b, true, lvPoints(eb, limit, 1), 1) // the first in a row: no bonus
	check(c, false, 0, 0)

	// Q4 single: a broken streak starts again; Ben's second in a row.
	g.step("next")
	ea = a.answerOK("sts-q05", "a")
	eb = b.answerOK("sts-q05", "a")
	g.step("next")
	check(a, true, lvPoints(ea, limit, 1), 1)
	check(b, true, lvPoints(eb, limit, 1)+100, 2)
	check(c, nil, 0, 0)

	end := g.step("next")
	if end["state"] != "ended" {
		t.Fatalf("after the last reveal: %v", end["state"])
	}
	podium := leaderIDs(end["leaderboard"])
	wantOrder := []int64{a.id, b.id, c.id}
	if score[b.id] > score[a.id] {
		wantOrder = []int64{b.id, a.id, c.id}
	}
	if !reflect.DeepEqual(podium, wantOrder) {
		t.Errorf("final leaderboard = %v, want %v (scores %v)", podium, wantOrder, score)
	}
	// The review lists what each got wrong or skipped, with its lesson.
	review := func(p lvPlayer) []string {
		st := p.state()
		var ids []string
		for _, it := range st["review"].([]any) {
			m := it.(map[string]any)
			if m["module"] != "spot-the-scam" || m["lesson"] == "" || m["prompt"] == "" {
				t.Errorf("review item %v: want module, lesson and prompt", m)
			}
			ids = append(ids, m["question_id"].(string))
		}
		return ids
	}
	if got := review(a); !reflect.DeepEqual(got, []string{"sts-q03"}) {
		t.Errorf("Ana's review = %v, want sts-q03 (half right is not right)", got)
	}
	if got := review(b); !reflect.DeepEqual(got, []string{"sts-q01", "sts-q04"}) {
		t.Errorf("Ben's review = %v", got)
	}
	if got := review(c); len(got) != 4 {
		t.Errorf("Cai's review = %v, want all four", got)
	}
	// The report sums the same points.
	rep := g.report()
	for _, p := range []lvPlayer{a, b, c} {
		rp := reportPlayer(rep, p.id)
		if rp == nil || lvNum(rp["score"]) != float64(score[p.id]) {
			t.Errorf("report for %s = %v, want score %d", p.nick, rp, score[p.id])
		}
	}
	if rp := reportPlayer(rep, a.id); lvNum(rp["answered"]) != 4 || lvNum(rp["correct"]) != 3 ||
		rp["answers"].(map[string]any)["sts-q03"].(map[string]any)["correct"] != false {
		t.Errorf("Ana's report line = %v, want 4 answered, 3 correct", rp)
	}
	if q := reportQuestion(rep, "sts-q03"); lvNum(q["answered"]) != 3 || lvNum(q["correct_count"]) != 1 || lvNum(q["seq"]) != 3 {
		t.Errorf("report of sts-q03 = %v", q)
	}
	csv := h.expect(200, req{Method: "GET", Path: g.path("/report.csv"), Token: ed.Access})
	lines := strings.Split(strings.TrimSpace(string(csv.Body)), "\n")
	if !bytes.HasPrefix(csv.Body, []byte("\xEF\xBB\xBF")) || !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") ||
		len(lines) != 4 || !strings.Contains(lines[0], "sts-q05") {
		t.Errorf("report.csv = %q %q", csv.Header.Get("Content-Type"), csv.Body)
	}
}

// --- one answer per player and question -----------------------------------

// rawAnswer posts an answer without the test's helpers (safe from any
// goroutine); the reply is checked later on the test's goroutine.
func rawAnswer(h *harness, pin, token, body string) (reply, error) {
	hr := httptest.NewRequest("POST", "/api/v1/live/games/"+pin+"/answers", strings.NewReader(body))
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Authorization", "Bearer "+token)
	resp, err := h.app.Test(hr, -1)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	out := reply{Status: resp.StatusCode, Header: resp.Header}
	out.Body, _ = io.ReadAll(resp.Body)
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(out.Body, &out.JSON); err != nil {
			return out, fmt.Errorf("not JSON: %s", out.Body)
		}
	}
	return out, nil
}

func liveOneAnswerPerPlayerAndQuestion(t *testing.T, h *harness, env *liveEnv) {
	ed := env.host
	g := lvCreate(h, ed.Access, map[string]any{"questions": []string{"sts-q01", "sts-q04"}, "time_limit_s": 60})
	p1, p2, p3 := g.join("Ana", ""), g.join("Ben", ""), g.join("Cai", "")
	g.step("next")

	first := p1.answer("sts-q01", "a")
	if first.Status != 201 || first.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first answer = %d %v %s", first.Status, first.Header, first.Body)
	}
	fd := data(first)
	if fd["question"] != "sts-q01" || lvNum(fd["seq"]) != 1 || fd["received"] != true {
		t.Errorf("receipt = %s", first.Body)
	}
	// The same request again (a retry after a lost reply): same receipt.
	again := p1.answer("sts-q01", "a")
	if again.Status != 201 || again.Header.Get("Idempotent-Replayed") != "true" || !reflect.DeepEqual(data(again), fd) {
		t.Errorf("repeat = %d replayed %q %s, want 201 replayed with %s", again.Status, again.Header.Get("Idempotent-Replayed"), again.Body, first.Body)
	}
	// Spacing does not make it a different answer.
	spaced := h.do(req{Method: "POST", Path: "/api/v1/live/games/" + g.pin + "/answers", Token: p1.token,
		Body: `{ "question" : "sts-q01",  "answer" : "a" }`})
	if spaced.Status != 201 || spaced.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("repeat with other spacing = %d %q %s", spaced.Status, spaced.Header.Get("Idempotent-Replayed"), spaced.Body)
	}
	wantLiveErr(t, "a different answer", p1.answer("sts-q01", "b"), 409, "live.already_answered")
	if st := p1.state(); st["answered"] != true || st["my_answer"] != "a" || st["can_answer"] != false {
		t.Errorf("state after answering = answered %v my_answer %v can_answer %v", st["answered"], st["my_answer"], st["can_answer"])
	}

	// Concurrent duplicates: a phone retrying while the first is in flight.
	type result struct {
		r    reply
		err  error
		body string
	}
	fire := func(token string, bodies []string) []result {
		out := make([]result, len(bodies))
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, b := range bodies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				r, err := rawAnswer(h, g.pin, token, b)
				out[i] = result{r, err, b}
			}()
		}
		close(start)
		wg.Wait()
		return out
	}
	same := make([]string, 12)
	for i := range same {
		same[i] = `{"question":"sts-q01","answer":"c"}`
	}
	fresh := 0
	for _, res := range fire(p2.token, same) {
		if res.err != nil || res.r.Status != 201 {
			t.Errorf("concurrent duplicate = %d %s %v, want 201", res.r.Status, res.r.Body, res.err)
			continue
		}
		checkContract(t, req{Method: "POST", Path: "/api/v1/live/games/" + g.pin + "/answers"}, res.r)
		if res.r.Header.Get("Idempotent-Replayed") == "" {
			fresh++
		}
	}
	if fresh != 1 {
		t.Errorf("%d of 12 concurrent duplicates were stored as new, want exactly 1", fresh)
	}
	// Two different answers racing: one is stored, the other refused.
	var mixed []string
	for i := 0; i < 10; i++ {
		mixed = append(mixed, fmt.Sprintf(`{"question":"sts-q01","answer":%q}`, []string{"a", "d"}[i%2]))
	}
	results := fire(p3.token, mixed)
	winner, stored := "", 0
	for _, res := range results {
		if res.err == nil && res.r.Status == 201 && res.r.Header.Get("Idempotent-Replayed") == "" {
			stored++
			winner = res.body
		}
	}
	if stored != 1 {
		t.Fatalf("%d of the racing answers were stored, want 1", stored)
	}
	for _, res := range results {
		switch {
		case res.err != nil:
			t.Errorf("racing answer: %v", res.err)
		case res.body == winner && res.r.Status != 201:
			t.Errorf("repeat of the stored answer = %d %s, want 201", res.r.Status, res.r.Body)
		case res.body != winner && (res.r.Status != 409 || errorCode(res.r) != "live.already_answered"):
			t.Errorf("the other answer = %d %s, want 409 live.already_answered", res.r.Status, res.r.Body)
		}
	}
	if v := g.view(); lvNum(v["answered"]) != 3 {
		t.Errorf("host answered = %v, want 3", v["answered"])
	}
	rv := g.step("next")
	if lvNum(rv["reveal"].(map[string]any)["answered"]) != 3 {
		t.Errorf("reveal answered = %v, want 3", rv["reveal"].(map[string]any)["answered"])
	}
	// After the reveal a retry still gets its receipt, never a second row.
	if r := p1.answer("sts-q01", "a"); r.Status != 201 || r.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("repeat after the reveal = %d %q %s", r.Status, r.Header.Get("Idempotent-Replayed"), r.Body)
	}
	wantLiveErr(t, "a different answer after the reveal", p1.answer("sts-q01", "d"), 409, "live.already_answered")
	rep := g.report()
	for _, p := range []lvPlayer{p1, p2, p3} {
		if rp := reportPlayer(rep, p.id); lvNum(rp["answered"]) != 1 || len(rp["answers"].(map[string]any)) != 1 {
			t.Errorf("report of %s = %v, want exactly one stored answer", p.nick, rp)
		}
	}
	var w struct{ Answer string }
	json.Unmarshal([]byte(winner), &w)
	if got := reportPlayer(rep, p3.id)["answers"].(map[string]any)["sts-q01"].(map[string]any)["answer"]; got != w.Answer {
		t.Errorf("stored racing answer = %v, want the one that got the fresh receipt (%s)", got, w.Answer)
	}
	if q := reportQuestion(rep, "sts-q01"); lvNum(q["answered"]) != 3 {
		t.Errorf("report question answered = %v, want 3", q["answered"])
	}
}

// --- late answers, late joiners --------------------------------------------

func liveLateAnswers(t *testing.T, h *harness, env *liveEnv) {
	ed := env.host
	g := lvCreate(h, ed.Access, map[string]any{"questions": []string{"sts-q01", "sts-q04"}, "time_limit_s": 0})
	p := g.join("Ana", "")
	g.step("next")
	wantLiveErr(t, "answer to a later question", p.answer("sts-q04", true), 409, "live.not_current")
	wantLiveErr(t, "answer to a question not in the game", p.answer("sts-q05", "a"), 409, "live.not_current")
	g.step("next") // reveal: question 1 is closed
	wantLiveErr(t, "answer after the reveal", p.answer("sts-q01", "a"), 409, "live.too_late")
	g.step("next")
	wantLiveErr(t, "answer to an earlier question", p.answer("sts-q01", "a"), 409, "live.too_late")
	if v := g.view(); lvNum(v["answered"]) != 0 {
		t.Errorf("answered = %v after refused answers, want 0", v["answered"])
	}

	// Timed: the server's clock decides, with 300 ms of grace for the
	// network; an answer in the grace scores as at the buzzer.
	tg := lvCreate(h, ed.Access, map[string]any{"questions": []string{"sts-q01"}, "time_limit_s": 5})
	quick, slow := tg.join("Quick", ""), tg.join("Slow", "")
	tg.step("next")
	var zeroAt time.Time
	eventually(t, 7*time.Second, "remaining_ms to reach 0", func() bool {
		st := quick.state()
		if lvNum(st["remaining_ms"]) == 0 {
			zeroAt = time.Now()
			if st["can_answer"] != false {
				t.Errorf("can_answer at time up = %v, want false", st["can_answer"])
			}
			return true
		}
		return false
	})
	if elapsed := quick.answerOK("sts-q01", "a"); elapsed != 5000 {
		t.Errorf("answer in the grace: elapsed %d, want 5000 (the buzzer)", elapsed)
	}
	// Past the grace for certain: the deadline was at or before zeroAt.
	eventually(t, time.Second, "the grace to pass", func() bool { return time.Since(zeroAt) > 400*time.Millisecond })
	wantLiveErr(t, "answer after the grace", slow.answer("sts-q01", "a"), 409, "live.too_late")
	// A pause after time is up must not open the question again: there is
	// no clock left to stop.
	wantLiveErr(t, "pause after time up", tg.try("pause", nil), 409, "live.not_question")
	if st := slow.state(); st["can_answer"] != false || st["paused"] != false {
		t.Errorf("after time up and a refused pause: can_answer %v paused %v, want false false", st["can_answer"], st["paused"])
	}
	wantLiveErr(t, "answer after time up and a refused pause", slow.answer("sts-q01", "a"), 409, "live.too_late")
	tg.step("next")
	if st := quick.state(); st["correct"] != true || lvNum(st["points"]) != 500 {
		t.Errorf("answer at the buzzer = correct %v points %v, want true 500", st["correct"], st["points"])
	}
	if st := slow.state(); st["correct"] != nil || st["points"] != nil {
		t.Errorf("Slow's late answer counted: correct %v points %v, want null", st["correct"], st["points"])
	}
}

func liveLateJoinerWaitsForTheNextQuestion(t *testing.T, h *harness, env *liveEnv) {
	ed := env.host
	g := lvCreate(h, ed.Access, map[string]any{"questions": []string{"sts-q01", "sts-q04"}, "time_limit_s": 0})
	early := g.join("Early", "")
	g.step("next")
	r := g.joinReply("Late", "", nil)
	if r.Status != 201 || data(r)["game"].(map[string]any)["state"] != "question" {
		t.Fatalf("join during a question = %d %s, want 201 in state question", r.Status, r.Body)
	}
	late := lvPlayer{g: g, token: data(r)["player_token"].(string), id: lvInt(data(r)["player"].(map[string]any)["id"]), nick: "Late"}
	st := late.state()
	assertQuestionPhase(t, "late joiner's state", st, "sts-q01")
	if st["can_answer"] != false {
		t.Errorf("late joiner can_answer = %v, want false on the question open when they joined", st["can_answer"])
	}
	wantLiveErr(t, "late joiner answers the open question", late.answer("sts-q01", "a"), 409, "live.joined_late")
	early.answerOK("sts-q01", "a")
	g.step("next")
	if st := late.state(); st["correct"] != nil || lvNum(st["score"]) != 0 {
		t.Errorf("late joiner after reveal 1 = correct %v score %v", st["correct"], st["score"])
	}
	g.step("next")
	if st := late.state(); st["can_answer"] != true {
		t.Fatalf("late joiner on question 2: can_answer %v, want true", st["can_answer"])
	}
	late.answerOK("sts-q04", false)
	g.step("next")
	if st := late.state(); st["correct"] != true || lvNum(st["points"]) != 1000 || lvNum(st["score"]) != 1000 {
		t.Errorf("late joiner's answer to question 2 = correct %v points %v score %v, want true 1000 1000 (untimed)", st["correct"], st["points"], st["score"])
	}
}

// --- who may play: cap, lock, removal, teams -------------------------------

func livePlayerCapAndLock(t *testing.T, h *harness, env *liveEnv) {
	ed := env.host
	capped := lvCreate(h, ed.Access, map[string]any{"time_limit_s": 0, "player_cap": 2})
	if v := capped.view(); lvNum(v["player_cap"]) != 2 {
		t.Fatalf("player_cap = %v", v["player_cap"])
	}
	capped.join("One", "")
	two := capped.join("Two", "")
	wantLiveErr(t, "third join with a cap of 2", capped.joinReply("Three", "", nil), 409, "live.full")
	// A removal frees its place under the cap, once however often it is sent.
	for i := 0; i < 2; i++ {
		h.expect(204, req{Method: "DELETE", Path: capped.path(fmt.Sprintf("/players/%d", two.id)), Token: ed.Access})
	}
	if v := capped.view(); lvNum(v["players"]) != 1 {
		t.Errorf("players after a removal = %v, want 1", v["players"])
	}
	capped.join("Three", "")
	wantLiveErr(t, "join with the cap full again", capped.joinReply("Four", "", nil), 409, "live.full")

	g := lvCreate(h, ed.Access, map[string]any{"questions": []string{"sts-q01", "sts-q04"}, "time_limit_s": 0})
	if v := g.view(); lvNum(v["player_cap"]) != 5000 {
		t.Errorf("default player_cap = %v, want 5000", v["player_cap"])
	}
	in := g.join("Mali", "")
	wantLiveErr(t, "a taken nickname, other case", g.joinReply(" mALI ", "", nil), 409, "live.nickname_taken")
	learner := h.register("Lin")
	signed := g.join("Lin", learner.Access)
	if v := g.step("lock"); v["locked"] != true {
		t.Fatalf("lock = %v", v["locked"])
	}
	wantLiveErr(t, "join a locked game", g.joinReply("Newcomer", "", nil), 409, "live.locked")
	if st := in.state(); st["phase"] != "lobby" {
		t.Errorf("a player already in, after the lock = %v", st)
	}
	// A signed-in player already in comes back (same player) though locked.
	again := g.joinReply("Lin", learner.Access, nil)
	if again.Status != 201 || lvInt(data(again)["player"].(map[string]any)["id"]) != signed.id {
		t.Errorf("signed-in player rejoining a locked game = %d %s, want 201 as player %d", again.Status, again.Body, signed.id)
	}
	if v := g.step("unlock"); v["locked"] != false {
		t.Fatalf("unlock = %v", v["locked"])
	}
	g.join("Newcomer", "")
	g.step("next")
	g.step("lock") // a lock holds in a question too
	wantLiveErr(t, "join a locked game mid-question", g.joinReply("Later", "", nil), 409, "live.locked")
	in.answerOK("sts-q01", "a")
	if v := g.view(); v["locked"] != true || v["state"] != "question" || lvNum(v["players"]) != 3 {
		t.Errorf("host view = locked %v state %v players %v, want true question 3", v["locked"], v["state"], v["players"])
	}
}

func liveRemovePlayer(t *testing.T, h *harness, env *liveEnv) {
	ed := env.host
	other := env.other
	g := lvCreate(h, ed.Access, map[string]any{"questions": []string{"sts-q01", "sts-q04"}, "time_limit_s": 0})
	a, b := g.join("Ana", ""), g.join("Rude name", "")
	g.step("next")
	a.answerOK("sts-q01", "b")
	b.answerOK("sts-q01", "a")
	rv := g.step("next")
	if ids := leaderIDs(rv["leaderboard"]); len(ids) != 2 || ids[0] != b.id {
		t.Fatalf("leaderboard before removal = %v, want %d first", ids, b.id)
	}
	h.expect(404, req{Method: "DELETE", Path: g.path(fmt.Sprintf("/players/%d", b.id)), Token: other.Access})
	h.expect(404, req{Method: "DELETE", Path: g.path("/players/999999"), Token: ed.Access})
	h.expect(204, req{Method: "DELETE", Path: g.path(fmt.Sprintf("/players/%d", b.id)), Token: ed.Access})
	wantLiveErr(t, "removed player's state", b.stateReply(), 403, "live.removed")
	wantLiveErr(t, "removed player's events", h.do(req{Method: "GET", Path: "/api/v1/live/games/" + g.pin + "/events", Token: b.token}), 403, "live.removed")
	v := g.view()
	if ids := leaderIDs(v["leaderboard"]); !reflect.DeepEqual(ids, []int64{a.id}) || lvNum(v["players"]) != 1 {
		t.Errorf("after removal: leaderboard %v players %v, want only Ana", ids, v["players"])
	}
	if st := a.state(); lvNum(st["rank"]) != 1 || lvNum(st["players"]) != 1 || !reflect.DeepEqual(leaderIDs(st["leaderboard"]), []int64{a.id}) {
		t.Errorf("Ana after the removal = rank %v players %v leaderboard %v", st["rank"], st["players"], st["leaderboard"])
	}
	if d := rv["reveal"].(map[string]any); lvNum(v["reveal"].(map[string]any)["answered"]) != 1 || lvNum(d["answered"]) != 2 {
		t.Errorf("reveal answered after removal = %v, want 1", v["reveal"].(map[string]any)["answered"])
	}
	assertListedAsViewed(t, g)
	players := h.expect(200, req{Method: "GET", Path: g.path("/players"), Token: ed.Access}).JSON["data"].([]any)
	removed := map[int64]bool{}
	for _, p := range players {
		removed[lvInt(p.(map[string]any)["id"])] = p.(map[string]any)["removed"] == true
	}
	if len(players) != 2 || !removed[b.id] || removed[a.id] {
		t.Errorf("players = %v, want both, the second removed", players)
	}
	g.step("next")
	wantLiveErr(t, "removed player answers", b.answer("sts-q04", false), 403, "live.removed")
	end := g.step("end")
	if ids := leaderIDs(end["leaderboard"]); reflect.DeepEqual(ids, []int64{a.id}) == false {
		t.Errorf("final leaderboard = %v, want only Ana", ids)
	}
	csv := h.expect(200, req{Method: "GET", Path: g.path("/report.csv"), Token: ed.Access})
	if strings.Contains(string(csv.Body), "Rude name") {
		t.Errorf("report.csv lists the removed player: %s", csv.Body)
	}
}

func liveTeams(t *testing.T, h *harness, env *liveEnv) {
	ed := env.host
	g := lvCreate(h, ed.Access, map[string]any{"questions": []string{"sts-q01"}, "time_limit_s": 0, "teams": true, "team_count": 2})
	var ps []lvPlayer
	for _, n := range []string{"Ana", "Ben", "Cai"} {
		r := g.joinReply(n, "", nil)
		if r.Status != 201 {
			t.Fatalf("join = %d %s", r.Status, r.Body)
		}
		d := data(r)
		if d["game"].(map[string]any)["teams"] != true {
			t.Errorf("join reply game.teams = %v", d["game"])
		}
		ps = append(ps, lvPlayer{g: g, token: d["player_token"].(string), id: lvInt(d["player"].(map[string]any)["id"]), nick: n})
		if team := d["player"].(map[string]any)["team"]; team != []string{"A", "B", "A"}[len(ps)-1] {
			t.Errorf("%s's team = %v", n, team)
		}
	}
	g.step("next")
	ps[0].answerOK("sts-q01", "b")
	ps[1].answerOK("sts-q01", "a")
	ps[2].answerOK("sts-q01", "b")
	v := g.step("next")
	want := []any{map[string]any{"team": "B", "score": 1000.0, "players": 1.0}, map[string]any{"team": "A", "score": 0.0, "players": 2.0}}
	if !reflect.DeepEqual(v["team_board"], want) {
		t.Errorf("team_board = %v, want %v", v["team_board"], want)
	}
}

// --- reconnecting ----------------------------------------------------------

func liveReconnectMidQuestion(t *testing.T, h *harness, env *liveEnv) {
	ed := env.host
	g := lvCreate(h, ed.Access, map[string]any{"questions": []string{"sts-q01", "sts-q04"}, "time_limit_s": 60})
	p, other := g.join("Ana", ""), g.join("Ben", "")
	g.step("next")
	e1 := p.answerOK("sts-q01", "a")
	g.step("next")
	g.step("next")
	p.answerOK("sts-q04", false)
	// The phone slept and comes back with nothing but its token.
	st := p.state()
	assertQuestionPhase(t, "reconnect", st, "sts-q04")
	me := st["me"].(map[string]any)
	if lvInt(me["id"]) != p.id || me["nickname"] != "Ana" || lvNum(st["seq"]) != 2 {
		t.Errorf("reconnect me = %v seq %v", me, st["seq"])
	}
	if lvNum(st["score"]) != float64(lvPoints(e1, 60000, 1)) || lvNum(st["streak"]) != 1 || lvNum(st["rank"]) != 1 || lvNum(st["players"]) != 2 {
		t.Errorf("reconnect standing = score %v streak %v rank %v players %v, want %d 1 1 2",
			st["score"], st["streak"], st["rank"], st["players"], lvPoints(e1, 60000, 1))
	}
	if st["answered"] != true || st["my_answer"] != false || st["can_answer"] != false {
		t.Errorf("reconnect answer = answered %v my_answer %v can_answer %v, want true false false", st["answered"], st["my_answer"], st["can_answer"])
	}
	if r := lvNum(st["remaining_ms"]); !(r > 0 && r <= 60000) || lvNum(st["time_limit_ms"]) != 60000 {
		t.Errorf("reconnect clock = remaining %v limit %v", st["remaining_ms"], st["time_limit_ms"])
	}
	// Someone who has not answered yet can.
	if st := other.state(); st["answered"] != false || st["my_answer"] != nil || st["can_answer"] != true {
		t.Errorf("Ben = answered %v my_answer %v can_answer %v", st["answered"], st["my_answer"], st["can_answer"])
	}
}

// --- class games, signed-in players, attempts -------------------------------

func liveClassGame(t *testing.T, h *harness, env *liveEnv) {
	ed := env.host
	stranger := env.other
	classID, code := createClass(h, ed.Access, "Live class")
	member := joinAs(h, code, "Somchai")
	outsider := h.register("Outsider")
	wantLiveErr(t, "another teacher's class", h.do(req{Method: "POST", Path: "/api/v1/live/games", Token: stranger.Access,
		Body: map[string]any{"module": "spot-the-scam", "time_limit_s": 0, "class_id": classID}}), 422, "validation.failed")
	g := lvCreate(h, ed.Access, map[string]any{"questions": []string{"sts-q01", "sts-q04"}, "time_limit_s": 0, "class_id": classID})
	if v := g.view(); lvInt(v["class_id"]) != classID {
		t.Fatalf("class_id = %v", v["class_id"])
	}
	wantLiveErr(t, "anonymous join of a class game", g.joinReply("Anon", "", nil), 403, "live.class_only")
	wantLiveErr(t, "a non-member joins a class game", g.joinReply("Outsider", outsider.Access, nil), 403, "live.class_only")
	p := g.join("Somchai", member.Access)
	g.step("next")
	p.answerOK("sts-q01", "a")
	g.step("next")
	// Joining again (another device) is the same player, score kept.
	r := g.joinReply("Somchai again", member.Access, nil)
	if r.Status != 201 {
		t.Fatalf("second join = %d %s", r.Status, r.Body)
	}
	d := data(r)
	pl := d["player"].(map[string]any)
	if lvInt(pl["id"]) != p.id || lvNum(pl["score"]) != 1000 || pl["nickname"] != "Somchai" || d["player_token"] == p.token {
		t.Errorf("second join = %s, want player %d with score 1000 and a new token", r.Body, p.id)
	}
	p2 := lvPlayer{g: g, token: d["player_token"].(string), id: p.id, nick: "Somchai"}
	// The rejoin replaced the token (store.RejoinLivePlayer: "the old one
	// stops working"), whether or not this server had the old one cached.
	wantLiveErr(t, "the token replaced by a rejoin", p.stateReply(), 401, "live.token_invalid")
	if st := p2.state(); lvNum(st["score"]) != 1000 || lvInt(st["me"].(map[string]any)["id"]) != p.id {
		t.Errorf("state with the new token = score %v me %v", st["score"], st["me"])
	}
	if v := g.view(); lvNum(v["players"]) != 1 {
		t.Errorf("players after a rejoin = %v, want 1", v["players"])
	}
	g.step("next")
	p2.answerOK("sts-q04", false)
	g.step("next")
	if end := g.step("next"); end["state"] != "ended" {
		t.Fatalf("end = %v", end["state"])
	}
	// The game counts as a quiz attempt in the learner's progress and
	// in the class's question analytics.
	var row map[string]any
	eventually(t, 3*time.Second, "the live attempt in /me/progress", func() bool {
		prog := data(h.expect(200, req{Method: "GET", Path: "/api/v1/me/progress", Token: member.Access}))
		for _, m := range prog["modules"].([]any) {
			if r := m.(map[string]any); r["slug"] == "spot-the-scam" && lvNum(r["attempts"]) >= 1 {
				row = r
				return true
			}
		}
		return false
	})
	if lvNum(row["attempts"]) != 1 || lvNum(row["best_percent"]) != 100 {
		t.Errorf("progress = %v, want one attempt at 100%% (both questions the game asked right)", row)
	}
	stats := h.expect(200, req{Method: "GET", Path: fmt.Sprintf("/api/v1/classes/%d/questions?module=spot-the-scam", classID), Token: ed.Access}).JSON["data"].([]any)
	seen := map[string]float64{}
	for _, s := range stats {
		seen[s.(map[string]any)["question_id"].(string)] = lvNum(s.(map[string]any)["answers"])
	}
	if seen["sts-q01"] != 1 || seen["sts-q04"] != 1 || seen["sts-q03"] != 0 {
		t.Errorf("class question stats answers = %v, want sts-q01 and sts-q04 once", seen)
	}
}

// --- event streams -----------------------------------------------------------

func liveEventStream(t *testing.T, h *harness, env *liveEnv) {
	base := env.url
	ed := env.host
	g := lvCreate(h, ed.Access, map[string]any{"questions": []string{"sts-q01", "sts-q04"}, "time_limit_s": 60})
	a, b, c := g.join("Ana", ""), g.join("Ben", ""), g.join("Cai", "")
	events := "/api/v1/live/games/" + g.pin + "/events"
	sa := openStream(t, base, events, a.token)
	select {
	case r := <-sa.retry:
		if r != "1000" {
			t.Errorf("retry = %s, want 1000", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no retry line")
	}
	first := sa.nextOf(t, "state")
	if first["phase"] != "lobby" || lvInt(first["me"].(map[string]any)["id"]) != a.id {
		t.Fatalf("first event = %v, want Ana's lobby state", first)
	}
	sb := openStream(t, base, events, b.token)
	sb.nextOf(t, "state")

	g.step("next")
	q := sa.nextOf(t, "state")
	assertQuestionPhase(t, "event at question 1", q, "sts-q01")
	if q["can_answer"] != true || !(lvNum(q["remaining_ms"]) > 0) {
		t.Errorf("question event = can_answer %v remaining %v", q["can_answer"], q["remaining_ms"])
	}
	// The frame is exactly what GET state returns (but for the clock).
	st := a.state()
	delete(st, "remaining_ms")
	delete(q, "remaining_ms")
	if !reflect.DeepEqual(st, q) {
		t.Errorf("event data %v\n!= GET state %v", q, st)
	}
	sb.nextOf(t, "state")
	// The host's stream in the question phase carries no key either.
	sh := openStream(t, base, g.path("/host-events"), ed.Access)
	hq := sh.nextOf(t, "host")
	assertHostQuestionPhase(t, "host event at question 1", hq, "sts-q01")

	// Other players' answers are never broadcast: the next frame Ana
	// gets after Ben answers is the pause.
	b.answerOK("sts-q01", "a")
	g.step("pause")
	if f := sa.nextOf(t, "state"); f["paused"] != true || f["phase"] != "question" {
		t.Errorf("after Ben answered and the host paused, Ana got %v, want the pause", f)
	}
	a.answerOK("sts-q01", "a")
	g.step("resume")
	if f := sa.nextOf(t, "state"); f["paused"] != false || f["answered"] != true || f["my_answer"] != "a" {
		t.Errorf("resume event = paused %v answered %v my_answer %v, want false true a", f["paused"], f["answered"], f["my_answer"])
	}
	// A removed player is told so and their stream ends. (Ben's stream
	// may have coalesced the pause and resume: skip state frames.)
	h.expect(204, req{Method: "DELETE", Path: g.path(fmt.Sprintf("/players/%d", b.id)), Token: ed.Access})
	for {
		f, ok := sb.next(t, 5*time.Second)
		if !ok {
			t.Fatal("removed player's stream closed without event removed")
		}
		if f.Event == "state" {
			continue
		}
		if f.Event != "removed" || string(f.Data) != "{}" {
			t.Errorf("removed player's stream sent %q %s, want event removed {}", f.Event, f.Data)
		}
		break
	}
	sb.closed(t)
	// The others hear of it (one player fewer).
	if f := sa.nextOf(t, "state"); f["phase"] != "question" || lvNum(f["players"]) != 2 {
		t.Errorf("Ana's frame after the removal = phase %v players %v, want question 2", f["phase"], f["players"])
	}

	g.step("next") // reveal
	rv := sa.nextOf(t, "state")
	rev, _ := rv["reveal"].(map[string]any)
	if rv["phase"] != "reveal" || rev == nil || rev["correct"] != "a" || rev["explanation"] == "" || rv["correct"] != true || !(lvNum(rv["points"]) > 0) {
		t.Errorf("reveal event = %v", rv)
	}
	// A reconnect's first frame is the full state again.
	sc := openStream(t, base, events, c.token)
	if f := sc.nextOf(t, "state"); f["phase"] != "reveal" || f["correct"] != nil || f["reveal"] == nil {
		t.Errorf("Cai's first frame in the reveal = %v", f)
	}
	g.step("end")
	if f := sa.nextOf(t, "state"); f["phase"] != "ended" || f["review"] == nil {
		t.Errorf("end event = %v", f)
	}
	sa.closed(t)
	if f := sc.nextOf(t, "state"); f["phase"] != "ended" {
		t.Errorf("Cai's end event = %v", f)
	}
	sc.closed(t)
	for {
		f := sh.nextOf(t, "host")
		if f["state"] == "ended" {
			break
		}
	}
	sh.closed(t)
	// An ended game's stream sends the final state and closes at once.
	se := openStream(t, base, events, a.token)
	if f := se.nextOf(t, "state"); f["phase"] != "ended" {
		t.Errorf("stream of an ended game = %v", f)
	}
	se.closed(t)
	// Refusals come before any stream.
	wantLiveErr(t, "events without a token", h.do(req{Method: "GET", Path: events}), 401, "live.token_invalid")
	wantLiveErr(t, "events with an access token", h.do(req{Method: "GET", Path: events, Token: ed.Access}), 401, "live.token_invalid")
	other := "100000"
	if g.pin == other {
		other = "100001"
	}
	wantLiveErr(t, "events under another PIN", h.do(req{Method: "GET", Path: "/api/v1/live/games/" + other + "/events", Token: a.token}), 404, "live.not_found")
}

// --- the key stays on the server until the reveal -------------------------

func liveNoAnswerKeyBeforeReveal(t *testing.T, h *harness, env *liveEnv) {
	base := env.url
	ed := env.host
	type qcase struct {
		id, typ string
		key     any
	}
	cases := []qcase{
		{"sts-q01", "single", "a"},
		{"sts-q03", "multiple", []string{"a", "b", "c", "d"}},
		{"sts-q04", "true_false", false},
		{"sts-q02", "red_flags", []string{"s3", "s4", "s5"}},
		{"sts-q09", "ordering", []string{"k", "c", "x"}},
	}
	var ids []string
	for _, c := range cases {
		ids = append(ids, c.id)
	}
	g := lvCreate(h, ed.Access, map[string]any{"questions": ids, "time_limit_s": 0})
	en := g.join("Ana", "")
	r := g.joinReply("Nok", "", map[string]any{"lang": "th"})
	if r.Status != 201 {
		t.Fatalf("join in Thai = %d %s", r.Status, r.Body)
	}
	th := lvPlayer{g: g, token: data(r)["player_token"].(string), id: lvInt(data(r)["player"].(map[string]any)["id"]), nick: "Nok"}
	s := openStream(t, base, "/api/v1/live/games/"+g.pin+"/events", en.token)
	if f := s.nextOf(t, "state"); f["reveal"] != nil || f["question"] != nil {
		t.Errorf("lobby frame = %v", f)
	}
	for i, c := range cases {
		where := fmt.Sprintf("question %d (%s)", i+1, c.typ)
		var seen [][]byte // every body sent while the question was open
		hv := g.step("next")
		raw, _ := json.Marshal(hv)
		seen = append(seen, raw)
		assertHostQuestionPhase(t, where+": next reply", hv, c.id)
		hg := h.expect(200, req{Method: "GET", Path: g.path(""), Token: ed.Access})
		seen = append(seen, hg.Body)
		assertHostQuestionPhase(t, where+": host view", data(hg), c.id)
		if q := data(hg)["question"].(map[string]any); q["type"] != c.typ {
			t.Errorf("%s: type %v", where, q["type"])
		}
		f, ok := s.next(t, 5*time.Second)
		if !ok || f.Event != "state" {
			t.Fatalf("%s: frame %q (open %v)", where, f.Event, ok)
		}
		seen = append(seen, f.Data)
		assertQuestionPhase(t, where+": event", f.object(t), c.id)
		prompts := map[string]any{}
		for _, p := range []lvPlayer{en, th} {
			sr := p.stateReply()
			seen = append(seen, sr.Body)
			assertQuestionPhase(t, where+": "+p.nick+"'s state", data(sr), c.id)
			prompts[p.nick] = data(sr)["question"].(map[string]any)["prompt"]
		}
		if prompts["Nok"] == prompts["Ana"] || prompts["Nok"] == "" {
			t.Errorf("%s: the Thai player's prompt = %v, want the Thai text", where, prompts["Nok"])
		}
		if c.typ == "ordering" {
			var items []string
			for _, it := range data(hg)["question"].(map[string]any)["items"].([]any) {
				items = append(items, it.(map[string]any)["id"].(string))
			}
			if jsonEqual(items, c.key) {
				t.Errorf("%s: items are sent in the right order %v", where, items)
			}
		}
		// Answering does not tell either.
		en.answerOK(c.id, c.key)
		sr := en.stateReply()
		seen = append(seen, sr.Body)
		assertQuestionPhase(t, where+": state after answering", data(sr), c.id)
		if !jsonEqual(data(sr)["my_answer"], c.key) {
			t.Errorf("%s: my_answer = %v, want %v", where, data(sr)["my_answer"], c.key)
		}
		hv2 := h.expect(200, req{Method: "GET", Path: g.path(""), Token: ed.Access})
		seen = append(seen, hv2.Body)
		assertHostQuestionPhase(t, where+": host view after an answer", data(hv2), c.id)

		// The reveal carries the key, in each reader's language.
		rv := g.step("next")
		rev, _ := rv["reveal"].(map[string]any)
		if rev == nil || rev["question_id"] != c.id || !jsonEqual(rev["correct"], c.key) {
			t.Fatalf("%s: host reveal = %v, want key %v", where, rv["reveal"], c.key)
		}
		expl, _ := rev["explanation"].(string)
		if expl == "" {
			t.Errorf("%s: reveal without an explanation", where)
		}
		fr := s.nextOf(t, "state")
		if frev, _ := fr["reveal"].(map[string]any); frev == nil || !jsonEqual(frev["correct"], c.key) || fr["correct"] != true {
			t.Errorf("%s: reveal event = reveal %v correct %v", where, fr["reveal"], fr["correct"])
		}
		thState := th.state()
		threv, _ := thState["reveal"].(map[string]any)
		if threv == nil || !jsonEqual(threv["correct"], c.key) || threv["explanation"] == "" {
			t.Errorf("%s: Thai reveal = %v", where, thState["reveal"])
		}
		var thExpl string
		if threv != nil {
			thExpl, _ = threv["explanation"].(string)
		}
		for _, b := range seen {
			for _, secret := range []string{expl, thExpl} {
				if r := []rune(secret); len(r) > 20 && bytes.Contains(b, []byte(jsonText(string(r[:20])))) {
					t.Errorf("%s: the explanation was sent before the reveal: %s", where, b)
				}
			}
		}
	}
}

// --- bad input and other people's games --------------------------------------

func liveBadInput(t *testing.T, h *harness, env *liveEnv) {
	ed := env.host
	other := env.other
	learner := h.register("Lin")
	create := func(token string, body any) reply {
		return h.do(req{Method: "POST", Path: "/api/v1/live/games", Token: token, Body: body})
	}
	wantLiveErr(t, "a learner creates a game", create(learner.Access, map[string]any{"module": "spot-the-scam", "time_limit_s": 20}), 403, "auth.forbidden")
	wantLiveErr(t, "anonymous creates a game", create("", map[string]any{"module": "spot-the-scam", "time_limit_s": 20}), 401, "")
	wantLiveErr(t, "create with malformed JSON", create(ed.Access, `{"module": "spot-the-scam",`), 400, "request.malformed")
	r := create(ed.Access, `{"module": "spot-the-scam", "time_limit_s": 20, "colour": "red"}`)
	if !(r.Status == 400 || r.Status == 422) || errorCode(r) == "" {
		t.Errorf("create with an unknown field = %d %s, want 400/422", r.Status, r.Body)
	}
	for field, tc := range map[string]struct {
		body any
		code string
	}{
		"module":       {map[string]any{"module": "no-such-module", "time_limit_s": 20}, "live.module_unknown"},
		"time_limit_s": {map[string]any{"module": "spot-the-scam", "time_limit_s": 4}, "live.time_limit"},
		"player_cap":   {map[string]any{"module": "spot-the-scam", "time_limit_s": 20, "player_cap": 100001}, "live.player_cap"},
		"team_count":   {map[string]any{"module": "spot-the-scam", "time_limit_s": 20, "teams": true, "team_count": 9}, "live.team_count"},
		"class_id":     {map[string]any{"module": "spot-the-scam", "time_limit_s": 20, "class_id": 987654}, "live.class_unknown"},
		"questions":    {map[string]any{"module": "spot-the-scam", "time_limit_s": 20, "questions": []string{"sts-q07"}}, "live.question_unplayable"},
	} {
		r := create(ed.Access, tc.body)
		if f, _ := r.JSON["error"].(map[string]any)["fields"].(map[string]any); r.Status != 422 || errorCode(r) != "validation.failed" || f[field] != tc.code {
			t.Errorf("create with a bad %s = %d %s, want 422 %s", field, r.Status, r.Body, tc.code)
		}
	}
	if r := create(ed.Access, map[string]any{"module": "spot-the-scam", "time_limit_s": 20, "questions": []string{"sts-q99"}}); r.Status != 422 ||
		r.JSON["error"].(map[string]any)["fields"].(map[string]any)["questions"] != "live.question_unknown" {
		t.Errorf("create with an unknown question = %d %s", r.Status, r.Body)
	}

	g := lvCreate(h, ed.Access, map[string]any{"questions": []string{"sts-q01", "sts-q04"}, "time_limit_s": 0})
	join := func(body any) reply { return h.do(req{Method: "POST", Path: "/api/v1/live/join", Body: body}) }
	wantLiveErr(t, "join with malformed JSON", join(`{"pin": "`+g.pin+`", `), 400, "request.malformed")
	r = join(`{"pin": "` + g.pin + `", "nickname": "Ana", "avatar": "cat"}`)
	if !(r.Status == 400 || r.Status == 422) || errorCode(r) == "" {
		t.Errorf("join with an unknown field = %d %s, want 400/422", r.Status, r.Body)
	}
	for _, pin := range []string{"12ab56", "12345", "1234567", ""} {
		r := join(map[string]any{"pin": pin, "nickname": "Ana"})
		if f, _ := r.JSON["error"].(map[string]any)["fields"].(map[string]any); r.Status != 422 || f["pin"] != "live.pin_invalid" {
			t.Errorf("join with pin %q = %d %s, want 422 pin live.pin_invalid", pin, r.Status, r.Body)
		}
	}
	unused := "999999"
	if g.pin == unused {
		unused = "999998"
	}
	wantLiveErr(t, "join an unknown PIN", join(map[string]any{"pin": unused, "nickname": "Ana"}), 404, "live.not_found")
	wantLiveErr(t, "join without a nickname", join(map[string]any{"pin": g.pin, "nickname": "  "}), 422, "validation.failed")
	wantLiveErr(t, "join with a bad lang", join(map[string]any{"pin": g.pin, "nickname": "Ana", "lang": "TH!"}), 422, "validation.failed")
	// A PIN typed with a space still finds the game.
	p := g.join("Ana", "")
	h.expect(201, req{Method: "POST", Path: "/api/v1/live/join", Body: map[string]any{"pin": g.pin[:3] + " " + g.pin[3:], "nickname": "Ben"}})

	// Player routes: the player token, and only it.
	state := "/api/v1/live/games/" + g.pin + "/state"
	answers := "/api/v1/live/games/" + g.pin + "/answers"
	wantLiveErr(t, "state without a token", h.do(req{Method: "GET", Path: state}), 401, "live.token_invalid")
	wantLiveErr(t, "state with a garbage player token", h.do(req{Method: "GET", Path: state, Token: "lp_garbage"}), 401, "live.token_invalid")
	wantLiveErr(t, "state with an overlong player token", h.do(req{Method: "GET", Path: state, Token: "lp_" + strings.Repeat("x", 200)}), 401, "live.token_invalid")
	wantLiveErr(t, "state with an access token", h.do(req{Method: "GET", Path: state, Token: learner.Access}), 401, "live.token_invalid")
	wantLiveErr(t, "state with a garbage token (no lp_ prefix)", h.do(req{Method: "GET", Path: state, Token: "garbage"}), 401, "live.token_invalid")
	wantLiveErr(t, "answer with a garbage token", h.do(req{Method: "POST", Path: answers, Token: "lp_garbage", Body: map[string]any{"question": "sts-q01", "answer": "a"}}), 401, "live.token_invalid")
	other6 := "100000"
	if g.pin == other6 {
		other6 = "100001"
	}
	wantLiveErr(t, "state under another PIN", h.do(req{Method: "GET", Path: "/api/v1/live/games/" + other6 + "/state", Token: p.token}), 404, "live.not_found")
	wantLiveErr(t, "state under a malformed PIN", h.do(req{Method: "GET", Path: "/api/v1/live/games/abc/state", Token: p.token}), 404, "")

	g.step("next")
	answer := func(body any) reply { return h.do(req{Method: "POST", Path: answers, Token: p.token, Body: body}) }
	wantLiveErr(t, "answer with malformed JSON", answer(`{"question": "sts-q01", "answer": `), 400, "request.malformed")
	r = answer(`{"question": "sts-q01", "answer": "a", "correct": true}`)
	if !(r.Status == 400 || r.Status == 422) || errorCode(r) == "" {
		t.Errorf("answer with an unknown field = %d %s, want 400/422", r.Status, r.Body)
	}
	for _, bad := range []string{`{"question": "sts-q01", "answer": 5}`, `{"question": "sts-q01", "answer": ["a"]}`,
		`{"question": "sts-q01"}`, `{"question": "sts-q01", "answer": null}`} {
		r := answer(bad)
		if f, _ := r.JSON["error"].(map[string]any)["fields"].(map[string]any); r.Status != 422 || f["answer"] == nil {
			t.Errorf("answer %s = %d %s, want 422 naming answer", bad, r.Status, r.Body)
		}
	}
	if r := answer(`{"question": "sts-q01", "answer": 5}`); r.JSON["error"].(map[string]any)["fields"].(map[string]any)["answer"] != "attempt.answer_shape" {
		t.Errorf("wrong answer shape = %s, want attempt.answer_shape", r.Body)
	}
	if v := g.view(); lvNum(v["answered"]) != 0 {
		t.Errorf("bad answers were stored: answered %v", v["answered"])
	}
	p.answerOK("sts-q01", "a") // a refused answer does not use up the player's one answer

	// Host routes: malformed next bodies, other educators, learners.
	wantLiveErr(t, "next with malformed JSON", g.try("next", `{"state": `), 400, "request.malformed")
	r = g.try("next", `{"state": "question", "seq": 1, "force": true}`)
	if !(r.Status == 400 || r.Status == 422) || errorCode(r) == "" {
		t.Errorf("next with an unknown field = %d %s, want 400/422", r.Status, r.Body)
	}
	if v := g.view(); v["state"] != "question" {
		t.Fatalf("a refused next moved the game to %v", v["state"])
	}
	hostRoutes := []req{{Method: "GET", Path: g.path("")}, {Method: "GET", Path: g.path("/players")},
		{Method: "GET", Path: g.path("/report")}, {Method: "GET", Path: g.path("/report.csv")},
		{Method: "GET", Path: g.path("/host-events")},
		{Method: "DELETE", Path: g.path(fmt.Sprintf("/players/%d", p.id))}}
	for _, a := range []string{"next", "skip", "pause", "resume", "lock", "unlock", "end"} {
		hostRoutes = append(hostRoutes, req{Method: "POST", Path: g.path("/" + a)})
	}
	for _, rq := range hostRoutes {
		rq.Token = other.Access
		wantLiveErr(t, "another educator: "+rq.Method+" "+rq.Path, h.do(rq), 404, "not_found")
		rq.Token = learner.Access
		wantLiveErr(t, "a learner: "+rq.Method+" "+rq.Path, h.do(rq), 403, "")
		rq.Token = p.token
		wantLiveErr(t, "a player token: "+rq.Method+" "+rq.Path, h.do(rq), 401, "")
	}
	if list := h.expect(200, req{Method: "GET", Path: "/api/v1/live/games", Token: other.Access}).JSON["data"].([]any); len(list) != 0 {
		t.Errorf("another educator's list = %v, want empty", list)
	}
	wantLiveErr(t, "an unknown game", h.do(req{Method: "GET", Path: "/api/v1/live/games/987654", Token: ed.Access}), 404, "not_found")
	if v := g.view(); v["state"] != "question" || lvNum(v["players"]) != 2 {
		t.Errorf("other people's requests changed the game: %v players %v", v["state"], v["players"])
	}
}

func liveJoinRateLimit(t *testing.T, _ *harness, env *liveEnv) {
	// Its own server: the limit is low, and counted per client address.
	h := newHarness(t, env.engine, func(c *configT) { c.LiveJoinLimit = 3 })
	ed := h.userWithRole("Host", model.RoleEducator)
	g := lvCreate(h, ed.Access, map[string]any{"time_limit_s": 0})
	for i := 0; i < 3; i++ {
		g.join(fmt.Sprintf("Player %d", i), "")
	}
	r := g.joinReply("One too many", "", nil)
	wantLiveErr(t, "fourth join in a minute with a limit of 3", r, 429, "rate_limited")
	if r.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
}

// liveRemovedSignedInPlayerRejoins: a removed signed-in player who joins
// again is told so at once, rather than given a token that only ever gets
// 403.
func liveRemovedSignedInPlayerRejoins(t *testing.T, h *harness, env *liveEnv) {
	g := lvCreate(h, env.host.Access, map[string]any{"questions": []string{"sts-q01"}, "time_limit_s": 0})
	learner := h.register("Lin")
	p := g.join("Lin", learner.Access)
	h.expect(204, req{Method: "DELETE", Path: g.path(fmt.Sprintf("/players/%d", p.id)), Token: env.host.Access})
	wantLiveErr(t, "a removed signed-in player joins again", g.joinReply("Lin", learner.Access, nil), 403, "live.removed")
}
