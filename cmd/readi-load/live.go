package main

// The live scenario (-scenario live) plays one live game (issue 10) with
// -players phones against READI on loopback, server and load generator in
// processes of their own, and checks its targets in the same run:
//
//   - fan-out: from the moment the host's POST next is sent to the moment
//     the new question's state event reaches the last player whose stream
//     was open, p99 over the questions under 250 ms (also given over every
//     single delivery, and per replica);
//   - POST answers: p99 under 100 ms;
//   - the servers' process: peak resident memory (VmHWM) under 1 GB;
//   - no answer lost or doubled: after the servers have shut down, the
//     live_answers rows are read back from the database: every
//     acknowledged answer is there once, with the body sent, and every
//     player's final score (GET state) is the sum of their rows' points;
//   - chaos: -chaos of the players (20%) drop their event stream at random
//     moments and lose answers in flight (the request cut after it was
//     written, or halfway), reconnect with the spec's backoff, and send
//     each answer again, the same body, until it is acknowledged (201, or
//     201 Idempotent-Replayed when the cut one got through) or the server
//     says live.too_late; their scores are checked like everyone's.
//
// With -database-url READI runs as two replicas (two processes) on one
// fresh PostgreSQL schema: players are spread over both, the host uses
// the first, so half the players get every event through the database's
// LISTEN/NOTIFY. On SQLite there is one server.
//
// Connections: each player holds one event stream (a plain TCP connection
// read by one goroutine); joins, answers and reads share a bounded pool of
// -answer-conns keep-alive connections per replica (fasthttp), so 10,000
// players need about 10,000 + 256 descriptors on each side. Answers whose
// connection is cut go on a connection of their own. The tool raises its
// limit of open files to the hard limit at start; the servers' processes
// inherit it.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

const scenarioLive = "live"

// Targets from issue 10.
const (
	maxFanoutP99     = 250 * time.Millisecond
	maxLiveAnswerP99 = 100 * time.Millisecond
	maxServerRSS     = 1 << 30
)

// liveJoinLimit is the per-client join limit the servers get for the run
// (READI_LIVE_JOIN_LIMIT), besides each player joining from an address of
// its own.
const liveJoinLimit = 100000

// hostAccount is the educator the servers' process creates.
var hostAccount = account{Email: "load-host@example.org", Password: "load-host-passphrase-2718"}

// liveResult is what the live scenario measured.
type liveResult struct {
	Players      int      `json:"players"`
	Questions    []string `json:"questions"`
	TimeLimit    string   `json:"time_limit"`
	Think        string   `json:"think"`
	Replicas     int      `json:"replicas"`
	ChaosPlayers int      `json:"chaos_players"`
	AnswerConns  int      `json:"answer_conns_per_replica"`
	Seed         uint64   `json:"seed"`
	NoFile       []uint64 `json:"nofile"` // load generator, then each server process
	JoinTime     string   `json:"join_time"`
	GameTime     string   `json:"game_time"`

	// Fan-out of the question events: per question the time from the
	// host's POST next to the last player's arrival; over all deliveries.
	PerQuestion   []liveQuestion  `json:"per_question"`
	LastP50       time.Duration   `json:"last_player_p50_ns"`
	LastP99       time.Duration   `json:"last_player_p99_ns"`
	LastMax       time.Duration   `json:"last_player_max_ns"`
	AllP50        time.Duration   `json:"all_deliveries_p50_ns"`
	AllP99        time.Duration   `json:"all_deliveries_p99_ns"`
	AllMax        time.Duration   `json:"all_deliveries_max_ns"`
	Deliveries    int             `json:"deliveries"`
	ByReplica     []replicaFanout `json:"by_replica,omitempty"`
	RevealLastP99 time.Duration   `json:"reveal_last_player_p99_ns"`
	RevealAllP99  time.Duration   `json:"reveal_all_deliveries_p99_ns"`
	EndedLast     time.Duration   `json:"ended_last_player_ns"`
	// Missed: open, not dropped, and the event never came. Broken: the
	// stream ended (not by a chaos drop) before the event came.
	Missed        int `json:"missed"`
	Broken        int `json:"broken_by_server"`
	ChaosExcluded int `json:"chaos_excluded"`

	Answers liveAnswers `json:"answers"`
	Streams liveStreams `json:"streams"`

	ServerRSS    []int64         `json:"server_peak_rss_bytes"`
	ServerCPU    float64         `json:"server_cpu_seconds"`
	LoadGenRSS   int64           `json:"load_generator_peak_rss_bytes"`
	LoadGenCPU   float64         `json:"load_generator_cpu_seconds"`
	MachineCPU   float64         `json:"machine_cpu_seconds"`
	PostgresCPU  float64         `json:"postgres_cpu_seconds"`
	Store        *liveStoreCheck `json:"store,omitempty"`
	ReportScores int             `json:"report_score_mismatches"`
	NotEnded     int             `json:"players_not_ended"`
	PlayerErrors int             `json:"player_errors"`
	ErrorSamples []string        `json:"error_samples,omitempty"`
	HostErrors   []string        `json:"host_errors,omitempty"`
}

