package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/readi-platform/readi/internal/model"
)

func TestParseFlagsLive(t *testing.T) {
	o, err := parseFlags([]string{"-scenario", "live"}, io.Discard)
	if err != nil {
		t.Fatalf("parseFlags(-scenario live) = %v", err)
	}
	if o.players != 10000 || o.questions != 10 || o.timeLimit != 20*time.Second || o.chaos != 0.2 || o.answerConns != 256 || o.seed == 0 {
		t.Fatalf("live defaults = %+v", o)
	}
	for _, bad := range [][]string{
		{"-scenario", "live", "-players", "0"},
		{"-scenario", "live", "-time-limit", "4s"},
		{"-scenario", "live", "-time-limit", "5500ms"},
		{"-scenario", "live", "-think", "30s"},
		{"-scenario", "live", "-chaos", "1.5"},
		{"-scenario", "live", "-replicas", "2"}, // SQLite: one process
	} {
		if _, err := parseFlags(bad, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) = nil, want an error", bad)
		}
	}
	if _, err := parseFlags([]string{"-scenario", "live", "-replicas", "2", "-database-url", "postgres://u@127.0.0.1/x"}, io.Discard); err != nil {
		t.Errorf("two replicas on PostgreSQL: %v", err)
	}
}

func TestSSEStreamReadsEvents(t *testing.T) {
	long := strings.Repeat("x", 10000) // longer than the 4 KB buffers
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer lp_t" {
			http.Error(w, `{"error":{"code":"live.token_invalid"}}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		f := w.(http.Flusher)
		for _, part := range []string{
			"retry: 1000\n\n",
			"event: state\ndata: {\"game\":{\"id\":7},\"phase\":\"question\",\"paused\":false,\"seq\":3}\n\n",
			": ping\n\n",
			"event: state\r\ndata: one\r\ndata: two\r\n\r\n",
			"event: state\ndata: " + long + "\n\n",
			"event: removed\ndata: {}\n\n",
		} {
			io.WriteString(w, part)
			f.Flush()
		}
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	ctx := context.Background()
	if _, err := openSSE(ctx, addr, "/events", "lp_wrong", time.Second); err == nil {
		t.Fatal("openSSE with a bad token = nil error")
	} else if he := (*httpStatusError)(nil); !errors.As(err, &he) || he.Status != http.StatusUnauthorized {
		t.Fatalf("openSSE with a bad token = %v, want HTTP 401", err)
	}
	st, err := openSSE(ctx, addr, "/events", "lp_t", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var ev sseEvent
	var got []string
	for st.next(&ev) == nil {
		got = append(got, ev.Name+"="+string(ev.Data))
		if ev.Name == "state" && strings.Contains(string(ev.Data), "phase") {
			if p, _ := scanString(ev.Data, "phase"); p != "question" {
				t.Errorf("phase = %q", p)
			}
			if n, _ := scanInt(ev.Data, "seq"); n != 3 {
				t.Errorf("seq = %d", n)
			}
		}
	}
	want := []string{
		`state={"game":{"id":7},"phase":"question","paused":false,"seq":3}`,
		"state=one\ntwo",
		"state=" + long,
		"removed={}",
	}
	if !slices.Equal(got, want) {
		t.Errorf("events = %.300q, want %.300q", got, want)
	}
	if st.Pings != 1 {
		t.Errorf("pings = %d, want 1", st.Pings)
	}
}

func TestScan(t *testing.T) {
	js := []byte(`{"game":{"id":7,"pin":"1"},"prompt":"say \"seq\": 9","phase": "reveal","seq":-2}`)
	if s, ok := scanString(js, "phase"); !ok || s != "reveal" {
		t.Errorf("scanString(phase) = %q, %v", s, ok)
	}
	if n, ok := scanInt(js, "seq"); !ok || n != -2 {
		t.Errorf("scanInt(seq) = %d, %v (an escaped key in a string must not match)", n, ok)
	}
	if _, ok := scanInt(js, "missing"); ok {
		t.Error("scanInt(missing) ok")
	}
}

func TestQuestionOf(t *testing.T) {
	raw := []byte(`{"game":{"id":7},"phase":"question","seq":2,"question":{"id":"q2","type":"single","prompt":"a \"}\" b",` +
		`"options":[{"id":"a","text":"x"}]},"remaining_ms":100,"can_answer":true,"answered":false}`)
	st, err := questionOf(raw)
	if err != nil || st.Question.ID != "q2" || st.Question.Type != model.Single || len(st.Question.Options) != 1 || !st.CanAnswer {
		t.Fatalf("questionOf = %+v, %v", st, err)
	}
	if _, err := questionOf([]byte(`{"phase":"question","question":null}`)); err == nil {
		t.Error("questionOf(no question) = nil error")
	}
}

func TestRandomAnswerIsValid(t *testing.T) {
	items := []model.PublicItem{{ID: "a"}, {ID: "b"}, {ID: "c"}}
	qs := []model.PublicQuestion{
		{ID: "s", Type: model.Single, Options: items},
		{ID: "m", Type: model.Multiple, Options: items},
		{ID: "t", Type: model.TrueFalse},
		{ID: "o", Type: model.Ordering, Items: items},
		{ID: "r", Type: model.RedFlags, Message: &model.PublicMessage{Segments: items}},
	}
	for range 50 {
		for _, q := range qs {
			raw, err := randomAnswer(&q)
			if err != nil {
				t.Fatalf("%s: %v", q.ID, err)
			}
			var v any
			if err := json.Unmarshal(raw, &v); err != nil {
				t.Fatalf("%s: %s", q.ID, raw)
			}
			switch q.Type {
			case model.Single:
				if s, ok := v.(string); !ok || !strings.Contains("abc", s) || len(s) != 1 {
					t.Errorf("single: %s", raw)
				}
			case model.TrueFalse:
				if _, ok := v.(bool); !ok {
					t.Errorf("true_false: %s", raw)
				}
			case model.Multiple, model.RedFlags, model.Ordering:
				var ids []string
				_ = json.Unmarshal(raw, &ids)
				seen := map[string]bool{}
				for _, id := range ids {
					if seen[id] || !strings.Contains("abc", id) || len(id) != 1 {
						t.Errorf("%s: %s", q.Type, raw)
					}
					seen[id] = true
				}
				if len(ids) == 0 || (q.Type == model.Ordering && len(ids) != 3) {
					t.Errorf("%s: %s", q.Type, raw)
				}
			}
		}
	}
	if _, err := randomAnswer(&model.PublicQuestion{ID: "x", Type: model.Matching}); err == nil {
		t.Error("randomAnswer(matching) = nil error")
	}
}

func TestSameAnswer(t *testing.T) {
	for _, c := range []struct {
		stored, sent string
		typ          model.QuestionType
		want         bool
	}{
		{`"b"`, `"b"`, model.Single, true},
		{`["a","c"]`, `["c","a"]`, model.Multiple, true},
		{`["s2","s1"]`, `["s1","s2"]`, model.RedFlags, true},
		{`["i1","i2"]`, `["i2","i1"]`, model.Ordering, false},
		{`["a"]`, `["a","c"]`, model.Multiple, false},
		{`true`, `false`, model.TrueFalse, false},
	} {
		if got := sameAnswer(c.stored, json.RawMessage(c.sent), c.typ); got != c.want {
			t.Errorf("sameAnswer(%s, %s, %s) = %v", c.stored, c.sent, c.typ, got)
		}
	}
}

// testGame is a finished two-question game of three players, built by
// hand: the fan-out and the verification work on it alone.
func testGame() *liveGame {
	g := &liveGame{n: 2, env: liveEnv{Addrs: []string{"a", "b"}, Questions: []string{"q1", "q2"}},
		qNext: []time.Duration{0, 100 * ms1, 200 * ms1}, rNext: []time.Duration{0, 150 * ms1, 250 * ms1},
		qReply: make([]time.Duration, 3), qEnd: make([]string, 3), fanWindow: make([]time.Duration, 3), fanCPU: make([]cpuSample, 3)}
	mk := func(id int64, replica int) *livePlayer {
		p := &livePlayer{id: id, replica: replica, nickname: fmt.Sprint("P", id),
			qArr: make([]time.Duration, 3), qSpan: []int16{-1, -1, -1}, qResync: make([]bool, 3),
			rArr: make([]time.Duration, 3), rSpan: []int16{-1, -1, -1}, answers: make([]playerAnswer, 3), eSpan: -1}
		p.state.Phase = model.LiveEnded
		return p
	}
	// P1: open throughout, got both questions 10 and 30 ms after next.
	p1 := mk(1, 0)
	p1.spans = []span{{start: 0}}
	p1.qArr[1], p1.qSpan[1] = 110*ms1, 0
	p1.qArr[2], p1.qSpan[2] = 230*ms1, 0
	// P2 (chaos): its stream dropped at 205 ms before question 2 came; the
	// reconnect's first event resynced it.
	p2 := mk(2, 1)
	p2.chaos = true
	p2.spans = []span{{start: 0, end: 205 * ms1, chaos: true}, {start: 700 * ms1}}
	p2.qArr[1], p2.qSpan[1] = 120*ms1, 0
	p2.qArr[2], p2.qSpan[2], p2.qResync[2] = 700*ms1, 1, true
	// P3: open, never got question 2.
	p3 := mk(3, 1)
	p3.spans = []span{{start: 0}}
	p3.qArr[1], p3.qSpan[1] = 105*ms1, 0
	g.plays = []*livePlayer{p1, p2, p3}
	return g
}

const ms1 = time.Millisecond

func TestFanout(t *testing.T) {
	g := testGame()
	lat, missed, broken, excluded := g.fanout(1, false)
	if !slices.Equal(lat[0], []time.Duration{10 * ms1}) || !slices.Equal(lat[1], []time.Duration{20 * ms1, 5 * ms1}) || missed+broken+excluded != 0 {
		t.Errorf("question 1: %v, missed %d broken %d excluded %d", lat, missed, broken, excluded)
	}
	lat, missed, broken, excluded = g.fanout(2, false)
	if !slices.Equal(lat[0], []time.Duration{30 * ms1}) || len(lat[1]) != 0 || missed != 1 || broken != 0 || excluded != 1 {
		t.Errorf("question 2: %v, missed %d broken %d excluded %d; want P3 missed, P2 excluded (chaos)", lat, missed, broken, excluded)
	}
	res := &liveResult{}
	res.summarise(g)
	if res.Deliveries != 4 || res.Missed != 1 || res.ChaosExcluded != 1 || res.LastMax != 30*ms1 || res.PerQuestion[0].Last != 20*ms1 {
		t.Errorf("summary: deliveries %d missed %d excluded %d last max %s q1 last %s", res.Deliveries, res.Missed, res.ChaosExcluded, res.LastMax, res.PerQuestion[0].Last)
	}
}

func TestVerifyLive(t *testing.T) {
	g := testGame()
	body := func(q, a string) playerAnswer {
		return playerAnswer{Status: ansAcked, Question: q, Type: model.Single, Answer: json.RawMessage(a), Body: []byte("x")}
	}
	p1, p2, p3 := g.plays[0], g.plays[1], g.plays[2]
	p1.answers[1], p1.answers[2] = body("q1", `"a"`), body("q2", `"b"`)
	p2.answers[1] = body("q1", `"c"`)
	p2.answers[2] = playerAnswer{Status: ansTooLate, Question: "q2", Answer: json.RawMessage(`"a"`), Body: []byte("x"), Cut: 1}
	p3.answers[1] = body("q1", `"a"`)
	p1.state.Score, p2.state.Score, p3.state.Score = 1500, 1200, 0
	rows := []liveRow{
		{Player: 1, Seq: 1, Question: "q1", Answer: `"a"`, Points: 900},
		{Player: 1, Seq: 2, Question: "q2", Answer: `"b"`, Points: 600},
		{Player: 2, Seq: 1, Question: "q1", Answer: `"c"`, Points: 700},
		{Player: 2, Seq: 2, Question: "q2", Answer: `"a"`, Points: 500}, // the cut request got through
	}
	// P3's acknowledged answer is not stored: one missing, and the check
	// fails; P2's cut answer stored after a too-late retry is explained.
	c := verifyLive(g, rows)
	if c.Missing != 1 || c.Acked != 4 || c.CutStored != 1 || c.Unexplained != 0 || c.ScoreWrong != 0 || c.ok() {
		t.Fatalf("check = %+v", c)
	}
	rows = append(rows, liveRow{Player: 3, Seq: 1, Question: "q1", Answer: `"b"`, Points: 10},
		liveRow{Player: 3, Seq: 2, Question: "q1", Answer: `"b"`, Points: 0})
	c = verifyLive(g, rows)
	if c.Missing != 0 || c.Mismatched != 1 || c.Doubled != 1 || c.Unexplained != 1 || c.ScoreWrong != 1 {
		t.Errorf("check = %+v, want P3's answer mismatched, q1 doubled, its seq 2 row unexplained, its score wrong", c)
	}
}

// TestLiveEndToEnd plays a small live game against READI in a process of
// its own, with chaos, on SQLite (and on two PostgreSQL replicas when
// READI_TEST_DATABASE_URL is set). Latencies on a test machine say
// nothing, so it checks what must hold anywhere: every answer resolved,
// every acknowledged answer stored once, every score the sum of its rows.
func TestLiveEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts READI and plays a live game")
	}
	urls := map[string]string{"sqlite": ""}
	if u := os.Getenv("READI_TEST_DATABASE_URL"); u != "" {
		urls["postgres"] = u
	}
	for name, u := range urls {
		t.Run(name, func(t *testing.T) {
			args := []string{"-scenario", "live", "-players", "50", "-questions", "3", "-time-limit", "5s", "-think", "1s", "-chaos", "0.3", "-seed", "42"}
			if u != "" {
				args = append(args, "-database-url", u)
			}
			rep := runScenario(t, args, executeLive)
			l := rep.Live
			if l == nil || len(l.PerQuestion) != 3 || l.Deliveries == 0 {
				t.Fatalf("live result = %+v", l)
			}
			if a := l.Answers; a.Sent != 150 || a.Failed != 0 || a.Acked+a.TooLate+a.NotCurrent != a.Sent || a.Requests == 0 {
				t.Errorf("answers = %+v", a)
			}
			if s := l.Store; s == nil || !s.ok() || s.Acked != l.Answers.Acked || s.PlayersScored != 50 || s.ChaosChecked != 15 {
				t.Errorf("store = %+v", s)
			}
			if l.Missed+l.Broken+l.Streams.UnexpectedEnds+l.NotEnded+l.PlayerErrors+l.ReportScores+len(l.HostErrors) > 0 || l.Streams.Drops == 0 {
				t.Errorf("missed %d, broken %d, unexpected ends %d, not ended %d, player errors %d %q, report scores %d, host %q, drops %d",
					l.Missed, l.Broken, l.Streams.UnexpectedEnds, l.NotEnded, l.PlayerErrors, l.ErrorSamples, l.ReportScores, l.HostErrors, l.Streams.Drops)
			}
			if u != "" && len(l.ByReplica) != 2 {
				t.Errorf("by replica = %+v, want two", l.ByReplica)
			}
			if len(l.ServerRSS) == 0 || l.ServerRSS[0] <= 0 {
				t.Errorf("server RSS = %v", l.ServerRSS)
			}
			var out strings.Builder
			writeTable(&out, rep)
			if !strings.Contains(out.String(), "question fan-out") || !strings.Contains(out.String(), "result: ") {
				t.Errorf("table lacks the fan-out or the verdict:\n%s", out.String())
			}
			var js strings.Builder
			if err := writeJSON(&js, rep); err != nil || !json.Valid([]byte(js.String())) {
				t.Errorf("writeJSON = %v", err)
			}
			t.Logf("%d players, question fan-out last player p99 %s, answers p99 %s, %d chaos drops, %d replayed", l.Players, ms(l.LastP99),
				ms(l.Answers.DueP99), l.Streams.Drops, l.Answers.Replayed)
		})
	}
}
