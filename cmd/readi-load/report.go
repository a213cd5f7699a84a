package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// report is everything one run measured and concluded; -json prints it.
type report struct {
	Dialect        string           `json:"database"`
	Connections    int              `json:"connections,omitempty"`
	Users          int              `json:"users,omitempty"`
	Warmup         string           `json:"warmup,omitempty"`
	Duration       string           `json:"duration,omitempty"`
	Rounds         int              `json:"rounds,omitempty"`
	Gzip           bool             `json:"gzip"`
	CPUs           int              `json:"cpus"`
	Go             string           `json:"go"`
	LoadAverage    string           `json:"load_average_at_start,omitempty"`
	LoadAverageEnd string           `json:"load_average_at_end,omitempty"`
	Scenarios      []scenarioResult `json:"scenarios"`
	Attempts       *attemptCheck    `json:"attempts,omitempty"`
	BaselineRows   *baselineCheck   `json:"baseline_rows,omitempty"`
	Live           *liveResult      `json:"live,omitempty"`
	ServerLogLines int              `json:"server_log_lines"`
	ServerLogFirst []string         `json:"server_log_first,omitempty"`
	Warnings       []string         `json:"warnings,omitempty"`
	Checks         []check          `json:"checks"`
	Pass           bool             `json:"pass"`
}

// scenarioResult is one scenario: READI and its baseline.
type scenarioResult struct {
	Name            string   `json:"name"`
	Title           string   `json:"title"`
	READIRequest    string   `json:"readi_request"`
	BaselineRequest string   `json:"baseline_request"`
	READI           runStats `json:"readi"`
	Baseline        runStats `json:"baseline"`
	Ratio           float64  `json:"ratio"`
	// Paced is the same load at a fixed offered rate (attempts only).
	Paced *pacedResult `json:"paced,omitempty"`
}

// pacedResult is an open-loop run: both targets offered Rate requests per
// second over the same connections, latency counted from when each
// request was due.
type pacedResult struct {
	Rate     float64  `json:"offered_rps"`
	READI    runStats `json:"readi"`
	Baseline runStats `json:"baseline"`
}

// attemptCheck compares acknowledged attempts with the database.
type attemptCheck struct {
	Acknowledged     int64 `json:"acknowledged"`      // 201 replies with an attempt id
	Stored           int64 `json:"stored"`            // rows in attempts
	Missing          int64 `json:"missing"`           // acknowledged, not stored
	Mismatched       int64 `json:"mismatched"`        // stored under another learner or key
	Unacknowledged   int64 `json:"unacknowledged"`    // stored, never acknowledged
	DuplicateIDs     int64 `json:"duplicate_ids"`     // one id acknowledged for two requests
	ProgressAttempts int64 `json:"progress_attempts"` // sum of module_progress.attempts
}

func (a *attemptCheck) ok() bool {
	return a.Missing == 0 && a.Mismatched == 0 && a.Unacknowledged == 0 && a.DuplicateIDs == 0 &&
		a.Stored == a.Acknowledged && a.ProgressAttempts == a.Acknowledged
}

// baselineCheck is the same count for the bare insert handler, so a
// baseline that lost rows cannot flatter READI.
type baselineCheck struct {
	Acknowledged int64 `json:"acknowledged"`
	Stored       int64 `json:"stored"`
}

// check is one target and whether it was met.
type check struct {
	Name string `json:"name"`
	Want string `json:"want"`
	Got  string `json:"got"`
	Pass bool   `json:"pass"`
}

