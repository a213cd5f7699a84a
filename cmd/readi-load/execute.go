package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/readi-platform/readi/internal/store"
)

// Scenario names, as -scenario takes them.
const (
	scenarioLesson  = "lesson"
	scenarioAttempt = "attempt"
)

// quizModule is the starter pack module whose lesson and quiz are loaded.
const quizModule = "spot-the-scam"

// Targets from the issue.
const (
	minRatio      = 0.5
	maxAttemptP99 = 50 * time.Millisecond
)

// The attempt latency target is checked twice. In the closed loop, as the
// issue words it (256 concurrent connections, each sending again the moment
// it is answered, as wrk does), the latency is largely set by the
// machine's capacity: by Little's law a p99 under 50 ms with 256
// connections needs more than 5,120 requests a second with no spread at
// all, so on two shared cores even the bare baseline misses it at times,
// and READI passes only when it serves well above that. So it is checked
// in an open loop as well, where the server's own queueing shows: over
// the same connections READI and the baseline are each offered pacedShare
// of the baseline's closed-loop rate (-rate overrides it), the load READI
// must sustain by minRatio, and READI must serve pacedKeptUp of it with
// its p99 under the target.
const (
	pacedShare  = minRatio
	pacedKeptUp = 0.95
)

// ack is one attempt READI acknowledged with 201: worker w's i-th request.
type ack struct {
	worker, seq int
	id          int64
}

func idempotencyKey(w, i int) string { return "load-" + strconv.Itoa(w) + "-" + strconv.Itoa(i) }

