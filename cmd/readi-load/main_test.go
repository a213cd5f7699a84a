package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/readi-platform/readi/internal/model"
)

func TestParseFlags(t *testing.T) {
	o, err := parseFlags(nil, io.Discard)
	if err != nil {
		t.Fatalf("parseFlags(defaults) = %v", err)
	}
	if o.duration != 10*time.Second || o.connections != 256 || o.users != 64 || o.rounds != 5 || o.databaseURL != "" {
		t.Fatalf("defaults = %+v", o)
	}
	if o, err := parseFlags([]string{"-rounds", "3", "-cpuprofile", "x.pprof"}, io.Discard); err != nil || o.rounds != 1 {
		t.Fatalf("-cpuprofile: rounds = %d, %v, want 1 (one contiguous READI slice)", o.rounds, err)
	}
	for _, bad := range [][]string{
		{"-duration", "100ms"},
		{"-connections", "0"},
		{"-users", "0"},
		{"-scenario", "everything"},
		{"-rounds", "50", "-duration", "2s"},
		{"-database-url", "mysql://127.0.0.1/x"},
		{"-database-url", "postgres://postgres@db.internal:5432/test"},
		{"stray"},
	} {
		if _, err := parseFlags(bad, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) = nil, want an error", bad)
		}
	}
	for _, good := range []string{"postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "postgresql://u@localhost/x", "postgres://u@[::1]:5432/x"} {
		if _, err := parseFlags([]string{"-database-url", good}, io.Discard); err != nil {
			t.Errorf("parseFlags(-database-url %s) = %v, want nil", good, err)
		}
	}
}