// evaluate fills in Checks and Pass.
func (r *report) evaluate() {
	add := func(name, want, got string, pass bool) {
		r.Checks = append(r.Checks, check{Name: name, Want: want, Got: got, Pass: pass})
	}
	for _, sc := range r.Scenarios {
		add(sc.Title+": READI rps / baseline rps", fmt.Sprintf(">= %.2f", minRatio), fmt.Sprintf("%.2f", sc.Ratio), sc.Ratio >= minRatio)
		add(sc.Title+": READI errors", "0", fmt.Sprint(sc.READI.Errors), sc.READI.Errors == 0)
		add(sc.Title+": baseline errors (validity)", "0", fmt.Sprint(sc.Baseline.Errors), sc.Baseline.Errors == 0)
		if p := sc.Paced; p != nil {
			// The wording, p99 at 256 concurrent connections, read
			// as wrk reads it: every connection busy all the time.
			add(fmt.Sprintf("%s: READI p99 at %d connections (closed loop)", sc.Title, r.Connections), "< "+ms(maxAttemptP99),
				fmt.Sprintf("%s (baseline %s)", ms(sc.READI.P99), ms(sc.Baseline.P99)), sc.READI.P99 < maxAttemptP99)
			at := fmt.Sprintf(" at %.0f req/s", p.Rate)
			add(sc.Title+": READI p99"+at, "< "+ms(maxAttemptP99), ms(p.READI.P99), p.READI.P99 < maxAttemptP99)
			add(sc.Title+": READI rps"+at, fmt.Sprintf(">= %.0f (%.0f%% of offered)", pacedKeptUp*p.Rate, 100*pacedKeptUp),
				fmt.Sprintf("%.0f", p.READI.RPS), p.READI.RPS >= pacedKeptUp*p.Rate)
			add(sc.Title+": READI errors"+at, "0", fmt.Sprint(p.READI.Errors), p.READI.Errors == 0)
			add(sc.Title+": baseline errors"+at+" (validity)", "0", fmt.Sprint(p.Baseline.Errors), p.Baseline.Errors == 0)
		}
	}
	if a := r.Attempts; a != nil {
		add("POST attempt: acknowledged attempts stored", fmt.Sprintf("%d stored, progress %d", a.Acknowledged, a.Acknowledged),
			fmt.Sprintf("%d stored, progress %d, %d missing", a.Stored, a.ProgressAttempts, a.Missing+a.Mismatched), a.ok())
	}
	if b := r.BaselineRows; b != nil {
		add("POST attempt: baseline rows stored (validity)", fmt.Sprint(b.Acknowledged), fmt.Sprint(b.Stored), b.Stored == b.Acknowledged)
	}
	if r.Live != nil {
		r.Live.evaluate(add)
	}
	for _, sc := range r.Scenarios {
		// Reading a lesson touches no database: on an otherwise idle
		// machine the process uses nearly every CPU. Much less means other
		// programs competed for it.
		if sc.Name == scenarioLesson && min(sc.READI.CPUShare, sc.Baseline.CPUShare) < 0.8 {
			r.Warnings = append(r.Warnings, fmt.Sprintf("the lesson runs used only %.0f%% / %.0f%% of the CPUs: other programs were busy, so the rates are low and noisy (the ratios less so, as the slices alternate)",
				100*sc.READI.CPUShare, 100*sc.Baseline.CPUShare))
		}
	}
	r.Pass = len(r.Checks) > 0
	for _, c := range r.Checks {
		r.Pass = r.Pass && c.Pass
	}
}

// ms formats a duration in milliseconds with two decimals.
func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

// writeTable prints the report for people.
func writeTable(w io.Writer, r *report) {
	if len(r.Scenarios) == 0 && r.Live != nil {
		writeLiveTable(w, r)
	} else {
		writeScenarioTable(w, r)
	}
	writeChecks(w, r)
}