type liveQuestion struct {
	Seq        int           `json:"seq"`
	Question   string        `json:"question"`
	Recipients int           `json:"recipients"`
	NextReply  time.Duration `json:"next_reply_ns"` // the host's POST next, sent to answered
	First      time.Duration `json:"first_ns"`      // the first player's arrival
	P50        time.Duration `json:"p50_ns"`
	P99        time.Duration `json:"p99_ns"`
	Last       time.Duration `json:"last_ns"`
	Reveal     time.Duration `json:"reveal_last_ns"`
	Ended      string        `json:"ended_by"`
	Open       time.Duration `json:"open_ns"` // from next to next
	// Window is from next until every online player had the question;
	// CPU the CPU time used in it.
	Window time.Duration `json:"fanout_window_ns"`
	CPU    cpuSample     `json:"fanout_cpu"`
}

type replicaFanout struct {
	Replica    int           `json:"replica"`
	Players    int           `json:"players"`
	Deliveries int           `json:"deliveries"`
	P50        time.Duration `json:"p50_ns"`
	P99        time.Duration `json:"p99_ns"`
	Max        time.Duration `json:"max_ns"`
}

type liveAnswers struct {
	Expected    int           `json:"expected"` // players × questions
	Unseen      int           `json:"unseen"`   // a player never had the question
	Sent        int           `json:"sent"`     // answers a player tried to give
	Acked       int           `json:"acked"`    // ended in 201
	Replayed    int           `json:"replayed"` // of which the 201 said Idempotent-Replayed
	TooLate     int           `json:"too_late"`
	NotCurrent  int           `json:"not_current"`
	Closed      int           `json:"closed"` // can_answer was false when the question came
	Failed      int           `json:"failed"`
	Cut         int           `json:"cut"` // requests cut by chaos
	Retries     int           `json:"retries"`
	Requests    int           `json:"requests"` // through the pool
	P50         time.Duration `json:"p50_ns"`
	P99         time.Duration `json:"p99_ns"`
	Max         time.Duration `json:"max_ns"`
	PoolWaitP99 time.Duration `json:"pool_wait_p99_ns"`
	// From when each was due: the wait for a pooled connection included,
	// as a phone with a connection of its own would wait in the server.
	DueP50       time.Duration `json:"due_p50_ns"`
	DueP99       time.Duration `json:"due_p99_ns"`
	DueMax       time.Duration `json:"due_max_ns"`
	ChaosAnswers int           `json:"chaos_answers_acked"`
}

type liveStreams struct {
	Drops          int   `json:"chaos_drops"`
	Reconnects     int   `json:"reconnects"`
	UnexpectedEnds int   `json:"unexpected_ends"`
	StateEvents    int64 `json:"state_events"`
	AvgEventBytes  int64 `json:"avg_event_bytes"`
	MaxEventBytes  int64 `json:"max_event_bytes"`
}

