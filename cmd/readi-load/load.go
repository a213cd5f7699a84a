package main

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

// requestTimeout fails a request that takes longer; it is counted as an error.
const requestTimeout = 10 * time.Second

// workload describes the requests one target receives.
type workload struct {
	url    string // http://127.0.0.1:port/path
	method string
	gzip   bool // send Accept-Encoding: gzip, as browsers do
	// setup prepares worker w's request once (headers and body that do not
	// change); it may be nil.
	setup func(w int, req *fasthttp.Request)
	// before changes the request for worker w's i-th request (i counts
	// from 0 over the whole run); it may be nil.
	before func(w, i int, req *fasthttp.Request)
	// check inspects a 2xx reply; a non-nil error counts the request as
	// failed. It may be nil.
	check func(w, i int, resp *fasthttp.Response) error
}

// runStats are one target's figures in one scenario. Only requests started
// in measured slices count towards the rate and the latencies; errors
// count from the first request of the warm-up.
type runStats struct {
	Requests     int           `json:"requests"`
	RPS          float64       `json:"rps"`
	P50          time.Duration `json:"p50_ns"`
	P90          time.Duration `json:"p90_ns"`
	P99          time.Duration `json:"p99_ns"`
	Max          time.Duration `json:"max_ns"`
	Errors       int           `json:"errors"`
	ErrorSamples []string      `json:"error_samples,omitempty"`
	ReplyBytes   int           `json:"reply_bytes"`
	Measured     time.Duration `json:"measured_ns"`
	// CPUShare is the CPU time the servers' process and the load
	// generator used during the measured slices over the machine's capacity. Well
	// below 1 means the run was not CPU-bound, or other programs had the
	// CPU; the ratio is then less trustworthy.
	CPUShare float64 `json:"cpu_share"`
}

// worker is one connection's loop state, kept across slices.
type worker struct {
	req     *fasthttp.Request
	resp    *fasthttp.Response
	seq     int // requests sent so far
	lat     []time.Duration
	errors  int
	samples []string
	bytes   int
}

// runner drives one target with a fixed set of workers, each holding one
// keep-alive connection, in slices of time that can alternate with
// another target's.
type runner struct {
	w        workload
	client   *fasthttp.HostClient
	workers  []*worker
	measured time.Duration
	cpu      time.Duration
	// cpuNow is the CPU time used so far by the servers and the load
	// generator together.
	cpuNow func() time.Duration
}

func newRunner(w workload, conns int, cpuNow func() time.Duration) (*runner, error) {
	addr, err := hostOf(w.url)
	if err != nil {
		return nil, err
	}
	r := &runner{w: w, cpuNow: cpuNow, client: &fasthttp.HostClient{
		Addr:                addr,
		MaxConns:            conns,
		MaxConnWaitTimeout:  requestTimeout,
		ReadTimeout:         requestTimeout,
		WriteTimeout:        requestTimeout,
		MaxIdleConnDuration: time.Minute,
		// Room for a whole reply (READI's are 5 to 13 KB), so the client
		// reads each in one go and a larger reply does not cost the shared
		// CPU extra system calls on the generator's side.
		ReadBufferSize:                64 << 10,
		DisableHeaderNamesNormalizing: true,
		NoDefaultUserAgentHeader:      true,
	}}
	for n := range conns {
		wk := &worker{req: fasthttp.AcquireRequest(), resp: fasthttp.AcquireResponse(), lat: make([]time.Duration, 0, 1024)}
		wk.req.SetRequestURI(w.url)
		wk.req.Header.SetMethod(w.method)
		if w.gzip {
			wk.req.Header.Set("Accept-Encoding", "gzip")
		}
		if w.setup != nil {
			w.setup(n, wk.req)
		}
		r.workers = append(r.workers, wk)
	}
	return r, nil
}

// close releases the connections and buffers.
func (r *runner) close() {
	r.client.CloseIdleConnections()
	for _, wk := range r.workers {
		fasthttp.ReleaseRequest(wk.req)
		fasthttp.ReleaseResponse(wk.resp)
	}
}

// slice runs every worker for d, each one request at a time; requests
// started within d are recorded when measured is set. It returns when the
// last request has been answered.
func (r *runner) slice(ctx context.Context, d time.Duration, measured bool) {
	cpu0 := r.cpuNow()
	start := time.Now()
	stopAt := start.Add(d)
	var wg sync.WaitGroup
	for n, wk := range r.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.work(ctx, n, wk, stopAt, measured)
		}()
	}
	wg.Wait()
	if measured {
		r.measured += time.Since(start)
		r.cpu += r.cpuNow() - cpu0
	}
}

func (r *runner) work(ctx context.Context, n int, wk *worker, stopAt time.Time, measured bool) {
	for ctx.Err() == nil {
		t0 := time.Now()
		if !t0.Before(stopAt) {
			return
		}
		r.do(n, wk, t0, measured)
	}
}

