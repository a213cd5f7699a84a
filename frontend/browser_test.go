package frontend_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/readi-platform/readi/content"
	"github.com/readi-platform/readi/internal/catalog"
	"github.com/readi-platform/readi/internal/model"
)

// TestBrowser drives the web app in a real Chromium against a real server:
// the first-visit budget, every screen's deep link with axe-core and
// screenshots, and a learner's journey (register, read, quiz by pointer and
// by keyboard, progress, an offline submission, settings, erasure). One
// browser and one server are shared; the scenarios run in order.
func TestBrowser(t *testing.T) {
	chromium := requireChromium(t)
	pack, err := catalog.Load(content.FS)
	if err != nil {
		t.Fatalf("catalog.Load(content.FS) = %v", err)
	}
	e := newEnv(t, chromium)
	t.Run("first visit budget", func(t *testing.T) { e.testBudget(t) })
	t.Run("guest screens", func(t *testing.T) { e.testGuestScreens(t, pack) })
	t.Run("failures have a way forward", func(t *testing.T) { e.testFailures(t) })
	t.Run("learner journey", func(t *testing.T) { e.testJourney(t, pack) })
	t.Run("educator and class", func(t *testing.T) { e.testEducator(t, pack) })
}

// testBudget loads / cold, in a fresh profile, and adds up what it
// transferred (coldVisit).
func (e *env) testBudget(t *testing.T) {
	ctx := e.tab(t)
	total, lines := e.coldVisit(t, ctx, "/", `document.querySelectorAll(".card").length > 0`)
	t.Logf("cold visit to /: %.1f KB in total:\n%s", total/1024, strings.Join(lines, "\n"))
	if total > 100*1024 {
		t.Errorf("cold visit to / transferred %.1f KB, want at most 100 KB", total/1024)
	}
	e.checkConsole(t)
}