func TestHostOfAllowsOnlyLoopback(t *testing.T) {
	if h, err := hostOf("http://127.0.0.1:8080/api/v1/modules"); err != nil || h != "127.0.0.1:8080" {
		t.Fatalf("hostOf(loopback) = %q, %v", h, err)
	}
	for _, u := range []string{"http://10.0.0.1:80/", "https://127.0.0.1:443/", "http://127.0.0.1.example.org:80/", "http://localhost:80/"} {
		if _, err := hostOf(u); err == nil {
			t.Errorf("hostOf(%s) = nil error, want a refusal", u)
		}
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 100; i++ {
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{0.5: 50 * time.Millisecond, 0.99: 99 * time.Millisecond, 1: 100 * time.Millisecond} {
		if got := percentile(d, p); got != want {
			t.Errorf("percentile(%v) = %v, want %v", p, got, want)
		}
	}
	if percentile(nil, 0.99) != 0 {
		t.Error("percentile(nil) != 0")
	}
}

func TestAttemptID(t *testing.T) {
	if id, err := attemptID([]byte(`{"data":{"attempt_id":4711,"quiz_id":"x"}}`)); err != nil || id != 4711 {
		t.Fatalf("attemptID = %d, %v, want 4711", id, err)
	}
	for _, body := range []string{`{"data":{}}`, `{"data":{"attempt_id":0}}`, `{"data":{"attempt_id":"7"}}`} {
		if _, err := attemptID([]byte(body)); err == nil {
			t.Errorf("attemptID(%s) = nil error", body)
		}
	}
}

func TestAnswerAllAnswersEveryQuestionWithItsShape(t *testing.T) {
	q := model.PublicQuiz{Questions: []model.PublicQuestion{
		{ID: "s", Type: model.Single, Options: []model.PublicItem{{ID: "a"}, {ID: "b"}}},
		{ID: "m", Type: model.Multiple, Options: []model.PublicItem{{ID: "c"}}},
		{ID: "t", Type: model.TrueFalse},
		{ID: "o", Type: model.Ordering, Items: []model.PublicItem{{ID: "x"}, {ID: "k"}}},
		{ID: "p", Type: model.Matching, Left: []model.PublicItem{{ID: "l1"}, {ID: "l2"}}, Right: []model.PublicItem{{ID: "r2"}, {ID: "r1"}}},
		{ID: "r", Type: model.RedFlags, Message: &model.PublicMessage{Segments: []model.PublicItem{{ID: "s1"}, {ID: "s2"}}}},
		{ID: "c", Type: model.Scenario, Start: "one", Steps: []model.PublicStep{
			{ID: "one", Choices: []model.PublicChoice{{ID: "c1", Next: "two"}, {ID: "c2"}}},
			{ID: "two", Choices: []model.PublicChoice{{ID: "c3"}}},
		}},
	}}
	req, err := answerAll(q)
	if err != nil {
		t.Fatalf("answerAll = %v", err)
	}
	want := map[string]string{"s": `"a"`, "m": `["c"]`, "t": `true`, "o": `["x","k"]`, "p": `{"l1":"r2","l2":"r1"}`, "r": `["s1"]`, "c": `["c1","c3"]`}
	for id, w := range want {
		if got := string(req.Answers[id]); got != w {
			t.Errorf("answer %s = %s, want %s", id, got, w)
		}
	}
	cyclic := model.PublicQuiz{Questions: []model.PublicQuestion{{ID: "c", Type: model.Scenario, Start: "one",
		Steps: []model.PublicStep{{ID: "one", Choices: []model.PublicChoice{{ID: "c1", Next: "one"}}}}}}}
	if _, err := answerAll(cyclic); err == nil {
		t.Error("answerAll(cyclic scenario) = nil error, want one")
	}
}

// TestEndToEnd runs the whole tool briefly on SQLite (and on PostgreSQL
// when READI_TEST_DATABASE_URL is set). Rates on a test machine say
// nothing, so it checks only that every request succeeded and that the
// stored attempts match the acknowledged ones.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three servers and loads them")
	}
	urls := map[string]string{"sqlite": ""}
	if u := os.Getenv("READI_TEST_DATABASE_URL"); u != "" {
		urls["postgres"] = u
	}
	for name, u := range urls {
		t.Run(name, func(t *testing.T) {
			args := []string{"-duration", "1s", "-warmup", "200ms", "-rounds", "2", "-connections", "8", "-users", "2"}
			if u != "" {
				args = append(args, "-database-url", u)
			}
			rep := runScenario(t, args, execute)
			if len(rep.Scenarios) != 2 {
				t.Fatalf("%d scenarios, want 2", len(rep.Scenarios))
			}
			for _, sc := range rep.Scenarios {
				if sc.READI.Requests == 0 || sc.Baseline.Requests == 0 || sc.READI.Errors+sc.Baseline.Errors > 0 {
					t.Errorf("%s: READI %d requests, %d errors %q; baseline %d requests, %d errors %q", sc.Name,
						sc.READI.Requests, sc.READI.Errors, sc.READI.ErrorSamples, sc.Baseline.Requests, sc.Baseline.Errors, sc.Baseline.ErrorSamples)
				}
			}
			if a := rep.Attempts; a == nil || a.Acknowledged == 0 || !a.ok() {
				t.Errorf("attempts = %+v, want every acknowledged attempt stored", a)
			}
			if b := rep.BaselineRows; b == nil || b.Stored != b.Acknowledged {
				t.Errorf("baseline rows = %+v", b)
			}
			var out strings.Builder
			writeTable(&out, rep)
			if !strings.Contains(out.String(), "POST attempt") || !strings.Contains(out.String(), "result: ") {
				t.Errorf("table lacks the scenarios or the verdict:\n%s", out.String())
			}
			var js strings.Builder
			if err := writeJSON(&js, rep); err != nil || !json.Valid([]byte(js.String())) {
				t.Errorf("writeJSON = %v, valid = %v", err, json.Valid([]byte(js.String())))
			}
		})
	}
}

// TestMain lets the test binary be the servers' process too: execute starts
// this program again with targetsEnv set, as the command does.
func TestMain(m *testing.M) {
	if spec := os.Getenv(targetsEnv); spec != "" {
		os.Exit(serveTargets(spec, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// runScenario parses args as the tool's flags and runs one of its
// scenarios (execute or executeLive) with a deadline, failing the test on
// an error with the progress it printed.
func runScenario(t *testing.T, args []string, run func(context.Context, options, io.Writer) (*report, error)) *report {
	t.Helper()
	o, err := parseFlags(args, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var progress strings.Builder
	rep, err := run(ctx, o, &progress)
	if err != nil {
		t.Fatalf("%v\n%s", err, progress.String())
	}
	return rep
}