// executeLive runs the live scenario and returns its report.
func executeLive(ctx context.Context, o options, progress io.Writer) (*report, error) {
	say := func(format string, a ...any) { fmt.Fprintf(progress, "readi-load: "+format+"\n", a...) }
	nofile := raiseNoFile()
	tmp, err := os.MkdirTemp("", "readi-load-live-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	dbs, err := newDatabases(tmp, o.databaseURL)
	if err != nil {
		return nil, err
	}
	defer dbs.cleanup(progress)
	replicas := o.replicas
	if replicas == 0 {
		replicas = 1
		if o.databaseURL != "" {
			replicas = 2
		}
	}
	if need := uint64(o.players + 2*o.answerConns + 1000); nofile > 0 && need > nofile {
		return nil, fmt.Errorf("%d players need about %d open files in each process, the limit is %d (ulimit -n)", o.players, need, nofile)
	}
	rep := &report{Dialect: dbs.dialect(), CPUs: runtime.NumCPU(), Go: runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH,
		LoadAverage: loadAverage()}
	res := &liveResult{Players: o.players, TimeLimit: o.timeLimit.String(), Think: o.think.String(), Replicas: replicas,
		AnswerConns: o.answerConns, Seed: o.seed, NoFile: []uint64{nofile}}
	rep.Live = res
	say("live game: %s, %d server process(es), %d players, %d questions, %s time limit, answers within %s, %.0f%% chaos",
		rep.Dialect, replicas, o.players, o.questions, o.timeLimit, o.think, 100*o.chaos)

	dataDir, dbURL, err := dbs.fresh(ctx, "live")
	if err != nil {
		return nil, err
	}
	var servers []*targets
	defer func() {
		for _, s := range servers {
			s.kill()
		}
	}()
	for i := range replicas {
		spec := targetsSpec{Live: true, READIDir: filepath.Join(dataDir, fmt.Sprint(i)), READIURL: dbURL, ContentDir: o.contentDir,
			TrustedProxies: []string{"127.0.0.1"}, LiveJoinLimit: liveJoinLimit}
		if i == 0 {
			spec.Educator = &hostAccount
		}
		if dbURL == "" {
			spec.READIDir = dataDir // one SQLite file
		}
		// One after the other: the first migrates the database.
		s, err := startTargets(ctx, spec)
		if err != nil {
			return nil, fmt.Errorf("server %d: %w", i+1, err)
		}
		servers = append(servers, s)
		res.NoFile = append(res.NoFile, s.NoFile)
		say("  READI %d on %s (pid %d, open files limit %d)", i+1, s.READI, s.cmd.Process.Pid, s.NoFile)
	}
	var addrs []string
	for _, s := range servers {
		addrs = append(addrs, s.READI)
	}

	api := newAPIClient(addrs[0])
	var session struct {
		AccessToken string `json:"access_token"`
	}
	if err := api.call(ctx, http.MethodPost, "/api/v1/auth/login", "", model.LoginRequest{Email: hostAccount.Email, Password: hostAccount.Password},
		http.StatusOK, &session); err != nil {
		return nil, fmt.Errorf("sign the host in: %w", err)
	}
	quiz, err := api.quiz(ctx, quizModule, session.AccessToken)
	if err != nil {
		return nil, err
	}
	for _, q := range quiz.Questions {
		if model.LivePlayable(q.Type) && len(res.Questions) < o.questions {
			res.Questions = append(res.Questions, q.ID)
		}
	}
	if len(res.Questions) < o.questions {
		return nil, fmt.Errorf("-questions %d: %s has only %d live-playable questions", o.questions, quizModule, len(res.Questions))
	}

	// Peak memory is read from VmHWM at the end; CPU from each process.
	cpu0, self0, machine0, pg0 := time.Duration(0), processCPU(), machineCPU(), time.Duration(0)
	if dbURL != "" {
		pg0 = postgresCPU()
	}
	for _, s := range servers {
		cpu0 += s.cpu()
	}
	// -cpuprofile: the game (joins to the final reads) in every process.
	stopProfiles := func() {}
	if o.cpuProfile != "" {
		for i, s := range servers {
			if _, err := s.call(cmdCPUProfile + " " + profileName(o.cpuProfile, fmt.Sprintf("live-server%d", i+1))); err != nil {
				return nil, err
			}
		}
		f, err := os.Create(profileName(o.cpuProfile, "live-loadgen"))
		if err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, err
		}
		stopProfiles = func() {
			pprof.StopCPUProfile()
			f.Close()
			for _, s := range servers {
				_, _ = s.call(cmdCPUStop)
			}
			stopProfiles = func() {}
		}
		defer stopProfiles()
	}
	cfg := liveConfig{Players: o.players, Questions: o.questions, TimeLimit: o.timeLimit, Think: o.think, Chaos: o.chaos,
		AnswerConns: o.answerConns, Seed: o.seed, XFF: true, Progress: say,
		CPU: func() cpuSample {
			c := cpuSample{LoadGen: processCPU(), Machine: machineCPU()}
			if dbURL != "" {
				c.Postgres = postgresCPU()
			}
			for _, s := range servers {
				c.Servers += s.cpu()
			}
			return c
		}}
	if o.memProfile != "" {
		// The heap at the game's height: every stream open, the first
		// question just sent.
		cfg.AfterQuestion = func(seq int) {
			if seq != 1 {
				return
			}
			for i, s := range servers {
				if _, err := s.call(cmdHeapProfile + " " + profileName(o.memProfile, fmt.Sprintf("live-server%d", i+1))); err != nil {
					say("heap profile: %v", err)
				}
			}
		}
	}
	start := time.Now()
	g, gameErr := playLive(ctx, cfg, liveEnv{Addrs: addrs, HostToken: session.AccessToken, Questions: res.Questions})
	res.GameTime = time.Since(start).Round(time.Millisecond).String()
	stopProfiles()
	if g == nil {
		return nil, gameErr
	}
	if gameErr != nil {
		res.HostErrors = append(res.HostErrors, gameErr.Error())
	}
	res.summarise(g)

	// The host's report, as a cross-check of the scores.
	if gameErr == nil {
		scores, err := fetchReportScores(ctx, addrs[0], g.id, session.AccessToken)
		if err != nil {
			res.HostErrors = append(res.HostErrors, "report: "+err.Error())
		}
		for _, p := range g.plays {
			if s, ok := scores[p.id]; !ok || s != p.state.Score {
				res.ReportScores++
			}
		}
	}

	cpu1 := time.Duration(0)
	for _, s := range servers {
		cpu1 += s.cpu()
		res.ServerRSS = append(res.ServerRSS, procStatusKB(s.cmd.Process.Pid, "VmHWM"))
	}
	res.ServerCPU = (cpu1 - cpu0).Seconds()
	res.LoadGenCPU = (processCPU() - self0).Seconds()
	res.MachineCPU = (machineCPU() - machine0).Seconds()
	if dbURL != "" {
		res.PostgresCPU = (postgresCPU() - pg0).Seconds()
	}
	res.LoadGenRSS = procStatusKB(0, "VmHWM")

	// Shut the servers down as in production, then read what they stored.
	for i := len(servers) - 1; i >= 0; i-- {
		done, err := servers[i].stop()
		if err != nil {
			return nil, err
		}
		rep.ServerLogLines += done.LogLines
		if len(rep.ServerLogFirst) < 3 {
			rep.ServerLogFirst = append(rep.ServerLogFirst, done.LogFirst...)
		}
	}
	servers = nil
	say("reading the stored answers back")
	rows, err := readLiveRows(ctx, dbs.dialect(), dataDir, dbURL, g.id)
	if err != nil {
		return nil, err
	}
	res.Store = verifyLive(g, rows)
	if other := res.MachineCPU - res.ServerCPU - res.LoadGenCPU - res.PostgresCPU; res.MachineCPU > 0 && other > 0.2*res.MachineCPU {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("other programs used %.0f of the machine's %.0f CPU seconds during the game: the latencies are worse than on a quiet machine", other, res.MachineCPU))
	}
	rep.LoadAverageEnd = loadAverage()
	rep.evaluate()
	return rep, nil
}