// coldVisit opens path in a fresh tab, waits for its screen (ready, a
// JavaScript condition) and the service worker, and adds up what it
// transferred: every response the page received (encodedDataLength, which
// counts compressed bytes and headers) plus the files the service worker
// fetched for its cache that the page did not load itself. It fails on a
// request to another origin, and returns the total and a line per file.
func (e *env) coldVisit(t *testing.T, ctx context.Context, path, ready string) (float64, []string) {
	t.Helper()
	var mu sync.Mutex
	sizes := map[network.RequestID]float64{}
	urls := map[network.RequestID]string{}
	var origins []string
	chromedp.ListenTarget(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			urls[ev.RequestID] = ev.Request.URL
			origins = append(origins, ev.Request.URL)
		case *network.EventLoadingFinished:
			sizes[ev.RequestID] = ev.EncodedDataLength
		}
	})
	run(t, ctx, "cold visit", network.Enable(), chromedp.Navigate(e.base+path))
	waitH1(t, ctx, "")
	waitFor(t, ctx, "the screen", ready)
	var ok bool
	run(t, ctx, "service worker", chromedp.Evaluate(`navigator.serviceWorker.ready.then(() => true)`, &ok,
		func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	time.Sleep(300 * time.Millisecond)

	mu.Lock()
	defer mu.Unlock()
	seen := map[string]bool{}
	total := 0.0
	var lines []string
	for id, n := range sizes {
		u := urls[id]
		total += n
		if parsed, err := url.Parse(u); err == nil {
			seen[parsed.Path] = true
		}
		lines = append(lines, fmt.Sprintf("%7.0f %s", n, strings.TrimPrefix(u, e.base)))
	}
	for _, u := range origins {
		if !strings.HasPrefix(u, e.base+"/") && !strings.HasPrefix(u, "data:") {
			t.Errorf("the first visit contacted another origin: %s", u)
		}
	}
	swBytes := 0
	for _, f := range shellFiles(t) {
		if seen[f] {
			continue
		}
		n := compressedSize(t, e.base+f)
		swBytes += n
		lines = append(lines, fmt.Sprintf("%7d %s (service worker)", n, f))
	}
	total += float64(swBytes)
	slices.Sort(lines)
	lines = append(lines, fmt.Sprintf("%d responses to the page, %.1f KB fetched by the service worker", len(sizes), float64(swBytes)/1024))
	return total, lines
}

// compressedSize is what a browser would transfer for url: the gzip body
// plus its response headers.
func compressedSize(t *testing.T, u string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	head := 0
	for k, vs := range resp.Header {
		for _, v := range vs {
			head += len(k) + len(v) + 4
		}
	}
	return len(body) + head + 20
}

// guestScreen is a deep link and what its h1 must contain.
type guestScreen struct {
	name, path, h1 string
}

func (e *env) testGuestScreens(t *testing.T, pack *catalog.Pack) {
	ctx := e.tab(t)
	sts := module(t, pack, "spot-the-scam")
	screens := []guestScreen{
		{"catalogue", "/", "Spot it. Stop it. Report it."},
		{"module", "/modules/spot-the-scam", sts.Title},
		{"lesson", "/modules/spot-the-scam/lessons/" + sts.Lessons[0].Slug, sts.Lessons[0].Title},
		{"quiz-guest", "/modules/spot-the-scam/quiz", "Quiz: " + sts.Title},
		{"progress-guest", "/progress", "My progress"},
		{"login", "/login", "Log in"},
		{"register", "/register", "Create your account"},
		{"join", "/join", "Join a class"},
		{"recover-guest", "/recover", "Use your recovery code"},
		{"classes-guest", "/classes", "My classes"},
		{"class-guest", "/classes/1/progress", "Class progress"},
		{"account-guest", "/account", "My account"},
		{"not-found", "/no/such/page", "Page not found"},
	}
	for _, m := range pack.Modules {
		if m.ContentWarning != "" {
			screens = append(screens, guestScreen{"content-warning", "/modules/" + m.Slug, m.Title})
			break
		}
	}
	for _, s := range screens {
		run(t, ctx, "open "+s.path, chromedp.Navigate(e.base+s.path))
		got := waitH1(t, ctx, s.h1)
		if s.name == "content-warning" {
			waitFor(t, ctx, "the content warning", `!!document.querySelector("#cw-title") && !!document.querySelector("#cw-continue")`)
		}
		e.checkAxe(t, ctx, s.path)
		e.shoot(t, ctx, s.name)
		t.Logf("%s → h1 %q", s.path, got)
	}
	// The catalogue's filters and search narrow the list.
	run(t, ctx, "open /", chromedp.Navigate(e.base+"/"))
	waitH1(t, ctx, "")
	all := eval[int](t, ctx, `document.querySelectorAll(".card").length`)
	run(t, ctx, "filter", chromedp.SetValue("#f-category", "data", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector("#f-category").dispatchEvent(new Event("change")), true`, nil))
	want := 0
	for _, m := range pack.Modules {
		if m.Category == model.Category("data") {
			want++
		}
	}
	if got := eval[int](t, ctx, `document.querySelectorAll(".card").length`); got != want || (want > 0 && got == all) {
		t.Errorf("category filter data shows %d cards, want %d (of %d)", got, want, all)
	}
	// Dark mode keeps its contrast.
	run(t, ctx, "dark", darkMode(true), chromedp.Sleep(400*time.Millisecond)) // let colour transitions end
	e.checkAxe(t, ctx, "/ (dark)")
	e.shoot(t, ctx, "catalogue-dark")
	run(t, ctx, "light", darkMode(false))

	// Help: what to do first and where to report, for a chosen country.
	click(t, ctx, "#help-open")
	waitFor(t, ctx, "the help dialog", `document.querySelector("#help-dialog").open && document.activeElement?.id === "help-close"`)
	run(t, ctx, "pick Thailand", chromedp.SetValue("#help-country", "TH", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector("#help-country").dispatchEvent(new Event("change")), true`, nil))
	waitFor(t, ctx, "Thai channels", `document.querySelector("#help-where")?.textContent.includes("1441")`)
	e.checkAxe(t, ctx, "help dialog")
	e.shoot(t, ctx, "help")
	press(t, ctx, kb.Escape)
	waitFor(t, ctx, "the dialog to close and focus to return", `!document.querySelector("#help-dialog").open && document.activeElement.id === "help-open"`)

	// Sign-in errors show next to the form.
	run(t, ctx, "open /login", chromedp.Navigate(e.base+"/login"))
	waitH1(t, ctx, "Log in")
	typeInto(t, ctx, "#f-email", "nobody@example.org")
	typeInto(t, ctx, "#f-password", "not the password at all")
	click(t, ctx, "#main form button[type=submit]")
	waitFor(t, ctx, "the sign-in error", `document.querySelector(".form-error")?.textContent.includes("do not match")`)
	// Joining with an unknown code explains itself (or, before the classes
	// API exists, says that joining is not available yet).
	run(t, ctx, "open /join", chromedp.Navigate(e.base+"/join"))
	waitH1(t, ctx, "Join a class")
	typeInto(t, ctx, "#f-code", "ZZZ-0000")
	typeInto(t, ctx, "#f-nickname", "Pim")
	click(t, ctx, "#main form button[type=submit]")
	waitFor(t, ctx, "the join error", `/class code|No open class|not available yet/.test(document.querySelector("#main").textContent)`)
	e.shoot(t, ctx, "join-error")
	e.checkConsole(t)
}

// testFailures fakes server failures (the service worker bypassed, so the
// page meets them directly) and checks each has a message and a way on.
func (e *env) testFailures(t *testing.T) {
	ctx := e.tab(t)
	ic := intercept(t, ctx)
	run(t, ctx, "bypass the service worker", network.Enable(), network.SetBypassServiceWorker(true))
	internal := `{"error":{"code":"internal","message":"something went wrong on our side; try again","request_id":"x"}}`

	ic.add(fake{match: "/api/v1/modules?", status: 500, body: internal})
	run(t, ctx, "open /", chromedp.Navigate(e.base+"/"))
	waitH1(t, ctx, "Something went wrong")
	waitFor(t, ctx, "the message", `document.querySelector("main").textContent.includes("on our side")`)
	e.checkAxe(t, ctx, "500 error screen")
	e.shoot(t, ctx, "error-500")
	click(t, ctx, "main button.primary")
	waitH1(t, ctx, "Spot it. Stop it. Report it.")

	ic.add(fake{match: "/api/v1/modules/spot-the-scam?", fail: true})
	click(t, ctx, `a[href="/modules/spot-the-scam"]`)
	waitH1(t, ctx, "You are offline")
	click(t, ctx, "main button.primary")
	waitH1(t, ctx, "Spot the scam")

	ic.add(fake{match: "/api/v1/auth/login", status: 429, headers: map[string]string{"Retry-After": "42"},
		body: `{"error":{"code":"rate_limited","message":"too many attempts","request_id":"x"}}`})
	run(t, ctx, "open /login", chromedp.Navigate(e.base+"/login"))
	waitH1(t, ctx, "Log in")
	typeInto(t, ctx, "#f-email", "mali@example.org")
	typeInto(t, ctx, "#f-password", "mango rice at noon")
	click(t, ctx, "#main form button[type=submit]")
	waitFor(t, ctx, "the wait time", `document.querySelector(".form-error")?.textContent.includes("42 seconds")`)
	e.shoot(t, ctx, "error-429")
	e.checkConsole(t)
}

func module(t *testing.T, pack *catalog.Pack, slug string) model.Module {
	t.Helper()
	for _, m := range pack.Modules {
		if m.Slug == slug {
			return m
		}
	}
	t.Fatalf("module %s is not in the content pack", slug)
	return model.Module{}
}

func (e *env) testJourney(t *testing.T, pack *catalog.Pack) {
	ctx := e.tab(t)
	downloads := t.TempDir()
	allowDownloads(t, ctx, downloads)
	email := fmt.Sprintf("mali.%d@example.org", time.Now().UnixNano())
	sts := module(t, pack, "spot-the-scam")
	var user model.User

	t.Run("register", func(t *testing.T) {
		run(t, ctx, "open /register", chromedp.Navigate(e.base+"/register"))
		waitH1(t, ctx, "Create your account")
		// A too-short password is refused next to its field.
		typeInto(t, ctx, "#f-display_name", "Mali")
		typeInto(t, ctx, "#f-email", email)
		typeInto(t, ctx, "#f-password", "short")
		click(t, ctx, "#main form button[type=submit]")
		waitFor(t, ctx, "the password error", `!!document.querySelector("#f-password-error") && document.querySelector("#f-password").getAttribute("aria-invalid") === "true"`)
		e.checkAxe(t, ctx, "/register with errors")
		e.shoot(t, ctx, "register-error")
		run(t, ctx, "clear password", chromedp.Evaluate(`document.querySelector("#f-password").value = ""`, nil))
		typeInto(t, ctx, "#f-password", "mango rice at noon")
		click(t, ctx, "#main form button[type=submit]")
		waitH1(t, ctx, "Spot it. Stop it. Report it.")
		waitFor(t, ctx, "the account link", `!!document.querySelector('#nav-account a[href="/account"]')`)
		u, err := e.srv.Store.UserByEmail(context.Background(), email)
		if err != nil {
			t.Fatalf("UserByEmail(%s) after registering in the browser = %v", email, err)
		}
		user = u
	})
	if user.ID == 0 {
		t.Fatal("registration failed; the journey cannot go on")
	}

	t.Run("read a lesson", func(t *testing.T) {
		click(t, ctx, `a[href="/modules/spot-the-scam"]`)
		waitH1(t, ctx, sts.Title)
		click(t, ctx, fmt.Sprintf(`a[href="/modules/spot-the-scam/lessons/%s"]`, sts.Lessons[0].Slug))
		waitH1(t, ctx, sts.Lessons[0].Title)
		if n := eval[int](t, ctx, `document.querySelectorAll(".takeaway").length`); n != 1 {
			t.Errorf("lesson has %d READI takeaway boxes, want 1", n)
		}
		run(t, ctx, "scroll to the end", chromedp.ScrollIntoView("#lesson-end", chromedp.ByQuery))
		waitFor(t, ctx, "the completion", `document.querySelector("#lesson-state")?.textContent.includes("Lesson complete")`)
		comps, err := e.srv.Store.Completions(context.Background(), user.ID)
		if err != nil || len(comps) != 1 {
			t.Errorf("completions after reading = %d, %v; want 1", len(comps), err)
		}
		// For offline reading the service worker keeps the app shell and
		// every lesson opened (network first, the copy when offline).
		lessonURL := fmt.Sprintf("/api/v1/modules/spot-the-scam/lessons/%s?lang=en", sts.Lessons[0].Slug)
		waitAsync(t, ctx, "the lesson in the offline cache",
			fmt.Sprintf(`caches.open("readi-api").then(c => c.match(%q)).then(r => !!r)`, lessonURL))
		waitAsync(t, ctx, "the app shell in the offline cache",
			`caches.keys().then(ks => ks.find(k => k.startsWith("readi-shell-"))).then(k => k && caches.open(k)).then(c => c && c.keys()).then(rs => !!rs && rs.length >= 20)`)
		e.checkAxe(t, ctx, "lesson (signed in)")
		click(t, ctx, fmt.Sprintf(`nav.crumbs a[href="/modules/spot-the-scam"]`))
		waitH1(t, ctx, sts.Title)
		if n := eval[int](t, ctx, `document.querySelectorAll(".lessons .tick.done").length`); n != 1 {
			t.Errorf("module page shows %d ticked lessons, want 1", n)
		}
		e.shoot(t, ctx, "module-signed-in")
	})

	t.Run("quiz by pointer and keyboard", func(t *testing.T) {
		click(t, ctx, `a[href="/modules/spot-the-scam/quiz"]`)
		waitH1(t, ctx, "Quiz: "+sts.Title)
		e.checkAxe(t, ctx, "quiz")
		e.shoot(t, ctx, "quiz")
		keyboard := map[string]bool{}
		for _, q := range sts.Quiz.Questions {
			// One question of each of these types is answered by keyboard alone.
			byKeys := false
			switch q.Type {
			case model.TrueFalse, model.Ordering, model.RedFlags, model.Scenario, model.Single:
				byKeys = !keyboard[string(q.Type)]
			}
			answer(t, ctx, q, byKeys)
			if byKeys {
				keyboard[string(q.Type)] = true
			}
		}
		t.Logf("answered by keyboard: %v", keyboard)
		waitFor(t, ctx, "every answer counted", fmt.Sprintf(`document.querySelectorAll(".question.answered").length === %d`, len(sts.Quiz.Questions)))
		e.shoot(t, ctx, "quiz-answered")
		tabTo(t, ctx, "#quiz-submit")
		press(t, ctx, kb.Enter)
		waitFor(t, ctx, "the result", `!!document.querySelector("#result-title") && document.activeElement.id === "result-title"`)
		if got := eval[string](t, ctx, `document.querySelector(".score-big").textContent`); got != "100%" {
			t.Errorf("score = %q, want 100%% for the key's answers; not fully right: %s", got,
				eval[string](t, ctx, `[...document.querySelectorAll(".result-item.wrong")].map(li => li.id + ": " + li.innerText.replace(/\s+/g, " ").slice(0, 300)).join("\n")`))
		}
		if got := eval[string](t, ctx, `document.querySelector(".verdict").textContent`); got != "Passed" {
			t.Errorf("verdict = %q, want Passed", got)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll(".result-item .explanation").length`); n != len(sts.Quiz.Questions) {
			t.Errorf("%d explanations shown, want %d", n, len(sts.Quiz.Questions))
		}
		if n, err := e.srv.Store.CountAttempts(context.Background(), user.ID); err != nil || n != 1 {
			t.Errorf("stored attempts = %d, %v; want 1", n, err)
		}
		e.checkAxe(t, ctx, "quiz result")
		e.shoot(t, ctx, "quiz-result")
	})

	t.Run("progress", func(t *testing.T) {
		// An expired access token: the app refreshes once and retries.
		ic := intercept(t, ctx)
		ic.add(fake{match: "/api/v1/me/progress", status: 401, headers: map[string]string{"WWW-Authenticate": `Bearer realm="readi"`},
			body: `{"error":{"code":"auth.token_expired","message":"the access token has expired; refresh it","request_id":"x"}}`})
		refreshes := ic.count("/api/v1/auth/refresh")
		click(t, ctx, `.main-nav a[href="/progress"]`)
		waitH1(t, ctx, "My progress")
		if n := ic.count("/api/v1/auth/refresh") - refreshes; n != 1 {
			t.Errorf("after a 401 the app refreshed %d times, want once", n)
		}
		if n := ic.count("/api/v1/me/progress"); n < 2 {
			t.Errorf("GET /me/progress went out %d times, want the 401 and its retry", n)
		}
		run(t, ctx, "stop intercepting", fetch.Disable())
		if got := eval[string](t, ctx, `document.querySelector('tr[data-module="spot-the-scam"] .best').textContent`); got != "100%" {
			t.Errorf("progress page best score for spot-the-scam = %q, want 100%%", got)
		}
		if n := eval[int](t, ctx, `document.querySelectorAll(".readi-chart svg rect").length`); n != 10 {
			t.Errorf("READI chart has %d bars and tracks, want 10", n)
		}
		rep, err := e.srv.Learning.Progress(context.Background(), user)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range rep.Modules {
			if m.Slug == "spot-the-scam" && (m.BestPercent != 100 || m.LessonsCompleted != 1 || !m.Passed) {
				t.Errorf("API progress for spot-the-scam = %+v, want best 100, 1 lesson, passed", m)
			}
		}
		e.checkAxe(t, ctx, "/progress")
		e.shoot(t, ctx, "progress")
	})

	t.Run("offline submission is queued and sent once", func(t *testing.T) {
		lya := module(t, pack, "lock-your-accounts")
		// A full load: the session comes back through the refresh cookie.
		run(t, ctx, "open the quiz", chromedp.Navigate(e.base+"/modules/lock-your-accounts/quiz"))
		waitH1(t, ctx, "Quiz: "+lya.Title)
		for i, q := range lya.Quiz.Questions {
			if i%4 == 3 {
				continue // leave some unanswered: the result then has things to review
			}
			answer(t, ctx, q, false)
		}
		run(t, ctx, "go offline", network.Enable(), network.EmulateNetworkConditions(true, 0, 0, 0))
		waitFor(t, ctx, "the offline notice", `!navigator.onLine && document.querySelector("#status").textContent.includes("offline")`)
		click(t, ctx, "#quiz-submit")
		waitFor(t, ctx, "the queued notice", `document.querySelector("#quiz-waiting")?.hidden === false && !!document.querySelector("#outbox-status")`)
		e.checkAxe(t, ctx, "quiz queued offline")
		e.shoot(t, ctx, "quiz-queued")
		if n, _ := e.srv.Store.CountAttempts(context.Background(), user.ID); n != 1 {
			t.Errorf("stored attempts while offline = %d, want still 1", n)
		}
		run(t, ctx, "back online", network.EmulateNetworkConditions(false, 0, -1, -1))
		waitFor(t, ctx, "the result after reconnecting", `!!document.querySelector("#result-title") && !document.querySelector("#outbox-status")`)
		if n, _ := e.srv.Store.CountAttempts(context.Background(), user.ID); n != 2 {
			t.Errorf("stored attempts after reconnecting = %d, want 2 (exactly one for lock-your-accounts)", n)
		}
		rep, err := e.srv.Learning.Progress(context.Background(), user)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range rep.Modules {
			if m.Slug == "lock-your-accounts" && m.Attempts != 1 {
				t.Errorf("lock-your-accounts attempts = %d, want 1", m.Attempts)
			}
		}
		if n := eval[int](t, ctx, `document.querySelectorAll(".review li").length`); n == 0 {
			t.Error("a result with unanswered questions lists nothing to review")
		}
		e.shoot(t, ctx, "quiz-result-review")
	})

	t.Run("signed-in screens and settings", func(t *testing.T) {
		for _, s := range []guestScreen{
			{"catalogue-signed-in", "/", "Spot it. Stop it. Report it."},
			{"account", "/account", "My account"},
		} {
			run(t, ctx, "open "+s.path, chromedp.Navigate(e.base+s.path))
			waitH1(t, ctx, s.h1)
			e.checkAxe(t, ctx, s.path+" (signed in)")
			e.shoot(t, ctx, s.name)
		}
		run(t, ctx, "open /", chromedp.Navigate(e.base+"/"))
		waitH1(t, ctx, "")
		waitFor(t, ctx, "continue where you left off", `!!document.querySelector(".resume a.button")`)

		// The language switch changes the interface and is kept in the profile.
		run(t, ctx, "switch to Thai", chromedp.SetValue("#lang-select", "th", chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelector("#lang-select").dispatchEvent(new Event("change")), true`, nil))
		waitH1(t, ctx, "รู้ทัน")
		waitFor(t, ctx, "lang=th", `document.documentElement.lang === "th"`)
		e.checkAxe(t, ctx, "/ (Thai)")
		e.shoot(t, ctx, "catalogue-thai")
		run(t, ctx, "open a Thai lesson", chromedp.Navigate(e.base+"/modules/spot-the-scam/lessons/"+sts.Lessons[0].Slug))
		waitH1(t, ctx, "")
		e.shoot(t, ctx, "lesson-thai")
		deadline := time.Now().Add(5 * time.Second)
		for {
			u, err := e.srv.Store.UserByID(context.Background(), user.ID)
			if err == nil && u.Locale == "th" {
				break
			}
			if time.Now().After(deadline) {
				t.Errorf("profile locale = %q, %v; want th after switching", u.Locale, err)
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		run(t, ctx, "back to English", chromedp.SetValue("#lang-select", "en", chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelector("#lang-select").dispatchEvent(new Event("change")), true`, nil))
		waitFor(t, ctx, "lang=en", `document.documentElement.lang === "en"`)

		// Profile: country; export; delete.
		run(t, ctx, "open /account", chromedp.Navigate(e.base+"/account"))
		waitH1(t, ctx, "My account")
		run(t, ctx, "country", chromedp.SetValue("#f-country", "PH", chromedp.ByQuery))
		click(t, ctx, `#main form[aria-labelledby="profile-title"] button[type=submit]`)
		waitFor(t, ctx, "saved", `document.querySelector("#main").textContent.includes("Saved.")`)
		if u, _ := e.srv.Store.UserByID(context.Background(), user.ID); u.Country != "PH" {
			t.Errorf("country after saving = %q, want PH", u.Country)
		}
		click(t, ctx, "#help-open")
		waitFor(t, ctx, "help for the profile's country", `document.querySelector("#help-country")?.value === "PH" && document.querySelector("#help-where")?.textContent.includes("1326")`)
		press(t, ctx, kb.Escape)
		click(t, ctx, "#export-data")
		waitFor(t, ctx, "the export", `document.querySelector("#main").textContent.includes("Your data has been downloaded")`)
		var exported map[string]any
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			b, err := os.ReadFile(filepath.Join(downloads, "readi-my-data.json"))
			if err == nil && json.Unmarshal(b, &exported) == nil {
				break
			}
		}
		if data, _ := exported["data"].(map[string]any); data == nil || data["user"] == nil || len(data["attempts"].([]any)) != 2 {
			t.Errorf("downloaded export = %.200v, want the user and 2 attempts", exported)
		}
		click(t, ctx, "#delete-account")
		waitFor(t, ctx, "the confirmation request", `document.querySelector(".danger-zone .form-error")?.textContent.includes("Tick the box")`)
		click(t, ctx, "#delete-confirm")
		click(t, ctx, "#delete-account")
		waitH1(t, ctx, "Your account has been deleted")
		if _, err := e.srv.Store.UserByEmail(context.Background(), email); err == nil {
			t.Error("the account still exists after deleting it in the browser")
		}
		waitFor(t, ctx, "the log-in link", `!!document.querySelector('#nav-account a[href="/login"]')`)
	})
	e.checkConsole(t)
}

// answer answers q with the key's answer, by pointer or, when byKeys, by
// keyboard alone.
func answer(t *testing.T, ctx context.Context, q model.Question, byKeys bool) {
	t.Helper()
	sec := "#q-" + q.ID
	switch q.Type {
	case model.Single:
		for _, o := range q.Options {
			if !o.Correct {
				continue
			}
			sel := fmt.Sprintf(`%s input[value="%s"]`, sec, o.ID)
			if !byKeys {
				click(t, ctx, sel)
				continue
			}
			tabTo(t, ctx, sec+" input[type=radio]")
			press(t, ctx, " ")
			for range 10 {
				if eval[bool](t, ctx, fmt.Sprintf(`document.querySelector(%q).checked`, sel)) {
					break
				}
				press(t, ctx, kb.ArrowDown)
			}
		}
	case model.Multiple:
		for _, o := range q.Options {
			if o.Correct {
				sel := fmt.Sprintf(`%s input[value="%s"]`, sec, o.ID)
				click(t, ctx, sel)
				if !eval[bool](t, ctx, fmt.Sprintf(`document.querySelector(%q).checked`, sel)) {
					t.Errorf("%s: option %s is not ticked after clicking it", q.ID, o.ID)
				}
			}
		}
	case model.TrueFalse:
		want := fmt.Sprint(*q.Answer)
		if !byKeys {
			click(t, ctx, fmt.Sprintf(`%s input[value="%s"]`, sec, want))
			break
		}
		tabTo(t, ctx, sec+` input[value="true"]`)
		if want == "true" {
			press(t, ctx, " ")
		} else {
			press(t, ctx, kb.ArrowDown)
		}
	case model.Ordering:
		for i, it := range q.Items {
			order := eval[[]string](t, ctx, fmt.Sprintf(`[...document.querySelectorAll("%s .order-item")].map(li => li.dataset.id)`, sec))
			j := slices.Index(order, it.ID)
			up := fmt.Sprintf(`%s .order-item[data-id="%s"] [data-dir="up"]`, sec, it.ID)
			for ; j > i; j-- {
				if byKeys {
					tabTo(t, ctx, up)
					press(t, ctx, kb.Enter)
				} else {
					click(t, ctx, up)
				}
			}
		}
		got := eval[[]string](t, ctx, fmt.Sprintf(`[...document.querySelectorAll("%s .order-item")].map(li => li.dataset.id)`, sec))
		var want []string
		for _, it := range q.Items {
			want = append(want, it.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s order = %v, want %v", q.ID, got, want)
		}
	case model.Matching:
		for _, p := range q.Pairs {
			sel := fmt.Sprintf(`%s select[data-left="%s"]`, sec, p.Left.ID)
			run(t, ctx, "match "+sel, chromedp.SetValue(sel, p.Right.ID, chromedp.ByQuery),
				chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%q).dispatchEvent(new Event("change")), true`, sel), nil))
		}
	case model.RedFlags:
		for _, s := range q.Message.Segments {
			if !s.Flag {
				continue
			}
			sel := fmt.Sprintf(`%s button[data-seg="%s"]`, sec, s.ID)
			if byKeys {
				tabTo(t, ctx, sel)
				press(t, ctx, " ")
			} else {
				click(t, ctx, sel)
			}
			if eval[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).getAttribute("aria-pressed")`, sel)) != "true" {
				t.Errorf("%s: segment %s is not marked after pressing it", q.ID, s.ID)
			}
		}
	case model.Scenario:
		for _, c := range bestPath(q) {
			sel := fmt.Sprintf(`%s button[data-choice="%s"]`, sec, c)
			if byKeys {
				tabTo(t, ctx, sel)
				press(t, ctx, kb.Enter)
			} else {
				click(t, ctx, sel)
			}
		}
		waitFor(t, ctx, q.ID+" ending", fmt.Sprintf(`!!document.querySelector("%s .ending")`, sec))
	default:
		t.Fatalf("question %s has type %s, which this test cannot answer", q.ID, q.Type)
	}
	waitFor(t, ctx, q.ID+" answered", fmt.Sprintf(`!!document.querySelector("%s")?.classList.contains("answered")`, sec))
}

// bestPath is the scenario path worth the most points, from the key.
func bestPath(q model.Question) []string {
	steps := map[string]model.Step{}
	for _, s := range q.Steps {
		steps[s.ID] = s
	}
	var walk func(id string) (float64, []string)
	walk = func(id string) (float64, []string) {
		best, path := -1.0, []string(nil)
		for _, c := range steps[id].Choices {
			pts, rest := c.Points, []string(nil)
			if c.Next != "" {
				p, r := walk(c.Next)
				pts, rest = pts+p, r
			}
			if pts > best {
				best, path = pts, append([]string{c.ID}, rest...)
			}
		}
		return best, path
	}
	_, path := walk(q.Steps[0].ID)
	return path
}
