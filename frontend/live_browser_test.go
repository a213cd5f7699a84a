package frontend_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/readi-platform/readi/content"
	"github.com/readi-platform/readi/internal/catalog"
	"github.com/readi-platform/readi/internal/model"
)

// TestLiveBrowser plays a whole live game the way a forum hall would: a
// host (an educator, with a second host tab open, as happens on a
// facilitator's laptop) and three players, each in their own browser
// context. One player joins in Thai, one reloads in the middle of a
// question and comes back with their score, one is removed and joins again;
// the game goes through every playable question type, a pause, an answer
// revealed by hand and answers revealed when everyone has answered, to the
// podium, what to review and the report with its CSV. Each side's lobby,
// question, reveal and podium is checked with axe and photographed at 360
// and 1280 px.
func TestLiveBrowser(t *testing.T) {
	chromium := requireChromium(t)
	pack, err := catalog.Load(content.FS)
	if err != nil {
		t.Fatalf("catalog.Load(content.FS) = %v", err)
	}
	e := newEnv(t, chromium)
	t.Run("player's first visit budget", func(t *testing.T) { e.testLiveBudget(t) })
	t.Run("a whole game", func(t *testing.T) { e.testLiveGame(t, pack) })
}

// testLiveBudget: a phone that opens the QR code's link cold stays within
// the app's first-visit budget (the live screen is a lazy import).
func (e *env) testLiveBudget(t *testing.T) {
	ctx := e.tab(t)
	total, lines := e.coldVisit(t, ctx, "/live?pin=123456", `!!document.querySelector("#f-nickname")`)
	t.Logf("cold visit to /live: %.1f KB:\n%s", total/1024, strings.Join(lines, "\n"))
	if total > 100*1024 {
		t.Errorf("cold visit to /live?pin= transferred %.1f KB, want at most 100 KB", total/1024)
	}
	e.checkConsole(t)
}

// livePlayer is one phone in the hall.
type livePlayer struct {
	name string
	ctx  context.Context
}

