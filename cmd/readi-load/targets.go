package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// targetsEnv, when set, makes this program the targets process: it holds
// the JSON of a targetsSpec, and the program serves the three servers
// instead of loading them.
//
// The servers run in a process of their own, as a deployed server would,
// rather than beside the load generator: in one process the generator's
// goroutines and the servers' share one Go scheduler, so a server goroutine
// woken by a commit or a timer could wait behind hundreds of runnable
// client goroutines, and the generator's own late wake-ups counted as
// server latency. Two processes still share the machine's CPUs, alike for
// the baselines and READI.
const targetsEnv = "READI_LOAD_TARGETS"

// targetsSpec tells the targets process which databases to serve.
type targetsSpec struct {
	BaselineDir string `json:"baseline_dir"`
	BaselineURL string `json:"baseline_url,omitempty"`
	READIDir    string `json:"readi_dir"`
	READIURL    string `json:"readi_url,omitempty"`
	ContentDir  string `json:"content_dir,omitempty"`
	// Live serves READI alone (the live scenario, see live.go), with the
	// settings below; the baselines are not started.
	Live bool `json:"live,omitempty"`
	// TrustedProxies is READI_TRUSTED_PROXIES: the live players' joins
	// carry an X-Forwarded-For of their own, believed from 127.0.0.1.
	TrustedProxies []string `json:"trusted_proxies,omitempty"`
	// LiveJoinLimit is READI_LIVE_JOIN_LIMIT when set.
	LiveJoinLimit int `json:"live_join_limit,omitempty"`
	// Educator, when set, is created (role educator) before the process
	// reports ready: the live game's host.
	Educator *account `json:"educator,omitempty"`
}

// account is an e-mail address and password.
type account struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// targetsReady is what the targets process reports once all three serve.
type targetsReady struct {
	BareJSON   string `json:"bare_json,omitempty"`
	BareInsert string `json:"bare_insert,omitempty"`
	READI      string `json:"readi"`
	// NoFile is the process's limit of open files (RLIMIT_NOFILE).
	NoFile uint64 `json:"nofile,omitempty"`
}

// targetsDone is what the targets process reports after shutting down.
type targetsDone struct {
	LogLines int      `json:"log_lines"`
	LogFirst []string `json:"log_first,omitempty"`
}

// The targets process reads one command a line on its standard input and
// answers each with one line on its standard output, "ok[ value]" or
// "err message":
//
//	cpu              the process's CPU time so far, in nanoseconds
//	cpuprofile PATH  start a CPU profile written to PATH
//	cpuprofile-stop  stop it
//	blockrate N      runtime.SetBlockProfileRate(N)
//	blockprofile P   write the blocking profile to P
//	heapprofile P    write the heap profile to P
//	quit             shut everything down, then answer "done JSON"
//
// The end of its input (the load generator gone) also shuts it down.
const (
	cmdCPU          = "cpu"
	cmdCPUProfile   = "cpuprofile"
	cmdCPUStop      = "cpuprofile-stop"
	cmdBlockRate    = "blockrate"
	cmdBlockProfile = "blockprofile"
	cmdHeapProfile  = "heapprofile"
	cmdQuit         = "quit"
)

