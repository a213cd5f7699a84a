package frontend_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/readi-platform/readi/internal/catalog"
	"github.com/readi-platform/readi/internal/model"
)

// testEducator drives the class screens with two people at once: an
// educator (made on the server, as an admin would) creates a class, assigns
// modules and projects the join code; a learner in a second browser
// context joins with the code and a nickname, sees the assignments at home
// and completes one; the educator's matrix, CSV and question analytics then
// show it. Every new screen is opened by its deep link, checked with axe
// and photographed at 360 and 1280 px.
func (e *env) testEducator(t *testing.T, pack *catalog.Pack) {
	bg := context.Background()
	stamp := time.Now().UnixNano()
	email := fmt.Sprintf("dara.%d@example.org", stamp)
	coEmail := fmt.Sprintf("niran.%d@example.org", stamp)
	const password = "projector chalk and tea"
	if _, err := e.srv.Accounts.CreateUser(bg, email, password, "Ms Dara", model.RoleEducator); err != nil {
		t.Fatalf("CreateUser(educator) = %v", err)
	}
	if _, err := e.srv.Accounts.CreateUser(bg, coEmail, password, "Mr Niran", model.RoleEducator); err != nil {
		t.Fatalf("CreateUser(co-teacher) = %v", err)
	}
	sts := module(t, pack, "spot-the-scam")
	lya := module(t, pack, "lock-your-accounts")

	ed := e.tab(t)
	// Reduced motion: focus moves after changes scroll at once, so clicks
	// land where the test aims.
	run(t, ed, "reduced motion", media(false))
	downloads := t.TempDir()
	allowDownloads(t, ed, downloads)
	var classID, code, recovery string

	t.Run("educator creates a class", func(t *testing.T) {
		run(t, ed, "open /login", chromedp.Navigate(e.base+"/login"))
		waitH1(t, ed, "Log in")
		typeInto(t, ed, "#f-email", email)
		typeInto(t, ed, "#f-password", password)
		click(t, ed, "#main form button[type=submit]")
		waitH1(t, ed, "Spot it. Stop it. Report it.")
		waitFor(t, ed, "the Classes link", `!document.querySelector("#nav-classes").hidden`)
		click(t, ed, `#nav-classes a`)
		waitH1(t, ed, "My classes")
		e.checkAxe(t, ed, "/classes (none yet)")
		e.shoot(t, ed, "classes-empty")

		typeInto(t, ed, "#f-name", "Forum group A")
		click(t, ed, "#main form button[type=submit]")
		waitH1(t, ed, "Forum group A")
		waitFor(t, ed, "the code and its QR code", `!!document.querySelector("#join-code") && !!document.querySelector("#code-section svg.qr path")`)
		code = eval[string](t, ed, `document.querySelector("#join-code").textContent`)
		classID = strings.TrimPrefix(eval[string](t, ed, `location.pathname`), "/classes/")
		if !model.ValidJoinCode(code) {
			t.Fatalf("join code on screen = %q", code)
		}
		if _, err := strconv.Atoi(classID); err != nil {
			t.Fatalf("class page path = /classes/%s", classID)
		}
		if got := eval[string](t, ed, `document.querySelector("#join-url").textContent`); got != e.base+"/join?code="+code {
			t.Errorf("join link = %q, want %s/join?code=%s", got, e.base, code)
		}
	})
	if code == "" {
		t.Fatal("no class was created; the rest cannot run")
	}
	classPath := "/classes/" + classID

	t.Run("assignments with due dates", func(t *testing.T) {
		assign := func(slug, due string) {
			run(t, ed, "pick "+slug, chromedp.SetValue("#f-module_slug", slug, chromedp.ByQuery),
				chromedp.SetValue("#f-due_at", due, chromedp.ByQuery))
			click(t, ed, "#assign-form button[type=submit]")
			waitFor(t, ed, slug+" assigned", fmt.Sprintf(`!!document.querySelector('#assign-list li[data-module=%q]')`, slug))
		}
		assign("spot-the-scam", "2099-06-30T17:00")
		assign("lock-your-accounts", "2020-01-15T09:00") // already past: overdue
		item := `#assign-list li[data-module="spot-the-scam"]`
		if got := eval[string](t, ed, `document.querySelector('`+item+` .due').textContent`); !strings.Contains(got, "2099") {
			t.Errorf("due date shown = %q, want one in 2099", got)
		}
		// Change the due date, then clear it.
		click(t, ed, item+" .edit-due")
		waitFor(t, ed, "the due date form", `document.activeElement?.type === "datetime-local"`)
		run(t, ed, "new due date", chromedp.SetValue(item+` input[type="datetime-local"]`, "2098-03-01T08:30", chromedp.ByQuery))
		click(t, ed, item+" .due-form button[type=submit]")
		waitFor(t, ed, "the new due date", `document.querySelector('`+item+` .due')?.textContent.includes("2098") && document.activeElement?.classList.contains("edit-due")`)
		click(t, ed, item+" .clear-due")
		waitFor(t, ed, "no due date", `document.querySelector('`+item+` .due')?.textContent === "No due date"`)
		as, err := e.srv.Store.Assignments(bg, mustInt(t, classID))
		if err != nil || len(as) != 2 {
			t.Fatalf("stored assignments = %d, %v; want 2", len(as), err)
		}
		// Sorted by due date, none last: lock-your-accounts (2020), then spot-the-scam (cleared).
		if as[0].DueAt == nil || as[0].DueAt.Year() != 2020 || as[1].DueAt != nil {
			t.Errorf("stored due dates = %v, %v; want 2020 and none", as[0].DueAt, as[1].DueAt)
		}
		e.checkAxe(t, ed, classPath)
		e.shoot(t, ed, "class")
	})

	t.Run("project the code", func(t *testing.T) {
		click(t, ed, "#project-link")
		waitH1(t, ed, "Join Forum group A")
		if got := eval[string](t, ed, `document.querySelector("#project-code").textContent`); got != code {
			t.Errorf("projected code = %q, want %q", got, code)
		}
		if eval[bool](t, ed, `getComputedStyle(document.querySelector(".site-header")).display !== "none"`) {
			t.Error("the projection view still shows the site header")
		}
		if px := eval[float64](t, ed, `parseFloat(getComputedStyle(document.querySelector("#project-code")).fontSize)`); px < 100 {
			t.Errorf("projected code is %.0f px high at 1280 px, want at least 100", px)
		}
		e.checkAxe(t, ed, classPath+"/project")
		e.shoot(t, ed, "class-project")
		click(t, ed, "#project-back")
		waitH1(t, ed, "Forum group A")
		if eval[bool](t, ed, `document.body.classList.contains("projecting")`) {
			t.Error("leaving the projection view kept it full screen")
		}
	})

	t.Run("QR encoder matches reference symbols", func(t *testing.T) {
		golden, err := os.ReadFile(filepath.Join("testdata", "qr", "golden.json"))
		if err != nil {
			t.Fatal(err)
		}
		var cases []struct {
			Text    string   `json:"text"`
			Mask    int      `json:"mask"`
			Version int      `json:"version"`
			Rows    []string `json:"rows"`
		}
		if err := json.Unmarshal(golden, &cases); err != nil || len(cases) < 10 {
			t.Fatalf("testdata/qr/golden.json: %d cases, %v", len(cases), err)
		}
		in, _ := json.Marshal(cases)
		var got [][]string
		run(t, ed, "encode", chromedp.Evaluate(`import("/assets/js/widgets/qr.js").then(m => `+string(in)+
			`.map(c => m.encode(c.text, {mask: c.mask}).map(r => r.map(d => d ? "1" : "0").join(""))))`, &got,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
		for i, c := range cases {
			if !slices.Equal(got[i], c.Rows) {
				t.Errorf("qr.js on %.30q, mask %d: %d rows differ from the reference version %d symbol", c.Text, c.Mask, len(got[i]), c.Version)
			}
		}
	})

	learner := e.incognito(t, ed)
	t.Run("learner joins and completes the assigned module", func(t *testing.T) {
		run(t, learner, "open the join link", chromedp.Navigate(e.base+"/join?code="+code))
		waitH1(t, learner, "Join a class")
		if got := eval[string](t, learner, `document.querySelector("#f-code").value`); got != code {
			t.Errorf("code field = %q, want %q from the link", got, code)
		}
		e.checkAxe(t, learner, "/join?code=")
		e.shoot(t, learner, "join-prefilled")
		typeInto(t, learner, "#f-nickname", "Somchai")
		click(t, learner, "#main form button[type=submit]")
		waitH1(t, learner, "Welcome, Somchai!")
		recovery = eval[string](t, learner, `document.querySelector("#recovery-code").textContent`)
		if recovery == "" || !strings.Contains(eval[string](t, learner, `document.querySelector("#recovery").textContent`), "shown only once") {
			t.Errorf("recovery code %q shown without its warning", recovery)
		}
		e.checkAxe(t, learner, "/join (recovery code)")
		e.shoot(t, learner, "join-recovery")

		click(t, learner, "main .actions a.button")
		waitH1(t, learner, "Spot it. Stop it. Report it.")
		waitFor(t, learner, "the assignments", `document.querySelector("#assignments")?.hidden === false && document.querySelectorAll("#assignments li").length === 2`)
		got := eval[[]string](t, learner, `[...document.querySelectorAll("#assignments li")].map(li => li.dataset.module + ": " + li.textContent)`)
		if len(got) != 2 || !strings.HasPrefix(got[0], "lock-your-accounts:") || !strings.Contains(got[0], "Overdue") || !strings.Contains(got[0], "Forum group A") ||
			!strings.HasPrefix(got[1], "spot-the-scam:") || !strings.Contains(got[1], "No due date") || !strings.Contains(got[1], "Not started") {
			t.Errorf("home assignments = %q, want lock-your-accounts overdue first, then spot-the-scam with no due date", got)
		}
		e.checkAxe(t, learner, "/ (assignments)")
		e.shoot(t, learner, "home-assignments")

		for _, l := range sts.Lessons {
			run(t, learner, "open "+l.Slug, chromedp.Navigate(e.base+"/modules/spot-the-scam/lessons/"+l.Slug))
			waitH1(t, learner, l.Title)
			run(t, learner, "scroll to the end", chromedp.ScrollIntoView("#lesson-end", chromedp.ByQuery))
			waitFor(t, learner, "the completion", `document.querySelector("#lesson-state")?.textContent.includes("Lesson complete")`)
		}
		run(t, learner, "open the quiz", chromedp.Navigate(e.base+"/modules/spot-the-scam/quiz"))
		waitH1(t, learner, "Quiz: "+sts.Title)
		for _, q := range sts.Quiz.Questions {
			answer(t, learner, q, false)
		}
		click(t, learner, "#quiz-submit")
		waitFor(t, learner, "the result", `document.querySelector(".verdict")?.textContent === "Passed"`)
		run(t, learner, "home", chromedp.Navigate(e.base+"/"))
		waitFor(t, learner, "the completed assignment", `document.querySelector('#assignments li[data-module="spot-the-scam"]')?.textContent.includes("Completed")`)

		// Signed in, the join link joins with this account; the class
		// screens are closed to learners.
		run(t, learner, "open the join link again", chromedp.Navigate(e.base+"/join?code="+code))
		waitH1(t, learner, "Join a class")
		if n := eval[int](t, learner, `document.querySelectorAll("#f-nickname").length`); n != 0 {
			t.Error("a signed-in learner is asked for a nickname (a second account)")
		}
		click(t, learner, "#main form button[type=submit]")
		waitH1(t, learner, "You joined Forum group A")
		run(t, learner, "open /classes", chromedp.Navigate(e.base+"/classes"))
		waitH1(t, learner, "My classes")
		if got := eval[string](t, learner, `document.querySelector("main").textContent`); !strings.Contains(got, "Classes are for teachers") ||
			eval[bool](t, learner, `!document.querySelector("#nav-classes").hidden`) {
			t.Errorf("/classes for a learner shows %q (and the Classes link: %v)", got, eval[bool](t, learner, `!document.querySelector("#nav-classes").hidden`))
		}
	})

	t.Run("progress matrix, who needs help and CSV", func(t *testing.T) {
		click(t, ed, fmt.Sprintf(`.subnav a[href="%s/progress"]`, classPath))
		waitH1(t, ed, "Progress: Forum group A")
		cell := `#matrix tbody tr td[data-module="spot-the-scam"]`
		if got := eval[string](t, ed, `document.querySelector('`+cell+`')?.dataset.status + " | " + document.querySelector('`+cell+`')?.textContent`); !strings.HasPrefix(got, "completed | ") ||
			!strings.Contains(got, "Completed") || !strings.Contains(got, "Best 100%") || !strings.Contains(got, "attempts: 1") {
			t.Errorf("matrix cell for Somchai × spot-the-scam = %q, want completed with its words, best 100%% and 1 attempt", got)
		}
		if got := eval[string](t, ed, `document.querySelector('#matrix tbody tr td[data-module="lock-your-accounts"]')?.textContent`); !strings.Contains(got, "Overdue") {
			t.Errorf("matrix cell for lock-your-accounts = %q, want Overdue", got)
		}
		if got := eval[string](t, ed, `document.querySelector("#needs-help").textContent`); !strings.Contains(got, "Somchai") || !strings.Contains(got, "Overdue: "+lya.Title) {
			t.Errorf("who needs help = %q, want Somchai, overdue on %s", got, lya.Title)
		}
		if n := eval[int](t, ed, `document.querySelectorAll(".readi-chart svg rect").length`); n != 10 {
			t.Errorf("class READI chart has %d bars and tracks, want 10", n)
		}
		click(t, ed, "#download-csv")
		waitFor(t, ed, "the download", `document.querySelector("#csv-status").textContent.includes("downloaded")`)
		var csv []byte
		file := filepath.Join(downloads, "class-"+classID+"-report.csv")
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			if b, err := os.ReadFile(file); err == nil && len(b) > 0 {
				csv = b
				break
			}
		}
		var row string
		for _, line := range strings.Split(string(csv), "\n") {
			if strings.HasPrefix(line, "Somchai,spot-the-scam,") {
				row = line
			}
		}
		if !strings.Contains(row, ",completed,") {
			t.Errorf("downloaded CSV %s has no completed row for Somchai:\n%s", file, csv)
		}
		e.checkAxe(t, ed, classPath+"/progress")
		e.shoot(t, ed, "class-progress")
		run(t, ed, "dark", media(true))
		e.checkAxe(t, ed, classPath+"/progress (dark)")
		e.shoot(t, ed, "class-progress-dark")
		run(t, ed, "light", media(false))
	})

	t.Run("question analytics", func(t *testing.T) {
		run(t, ed, "deep link", chromedp.Navigate(e.base+classPath+"/questions?module=spot-the-scam"))
		waitH1(t, ed, "Questions: Forum group A")
		waitFor(t, ed, "the questions", fmt.Sprintf(`document.querySelectorAll("#qstats > li").length === %d`, len(sts.Quiz.Questions)))
		got := eval[[]string](t, ed, `[...document.querySelectorAll("#qstats .pct-text")].map(s => s.textContent)`)
		for i, s := range got {
			if s != "100% right · answers: 1" {
				t.Errorf("question %d: %q, want 100%% right from 1 answer", i+1, s)
			}
		}
		if n := eval[int](t, ed, `document.querySelectorAll("#qstats table.choices").length`); n == 0 {
			t.Error("no question shows its choice counts")
		}
		e.checkAxe(t, ed, classPath+"/questions")
		e.shoot(t, ed, "class-questions")
	})

	t.Run("recovery code on another device", func(t *testing.T) {
		other := e.incognito(t, ed)
		run(t, other, "open /recover", chromedp.Navigate(e.base+"/recover"))
		waitH1(t, other, "Use your recovery code")
		e.checkAxe(t, other, "/recover")
		e.shoot(t, other, "recover")
		typeInto(t, other, "#f-recovery_code", strings.ToLower(recovery))
		click(t, other, "#main form button[type=submit]")
		waitH1(t, other, "Welcome back, Somchai!")
		next := eval[string](t, other, `document.querySelector("#recovery-code").textContent`)
		if next == "" || next == recovery {
			t.Errorf("new recovery code = %q, want a new one (old %q)", next, recovery)
		}
		if !strings.Contains(eval[string](t, other, `document.querySelector("main").textContent`), "old recovery code no longer works") {
			t.Error("the recovery screen does not say the old code is gone")
		}
		e.checkAxe(t, other, "/recover (new code)")
		e.shoot(t, other, "recover-done")
	})

	t.Run("code, members, co-teacher and settings", func(t *testing.T) {
		run(t, ed, "open /classes", chromedp.Navigate(e.base+"/classes"))
		waitH1(t, ed, "My classes")
		if got := eval[string](t, ed, `document.querySelector("#class-list li[data-class='`+classID+`']")?.textContent || ""`); !strings.Contains(got, "Forum group A") || !strings.Contains(got, "Learners: 1") || !strings.Contains(got, code) {
			t.Errorf("class list item = %q, want the name, 1 learner and the code", got)
		}
		e.checkAxe(t, ed, "/classes")
		e.shoot(t, ed, "classes")
		run(t, ed, "deep link", chromedp.Navigate(e.base+classPath))
		waitH1(t, ed, "Forum group A")
		// The confirmation closes with Escape, and the focus comes back.
		click(t, ed, "#code-rotate")
		waitFor(t, ed, "the confirmation", `document.querySelector("dialog.confirm-dialog")?.open && document.activeElement.id === "confirm-cancel"`)
		press(t, ed, kb.Escape)
		waitFor(t, ed, "the focus back", `!document.querySelector("dialog.confirm-dialog") && document.activeElement.id === "code-rotate"`)
		if got := eval[string](t, ed, `document.querySelector("#join-code").textContent`); got != code {
			t.Errorf("code after cancelling = %q, want still %q", got, code)
		}
		// A new code, after a confirmation.
		click(t, ed, "#code-rotate")
		waitFor(t, ed, "the confirmation", `document.querySelector("dialog.confirm-dialog")?.open && document.activeElement.id === "confirm-cancel"`)
		e.checkAxe(t, ed, "confirmation dialog")
		e.shoot(t, ed, "confirm-dialog")
		click(t, ed, "#confirm-ok")
		waitFor(t, ed, "a new code", fmt.Sprintf(`!!document.querySelector("#join-code") && document.querySelector("#join-code").textContent !== %q`, code))
		// The class page in Thai.
		run(t, ed, "switch to Thai", chromedp.SetValue("#lang-select", "th", chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelector("#lang-select").dispatchEvent(new Event("change")), true`, nil))
		waitFor(t, ed, "Thai", `document.documentElement.lang === "th" && document.querySelector("#code-title")?.textContent === "รหัสเข้าร่วม"`)
		e.checkAxe(t, ed, classPath+" (Thai)")
		e.shoot(t, ed, "class-thai")
		run(t, ed, "back to English", chromedp.SetValue("#lang-select", "en", chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelector("#lang-select").dispatchEvent(new Event("change")), true`, nil))
		waitFor(t, ed, "English", `document.querySelector("#code-title")?.textContent === "Join code"`)
		// Close joining, then open it again.
		click(t, ed, "#code-close")
		waitFor(t, ed, "joining closed", `!document.querySelector("#join-code") && !!document.querySelector("#code-open")`)
		click(t, ed, "#code-open")
		waitFor(t, ed, "joining open", `!!document.querySelector("#join-code")`)
		// A co-teacher by e-mail; an unknown address is explained.
		typeInto(t, ed, "#teachers-section #f-email", "nobody@example.org")
		click(t, ed, "#teachers-section button[type=submit]")
		waitFor(t, ed, "the unknown address", `!!document.querySelector("#f-email-error")`)
		run(t, ed, "clear", chromedp.Evaluate(`document.querySelector("#teachers-section #f-email").value = ""`, nil))
		typeInto(t, ed, "#teachers-section #f-email", coEmail)
		click(t, ed, "#teachers-section button[type=submit]")
		waitFor(t, ed, "the co-teacher", `document.querySelector("#teacher-status").textContent.includes("can now see")`)
		// Both teachers are listed, the owner marked; the owner removes the
		// co-teacher after a confirmation, and adds them back.
		waitFor(t, ed, "the teachers", `document.querySelectorAll("#teachers-table tbody tr").length === 2 &&
			document.querySelector("#teachers-table tbody tr .tag")?.textContent === "Made this class" &&
			document.querySelector("#teachers-table").textContent.includes(`+strconv.Quote(coEmail)+`)`)
		e.checkAxe(t, ed, "class with co-teachers")
		click(t, ed, "#teachers-table .remove-teacher")
		waitFor(t, ed, "the confirmation", `document.querySelector("dialog.confirm-dialog")?.open`)
		click(t, ed, "#confirm-ok")
		waitFor(t, ed, "the co-teacher gone", `document.querySelectorAll("#teachers-table tbody tr").length === 1 &&
			document.querySelector("#teacher-status").textContent.includes("no longer teaches")`)
		typeInto(t, ed, "#teachers-section #f-email", coEmail)
		click(t, ed, "#teachers-section button[type=submit]")
		waitFor(t, ed, "the co-teacher back", `document.querySelectorAll("#teachers-table tbody tr").length === 2`)
		// Remove the learner, after a confirmation.
		click(t, ed, "#members-table .remove-member")
		waitFor(t, ed, "the confirmation", `document.querySelector("dialog.confirm-dialog")?.open`)
		click(t, ed, "#confirm-ok")
		waitFor(t, ed, "the learner gone", `!document.querySelector("#members-table") && document.querySelector("#members-status").textContent.includes("Somchai")`)
		// Rename and archive.
		run(t, ed, "clear the name", chromedp.Evaluate(`document.querySelector("#rename-form input").value = ""`, nil))
		typeInto(t, ed, "#rename-form input", "Forum group B")
		click(t, ed, "#rename-form button[type=submit]")
		waitFor(t, ed, "the new name", `document.querySelector("main h1").textContent === "Forum group B"`)
		click(t, ed, "#archive")
		waitFor(t, ed, "archived", `document.querySelector("main h1 .tag")?.textContent === "Archived" && !document.querySelector("#join-code")`)
		e.shoot(t, ed, "class-archived")
		id := mustInt(t, classID)
		c, err := e.srv.Store.ClassForTeacher(bg, id, mustUser(t, e, email).ID)
		if err != nil || c.Name != "Forum group B" || !c.Archived || c.MemberCount != 0 {
			t.Errorf("stored class = %+v, %v; want renamed, archived, no members", c, err)
		}
		// Delete, after a confirmation: back to the list.
		click(t, ed, "#delete-class")
		waitFor(t, ed, "the confirmation", `document.querySelector("dialog.confirm-dialog")?.open`)
		click(t, ed, "#confirm-ok")
		waitH1(t, ed, "My classes")
		waitFor(t, ed, "the notice", `document.querySelector("main .notice")?.textContent.includes("deleted")`)
		if _, err := e.srv.Store.ClassForTeacher(bg, id, mustUser(t, e, email).ID); err == nil {
			t.Error("the class still exists after deleting it")
		}
	})
	e.checkConsole(t)
}

// media sets dark or light colours, and reduced motion.
func media(dark bool) chromedp.Action {
	scheme := "light"
	if dark {
		scheme = "dark"
	}
	return emulation.SetEmulatedMedia().WithFeatures([]*emulation.MediaFeature{
		{Name: "prefers-color-scheme", Value: scheme}, {Name: "prefers-reduced-motion", Value: "reduce"}})
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return n
}

func mustUser(t *testing.T, e *env, email string) model.User {
	t.Helper()
	u, err := e.srv.Store.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatalf("UserByEmail(%s) = %v", email, err)
	}
	return u
}
