// Command readi-load measures READI under load on this machine and checks
// the performance targets, comparing READI with bare Fiber handlers measured
// in the same run on the same CPU:
//
//	go run ./cmd/readi-load                       # SQLite in a temporary directory
//	go run ./cmd/readi-load -database-url 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable'
//
// It starts, in a second process of its own (this program again, see
// targetsEnv) and on 127.0.0.1 only:
//
//   - a bare Fiber handler answering GET / with a small lesson-shaped JSON
//     reply (the ceiling for reading a lesson);
//   - a bare Fiber handler answering POST / by inserting one row with GORM
//     (store.Baseline) into a fresh database of the same kind as READI's
//     (the ceiling for storing an attempt);
//   - the real READI server, assembled by cli.Build on a fresh database
//     (a SQLite file in a temporary directory, or a new schema on the given
//     PostgreSQL server, dropped at the end) with the embedded content pack.
//
// It registers -users learners through the API and then runs two
// scenarios with -connections concurrent keep-alive connections (one
// worker each, sending one request after another). Each target first gets
// -warmup of unmeasured load; then -duration is cut into -rounds slices
// that alternate between the baseline and READI, so that whatever else
// the machine does weighs on both alike:
//
//  1. GET /api/v1/modules/spot-the-scam/lessons/<first lesson> against GET /
//     on the bare JSON handler;
//  2. POST /api/v1/quizzes/spot-the-scam/attempts with a complete, valid
//     answer set and a unique Idempotency-Key per request, spread over the
//     learners, against POST / on the bare insert handler with the same
//     body. Afterwards every acknowledged (201) attempt must be in the
//     database under its learner and key, with no attempt id acknowledged
//     twice, no stored attempt left unacknowledged, and the learners'
//     progress counting them all.
//
// The attempt scenario then runs again as an open loop: both targets are
// offered the same fixed rate over the same connections (-rate, by default
// half the baseline's closed-loop rate), each connection sending on a
// schedule whether or not the last reply came, and latency counts from
// when a request was due, so a server that falls behind shows its queue.
//
// Targets (the command exits 1 when one is missed): READI serves at least
// 0.5x the baseline's requests per second in both scenarios; attempts have
// a p99 latency under 50 ms at 256 connections in the closed loop, and at
// the offered rate in the open loop, where READI also keeps up (serves 95%
// of it); no request fails (non-2xx or transport error, warm-up
// included); every acknowledged attempt is stored. Setup failures and bad
// flags exit 2. Why the latency target is checked both ways is in
// execute.go, next to the targets.
//
// The load generator (a fasthttp client) runs on the same machine and so
// shares the CPUs with the servers' process; it does so equally for the
// baseline and for READI, so the ratios are fair, but absolute rates are
// lower than a separate load machine would measure. The table shows the
// share of the CPUs the two processes got, and warns when other programs
// took much of it. After the runs the servers shut down as in production
// and the attempts are verified by reading their databases afresh.
//
// -scenario live plays one live game (issue 10) instead: -players phones
// (10,000) join, hold an event stream each and answer -questions questions
// while a fifth of them drop and reconnect, against READI alone (two
// replicas on PostgreSQL); it checks the fan-out, answer latency, the
// servers' peak memory and that no answer is lost or doubled. See live.go.
//
// -scenario lesson|attempt runs one scenario; -gzip sends Accept-Encoding:
// gzip as browsers do; -content-dir serves another content pack (it must
// contain spot-the-scam); -json prints the report for machines.
// -cpuprofile cpu.pprof writes a CPU profile of READI's run in each
// scenario to cpu-lesson.pprof and cpu-attempt.pprof (it implies -rounds 1,
// so that READI's run is one piece) and -blockprofile FILE a blocking
// profile of READI's runs, for `go tool pprof`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// options are the command's flags.
type options struct {
	duration     time.Duration
	warmup       time.Duration
	rounds       int
	connections  int
	users        int
	databaseURL  string
	contentDir   string
	jsonOut      bool
	gzip         bool
	scenario     string
	cpuProfile   string
	blockProfile string
	memProfile   string
	rate         float64
	// the live scenario
	players     int
	questions   int
	timeLimit   time.Duration
	think       time.Duration
	chaos       float64
	replicas    int
	answerConns int
	seed        uint64
}