// writeScenarioTable prints the lesson and attempt scenarios.
func writeScenarioTable(w io.Writer, r *report) {
	fmt.Fprintf(w, "READI load test: %s database, %d connections, %d learners; per scenario and target %s warm-up + %s measured in %d alternating slices\n",
		r.Dialect, r.Connections, r.Users, r.Warmup, r.Duration, r.Rounds)
	accept := "no Accept-Encoding"
	if r.Gzip {
		accept = "Accept-Encoding: gzip"
	}
	fmt.Fprintf(w, "%d CPUs shared by the servers and the load generator, %s, %s, load average %s at start and %s at end\n\n",
		r.CPUs, r.Go, accept, r.LoadAverage, r.LoadAverageEnd)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tREADI rps\tbaseline rps\tratio\tREADI p50\tREADI p99\tbaseline p50\tbaseline p99\tREADI errors\tbaseline errors\treply bytes\tCPU used\t")
	for _, sc := range r.Scenarios {
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%.2f\t%s\t%s\t%s\t%s\t%d\t%d\t%d / %d\t%.0f%% / %.0f%%\t\n", sc.Title, sc.READI.RPS, sc.Baseline.RPS, sc.Ratio,
			ms(sc.READI.P50), ms(sc.READI.P99), ms(sc.Baseline.P50), ms(sc.Baseline.P99), sc.READI.Errors, sc.Baseline.Errors,
			sc.READI.ReplyBytes, sc.Baseline.ReplyBytes, 100*sc.READI.CPUShare, 100*sc.Baseline.CPUShare)
	}
	for _, sc := range r.Scenarios {
		if p := sc.Paced; p != nil {
			fmt.Fprintf(tw, "%s at %.0f req/s\t%.0f\t%.0f\t\t%s\t%s\t%s\t%s\t%d\t%d\t\t%.0f%% / %.0f%%\t\n", sc.Title, p.Rate, p.READI.RPS, p.Baseline.RPS,
				ms(p.READI.P50), ms(p.READI.P99), ms(p.Baseline.P50), ms(p.Baseline.P99), p.READI.Errors, p.Baseline.Errors,
				100*p.READI.CPUShare, 100*p.Baseline.CPUShare)
		}
	}
	tw.Flush()
	fmt.Fprintln(w, "(reply bytes and CPU used: READI / baseline; CPU used is the servers' and the load generator's share of all CPUs during the run;")
	fmt.Fprintln(w, " \"at N req/s\": an open loop offering N requests a second over the same connections, latency counted from when each was due)")
	fmt.Fprintln(w)
	for _, sc := range r.Scenarios {
		fmt.Fprintf(w, "%s: READI %s (%d requests, p90 %s, max %s) vs %s (%d requests)\n", sc.Title, sc.READIRequest,
			sc.READI.Requests, ms(sc.READI.P90), ms(sc.READI.Max), sc.BaselineRequest, sc.Baseline.Requests)
		for _, s := range sc.READI.ErrorSamples {
			fmt.Fprintf(w, "  READI error: %s\n", s)
		}
		for _, s := range sc.Baseline.ErrorSamples {
			fmt.Fprintf(w, "  baseline error: %s\n", s)
		}
	}
	if a := r.Attempts; a != nil {
		fmt.Fprintf(w, "attempts: %d acknowledged (201), %d stored, %d missing, %d under another learner or key, %d stored but never acknowledged, %d ids acknowledged twice; progress counts %d\n",
			a.Acknowledged, a.Stored, a.Missing, a.Mismatched, a.Unacknowledged, a.DuplicateIDs, a.ProgressAttempts)
	}
	if b := r.BaselineRows; b != nil {
		fmt.Fprintf(w, "baseline rows: %d acknowledged, %d stored\n", b.Acknowledged, b.Stored)
	}
	for _, warning := range r.Warnings {
		fmt.Fprintln(w, "warning:", warning)
	}
}

// writeChecks prints the server's log summary and the verdicts.
func writeChecks(w io.Writer, r *report) {
	if r.ServerLogLines > 0 {
		fmt.Fprintf(w, "READI logged %d warnings or errors; first: %s\n", r.ServerLogLines, strings.Join(r.ServerLogFirst, " | "))
	}
	fmt.Fprintln(w)
	failed := 0
	for _, c := range r.Checks {
		verdict := "PASS"
		if !c.Pass {
			verdict = "FAIL"
			failed++
		}
		fmt.Fprintf(w, "%s  %-48s want %-26s got %s\n", verdict, c.Name, c.Want, c.Got)
	}
	if r.Pass {
		fmt.Fprintf(w, "\nresult: PASS (%d checks)\n", len(r.Checks))
	} else {
		fmt.Fprintf(w, "\nresult: FAIL (%d of %d checks failed)\n", failed, len(r.Checks))
	}
}

// writeJSON prints the report for machines.
func writeJSON(w io.Writer, r *report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
