package frontend_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/readi-platform/readi/internal/cli"
	"github.com/readi-platform/readi/internal/config"
)

// chromiumPath finds Debian's Chromium (or another Chromium on the PATH).
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	return ""
}

// env is one READI server shared by every browser test.
type env struct {
	base     string
	srv      *cli.Server
	chromium string
	axe      string
	shots    string
	mu       sync.Mutex
	console  []string // exceptions, console errors and CSP reports
}

// startServer runs a real READI server (cli.Build on a temporary data
// directory, the embedded content and web app) on a free loopback port.
func startServer(t *testing.T) (string, *cli.Server) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	cfg.Addr = addr
	cfg.JWTSecret = strings.Repeat("browser-test-", 4)
	cfg.ShutdownGrace = 2 * time.Second
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := cli.Build(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		cancel()
		t.Fatalf("cli.Build() = %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve() = %v", err)
		}
		srv.Close()
	})
	base := "http://" + addr
	for deadline := time.Now().Add(10 * time.Second); ; {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server at %s did not become healthy: %v", base, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return base, srv
}

// newEnv starts the server and finds what the browsers need.
func newEnv(t *testing.T, chromium string) *env {
	t.Helper()
	base, srv := startServer(t)
	axe, err := os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatalf("vendored axe-core: %v", err)
	}
	shots := os.Getenv("READI_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("Chromium at %s: %v", chromium, err)
	}
	t.Logf("server %s; screenshots in %s", base, shots)
	return &env{base: base, srv: srv, chromium: chromium, axe: string(axe), shots: shots}
}

// tab starts a headless Chromium with a fresh profile (its own cookies,
// storage, cache and service workers) and returns its tab, listening for
// script errors and CSP reports. Each scenario gets its own.
func (e *env) tab(t *testing.T) context.Context {
	t.Helper()
	profile, err := os.MkdirTemp("", "readi-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(e.chromium),
		chromedp.NoSandbox,
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	// chromedp logs CDP events it does not model (the help dialog's top
	// layer); those are not errors of the app.
	quiet := chromedp.WithErrorf(func(format string, args ...any) {
		if msg := fmt.Sprintf(format, args...); !strings.Contains(msg, "unhandled node event") {
			t.Logf("chromedp: %s", msg)
		}
	})
	ctx, cancel := chromedp.NewContext(alloc, quiet)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		// Chromium's helpers may still be writing for a moment.
		for range 20 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	e.listen(t, ctx)
	return ctx
}

// listen records the tab's script errors, console errors and CSP reports
// (checkConsole fails on them).
func (e *env) listen(t *testing.T, ctx context.Context) {
	t.Helper()
	chromedp.ListenTarget(ctx, func(ev any) {
		var msg string
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg = "exception: " + ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				msg += " " + ev.ExceptionDetails.Exception.Description
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.APITypeError {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				msg = "console.error: " + strings.Join(parts, " ")
			}
		case *cdplog.EventEntryAdded:
			if ev.Entry.Source == cdplog.SourceSecurity || strings.Contains(ev.Entry.Text, "Content Security Policy") {
				msg = "security: " + ev.Entry.Text
			}
		}
		if msg != "" {
			e.mu.Lock()
			e.console = append(e.console, msg)
			e.mu.Unlock()
		}
	})
	if err := chromedp.Run(ctx, cdplog.Enable(), runtime.Enable()); err != nil {
		t.Fatal(err)
	}
}