// serveTargets is the targets process's main: it starts the bare JSON
// handler, the bare insert handler and READI, reports their addresses and
// obeys commands until told to quit. It returns the exit code.
func serveTargets(specJSON string, in io.Reader, out, errw io.Writer) int {
	var spec targetsSpec
	if err := json.Unmarshal([]byte(specJSON), &spec); err != nil {
		fmt.Fprintln(errw, "readi-load targets: bad", targetsEnv+":", err)
		return 2
	}
	// Not bounded here: the load generator kills this process when its
	// own deadline passes. (READI keeps ctx for as long as it serves.)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var closers []func()
	defer func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}()
	fail := func(what string, err error) int {
		fmt.Fprintf(errw, "readi-load targets: %s: %v\n", what, err)
		return 2
	}
	var ready targetsReady
	if !spec.Live {
		bareJSON, err := startBareJSON()
		if err != nil {
			return fail("start bare JSON handler", err)
		}
		closers = append(closers, bareJSON.close)
		baseline, err := store.OpenBaseline(ctx, store.Options{DataDir: spec.BaselineDir, DatabaseURL: spec.BaselineURL})
		if err != nil {
			return fail("open baseline database", err)
		}
		closers = append(closers, func() { baseline.Close() })
		bareInsert, err := startBareInsert(baseline)
		if err != nil {
			return fail("start bare insert handler", err)
		}
		closers = append(closers, bareInsert.close)
		ready.BareJSON, ready.BareInsert = bareJSON.addr, bareInsert.addr
	}
	readi, err := startREADI(ctx, spec.READIDir, spec.READIURL, spec.ContentDir, readiTuning{
		TrustedProxies: spec.TrustedProxies, LiveJoinLimit: spec.LiveJoinLimit})
	if err != nil {
		return fail("start READI", err)
	}
	closers = append(closers, readi.close)
	if e := spec.Educator; e != nil {
		if _, err := readi.srv.Accounts.CreateUser(ctx, e.Email, e.Password, "Load test host", model.RoleEducator); err != nil {
			return fail("create the host's account", err)
		}
	}
	ready.READI, ready.NoFile = readi.addr, noFileLimit()

	reply := func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }
	readyJSON, _ := json.Marshal(ready)
	reply("ready %s", readyJSON)

	var profile *os.File
	lines := bufio.NewScanner(in)
	for lines.Scan() {
		cmd, arg, _ := strings.Cut(lines.Text(), " ")
		switch cmd {
		case cmdCPU:
			reply("ok %d", processCPU())
		case cmdCPUProfile:
			if profile != nil {
				reply("err a CPU profile is already running")
				continue
			}
			f, err := os.Create(arg)
			if err == nil {
				if err = pprof.StartCPUProfile(f); err != nil {
					f.Close()
				}
			}
			if err != nil {
				reply("err %s", oneLine(err))
				continue
			}
			profile = f
			reply("ok")
		case cmdCPUStop:
			if profile != nil {
				pprof.StopCPUProfile()
				profile.Close()
				profile = nil
			}
			reply("ok")
		case cmdBlockRate:
			n, err := strconv.Atoi(arg)
			if err != nil {
				reply("err %s", oneLine(err))
				continue
			}
			runtime.SetBlockProfileRate(n)
			reply("ok")
		case cmdBlockProfile:
			if err := writeProfile("block", arg); err != nil {
				reply("err %s", oneLine(err))
				continue
			}
			reply("ok")
		case cmdHeapProfile:
			runtime.GC() // the profile shows the heap as of the last collection
			if err := writeProfile("heap", arg); err != nil {
				reply("err %s", oneLine(err))
				continue
			}
			reply("ok")
		case cmdQuit:
			if profile != nil {
				pprof.StopCPUProfile()
				profile.Close()
			}
			for i := len(closers) - 1; i >= 0; i-- {
				closers[i]()
			}
			closers = nil
			n, first := readi.logs.snapshot()
			done, _ := json.Marshal(targetsDone{LogLines: n, LogFirst: first})
			reply("done %s", done)
			return 0
		default:
			reply("err unknown command %q", cmd)
		}
	}
	return 0 // input ended: the deferred closers shut everything down
}

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", " ") }