// execute sets everything up, runs the scenarios, verifies the stored
// attempts and returns the report. Everything it starts it also stops.
func execute(ctx context.Context, o options, progress io.Writer) (*report, error) {
	say := func(format string, a ...any) { fmt.Fprintf(progress, "readi-load: "+format+"\n", a...) }
	tmp, err := os.MkdirTemp("", "readi-load-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	dbs, err := newDatabases(tmp, o.databaseURL)
	if err != nil {
		return nil, err
	}
	defer dbs.cleanup(progress)

	rep := &report{Dialect: dbs.dialect(), Connections: o.connections, Users: o.users,
		Warmup: o.warmup.String(), Duration: o.duration.String(), Rounds: o.rounds, Gzip: o.gzip, CPUs: runtime.NumCPU(),
		Go: runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH, LoadAverage: loadAverage()}
	say("%s, %d connections, %d learners, %s warm-up + %s per run", rep.Dialect, o.connections, o.users, o.warmup, o.duration)

	// The servers, in a process of their own (see targetsEnv).
	baseDir, baseURL, err := dbs.fresh(ctx, "baseline")
	if err != nil {
		return nil, err
	}
	readiDir, readiURL, err := dbs.fresh(ctx, "readi")
	if err != nil {
		return nil, err
	}
	say("starting the bare handlers and READI (on a fresh %s database) in a process of their own", rep.Dialect)
	servers, err := startTargets(ctx, targetsSpec{BaselineDir: baseDir, BaselineURL: baseURL,
		READIDir: readiDir, READIURL: readiURL, ContentDir: o.contentDir})
	if err != nil {
		return nil, err
	}
	defer servers.kill()
	cpuNow := func() time.Duration { return processCPU() + servers.cpu() }
	api := newAPIClient(servers.READI)
	lesson, err := api.firstLesson(ctx, quizModule)
	if err != nil {
		return nil, err
	}
	say("registering %d learners", o.users)
	learners, err := api.registerLearners(ctx, o.users)
	if err != nil {
		return nil, err
	}
	quiz, err := api.quiz(ctx, quizModule, learners[0].Token)
	if err != nil {
		return nil, err
	}
	answers, err := answerAll(quiz)
	if err != nil {
		return nil, fmt.Errorf("build an attempt for %s: %w", quizModule, err)
	}
	attemptBody, err := json.Marshal(answers)
	if err != nil {
		return nil, err
	}

	// measure runs one scenario: the baseline and READI, alternating.
	// paced (attempts) adds the same at a fixed offered rate.
	measure := func(sc *scenarioResult, base, readiLoad workload, paced bool) error {
		say("%s: %s against %s", sc.Title, sc.READIRequest, sc.BaselineRequest)
		base.gzip, readiLoad.gzip = o.gzip, o.gzip
		rb, err := newRunner(base, o.connections, cpuNow)
		if err != nil {
			return err
		}
		defer rb.close()
		rr, err := newRunner(readiLoad, o.connections, cpuNow)
		if err != nil {
			return err
		}
		defer rr.close()
		prof := &profiler{servers: servers, block: o.blockProfile != ""}
		if o.cpuProfile != "" {
			prof.cpuFile = profileName(o.cpuProfile, sc.Name)
		}
		if err := compare(ctx, rb, rr, o.warmup, o.duration, o.rounds, prof.hook); err != nil {
			return err
		}
		if prof.err != nil {
			return prof.err
		}
		sc.Baseline, sc.READI = rb.stats(), rr.stats()
		if sc.Baseline.RPS > 0 {
			sc.Ratio = sc.READI.RPS / sc.Baseline.RPS
		}
		for _, x := range []struct {
			name string
			st   runStats
		}{{"baseline", sc.Baseline}, {"READI", sc.READI}} {
			say("  %-8s %6.0f req/s, p50 %s, p99 %s, %d errors, CPU %.0f%%", x.name, x.st.RPS, ms(x.st.P50), ms(x.st.P99), x.st.Errors, 100*x.st.CPUShare)
		}
		if !paced {
			return nil
		}
		rate := o.rate
		if rate == 0 {
			rate = pacedShare * sc.Baseline.RPS
		}
		if rate < 1 {
			return fmt.Errorf("%s: the baseline served %.0f req/s, too few to pace a run at a share of it", sc.Title, sc.Baseline.RPS)
		}
		say("%s at %.0f req/s offered over %d connections (open loop)", sc.Title, rate, o.connections)
		rb.reset()
		rr.reset()
		if err := comparePaced(ctx, rb, rr, rate, o.duration, o.rounds); err != nil {
			return err
		}
		sc.Paced = &pacedResult{Rate: rate, Baseline: rb.stats(), READI: rr.stats()}
		for _, x := range []struct {
			name string
			st   runStats
		}{{"baseline", sc.Paced.Baseline}, {"READI", sc.Paced.READI}} {
			say("  %-8s %6.0f req/s, p50 %s, p99 %s, %d errors", x.name, x.st.RPS, ms(x.st.P50), ms(x.st.P99), x.st.Errors)
		}
		return nil
	}

	if o.scenario == "all" || o.scenario == scenarioLesson {
		lessonPath := "/api/v1/modules/" + quizModule + "/lessons/" + lesson
		sc := scenarioResult{Name: scenarioLesson, Title: "GET lesson", READIRequest: "GET " + lessonPath, BaselineRequest: "GET / (bare Fiber JSON)"}
		if err := measure(&sc, workload{url: "http://" + servers.BareJSON + "/", method: "GET"},
			workload{url: "http://" + servers.READI + lessonPath, method: "GET"}, false); err != nil {
			return nil, err
		}
		rep.Scenarios = append(rep.Scenarios, sc)
	}

	var verify func() error // set by the attempt scenario
	if o.scenario == "all" || o.scenario == scenarioAttempt {
		attemptPath := "/api/v1/quizzes/" + quizModule + "/attempts"
		sc := scenarioResult{Name: scenarioAttempt, Title: "POST attempt", READIRequest: "POST " + attemptPath,
			BaselineRequest: "POST / (bare Fiber + GORM insert)"}
		withBody := func(_ int, req *fasthttp.Request) {
			req.Header.SetContentType("application/json")
			req.SetBody(attemptBody)
		}
		baseAcks := make([]int64, o.connections)
		base := workload{url: "http://" + servers.BareInsert + "/", method: "POST", setup: withBody,
			check: func(w, _ int, resp *fasthttp.Response) error {
				if resp.StatusCode() != fasthttp.StatusCreated {
					return fmt.Errorf("HTTP %d, want 201", resp.StatusCode())
				}
				baseAcks[w]++
				return nil
			}}
		acks := make([][]ack, o.connections)
		keys := make([][]byte, o.connections)
		readiLoad := workload{url: "http://" + servers.READI + attemptPath, method: "POST",
			setup: func(w int, req *fasthttp.Request) {
				withBody(w, req)
				req.Header.Set("Authorization", "Bearer "+learners[w%len(learners)].Token)
			},
			before: func(w, i int, req *fasthttp.Request) {
				keys[w] = strconv.AppendInt(append(strconv.AppendInt(append(keys[w][:0], "load-"...), int64(w), 10), '-'), int64(i), 10)
				req.Header.SetBytesV("Idempotency-Key", keys[w])
			},
			check: func(w, i int, resp *fasthttp.Response) error {
				if resp.StatusCode() != fasthttp.StatusCreated {
					return fmt.Errorf("HTTP %d, want 201", resp.StatusCode())
				}
				if len(resp.Header.Peek("Idempotent-Replayed")) > 0 {
					return errors.New("a fresh Idempotency-Key was answered as a replay")
				}
				id, err := attemptID(resp.Body())
				if err != nil {
					return err
				}
				acks[w] = append(acks[w], ack{worker: w, seq: i, id: id})
				return nil
			}}
		if err := measure(&sc, base, readiLoad, true); err != nil {
			return nil, err
		}
		rep.Scenarios = append(rep.Scenarios, sc)
		verify = func() error {
			var acked int64
			for _, n := range baseAcks {
				acked += n
			}
			say("verifying the stored attempts")
			var err error
			rep.Attempts, rep.BaselineRows, err = verifyStored(ctx, readiDir, readiURL, baseDir, baseURL, learners, acks, acked)
			return err
		}
	}

	if o.blockProfile != "" {
		if _, err := servers.call(cmdBlockProfile + " " + o.blockProfile); err != nil {
			return nil, err
		}
	}
	// The servers shut down as in production (requests in flight finish,
	// the databases are closed) before what they stored is read back.
	done, err := servers.stop()
	if err != nil {
		return nil, err
	}
	rep.ServerLogLines, rep.ServerLogFirst = done.LogLines, done.LogFirst
	if verify != nil {
		if err := verify(); err != nil {
			return nil, err
		}
	}
	rep.LoadAverageEnd = loadAverage()
	rep.evaluate()
	return rep, nil
}

// attemptID reads data.attempt_id from a 201 reply without decoding the
// whole body (the load generator shares the CPU with the server).
func attemptID(body []byte) (int64, error) {
	const field = `"attempt_id":`
	i := bytes.Index(body, []byte(field))
	if i < 0 {
		return 0, fmt.Errorf("201 without attempt_id: %.200s", body)
	}
	rest := body[i+len(field):]
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	id, err := strconv.ParseInt(string(rest[:j]), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("201 with a bad attempt_id: %.200s", body)
	}
	return id, nil
}

// verifyStored opens the databases the stopped servers wrote, as a
// restarted server would, and checks READI's attempts (verifyAttempts) and
// the baseline's rows against what each acknowledged.
func verifyStored(ctx context.Context, readiDir, readiURL, baseDir, baseURL string, learners []learner, acks [][]ack, baseAcked int64) (*attemptCheck, *baselineCheck, error) {
	st, err := store.Open(ctx, store.Options{DataDir: readiDir, DatabaseURL: readiURL})
	if err != nil {
		return nil, nil, fmt.Errorf("open READI's database: %w", err)
	}
	defer st.Close()
	attempts, err := verifyAttempts(ctx, st, learners, acks)
	if err != nil {
		return nil, nil, err
	}
	baseline, err := store.OpenBaseline(ctx, store.Options{DataDir: baseDir, DatabaseURL: baseURL})
	if err != nil {
		return nil, nil, fmt.Errorf("open the baseline's database: %w", err)
	}
	defer baseline.Close()
	rows, err := baseline.Count(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("count baseline rows: %w", err)
	}
	return attempts, &baselineCheck{Acknowledged: baseAcked, Stored: rows}, nil
}

// verifyAttempts compares what READI acknowledged with what its database
// holds: every acknowledged attempt stored under its learner and key, no id
// acknowledged twice, nothing stored that was not acknowledged, and the
// learners' progress counting every stored attempt.
func verifyAttempts(ctx context.Context, st *store.Store, learners []learner, acks [][]ack) (*attemptCheck, error) {
	c := &attemptCheck{}
	byID := map[int64]ack{}
	for _, list := range acks {
		for _, a := range list {
			c.Acknowledged++
			if _, dup := byID[a.id]; dup {
				c.DuplicateIDs++
				continue
			}
			byID[a.id] = a
		}
	}
	n, err := st.CountAttempts(ctx, 0)
	if err != nil {
		return nil, fmt.Errorf("count attempts: %w", err)
	}
	c.Stored = n
	found := int64(0)
	for li, l := range learners {
		stored, err := st.Attempts(ctx, l.ID)
		if err != nil {
			return nil, fmt.Errorf("read attempts of learner %d: %w", l.ID, err)
		}
		for _, s := range stored {
			a, ok := byID[s.ID]
			if !ok {
				c.Unacknowledged++
				continue
			}
			if a.worker%len(learners) != li || s.IdempotencyKey != idempotencyKey(a.worker, a.seq) {
				c.Mismatched++
				continue
			}
			found++
		}
		prog, err := st.Progress(ctx, l.ID)
		if err != nil {
			return nil, fmt.Errorf("read progress of learner %d: %w", l.ID, err)
		}
		for _, p := range prog {
			c.ProgressAttempts += int64(p.Attempts)
		}
	}
	c.Missing = int64(len(byID)) - found - c.Mismatched
	return c, nil
}

// profiler records READI's slices of one scenario in the servers'
// process: a CPU profile (one contiguous slice, since -cpuprofile sets
// -rounds 1) and the blocking profile, which accumulates over the whole
// command. The first failure is kept in err.
type profiler struct {
	servers *targets
	cpuFile string // empty: no CPU profile
	block   bool
	err     error
}

// hook starts (start = true) or stops recording around one READI slice.
func (p *profiler) hook(start bool) {
	var cmds []string
	if p.block {
		rate := 0
		if start {
			rate = 10_000 // one sample per 10µs blocked
		}
		cmds = append(cmds, cmdBlockRate+" "+strconv.Itoa(rate))
	}
	if p.cpuFile != "" {
		if start {
			cmds = append(cmds, cmdCPUProfile+" "+p.cpuFile)
		} else {
			cmds = append(cmds, cmdCPUStop)
		}
	}
	for _, c := range cmds {
		if _, err := p.servers.call(c); err != nil && p.err == nil {
			p.err = err
		}
	}
}

// profileName inserts the scenario before the file's extension.
func profileName(path, scenario string) string {
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "-" + scenario + ext
}