// incognito opens a window in a new browser context of parent's Chromium:
// its own cookies, storage and service workers, like a second person's
// device. (Chromium's headless mode opens a tab in a new context only in a
// new window, so the target is made here rather than by chromedp.)
func (e *env) incognito(t *testing.T, parent context.Context) context.Context {
	t.Helper()
	var bc cdp.BrowserContextID
	var tid target.ID
	run(t, parent, "new browser context", chromedp.ActionFunc(func(ctx context.Context) error {
		exec := cdp.WithExecutor(ctx, chromedp.FromContext(ctx).Browser)
		var err error
		if bc, err = target.CreateBrowserContext().WithDisposeOnDetach(true).Do(exec); err != nil {
			return err
		}
		tid, err = target.CreateTarget("about:blank").WithBrowserContextID(bc).WithNewWindow(true).Do(exec)
		return err
	}))
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithTargetID(tid))
	t.Cleanup(func() {
		_ = chromedp.Run(parent, chromedp.ActionFunc(func(ctx context.Context) error {
			return target.DisposeBrowserContext(bc).Do(cdp.WithExecutor(ctx, chromedp.FromContext(ctx).Browser))
		}))
		cancel()
	})
	e.listen(t, ctx)
	run(t, ctx, "viewport", chromedp.EmulateViewport(1280, 900))
	return ctx
}

// allowDownloads saves the tab's downloads in dir.
func allowDownloads(t *testing.T, ctx context.Context, dir string) {
	t.Helper()
	run(t, ctx, "downloads", chromedp.ActionFunc(func(ctx context.Context) error {
		c := chromedp.FromContext(ctx)
		return browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllow).
			WithDownloadPath(dir).WithBrowserContextID(c.BrowserContextID).
			Do(cdp.WithExecutor(ctx, c.Browser))
	}))
}

// checkConsole fails the test for any script error or CSP report so far.
func (e *env) checkConsole(t *testing.T) {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, m := range e.console {
		t.Errorf("browser reported %s", m)
	}
	e.console = nil
}

func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Run(tctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	var out T
	run(t, ctx, "evaluate "+short(expr), chromedp.Evaluate(expr, &out))
	return out
}