// writeProfile writes the named runtime profile to path.
func writeProfile(name, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup(name).WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// targets is the load generator's handle on the targets process.
type targets struct {
	targetsReady
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr *tailBuffer
	mu     sync.Mutex // one command at a time
	exited chan struct{}
	// unwatch stops killing the process when the run's context ends.
	unwatch func() bool
}

// startTargets starts this program again as the targets process and waits
// until its servers are ready.
func startTargets(ctx context.Context, spec targetsSpec) (*targets, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find this program to start the servers' process: %w", err)
	}
	specJSON, err := json.Marshal(spec)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), targetsEnv+"="+string(specJSON))
	t := &targets{cmd: cmd, stderr: &tailBuffer{max: 8 << 10}, exited: make(chan struct{})}
	cmd.Stderr = t.stderr
	if t.in, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	t.out = bufio.NewReader(stdout)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the servers' process: %w", err)
	}
	go func() {
		_ = cmd.Wait()
		close(t.exited)
	}()
	// A run that overruns its deadline kills the process, which also ends
	// any command waiting for an answer.
	t.unwatch = context.AfterFunc(ctx, t.kill)
	line, err := t.readLine()
	if err != nil {
		t.kill()
		return nil, err
	}
	js, ok := strings.CutPrefix(line, "ready ")
	if !ok {
		t.kill()
		return nil, fmt.Errorf("the servers' process said %q, want ready", line)
	}
	if err := json.Unmarshal([]byte(js), &t.targetsReady); err != nil {
		t.kill()
		return nil, fmt.Errorf("the servers' process: %w", err)
	}
	return t, nil
}

// readLine reads the targets process's next line; if it ended instead, the
// error carries the end of what it printed on its standard error.
func (t *targets) readLine() (string, error) {
	line, err := t.out.ReadString('\n')
	if err != nil {
		select {
		case <-t.exited:
		case <-time.After(5 * time.Second):
		}
		return "", fmt.Errorf("the servers' process ended (%v): %s", err, strings.TrimSpace(t.stderr.String()))
	}
	return strings.TrimSuffix(line, "\n"), nil
}

// call sends one command and returns the value of its "ok" answer.
func (t *targets) call(command string) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, err := io.WriteString(t.in, command+"\n"); err != nil {
		return "", fmt.Errorf("the servers' process: %w", err)
	}
	line, err := t.readLine()
	if err != nil {
		return "", err
	}
	if msg, isErr := strings.CutPrefix(line, "err "); isErr {
		return "", fmt.Errorf("the servers' process: %s: %s", command, msg)
	}
	if line == "ok" {
		return "", nil
	}
	if v, ok := strings.CutPrefix(line, "ok "); ok {
		return v, nil
	}
	return "", fmt.Errorf("the servers' process answered %s with %q", command, line)
}

// cpu is the CPU time the targets process has used (0 if it cannot say).
func (t *targets) cpu() time.Duration {
	v, err := t.call(cmdCPU)
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseInt(v, 10, 64)
	return time.Duration(n)
}

// stop shuts the servers down in order (in-flight requests finish, the
// databases are closed cleanly) and waits for the process to end.
func (t *targets) stop() (targetsDone, error) {
	var done targetsDone
	t.mu.Lock()
	defer t.mu.Unlock()
	defer t.unwatch()
	if _, err := io.WriteString(t.in, cmdQuit+"\n"); err != nil {
		return done, fmt.Errorf("the servers' process: %w", err)
	}
	line, err := t.readLine()
	if err != nil {
		return done, err
	}
	js, ok := strings.CutPrefix(line, "done ")
	if !ok {
		return done, fmt.Errorf("the servers' process said %q, want done", line)
	}
	if err := json.Unmarshal([]byte(js), &done); err != nil {
		return done, err
	}
	t.in.Close()
	select {
	case <-t.exited:
	case <-time.After(30 * time.Second):
		t.kill()
		return done, errors.New("the servers' process did not end within 30s of shutting down")
	}
	return done, nil
}

// kill ends the targets process at once (after a failure); it does
// nothing once the process has ended.
func (t *targets) kill() {
	select {
	case <-t.exited:
		return
	default:
	}
	_ = t.cmd.Process.Kill()
	<-t.exited
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.b = append(b.b, p...)
	if over := len(b.b) - b.max; over > 0 {
		b.b = append(b.b[:0], b.b[over:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.b)
}