// do sends worker n's next request and records its latency from since.
func (r *runner) do(n int, wk *worker, since time.Time, measured bool) {
	fail := func(msg string) {
		wk.errors++
		if len(wk.samples) < 2 {
			wk.samples = append(wk.samples, msg)
		}
	}
	i := wk.seq
	wk.seq++
	if r.w.before != nil {
		r.w.before(n, i, wk.req)
	}
	err := r.client.Do(wk.req, wk.resp)
	if measured {
		wk.lat = append(wk.lat, time.Since(since))
	}
	switch code := wk.resp.StatusCode(); {
	case err != nil:
		fail(err.Error())
	case code < 200 || code > 299:
		fail(fmt.Sprintf("HTTP %d: %.200s", code, wk.resp.Body()))
	case r.w.check != nil:
		if err := r.w.check(n, i, wk.resp); err != nil {
			fail(err.Error())
		}
	}
	if b := len(wk.resp.Body()); b > wk.bytes {
		wk.bytes = b
	}
}

// paced runs every worker for d at a fixed offered rate in all (an open
// loop): worker n of N sends its k-th request at start + (k*N + n)/rate,
// whether or not the server has kept up. A request that cannot go on time,
// its worker still waiting for the previous reply, has its latency counted
// from when it was due, so a server falling behind cannot hide its queue
// (coordinated omission).
func (r *runner) paced(ctx context.Context, d time.Duration, rate float64, measured bool) {
	cpu0 := r.cpuNow()
	start := time.Now()
	stopAt := start.Add(d)
	n := len(r.workers)
	every := time.Duration(float64(n) / rate * float64(time.Second))
	var wg sync.WaitGroup
	for i, wk := range r.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			due := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
			for ; due.Before(stopAt) && ctx.Err() == nil; due = due.Add(every) {
				if wait := time.Until(due); wait > 0 {
					time.Sleep(wait)
				}
				r.do(i, wk, due, measured)
			}
		}()
	}
	wg.Wait()
	if measured {
		r.measured += time.Since(start)
		r.cpu += r.cpuNow() - cpu0
	}
}

// reset forgets what was measured so far, so the runner can measure
// another phase; request numbering goes on (idempotency keys stay unique).
func (r *runner) reset() {
	r.measured, r.cpu = 0, 0
	for _, wk := range r.workers {
		wk.lat, wk.errors, wk.samples, wk.bytes = wk.lat[:0], 0, nil, 0
	}
}

// stats summarises the measured slices.
func (r *runner) stats() runStats {
	st := runStats{Measured: r.measured}
	var all []time.Duration
	for _, wk := range r.workers {
		all = append(all, wk.lat...)
		st.Errors += wk.errors
		for _, s := range wk.samples {
			if len(st.ErrorSamples) < 5 {
				st.ErrorSamples = append(st.ErrorSamples, s)
			}
		}
		st.ReplyBytes = max(st.ReplyBytes, wk.bytes)
	}
	st.Requests = len(all)
	if r.measured > 0 {
		st.RPS = float64(st.Requests) / r.measured.Seconds()
		st.CPUShare = r.cpu.Seconds() / (r.measured.Seconds() * float64(runtime.NumCPU()))
	}
	slices.Sort(all)
	st.P50, st.P90, st.P99 = percentile(all, 0.50), percentile(all, 0.90), percentile(all, 0.99)
	if len(all) > 0 {
		st.Max = all[len(all)-1]
	}
	return st
}

// compare loads the baseline and READI alike: a warm-up of each, then
// rounds slices of duration/rounds alternating between the two, so that
// anything else the machine does in the meantime weighs on both. hook,
// when set, is called around each of READI's slices (to profile them).
func compare(ctx context.Context, base, readi *runner, warmup, duration time.Duration, rounds int, hook func(start bool)) error {
	if warmup > 0 {
		base.slice(ctx, warmup, false)
		readi.slice(ctx, warmup, false)
	}
	per := duration / time.Duration(rounds)
	for range rounds {
		base.slice(ctx, per, true)
		if hook != nil {
			hook(true)
		}
		readi.slice(ctx, per, true)
		if hook != nil {
			hook(false)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// comparePaced loads the baseline and READI at the same offered rate,
// alternating as compare does.
func comparePaced(ctx context.Context, base, readi *runner, rate float64, duration time.Duration, rounds int) error {
	per := duration / time.Duration(rounds)
	for range rounds {
		base.paced(ctx, per, rate, true)
		readi.paced(ctx, per, rate, true)
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// percentile is the nearest-rank percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// hostOf returns the host:port of an http:// URL on 127.0.0.1, refusing
// anything else: the load never leaves this machine.
func hostOf(u string) (string, error) {
	var uri fasthttp.URI
	if err := uri.Parse(nil, []byte(u)); err != nil {
		return "", err
	}
	host := string(uri.Host())
	const loopback = "127.0.0.1:"
	if string(uri.Scheme()) != "http" || len(host) <= len(loopback) || host[:len(loopback)] != loopback {
		return "", fmt.Errorf("refusing to load %s: only http://127.0.0.1 is allowed", u)
	}
	return host, nil
}