func short(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

// screenH1 waits until the screen has rendered (main is not busy and has
// an h1) and returns the h1's text.
const screenH1JS = `(() => { const m = document.querySelector("main"); if (!m || m.getAttribute("aria-busy")) return ""; const h = m.querySelector("h1"); return h ? h.textContent.trim() : ""; })()`

func waitH1(t *testing.T, ctx context.Context, want string) string {
	t.Helper()
	expr := screenH1JS
	if want != "" {
		b, _ := json.Marshal(want)
		expr = fmt.Sprintf(`(() => { const s = %s; return s.includes(%s) ? s : ""; })()`, screenH1JS, b)
	}
	var got string
	tctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Run(tctx, chromedp.Poll(expr, &got, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		var now string
		_ = chromedp.Run(ctx, chromedp.Evaluate(`document.querySelector("main") ? document.querySelector("main").innerText.slice(0, 300) : ""`, &now))
		t.Fatalf("screen with h1 %q did not appear: %v; main shows: %q", want, err, now)
	}
	return got
}

// waitFor waits until a JavaScript expression is truthy.
func waitFor(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	var ok bool
	tctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Run(tctx, chromedp.Poll(expr, &ok, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		t.Fatalf("waiting for %s (%s): %v", what, short(expr), err)
	}
}

// waitAsync waits until a JavaScript promise resolves to true.
func waitAsync(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var ok bool
		err := chromedp.Run(ctx, chromedp.Evaluate(expr, &ok, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
			return p.WithAwaitPromise(true)
		}))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s (%s): %v", what, short(expr), err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// axeResult is one serious or critical violation.
type axeResult struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// checkAxe runs axe-core in the page and fails on serious or critical
// violations of WCAG 2.x A/AA (and best practices).
func (e *env) checkAxe(t *testing.T, ctx context.Context, screen string) {
	t.Helper()
	var has bool
	run(t, ctx, "axe present", chromedp.Evaluate(`typeof window.axe !== "undefined"`, &has))
	if !has {
		run(t, ctx, "inject axe", chromedp.Evaluate(e.axe+"\n;true", &has))
	}
	const expr = `axe.run(document, {resultTypes: ["violations"], runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}})
		.then(r => r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
		.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 4).map(n => n.target.join(" ") + " :: " + (n.failureSummary || ""))})))`
	var out []axeResult
	run(t, ctx, "axe.run", chromedp.Evaluate(expr, &out, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
		return p.WithAwaitPromise(true)
	}))
	for _, v := range out {
		t.Errorf("axe on %s: %s (%s): %s\n    %s", screen, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n    "))
	}
}

// shoot saves full-page screenshots at 1280 and 360 CSS pixels wide, and
// fails if the page scrolls sideways at 360 px or at 640 px (a 1280 px
// window at 200% zoom).
func (e *env) shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	for _, w := range []int64{1280, 640, 360} {
		run(t, ctx, "viewport", chromedp.EmulateViewport(w, 800))
		var overflow bool
		run(t, ctx, "overflow", chromedp.Sleep(60*time.Millisecond),
			chromedp.Evaluate(`document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`, &overflow))
		if overflow {
			var wide string
			run(t, ctx, "widest", chromedp.Evaluate(`[...document.querySelectorAll("body *")].filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 3).map(el => el.tagName + "." + el.className).join(", ")`, &wide))
			t.Errorf("%s scrolls sideways at %d px: %s", name, w, wide)
		}
		if w == 640 {
			continue
		}
		var png []byte
		run(t, ctx, "screenshot", chromedp.ActionFunc(func(ctx context.Context) error {
			_, _, _, _, _, content, err := page.GetLayoutMetrics().Do(ctx)
			if err != nil {
				return err
			}
			png, err = page.CaptureScreenshot().WithFormat(page.CaptureScreenshotFormatPng).WithCaptureBeyondViewport(true).
				WithClip(&page.Viewport{X: 0, Y: 0, Width: float64(w), Height: math.Min(math.Ceil(content.Height), 6000), Scale: 1}).Do(ctx)
			return err
		}))
		file := filepath.Join(e.shots, fmt.Sprintf("%s-%d.png", name, w))
		if err := os.WriteFile(file, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run(t, ctx, "viewport", chromedp.EmulateViewport(1280, 900))
}

// darkMode switches prefers-color-scheme.
func darkMode(on bool) chromedp.Action {
	v := "light"
	if on {
		v = "dark"
	}
	return emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: v}})
}

// tabTo presses Tab (or Shift+Tab when the target comes earlier) until the
// element matching sel has the keyboard focus.
func tabTo(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	b, _ := json.Marshal(sel)
	check := fmt.Sprintf(`(() => { const el = document.querySelector(%s); if (!el) return "missing"; const a = document.activeElement;
		if (a === el) return "here"; if (!a || a === document.body) return "next";
		return (a.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) ? "next" : "prev"; })()`, b)
	for range 250 {
		var where string
		run(t, ctx, "focus check", chromedp.Evaluate(check, &where))
		switch where {
		case "here":
			return
		case "missing":
			t.Fatalf("tabTo: no element matches %s", sel)
		case "next":
			run(t, ctx, "Tab", chromedp.KeyEvent(kb.Tab))
		default:
			run(t, ctx, "Shift+Tab", chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(input.ModifierShift)))
		}
	}
	t.Fatalf("tabTo: %s never got the focus", sel)
}

// press sends one key to the focused element.
func press(t *testing.T, ctx context.Context, key string) {
	t.Helper()
	run(t, ctx, "key", chromedp.KeyEvent(key))
}