// fetchReportScores reads GET /live/games/{id}/report (it can be large).
func fetchReportScores(ctx context.Context, addr string, id int64, token string) (map[int64]int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("http://%s/api/v1/live/games/%d/report", addr, id), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, b)
	}
	var r struct {
		Data struct {
			Players []struct {
				ID    int64 `json:"id"`
				Score int64 `json:"score"`
			} `json:"players"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, err
	}
	out := make(map[int64]int64, len(r.Data.Players))
	for _, p := range r.Data.Players {
		out[p.ID] = p.Score
	}
	return out, nil
}

// summarise computes the fan-out, answer and stream figures of a game.
func (res *liveResult) summarise(g *liveGame) {
	res.JoinTime = g.joinTime.Round(time.Millisecond).String()
	var all, reveals, lasts, revealLasts []time.Duration
	byReplica := make([][]time.Duration, len(g.env.Addrs))
	for k := 1; k <= g.n; k++ {
		lat, missed, broken, excluded := g.fanout(k, false)
		res.Missed += missed
		res.Broken += broken
		res.ChaosExcluded += excluded
		q := liveQuestion{Seq: k, Question: g.env.Questions[k-1], Ended: g.qEnd[k], NextReply: g.qReply[k],
			Window: g.fanWindow[k], CPU: g.fanCPU[k]}
		if g.rNext[k] > 0 {
			q.Open = g.rNext[k] - g.qNext[k]
		}
		var flat []time.Duration
		for r, l := range lat {
			flat = append(flat, l...)
			byReplica[r] = append(byReplica[r], l...)
		}
		slices.Sort(flat)
		q.Recipients = len(flat)
		if len(flat) > 0 {
			q.First, q.P50, q.P99, q.Last = flat[0], percentile(flat, .5), percentile(flat, .99), flat[len(flat)-1]
			lasts = append(lasts, q.Last)
		}
		all = append(all, flat...)
		if g.rNext[k] > 0 {
			rl, _, _, _ := g.fanout(k, true)
			var rf []time.Duration
			for _, l := range rl {
				rf = append(rf, l...)
			}
			slices.Sort(rf)
			if len(rf) > 0 {
				q.Reveal = rf[len(rf)-1]
				revealLasts = append(revealLasts, q.Reveal)
			}
			reveals = append(reveals, rf...)
		}
		res.PerQuestion = append(res.PerQuestion, q)
	}
	slices.Sort(all)
	slices.Sort(lasts)
	slices.Sort(reveals)
	slices.Sort(revealLasts)
	res.Deliveries = len(all)
	res.AllP50, res.AllP99 = percentile(all, .5), percentile(all, .99)
	if len(all) > 0 {
		res.AllMax = all[len(all)-1]
	}
	res.LastP50, res.LastP99 = percentile(lasts, .5), percentile(lasts, .99)
	if len(lasts) > 0 {
		res.LastMax = lasts[len(lasts)-1]
	}
	res.RevealAllP99, res.RevealLastP99 = percentile(reveals, .99), percentile(revealLasts, .99)
	if len(g.env.Addrs) > 1 {
		for r, l := range byReplica {
			slices.Sort(l)
			rf := replicaFanout{Replica: r + 1, Deliveries: len(l), P50: percentile(l, .5), P99: percentile(l, .99)}
			if len(l) > 0 {
				rf.Max = l[len(l)-1]
			}
			for _, p := range g.plays {
				if p.replica == r {
					rf.Players++
				}
			}
			res.ByReplica = append(res.ByReplica, rf)
		}
	}

	a := &res.Answers
	a.Expected = len(g.plays) * g.n
	for _, p := range g.plays {
		p.mu.Lock()
		if p.chaos {
			res.ChaosPlayers++
		}
		for k := 1; k <= g.n; k++ {
			x := p.answers[k]
			if x.Body != nil {
				a.Sent++
			}
			switch x.Status {
			case ansAcked:
				a.Acked++
				if x.Replayed {
					a.Replayed++
				}
				if p.chaos {
					a.ChaosAnswers++
				}
			case ansTooLate:
				a.TooLate++
			case ansNotCurrent:
				a.NotCurrent++
			case ansClosed:
				a.Closed++
			case ansFailed, ansPending:
				a.Failed++
				if x.Status == ansPending {
					x.Err = "never resolved"
				}
				if len(res.ErrorSamples) < 5 {
					res.ErrorSamples = append(res.ErrorSamples, fmt.Sprintf("%s, question %d: %s", p.nickname, k, x.Err))
				}
			case ansNone:
				a.Unseen++
			}
			a.Cut += x.Cut
			a.Retries += x.Retries
		}
		res.Streams.Drops += p.drops
		res.Streams.Reconnects += p.reconn
		res.Streams.UnexpectedEnds += p.unexpEnd
		if len(p.errs) > 0 {
			res.PlayerErrors++
			for _, e := range p.errs {
				if len(res.ErrorSamples) < 8 {
					res.ErrorSamples = append(res.ErrorSamples, p.nickname+": "+e)
				}
			}
		}
		if p.state.Phase != model.LiveEnded {
			res.NotEnded++
		}
		p.mu.Unlock()
	}
	lat := sortedCopy(g.answerLat)
	a.Requests = len(lat)
	a.P50, a.P99 = percentile(lat, .5), percentile(lat, .99)
	if len(lat) > 0 {
		a.Max = lat[len(lat)-1]
	}
	a.PoolWaitP99 = percentile(sortedCopy(g.poolWait), .99)
	due := sortedCopy(g.answerDue)
	a.DueP50, a.DueP99 = percentile(due, .5), percentile(due, .99)
	if len(due) > 0 {
		a.DueMax = due[len(due)-1]
	}
	if g.endNext > 0 {
		res.EndedLast = g.endedLast()
	}
	res.HostErrors = append(res.HostErrors, g.hostErr...)
	res.Streams.StateEvents = g.stateEvents.Load()
	if res.Streams.StateEvents > 0 {
		res.Streams.AvgEventBytes = g.stateBytes.Load() / res.Streams.StateEvents
	}
	res.Streams.MaxEventBytes = g.maxEvent.Load()
}

// fanout returns, for question seq (reveal: its reveal), the delivery
// latencies per replica of every player whose stream was open when the
// host sent next, counting from that moment; and how many such players
// never got it on that stream: missed (the stream stayed open), broken
// (the server or the network ended it), excluded (a chaos drop ended it).
func (g *liveGame) fanout(seq int, reveal bool) (lat [][]time.Duration, missed, broken, excluded int) {
	t0 := g.qNext[seq]
	if reveal {
		t0 = g.rNext[seq]
	}
	lat = make([][]time.Duration, len(g.env.Addrs))
	for _, p := range g.plays {
		p.mu.Lock()
		arr, si := p.qArr[seq], p.qSpan[seq]
		if reveal {
			arr, si = p.rArr[seq], p.rSpan[seq]
		}
		open := -1
		for i, s := range p.spans {
			if s.start <= t0 && (s.end == 0 || s.end > t0) {
				open = i
			}
		}
		switch {
		case open < 0:
		case int(si) == open:
			lat[p.replica] = append(lat[p.replica], arr-t0)
		case p.spans[open].end == 0:
			missed++
		case p.spans[open].chaos:
			excluded++
		default:
			broken++
		}
		p.mu.Unlock()
	}
	return lat, missed, broken, excluded
}

// endedLast is the time from the host's last POST next to the last
// ended event on a stream that was open then.
func (g *liveGame) endedLast() time.Duration {
	var last time.Duration
	for _, p := range g.plays {
		p.mu.Lock()
		if p.eSpan >= 0 && p.spans[p.eSpan].start <= g.endNext {
			last = max(last, p.eArr-g.endNext)
		}
		p.mu.Unlock()
	}
	return last
}

// liveRow is one stored answer.
type liveRow struct {
	Player   int64
	Seq      int
	Question string
	Answer   string
	Points   int64
}

// readLiveRows reads the game's answers from the database the stopped
// servers wrote: the SQLite file, or the PostgreSQL schema.
func readLiveRows(ctx context.Context, dialect, dataDir, dbURL string, gameID int64) ([]liveRow, error) {
	var db *sql.DB
	var err error
	q := "SELECT player_id, seq, question_id, answer, points FROM live_answers WHERE game_id = ?"
	if dialect == store.Postgres {
		db, err = sql.Open("pgx", dbURL)
		q = strings.Replace(q, "?", "$1", 1)
	} else {
		db, err = sql.Open("sqlite3", "file:"+filepath.Join(dataDir, "readi.db")+"?mode=ro&_busy_timeout=10000")
	}
	if err != nil {
		return nil, fmt.Errorf("open the live database: %w", err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, q, gameID)
	if err != nil {
		return nil, fmt.Errorf("read live_answers: %w", err)
	}
	defer rows.Close()
	var out []liveRow
	for rows.Next() {
		var r liveRow
		if err := rows.Scan(&r.Player, &r.Seq, &r.Question, &r.Answer, &r.Points); err != nil {
			return nil, fmt.Errorf("read live_answers: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// liveStoreCheck compares what the players were told with the rows.
type liveStoreCheck struct {
	Rows          int      `json:"rows"`
	Acked         int      `json:"acknowledged"`
	Missing       int      `json:"missing"`    // acknowledged, no row
	Mismatched    int      `json:"mismatched"` // a row with another question or answer
	Doubled       int      `json:"doubled"`    // (player, question) stored more than once
	CutStored     int      `json:"cut_stored"` // stored, never acknowledged: a cut request got through, its retry was too late
	Unexplained   int      `json:"unexplained"`
	ScoreWrong    int      `json:"score_mismatches"`
	ChaosWrong    int      `json:"chaos_score_mismatches"`
	ChaosChecked  int      `json:"chaos_players_checked"`
	PlayersScored int      `json:"players_checked"`
	Samples       []string `json:"samples,omitempty"`
}

func (c *liveStoreCheck) ok() bool {
	return c.Missing == 0 && c.Mismatched == 0 && c.Doubled == 0 && c.Unexplained == 0 && c.ScoreWrong == 0
}

// verifyLive checks the rows: every acknowledged answer stored once with
// the body sent, nothing stored that no player sent, and every player's
// final score the sum of their rows' points.
func verifyLive(g *liveGame, rows []liveRow) *liveStoreCheck {
	c := &liveStoreCheck{Rows: len(rows)}
	sample := func(format string, a ...any) {
		if len(c.Samples) < 6 {
			c.Samples = append(c.Samples, fmt.Sprintf(format, a...))
		}
	}
	type key struct {
		player int64
		seq    int
	}
	byKey := map[key][]liveRow{}
	perQuestion := map[string]int{}
	sums := map[int64]int64{}
	for _, r := range rows {
		k := key{r.Player, r.Seq}
		byKey[k] = append(byKey[k], r)
		perQuestion[fmt.Sprint(r.Player, "\x00", r.Question)]++
		sums[r.Player] += r.Points
	}
	for _, n := range perQuestion {
		if n > 1 {
			c.Doubled += n - 1
		}
	}
	for _, p := range g.plays {
		p.mu.Lock()
		for k := 1; k <= g.n; k++ {
			a := p.answers[k]
			stored := byKey[key{p.id, k}]
			switch {
			case a.Status == ansAcked:
				c.Acked++
				if len(stored) == 0 {
					c.Missing++
					sample("%s (id %d) question %d: acknowledged, not stored", p.nickname, p.id, k)
					continue
				}
				if s := stored[0]; s.Question != a.Question || !sameAnswer(s.Answer, a.Answer, a.Type) {
					c.Mismatched++
					sample("%s question %d: sent %s %s, stored %s %s", p.nickname, k, a.Question, a.Answer, s.Question, s.Answer)
				}
			case len(stored) > 0 && a.Cut > 0 && a.Body != nil:
				c.CutStored++
			case len(stored) > 0:
				c.Unexplained++
				sample("%s question %d: stored (%s), but the player's answer ended %d (%s)", p.nickname, k, stored[0].Answer, a.Status, a.Err)
			}
		}
		c.PlayersScored++
		if p.chaos {
			c.ChaosChecked++
		}
		if sums[p.id] != p.state.Score {
			c.ScoreWrong++
			if p.chaos {
				c.ChaosWrong++
			}
			sample("%s (id %d): final score %d, rows sum to %d", p.nickname, p.id, p.state.Score, sums[p.id])
		}
		p.mu.Unlock()
	}
	return c
}

// sameAnswer compares two JSON answers; the lists of ids of multiple and
// red_flags compare as sets, since a server may store them sorted.
func sameAnswer(stored string, sent json.RawMessage, typ model.QuestionType) bool {
	var a, b any
	if json.Unmarshal([]byte(stored), &a) != nil || json.Unmarshal(sent, &b) != nil {
		return false
	}
	if reflect.DeepEqual(a, b) {
		return true
	}
	if typ != model.Multiple && typ != model.RedFlags {
		return false
	}
	la, ok1 := a.([]any)
	lb, ok2 := b.([]any)
	if !ok1 || !ok2 || len(la) != len(lb) {
		return false
	}
	set := map[any]int{}
	for _, x := range la {
		set[x]++
	}
	for _, x := range lb {
		set[x]--
	}
	for _, n := range set {
		if n != 0 {
			return false
		}
	}
	return true
}