func main() {
	if spec := os.Getenv(targetsEnv); spec != "" {
		os.Exit(serveTargets(spec, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "readi-load:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Everything is bounded: setup, four runs of warm-up plus duration, and
	// shutdown (the live game: every question open for its whole time). A
	// hang anywhere ends at this deadline.
	limit := 3*time.Minute + 4*(o.warmup+o.duration) + 2*o.duration
	run := execute
	if o.scenario == scenarioLive {
		limit = 4*time.Minute + time.Duration(o.questions)*(o.timeLimit+10*time.Second)
		run = executeLive
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()

	rep, err := run(ctx, o, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "readi-load:", err)
		return 2
	}
	if o.jsonOut {
		if err := writeJSON(stdout, rep); err != nil {
			fmt.Fprintln(stderr, "readi-load:", err)
			return 2
		}
	} else {
		writeTable(stdout, rep)
	}
	if !rep.Pass {
		return 1
	}
	return 0
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("readi-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measured time per run (each scenario runs twice: baseline and READI)")
	fs.DurationVar(&o.warmup, "warmup", time.Second, "unmeasured load before each run")
	fs.IntVar(&o.rounds, "rounds", 5, "slices each -duration is cut into, alternating baseline and READI so background load weighs on both")
	fs.IntVar(&o.connections, "connections", 256, "concurrent keep-alive connections, one worker each")
	fs.IntVar(&o.users, "users", 64, "learner accounts the attempts are spread over")
	fs.StringVar(&o.databaseURL, "database-url", "", "postgres:// URL of a PostgreSQL server on loopback (a fresh schema is created and dropped); empty uses SQLite in a temporary directory")
	fs.StringVar(&o.contentDir, "content-dir", "", "content pack directory READI serves; empty uses the embedded pack (it must contain module "+quizModule+")")
	fs.BoolVar(&o.gzip, "gzip", false, "send Accept-Encoding: gzip with every request, as browsers do")
	fs.BoolVar(&o.jsonOut, "json", false, "print the results as JSON instead of a table")
	fs.StringVar(&o.scenario, "scenario", "all", "which scenario to run: all (lesson and attempt), lesson, attempt or live (a live game, alone)")
	fs.IntVar(&o.players, "players", 10000, "live: players in the game")
	fs.IntVar(&o.questions, "questions", 10, "live: questions in the game")
	fs.DurationVar(&o.timeLimit, "time-limit", 20*time.Second, "live: time limit per question (whole seconds, 5s to 120s); a question ends earlier once every player answered")
	fs.DurationVar(&o.think, "think", 4*time.Second, "live: players answer after a random think time up to this")
	fs.Float64Var(&o.chaos, "chaos", 0.2, "live: share of players that drop their connections at random moments and reconnect")
	fs.IntVar(&o.replicas, "replicas", 0, "live: READI server processes on one database; 0 is 1 on SQLite and 2 on PostgreSQL")
	fs.IntVar(&o.answerConns, "answer-conns", 256, "live: pooled keep-alive connections per server for joins, answers and reads")
	fs.Uint64Var(&o.seed, "seed", 0, "live: seed choosing the chaos players and their drops; 0 picks one")
	fs.Float64Var(&o.rate, "rate", 0, "requests a second offered in the attempt scenario's open-loop phase; 0 offers half the baseline's closed-loop rate")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of each READI run to this file, the scenario inserted before the extension")
	fs.StringVar(&o.blockProfile, "blockprofile", "", "write a blocking profile of each READI run to this file, named likewise")
	fs.StringVar(&o.memProfile, "memprofile", "", "live: write a heap profile of each server process, once the first question has reached every player, to this file named likewise")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: readi-load [flags]\n\nLoads a READI server on 127.0.0.1, started in a process of its own, and compares it with bare Fiber handlers.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	switch {
	case o.duration < time.Second || o.duration > 10*time.Minute:
		return o, errors.New("-duration: want between 1s and 10m")
	case o.warmup < 0 || o.warmup > time.Minute:
		return o, errors.New("-warmup: want between 0 and 1m")
	case o.connections < 1 || o.connections > 4096:
		return o, errors.New("-connections: want between 1 and 4096")
	case o.users < 1 || o.users > 1024:
		return o, errors.New("-users: want between 1 and 1024")
	case o.rounds < 1 || o.rounds > 100 || o.duration/time.Duration(o.rounds) < 200*time.Millisecond:
		return o, errors.New("-rounds: want between 1 and 100, each at least 200ms of -duration")
	case o.rate < 0 || o.rate > 1e6:
		return o, errors.New("-rate: want between 0 (half the baseline's rate) and 1000000")
	case o.scenario != "all" && o.scenario != scenarioLesson && o.scenario != scenarioAttempt && o.scenario != scenarioLive:
		return o, errors.New("-scenario: want all, lesson, attempt or live")
	case o.players < 1 || o.players > 100000:
		return o, errors.New("-players: want between 1 and 100000")
	case o.questions < 1 || o.questions > 50:
		return o, errors.New("-questions: want between 1 and 50")
	case o.timeLimit%time.Second != 0 || o.timeLimit < 5*time.Second || o.timeLimit > 120*time.Second:
		return o, errors.New("-time-limit: want whole seconds between 5s and 120s")
	case o.think < 2*minThink || o.think > o.timeLimit:
		return o, fmt.Errorf("-think: want between %s and -time-limit", 2*minThink)
	case o.chaos < 0 || o.chaos > 1:
		return o, errors.New("-chaos: want a share between 0 and 1")
	case o.replicas < 0 || o.replicas > 8:
		return o, errors.New("-replicas: want between 0 (1 on SQLite, 2 on PostgreSQL) and 8")
	case o.replicas > 1 && o.databaseURL == "":
		return o, errors.New("-replicas: more than one server needs PostgreSQL (-database-url)")
	case o.answerConns < 1 || o.answerConns > 4096:
		return o, errors.New("-answer-conns: want between 1 and 4096")
	}
	if o.seed == 0 {
		o.seed = uint64(time.Now().UnixNano())
	}
	if o.cpuProfile != "" {
		o.rounds = 1 // one contiguous READI slice per profile
	}
	if o.databaseURL != "" {
		if err := checkLoopbackPostgres(o.databaseURL); err != nil {
			return o, fmt.Errorf("-database-url: %w", err)
		}
	}
	return o, nil
}

// checkLoopbackPostgres accepts only a postgres:// URL whose host is this
// machine: the tool creates and drops schemas and sends nothing elsewhere.
func checkLoopbackPostgres(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return errors.New("want a postgres:// URL")
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("the database must be on loopback (127.0.0.1), got host %q", host)
	}
	return nil
}