func (e *env) testLiveGame(t *testing.T, pack *catalog.Pack) {
	bg := context.Background()
	email := fmt.Sprintf("host.%d@example.org", time.Now().UnixNano())
	const password = "projector chalk and tea"
	if _, err := e.srv.Accounts.CreateUser(bg, email, password, "Ms Dara", model.RoleEducator); err != nil {
		t.Fatalf("CreateUser(educator) = %v", err)
	}
	sts := module(t, pack, "spot-the-scam")
	byID := map[string]model.Question{}
	for _, q := range sts.Quiz.Questions {
		byID[q.ID] = q
	}
	// One question of each playable type, in the order they are played.
	plan := []string{"sts-q01", "sts-q02", "sts-q03", "sts-q04", "sts-q09"}
	want := []model.QuestionType{model.Single, model.RedFlags, model.Multiple, model.TrueFalse, model.Ordering}
	for i, id := range plan {
		if byID[id].Type != want[i] {
			t.Fatalf("%s is a %s question in the content pack; this test plays it as %s", id, byID[id].Type, want[i])
		}
	}

	host := e.tab(t)
	run(t, host, "reduced motion", media(false))
	downloads := t.TempDir()
	allowDownloads(t, host, downloads)
	var gameID, pin string

	t.Run("host sets up a game", func(t *testing.T) {
		adminSignIn(t, e, host, email, password)
		waitH1(t, host, "Spot it. Stop it. Report it.")
		waitFor(t, host, "the Live game link", `!document.querySelector("#nav-live").hidden`)

		// The module page offers a game too.
		run(t, host, "open the module", chromedp.Navigate(e.base+"/modules/spot-the-scam"))
		waitH1(t, host, sts.Title)
		click(t, host, "#host-live")
		waitH1(t, host, "Host a live game")
		if got := eval[string](t, host, `document.querySelector("#f-module").value`); got != "spot-the-scam" {
			t.Errorf("module picked from the module page = %q, want spot-the-scam", got)
		}
		waitFor(t, host, "the questions to pick from", `document.querySelectorAll('#live-pick input[name="questions"]').length > 5`)
		if got := eval[[]string](t, host, `[...document.querySelectorAll('#live-pick input[name="questions"]:disabled')].map(i => i.value)`); len(got) == 0 {
			t.Error("no question is marked as not playable live (the module has matching and scenario questions)")
		}
		e.checkAxe(t, host, "/live/new")
		e.shoot(t, host, "live-new")

		// A game with every playable question: the host screen says what was left out.
		click(t, host, "#live-new-form button[type=submit]")
		waitH1(t, host, "Live: "+sts.Title)
		waitFor(t, host, "the excluded note", `!!document.querySelector("#live-excluded")`)
		if got := eval[string](t, host, `document.querySelector("#live-excluded").textContent`); !strings.Contains(got, "matching") || !strings.Contains(got, "story") {
			t.Errorf("excluded note = %q, want it to name matching and story questions", got)
		}
		click(t, host, "#live-leave")
		waitH1(t, host, "Host a live game")
		waitFor(t, host, "the first game in the list", `document.querySelectorAll("#live-games li").length === 1`)

		// The game to play: five questions, one of each type, 60 s each.
		waitFor(t, host, "the questions to pick from", `document.querySelectorAll('#live-pick input[name="questions"]').length > 5`)
		click(t, host, "#live-pick summary")
		keep, _ := jsonOf(plan)
		run(t, host, "pick the questions", chromedp.Evaluate(fmt.Sprintf(`(() => { const keep = %s;
			for (const b of document.querySelectorAll('#live-pick input[name="questions"]:not(:disabled)')) b.checked = keep.includes(b.value);
			return true; })()`, keep), nil))
		run(t, host, "time limit", chromedp.SetValue("#f-time_limit_s", "60", chromedp.ByQuery))
		click(t, host, "#live-new-form button[type=submit]")
		waitH1(t, host, "Live: "+sts.Title)
		gameID = strings.TrimPrefix(eval[string](t, host, `location.pathname`), "/live/host/")
		waitFor(t, host, "the PIN and QR code", `/^\d{6}$/.test(document.querySelector("#live-pin")?.textContent || "") && !!document.querySelector(".live-qr svg.qr path")`)
		pin = eval[string](t, host, `document.querySelector("#live-pin").textContent`)
		if got := eval[string](t, host, `document.querySelector(".live-join-text .host").textContent`); !strings.HasSuffix(got, "/live") {
			t.Errorf("join address on the projector = %q, want host/live", got)
		}
		if px := eval[float64](t, host, `parseFloat(getComputedStyle(document.querySelector("#live-pin")).fontSize)`); px < 90 {
			t.Errorf("the PIN is %.0f px high at 1280 px, want at least 90 for a projector", px)
		}
		if eval[bool](t, host, `getComputedStyle(document.querySelector(".site-header")).display !== "none"`) {
			t.Error("the host screen still shows the site header")
		}
	})
	if pin == "" {
		t.Fatal("no game was created; the rest cannot run")
	}

	// A second host tab, as a facilitator's laptop often has: both
	// auto-advance, and the game must still step once.
	host2 := e.window(t, host)
	run(t, host2, "second host tab", chromedp.Navigate(e.base+"/live/host/"+gameID))
	waitH1(t, host2, "Live: "+sts.Title)

	mali := livePlayer{"Mali", e.incognito(t, host)}
	somchai := livePlayer{"Somchai", e.incognito(t, host)}
	linh := livePlayer{"Linh", e.incognito(t, host)}
	players := []livePlayer{mali, somchai, linh}

	t.Run("players join", func(t *testing.T) {
		// From the QR code's link: the PIN is filled in.
		run(t, mali.ctx, "open the join link", chromedp.Navigate(e.base+"/live?pin="+pin))
		waitH1(t, mali.ctx, "Join the live game")
		if got := eval[string](t, mali.ctx, `document.querySelector("#f-pin").value`); got != pin {
			t.Errorf("PIN field = %q, want %q from the link", got, pin)
		}
		if got := eval[string](t, mali.ctx, `document.querySelector("#f-lang").value`); got != "en" {
			t.Errorf("language picker = %q, want the interface language en", got)
		}
		e.checkAxe(t, mali.ctx, "/live (join)")
		e.shoot(t, mali.ctx, "live-player-join")
		typeInto(t, mali.ctx, "#f-nickname", "Mali")
		click(t, mali.ctx, "#main form button[type=submit]")
		waitH1(t, mali.ctx, "You're in!")
		if got := eval[string](t, mali.ctx, `localStorage.getItem("readi.live.`+pin+`") || ""`); !strings.HasPrefix(got, "lp_") {
			t.Errorf("player token in localStorage = %q, want lp_...", got)
		}
		if got := eval[string](t, mali.ctx, `location.search`); got != "?pin="+pin {
			t.Errorf("address after joining = %q, want ?pin=%s", got, pin)
		}
		e.checkAxe(t, mali.ctx, "player lobby")
		e.shoot(t, mali.ctx, "live-player-lobby")

		// Typing the PIN, and playing in Thai.
		run(t, somchai.ctx, "open /live", chromedp.Navigate(e.base+"/live"))
		waitH1(t, somchai.ctx, "Join the live game")
		// A PIN with no game says so next to the form.
		other := "000000"
		if pin == other {
			other = "000001"
		}
		typeInto(t, somchai.ctx, "#f-pin", other)
		typeInto(t, somchai.ctx, "#f-nickname", "Somchai")
		click(t, somchai.ctx, "#main form button[type=submit]")
		waitFor(t, somchai.ctx, "the unknown PIN", `document.querySelector(".form-error")?.textContent.includes("No open game has this PIN")`)
		run(t, somchai.ctx, "clear", chromedp.Evaluate(`document.querySelector("#f-pin").value = ""; document.querySelector("#f-nickname").value = ""; true`, nil))
		typeInto(t, somchai.ctx, "#f-pin", pin)
		typeInto(t, somchai.ctx, "#f-nickname", "Somchai")
		run(t, somchai.ctx, "Thai", chromedp.SetValue("#f-lang", "th", chromedp.ByQuery))
		click(t, somchai.ctx, "#main form button[type=submit]")
		waitH1(t, somchai.ctx, "เข้าร่วมแล้ว!")
		waitFor(t, somchai.ctx, "the Thai interface", `document.documentElement.lang === "th" && document.querySelector("#lang-select").value === "th"`)
		waitFor(t, somchai.ctx, "two players in the lobby", `document.querySelector(".live-view").textContent.includes("ผู้เล่น: 2 คน")`)
		e.checkAxe(t, somchai.ctx, "player lobby (Thai)")
		e.shoot(t, somchai.ctx, "live-player-lobby-thai")

		// A rude nickname: the host removes it, and the player joins again.
		run(t, linh.ctx, "open the join link", chromedp.Navigate(e.base+"/live?pin="+pin))
		waitH1(t, linh.ctx, "Join the live game")
		typeInto(t, linh.ctx, "#f-nickname", "Bossy")
		click(t, linh.ctx, "#main form button[type=submit]")
		waitH1(t, linh.ctx, "You're in!")
		waitFor(t, host, "three names on the wall", `document.querySelectorAll("#live-wall li").length === 3`)
		click(t, host, `#live-wall li:last-child button.remove`)
		waitFor(t, host, "the confirmation", `document.querySelector("dialog.confirm-dialog")?.open && document.activeElement.id === "confirm-cancel"`)
		click(t, host, "#confirm-ok")
		waitFor(t, host, "Bossy gone", `document.querySelectorAll("#live-wall li").length === 2 && document.querySelector("#live-host-status").textContent.includes("Bossy")`)
		waitH1(t, linh.ctx, "You are no longer in this game")
		if got := eval[string](t, linh.ctx, `localStorage.getItem("readi.live.`+pin+`")`); got != "" {
			t.Errorf("a removed player's token is still kept: %q", got)
		}
		click(t, linh.ctx, "#live-again")
		waitH1(t, linh.ctx, "Join the live game")
		typeInto(t, linh.ctx, "#f-pin", pin)
		typeInto(t, linh.ctx, "#f-nickname", "Linh")
		click(t, linh.ctx, "#main form button[type=submit]")
		waitH1(t, linh.ctx, "You're in!")

		waitFor(t, host, "three players", `document.querySelectorAll("#live-wall li").length === 3 && document.querySelector("#live-count").textContent === "Players: 3"`)
		names := eval[[]string](t, host, `[...document.querySelectorAll("#live-wall li .who")].map(s => s.textContent)`)
		slices.Sort(names)
		if !slices.Equal(names, []string{"Linh", "Mali", "Somchai"}) {
			t.Errorf("names on the wall = %v, want Linh, Mali and Somchai", names)
		}
		e.checkAxe(t, host, "host lobby")
		e.shoot(t, host, "live-host-lobby")
	})

	// stage waits until both host tabs show the state (and, for a question or reveal, its number).
	stage := func(t *testing.T, state string, seq int) {
		t.Helper()
		for _, ctx := range []context.Context{host, host2} {
			waitFor(t, ctx, fmt.Sprintf("host at %s %d", state, seq),
				fmt.Sprintf(`(() => { const d = document.querySelector("#live-stage")?.dataset || {}; return d.state === %q && d.seq === "%d"; })()`, state, seq))
		}
	}
	// phase waits until a player's screen is at phase/seq (and mode, if given).
	phase := func(t *testing.T, p livePlayer, ph string, seq int, mode string) {
		t.Helper()
		cond := fmt.Sprintf(`d.phase === %q && d.seq === "%d"`, ph, seq)
		if mode != "" {
			cond += fmt.Sprintf(` && d.mode === %q`, mode)
		}
		waitFor(t, p.ctx, fmt.Sprintf("%s at %s %d %s", p.name, ph, seq, mode),
			`(() => { const d = document.querySelector(".live-view")?.dataset || {}; return `+cond+`; })()`)
	}
	score := func(p livePlayer) string {
		return eval[string](t, p.ctx, `document.querySelector(".live-me .score")?.textContent || ""`)
	}

	t.Run("question 1, single: everyone answers, the reveal comes by itself", func(t *testing.T) {
		click(t, host, "#live-next")
		stage(t, "question", 1)
		for _, p := range players {
			phase(t, p, "question", 1, "open")
		}
		if got := eval[string](t, host, `document.querySelector("#live-answered").textContent`); got != "Answered: 0 of 3" {
			t.Errorf("host answered count = %q, want Answered: 0 of 3", got)
		}
		// Each answer carries a shape and a letter, not only a colour.
		marks := eval[[]string](t, mali.ctx, `[...document.querySelectorAll(".live-choice")].map(b => b.querySelector(".live-mark svg path") ? b.querySelector(".live-letter").textContent : "")`)
		if len(marks) != len(byID["sts-q01"].Options) || marks[0] != "A" || marks[1] != "B" {
			t.Errorf("answer marks = %v, want a shape and the letters A, B, …", marks)
		}
		if !eval[bool](t, mali.ctx, `!!document.querySelector(".live-timer [role=timer]")`) {
			t.Error("a timed question shows no countdown")
		}
		e.checkAxe(t, host, "host question")
		e.shoot(t, host, "live-host-question")
		e.checkAxe(t, mali.ctx, "player question")
		e.shoot(t, mali.ctx, "live-player-question")

		liveAnswer(t, mali, byID["sts-q01"], true, false)
		liveAnswer(t, somchai, byID["sts-q01"], true, true)
		waitFor(t, host, "two answers counted", `document.querySelector("#live-answered").textContent === "Answered: 2 of 3"`)
		// Answer received, and nothing about whether it was right.
		if got := eval[string](t, mali.ctx, `document.querySelector(".live-view").textContent`); strings.Contains(got, "Right") || strings.Contains(got, "Not right") {
			t.Errorf("the answer-received view gives the result away: %q", got)
		}
		e.checkAxe(t, mali.ctx, "player answer received")
		e.shoot(t, mali.ctx, "live-player-received")
		liveAnswer(t, linh, byID["sts-q01"], false, false)

		stage(t, "reveal", 1)
		for _, p := range players {
			phase(t, p, "reveal", 1, "")
		}
		if got := eval[string](t, host, `document.querySelector("#live-summary").textContent`); got != "Fully right: 2 of 3" {
			t.Errorf("host reveal summary = %q, want Fully right: 2 of 3", got)
		}
		right := eval[[]string](t, host, `[...document.querySelectorAll("#live-dist li.right")].map(li => li.dataset.choice + ": " + li.textContent)`)
		var key string
		for _, o := range byID["sts-q01"].Options {
			if o.Correct {
				key = o.ID
			}
		}
		if len(right) != 1 || !strings.HasPrefix(right[0], key+": ") || !strings.Contains(right[0], "right answer") || !strings.Contains(right[0], "Answers: 2") {
			t.Errorf("right choices in the chart = %q, want only %s, marked in words, with 2 answers", right, key)
		}
		if got := eval[string](t, mali.ctx, `document.querySelector("h1").textContent`); !strings.Contains(got, "✓") || !strings.Contains(got, "Right!") {
			t.Errorf("Mali's reveal = %q, want ✓ Right!", got)
		}
		if got := eval[string](t, linh.ctx, `document.querySelector("h1").textContent`); !strings.Contains(got, "✗") || !strings.Contains(got, "Not right") {
			t.Errorf("Linh's reveal = %q, want ✗ Not right", got)
		}
		if got := eval[string](t, mali.ctx, `document.querySelector(".live-stats").textContent`); !strings.Contains(got, "+") || !strings.Contains(got, "Place ") {
			t.Errorf("Mali's reveal stats = %q, want her points and place", got)
		}
		if !eval[bool](t, mali.ctx, `document.querySelector(".live-key").textContent.includes(`+jsString(byID["sts-q01"].Explanation[:30])+`)`) {
			t.Error("the reveal does not show the explanation")
		}
		e.checkAxe(t, host, "host reveal")
		e.shoot(t, host, "live-host-reveal")
		run(t, host, "dark", media(true))
		e.checkAxe(t, host, "host reveal (dark)")
		e.shoot(t, host, "live-host-reveal-dark")
		run(t, host, "light", media(false))
		e.checkAxe(t, mali.ctx, "player reveal")
		e.shoot(t, mali.ctx, "live-player-reveal")
		e.checkAxe(t, somchai.ctx, "player reveal (Thai)")
		e.shoot(t, somchai.ctx, "live-player-reveal-thai")

		click(t, host, "#live-next")
		waitFor(t, host, "the leaderboard", `document.querySelector("#live-stage").dataset.sub === "board" && document.querySelectorAll("#live-stage .live-board li").length === 3`)
		e.checkAxe(t, host, "host leaderboard")
		e.shoot(t, host, "live-host-leaderboard")
	})

	var before string
	t.Run("question 2, red flags: a reload mid-question, a pause", func(t *testing.T) {
		click(t, host, "#live-next")
		stage(t, "question", 2)
		for _, p := range players {
			phase(t, p, "question", 2, "open")
		}
		before = score(mali)
		if before == "" || before == "0 points" {
			t.Fatalf("Mali's score before the reload = %q, want her points from question 1", before)
		}
		// A reload (a phone waking up, a new network): straight back in.
		run(t, mali.ctx, "reload", chromedp.Reload())
		phase(t, mali, "question", 2, "open")
		if got := score(mali); got != before {
			t.Errorf("Mali's score after the reload = %q, want %q", got, before)
		}
		if got := eval[float64](t, mali.ctx, `parseFloat(document.querySelector(".live-timer-num").textContent)`); got <= 0 || got > 60 {
			t.Errorf("countdown after the reload = %v s, want the time left of the question", got)
		}
		e.checkAxe(t, mali.ctx, "player red flags")
		e.shoot(t, mali.ctx, "live-player-flags")

		// Pause: the players see it; resume.
		click(t, host, "#live-pause")
		waitFor(t, somchai.ctx, "the pause", `!document.querySelector(".live-paused").hidden`)
		waitFor(t, host, "Resume", `document.querySelector("#live-pause").textContent === "Resume"`)
		e.shoot(t, host, "live-host-paused")
		click(t, host, "#live-pause")
		waitFor(t, somchai.ctx, "the game going on", `document.querySelector(".live-paused").hidden`)

		for _, p := range players {
			liveAnswer(t, p, byID["sts-q02"], p.name != "Linh", p.name == "Somchai")
		}
		stage(t, "reveal", 2)
		phase(t, mali, "reveal", 2, "")
		if n := eval[int](t, host, `document.querySelectorAll("#live-dist li.right").length`); n == 0 {
			t.Error("the red flags chart marks no segment as a warning sign")
		}
		click(t, host, "#live-next")
		waitFor(t, host, "the leaderboard", `document.querySelector("#live-stage").dataset.sub === "board"`)
	})

	t.Run("question 3, multiple", func(t *testing.T) {
		click(t, host, "#live-next")
		stage(t, "question", 3)
		for _, p := range players {
			phase(t, p, "question", 3, "open")
			liveAnswer(t, p, byID["sts-q03"], p.name != "Linh", false)
		}
		stage(t, "reveal", 3)
		phase(t, linh, "reveal", 3, "")
		click(t, host, "#live-next")
		waitFor(t, host, "the leaderboard", `document.querySelector("#live-stage").dataset.sub === "board"`)
	})

	t.Run("question 4, true or false: one does not answer, the host reveals", func(t *testing.T) {
		click(t, host, "#live-next")
		stage(t, "question", 4)
		for _, p := range []livePlayer{mali, somchai} {
			phase(t, p, "question", 4, "open")
			liveAnswer(t, p, byID["sts-q04"], true, false)
		}
		waitFor(t, host, "two answers", `document.querySelector("#live-answered").textContent === "Answered: 2 of 3"`)
		// Linh's Wi-Fi drops while the answer is revealed: she says so, and
		// when it is back the first event brings her to the reveal.
		run(t, linh.ctx, "offline", network.Enable(), network.EmulateNetworkConditions(true, 0, 0, 0))
		waitFor(t, linh.ctx, "the reconnecting notice", `document.querySelector(".live-conn").textContent === "Reconnecting…"`)
		e.shoot(t, linh.ctx, "live-player-reconnecting")
		if got := eval[string](t, host2, `document.querySelector("#live-stage").dataset.state`); got != "question" {
			t.Errorf("with one answer missing the game moved to %q by itself", got)
		}
		// The facilitator reveals by keyboard.
		tabTo(t, host, "#live-next")
		press(t, host, kb.Enter)
		stage(t, "reveal", 4)
		run(t, linh.ctx, "online", network.EmulateNetworkConditions(false, 0, -1, -1))
		phase(t, linh, "reveal", 4, "")
		waitFor(t, linh.ctx, "the notice gone", `document.querySelector(".live-conn").textContent === ""`)
		if got := eval[string](t, linh.ctx, `document.querySelector("h1").textContent`); !strings.Contains(got, "No answer") {
			t.Errorf("Linh's reveal without an answer = %q, want No answer", got)
		}
		click(t, host, "#live-next")
		waitFor(t, host, "the leaderboard", `document.querySelector("#live-stage").dataset.sub === "board"`)
	})

	t.Run("question 5, ordering, then the podium", func(t *testing.T) {
		click(t, host, "#live-next")
		stage(t, "question", 5)
		for _, p := range players {
			phase(t, p, "question", 5, "open")
		}
		e.checkAxe(t, mali.ctx, "player ordering")
		e.shoot(t, mali.ctx, "live-player-ordering")
		for _, p := range players {
			liveAnswer(t, p, byID["sts-q09"], p.name != "Linh", p.name == "Mali")
		}
		stage(t, "reveal", 5)
		click(t, host, "#live-next")
		waitFor(t, host, "the last leaderboard", `document.querySelector("#live-stage").dataset.sub === "board" && document.querySelector("#live-next").textContent === "Show the final results"`)
		click(t, host, "#live-next")
		stage(t, "ended", 5)
		waitFor(t, host, "the podium", `document.querySelectorAll(".live-podium li").length === 3 && !!document.querySelector("#live-report")`)
		podium := eval[[]string](t, host, `[...document.querySelectorAll(".live-podium li .who")].map(s => s.textContent)`)
		if len(podium) != 3 || podium[2] != "Linh" {
			t.Errorf("podium = %v, want Linh third (she got nothing right)", podium)
		}
		e.checkAxe(t, host, "host podium")
		e.shoot(t, host, "live-host-podium")

		for _, p := range players {
			phase(t, p, "ended", 5, "")
		}
		if got := eval[string](t, mali.ctx, `document.querySelector(".live-final-me").textContent`); !strings.Contains(got, "place") {
			t.Errorf("Mali's final line = %q, want her place", got)
		}
		// What to review: every question Linh got wrong or missed, each with its lesson.
		links := eval[[]string](t, linh.ctx, `[...document.querySelectorAll(".live-review a")].map(a => a.getAttribute("href"))`)
		if n := eval[int](t, linh.ctx, `document.querySelectorAll(".live-review ul li").length`); n != len(plan) || len(links) == 0 {
			t.Errorf("Linh has %d questions to review under %d lessons, want %d questions", n, len(links), len(plan))
		}
		for _, l := range links {
			if !strings.HasPrefix(l, "/modules/spot-the-scam/lessons/") {
				t.Errorf("review link %q does not lead to a lesson of the module", l)
			}
		}
		if n := eval[int](t, mali.ctx, `document.querySelectorAll(".live-podium li").length`); n != 3 {
			t.Errorf("the player's podium has %d places, want 3", n)
		}
		e.checkAxe(t, mali.ctx, "player podium")
		e.shoot(t, mali.ctx, "live-player-podium")
		run(t, linh.ctx, "dark", media(true))
		e.checkAxe(t, linh.ctx, "player podium with things to review")
		e.shoot(t, linh.ctx, "live-player-review")
		e.checkAxe(t, somchai.ctx, "player podium (Thai)")
		e.shoot(t, somchai.ctx, "live-player-podium-thai")
		if got := eval[string](t, somchai.ctx, `document.querySelector("h1").textContent`); got != "ผลสุดท้าย" {
			t.Errorf("Somchai's final heading = %q, want it in Thai", got)
		}
		// A reload after the end still shows the results.
		run(t, mali.ctx, "reload", chromedp.Reload())
		phase(t, mali, "ended", 5, "")
	})

	t.Run("an untimed game in teams", func(t *testing.T) {
		run(t, host, "open /live/new", chromedp.Navigate(e.base+"/live/new?module=spot-the-scam"))
		waitH1(t, host, "Host a live game")
		waitFor(t, host, "the questions to pick from", `document.querySelectorAll('#live-pick input[name="questions"]').length > 5`)
		waitFor(t, host, "the first game's report link", `document.querySelectorAll("#live-games a[href$='/report']").length === 1`)
		click(t, host, "#live-pick summary")
		run(t, host, "one question", chromedp.Evaluate(`(() => {
			for (const b of document.querySelectorAll('#live-pick input[name="questions"]:not(:disabled)')) b.checked = b.value === "sts-q04";
			return true; })()`, nil))
		run(t, host, "untimed", chromedp.SetValue("#f-time_limit_s", "0", chromedp.ByQuery))
		click(t, host, "#f-teams")
		waitFor(t, host, "the number of teams", `!document.querySelector("#f-team_count").closest(".field").hidden`)
		run(t, host, "two teams", chromedp.SetValue("#f-team_count", "2", chromedp.ByQuery))
		click(t, host, "#live-new-form button[type=submit]")
		waitH1(t, host, "Live: "+sts.Title)
		waitFor(t, host, "the PIN", `/^\d{6}$/.test(document.querySelector("#live-pin")?.textContent || "")`)
		pin2 := eval[string](t, host, `document.querySelector("#live-pin").textContent`)

		// Mali's phone still holds the finished game; the new link joins the new one.
		run(t, mali.ctx, "light", media(false))
		run(t, mali.ctx, "open the new join link", chromedp.Navigate(e.base+"/live?pin="+pin2))
		waitH1(t, mali.ctx, "Join the live game")
		typeInto(t, mali.ctx, "#f-nickname", "Mali")
		click(t, mali.ctx, "#main form button[type=submit]")
		waitH1(t, mali.ctx, "You're in!")
		if got := eval[string](t, mali.ctx, `document.querySelector(".live-team")?.textContent || ""`); !strings.HasPrefix(got, "You play in team ") {
			t.Errorf("team line in the lobby = %q, want You play in team …", got)
		}
		waitFor(t, host, "Mali with her team", `document.querySelector("#live-wall li")?.textContent.includes("Team ")`)
		// Locked: nobody new gets in, and is told why.
		click(t, host, "#live-lock")
		waitFor(t, host, "locked", `document.querySelector(".live-host-meta .locked")?.textContent === "Joining is locked" && document.querySelector("#live-lock").textContent === "Unlock joining"`)
		run(t, linh.ctx, "open the new join link", chromedp.Navigate(e.base+"/live?pin="+pin2))
		waitH1(t, linh.ctx, "Join the live game")
		typeInto(t, linh.ctx, "#f-nickname", "Linh")
		click(t, linh.ctx, "#main form button[type=submit]")
		waitFor(t, linh.ctx, "the lock", `document.querySelector(".form-error")?.textContent.includes("locked this game")`)
		click(t, host, "#live-lock")
		waitFor(t, host, "unlocked", `!document.querySelector(".live-host-meta .locked")`)
		click(t, host, "#live-next")
		phase(t, mali, "question", 1, "open")
		if n := eval[int](t, mali.ctx, `document.querySelectorAll(".live-timer").length`) + eval[int](t, host, `document.querySelectorAll(".live-timer").length`); n != 0 {
			t.Error("an untimed question shows a countdown")
		}
		if eval[bool](t, host, `!document.querySelector("#live-pause").hidden`) {
			t.Error("an untimed question offers a pause")
		}
		liveAnswer(t, mali, byID["sts-q04"], true, false)
		waitFor(t, host, "the reveal", `document.querySelector("#live-stage").dataset.state === "reveal"`)
		phase(t, mali, "reveal", 1, "")
		click(t, host, "#live-next")
		waitFor(t, host, "the team board", `document.querySelectorAll("#live-stage .live-board.teams li").length >= 1`)
		e.shoot(t, host, "live-host-teams")
		click(t, host, "#live-next")
		waitFor(t, host, "the podium and the teams", `document.querySelector("#live-stage").dataset.state === "ended" && !!document.querySelector("#live-stage .live-board.teams")`)
		phase(t, mali, "ended", 1, "")
		if n := eval[int](t, mali.ctx, `document.querySelectorAll(".live-review ul li").length`); n != 0 {
			t.Errorf("Mali got the one question right but has %d to review", n)
		}
		run(t, host, "back to the first game", chromedp.Navigate(e.base+"/live/host/"+gameID))
		waitFor(t, host, "the first game's podium", `document.querySelector("#live-stage")?.dataset.state === "ended"`)
	})

	t.Run("report and CSV", func(t *testing.T) {
		click(t, host, "#live-report")
		waitH1(t, host, "Report: "+sts.Title)
		rows := eval[[]string](t, host, `[...document.querySelectorAll("#live-players tbody tr")].map(tr => tr.innerText.replace(/\s+/g, " "))`)
		// The three players by place, then the removed one, marked.
		if len(rows) != 4 || !strings.HasPrefix(rows[0], "1 ") || !strings.Contains(rows[3], "Bossy Removed") {
			t.Errorf("report rows = %q, want the three players by place, then Bossy, removed", rows)
		}
		if n := eval[int](t, host, `document.querySelectorAll("#live-qstats tbody tr").length`); n != len(plan) {
			t.Errorf("report lists %d questions, want %d", n, len(plan))
		}
		click(t, host, "#download-csv")
		waitFor(t, host, "the download", `document.querySelector("#csv-status").textContent.includes("downloaded")`)
		var csv []byte
		file := filepath.Join(downloads, "live-"+gameID+"-report.csv")
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if b, err := os.ReadFile(file); err == nil && len(b) > 0 {
				csv = b
				break
			}
		}
		for _, name := range []string{"Mali", "Somchai", "Linh"} {
			if !strings.Contains(string(csv), name) {
				t.Errorf("downloaded CSV %s lacks %s:\n%s", file, name, csv)
			}
		}
		e.checkAxe(t, host, "live report")
		e.shoot(t, host, "live-report")
	})
	e.checkConsole(t)
}