// click scrolls the element to the middle of the window (clear of the
// quiz's sticky counter) and clicks it with the mouse.
func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	b, _ := json.Marshal(sel)
	run(t, ctx, "show "+sel, chromedp.WaitVisible(sel, chromedp.ByQuery),
		chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%s).scrollIntoView({block: "center", behavior: "instant"}), true`, b), nil))
	// chromedp clicks at the coordinates it measured, so a page still
	// settling (a smooth scroll begun by an earlier focus, a layout change
	// after the previous answer) would send the click elsewhere: wait until
	// the box holds still for three frames and nothing covers its centre.
	waitAsync(t, ctx, "a still, uncovered "+sel, fmt.Sprintf(settledJS, b))
	run(t, ctx, "click "+sel, chromedp.Click(sel, chromedp.ByQuery))
}

// settledJS resolves true when the element (%s, a JSON selector) keeps the
// same box for three animation frames and is what a click at its centre hits.
const settledJS = `new Promise(resolve => {
	const el = document.querySelector(%s);
	if (!el) { resolve(false); return; }
	let last = "", same = 0, frames = 0;
	const tick = () => {
		const r = el.getBoundingClientRect();
		const key = [r.x, r.y, r.width, r.height].join(",");
		same = key === last ? same + 1 : 0;
		last = key;
		if (same >= 3) {
			const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
			resolve(!!hit && (hit === el || el.contains(hit) || [...(el.labels || [])].some(l => l.contains(hit))));
			return;
		}
		if (++frames > 60) { resolve(false); return; }
		requestAnimationFrame(tick);
	};
	requestAnimationFrame(tick);
})`

func typeInto(t *testing.T, ctx context.Context, sel, text string) {
	t.Helper()
	run(t, ctx, "type into "+sel, chromedp.WaitVisible(sel, chromedp.ByQuery), chromedp.SendKeys(sel, text, chromedp.ByQuery))
}

// fake is a reply the browser gets instead of the server's; fail makes the
// request fail as if the network were down.
type fake struct {
	match   string // substring of the URL
	status  int64
	headers map[string]string
	body    string
	fail    bool
}

// interceptor answers API requests with queued fakes (each used once) and
// lets every other request through to the server; seen counts requests
// per URL path.
type interceptor struct {
	mu    sync.Mutex
	fakes []fake
	seen  map[string]int
}

// intercept routes the tab's API requests through an interceptor.
func intercept(t *testing.T, ctx context.Context) *interceptor {
	t.Helper()
	ic := &interceptor{seen: map[string]int{}}
	chromedp.ListenTarget(ctx, func(ev any) {
		p, ok := ev.(*fetch.EventRequestPaused)
		if !ok {
			return
		}
		go func() {
			c := chromedp.FromContext(ctx)
			exec := cdp.WithExecutor(ctx, c.Target)
			ic.mu.Lock()
			if u, err := url.Parse(p.Request.URL); err == nil {
				ic.seen[u.Path]++
			}
			var f *fake
			for i := range ic.fakes {
				if strings.Contains(p.Request.URL, ic.fakes[i].match) {
					f = &ic.fakes[i]
					ic.fakes = append(ic.fakes[:i:i], ic.fakes[i+1:]...)
					break
				}
			}
			ic.mu.Unlock()
			switch {
			case f == nil:
				_ = fetch.ContinueRequest(p.RequestID).Do(exec)
			case f.fail:
				_ = fetch.FailRequest(p.RequestID, network.ErrorReasonInternetDisconnected).Do(exec)
			default:
				hdrs := []*fetch.HeaderEntry{{Name: "Content-Type", Value: "application/json"}}
				for k, v := range f.headers {
					hdrs = append(hdrs, &fetch.HeaderEntry{Name: k, Value: v})
				}
				_ = fetch.FulfillRequest(p.RequestID, f.status).WithResponseHeaders(hdrs).
					WithBody(base64.StdEncoding.EncodeToString([]byte(f.body))).Do(exec)
			}
		}()
	})
	run(t, ctx, "intercept the API", fetch.Enable().WithPatterns([]*fetch.RequestPattern{{URLPattern: "*/api/*"}}))
	return ic
}

// add queues fakes.
func (ic *interceptor) add(f ...fake) {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	ic.fakes = append(ic.fakes, f...)
}

// count is how many requests for path went out since the last reset.
func (ic *interceptor) count(path string) int {
	ic.mu.Lock()
	defer ic.mu.Unlock()
	return ic.seen[path]
}

// requireChromium returns the browser to drive, or skips the test when
// there is none; under CI=true a missing browser is a failure, so the
// browser tests can never pass by not running.
func requireChromium(t *testing.T) string {
	t.Helper()
	chromium := chromiumPath()
	if chromium == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("Chromium is not installed, and CI=true requires the browser tests")
		}
		t.Skip("Chromium is not installed; the browser tests need it (CI installs it)")
	}
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	return chromium
}