// liveAnswer answers q on a player's phone, right or wrong, by pointer or
// by keyboard alone, and waits for "answer received".
func liveAnswer(t *testing.T, p livePlayer, q model.Question, right, byKeys bool) {
	t.Helper()
	ctx := p.ctx
	push := func(sel string) {
		if byKeys {
			tabTo(t, ctx, sel)
			press(t, ctx, kb.Enter)
		} else {
			click(t, ctx, sel)
		}
	}
	switch q.Type {
	case model.Single:
		for _, o := range q.Options {
			if o.Correct == right {
				push(fmt.Sprintf(`.live-choice[data-choice=%q]`, o.ID))
				break
			}
		}
	case model.TrueFalse:
		push(fmt.Sprintf(`.live-choice[data-choice="%t"]`, *q.Answer == right))
	case model.Multiple:
		for _, o := range q.Options {
			if o.Correct == right {
				push(fmt.Sprintf(`.live-choice[data-choice=%q]`, o.ID))
				if !right {
					break
				}
			}
		}
		push("#live-send")
	case model.RedFlags:
		for _, s := range q.Message.Segments {
			if s.Flag == right {
				push(fmt.Sprintf(`.live-widget button[data-seg=%q]`, s.ID))
			}
		}
		push("#live-send")
	case model.Ordering:
		if right {
			for i, it := range q.Items {
				order := eval[[]string](t, ctx, `[...document.querySelectorAll(".live-widget .order-item")].map(li => li.dataset.id)`)
				for j := slices.Index(order, it.ID); j > i; j-- {
					push(fmt.Sprintf(`.live-widget .order-item[data-id=%q] [data-dir="up"]`, it.ID))
				}
			}
		} else {
			// Whatever order it came in, make it not the right one.
			order := eval[[]string](t, ctx, `[...document.querySelectorAll(".live-widget .order-item")].map(li => li.dataset.id)`)
			if order[0] == q.Items[0].ID {
				push(fmt.Sprintf(`.live-widget .order-item[data-id=%q] [data-dir="down"]`, order[0]))
			}
		}
		push("#live-send")
	default:
		t.Fatalf("%s: a %s question is not played live", q.ID, q.Type)
	}
	waitFor(t, ctx, p.name+" answer received", `document.querySelector(".live-view")?.dataset.mode === "sent" && !!document.querySelector(".live-received")`)
}

// window opens a second window on parent's browser context (the same
// cookies and storage, like a second tab of the same person). A tab of its
// own window stays visible: a background tab would get no animation frames,
// which click() waits for.
func (e *env) window(t *testing.T, parent context.Context) context.Context {
	t.Helper()
	var tid target.ID
	run(t, parent, "new window", chromedp.ActionFunc(func(ctx context.Context) error {
		c := chromedp.FromContext(ctx)
		var err error
		tid, err = target.CreateTarget("about:blank").WithBrowserContextID(c.BrowserContextID).WithNewWindow(true).
			Do(cdp.WithExecutor(ctx, c.Browser))
		return err
	}))
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithTargetID(tid))
	t.Cleanup(cancel)
	e.listen(t, ctx)
	run(t, ctx, "viewport", chromedp.EmulateViewport(1280, 900))
	return ctx
}

func jsonOf(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
