package frontend_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/readi-platform/readi/internal/model"
)

// TestAdminBrowser drives the authoring screens in a real Chromium: an
// admin writes a module (one lesson with its preview, a red_flags and a
// scenario question), is refused publishing with the problem shown next to
// its question, fixes it and publishes; a stale save shows the conflict
// notice; history, import/export, users and the audit log work; a learner
// then takes the new module's quiz. axe and screenshots on every screen.
func TestAdminBrowser(t *testing.T) {
	chromium := requireChromium(t)
	e := newEnv(t, chromium)
	bg := context.Background()
	const adminPass, learnerPass = "admin writes modules all day", "learner reads them at night"
	if _, err := e.srv.Accounts.CreateUser(bg, "ada@example.org", adminPass, "Ada Admin", model.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if _, err := e.srv.Accounts.CreateUser(bg, "lek@example.org", learnerPass, "Lek Learner", model.RoleLearner); err != nil {
		t.Fatal(err)
	}
	const slug, title = "phone-scams-lab", "Phone scams lab"
	ctx := e.tab(t)

	t.Run("module list and create", func(t *testing.T) {
		adminSignIn(t, e, ctx, "ada@example.org", adminPass)
		waitFor(t, ctx, "the Admin link", `!document.querySelector("#nav-admin").hidden`)
		click(t, ctx, "#nav-admin a")
		waitH1(t, ctx, "Authoring")
		waitFor(t, ctx, "the module table", `document.querySelectorAll(".admin-table tbody tr").length > 5`)
		e.checkAxe(t, ctx, "/admin")
		e.shoot(t, ctx, "admin-modules")

		typeInto(t, ctx, `.admin-form [name="slug"]`, slug)
		typeInto(t, ctx, `.admin-form [name="title"]`, title)
		typeInto(t, ctx, `.admin-form [name="summary"]`, "Calls from fake banks and how to hang up on them.")
		click(t, ctx, `.admin-form input[value="discernment"]`)
		typeInto(t, ctx, `.admin-form [name="objectives"]`, "Recognise a fake bank call")
		typeInto(t, ctx, `.admin-form [name="sources[0].title"]`, "Scam calls")
		typeInto(t, ctx, `.admin-form [name="sources[0].publisher"]`, "Consumer agency")
		typeInto(t, ctx, `.admin-form [name="sources[0].url"]`, "https://example.org/scam-calls")
		click(t, ctx, `.admin-form button[type="submit"]`)
		waitH1(t, ctx, title)
		waitFor(t, ctx, "the draft state", `document.querySelector(".module-head .tag").textContent === "Draft"`)
		// A new draft lists what publishing would refuse: no lessons, no quiz.
		waitFor(t, ctx, "the publish problems", `document.querySelectorAll("#publish-problems li").length > 0`)
		e.checkAxe(t, ctx, "module editor (new draft)")
		e.shoot(t, ctx, "admin-module-new")
	})

	t.Run("lesson with preview", func(t *testing.T) {
		click(t, ctx, "#add-lesson")
		waitFor(t, ctx, "the lesson editor", `document.activeElement?.id === "lesson-editor-title"`)
		typeInto(t, ctx, `#lesson-editor [name="slug"]`, "first-call")
		typeInto(t, ctx, `#lesson-editor [name="title"]`, "The first call")
		setValue(t, ctx, `#lesson-editor [name="markdown"]`, 0, "## A call from the bank\n\nHang up and **call back** on the number you know.\n")
		// Typed keys too: the preview follows, debounced, rendered by the server.
		typeInto(t, ctx, `#lesson-editor [name="markdown"]`, "\nNever share a *one-time code*.")
		waitFor(t, ctx, "the server's preview", `document.querySelector("#lesson-preview h2")?.textContent === "A call from the bank" &&
			document.querySelector("#lesson-preview em")?.textContent === "one-time code"`)
		e.checkAxe(t, ctx, "lesson editor")
		e.shoot(t, ctx, "admin-lesson")
		click(t, ctx, `#lesson-editor button[type="submit"]`)
		waitFor(t, ctx, "the lesson in the list", `document.querySelector(".lesson-list h3")?.textContent === "The first call"`)
		waitFor(t, ctx, "the saved lesson re-opened", `document.querySelector("#lesson-editor-title")?.textContent.includes("The first call")`)
		// A second lesson: added, moved to the top and back, deleted.
		click(t, ctx, "#add-lesson")
		waitFor(t, ctx, "a blank lesson editor", `document.querySelector("#lesson-editor-title")?.textContent === "New lesson"`)
		typeInto(t, ctx, `#lesson-editor [name="slug"]`, "extra")
		typeInto(t, ctx, `#lesson-editor [name="title"]`, "Extra")
		setValue(t, ctx, `#lesson-editor [name="markdown"]`, 0, "## Extra\n\nMore.\n")
		click(t, ctx, `#lesson-editor button[type="submit"]`)
		waitFor(t, ctx, "two lessons", `document.querySelectorAll(".lesson-list h3").length === 2`)
		click(t, ctx, `[data-focus="les-1-up"]`)
		waitFor(t, ctx, "Extra on top, the focus on its other arrow", `document.querySelector(".lesson-list h3").textContent === "Extra" && document.activeElement.dataset.focus === "les-0-down"`)
		press(t, ctx, kb.Enter)
		waitFor(t, ctx, "Extra back below", `document.querySelector(".lesson-list li:last-child h3").textContent === "Extra"`)
		click(t, ctx, ".lesson-list li:last-child .item-actions button:last-child")
		waitFor(t, ctx, "the delete confirmation", `document.querySelector(".lesson-list li:last-child .item-actions button:last-child").textContent.startsWith("Really delete")`)
		click(t, ctx, ".lesson-list li:last-child .item-actions button:last-child")
		waitFor(t, ctx, "one lesson left", `document.querySelectorAll(".lesson-list h3").length === 1 && document.activeElement.id === "add-lesson"`)
	})

	t.Run("quiz with red_flags and scenario", func(t *testing.T) {
		addQuestion(t, ctx, "red_flags")
		q := "#q-0"
		setValue(t, ctx, q+` [name="prompt"]`, 0, "Which parts of this text message are warning signs?")
		setValue(t, ctx, q+` [name="sender"]`, 0, "BANK-ALERT")
		setValue(t, ctx, q+` [name="segment-text"]`, 0, "Your account is locked! Reply within 10 minutes.")
		click(t, ctx, q+` [name="q0-flag-0"]`)
		setValue(t, ctx, q+` [name="why"]`, 0, "Urgency is a pressure tactic.")
		setValue(t, ctx, q+` [name="segment-text"]`, 1, "Thank you for banking with us.")
		setValue(t, ctx, q+` [name="explanation"]`, 0, "Banks do not rush you or ask for codes by text.")

		addQuestion(t, ctx, "scenario")
		q = "#q-1"
		setValue(t, ctx, q+` [name="prompt"]`, 0, "A caller says they are from your bank.")
		setValue(t, ctx, q+` [name="step-text"]`, 0, "They ask for the code the bank just sent you.")
		setValue(t, ctx, q+` [name="choice-text"]`, 0, "Hang up and call the bank's real number.")
		setValue(t, ctx, q+` [name="choice-feedback"]`, 0, "Right: you reach the real bank.")
		click(t, ctx, `[data-focus="q1-s0-ch-add"]`)
		waitFor(t, ctx, "the new choice has the focus", `document.activeElement?.name === "choice-text"`)
		setValue(t, ctx, q+` [name="choice-text"]`, 1, "Read out the code.")
		setValue(t, ctx, q+` [name="points"]`, 1, "0")
		setValue(t, ctx, q+` [name="choice-feedback"]`, 1, "The code lets them into your account.")
		// The other five types, so the learner below meets all seven.
		addQuestion(t, ctx, "single")
		q = "#q-2"
		setValue(t, ctx, q+` [name="prompt"]`, 0, "Who may ask for your one-time code?")
		setValue(t, ctx, q+` [name="text"]`, 0, "Nobody")
		setValue(t, ctx, q+` [name="feedback"]`, 0, "Right: a code is only for you.")
		setValue(t, ctx, q+` [name="text"]`, 1, "Your bank")
		setValue(t, ctx, q+` [name="feedback"]`, 1, "No: your bank never asks for it.")
		click(t, ctx, q+` [name="q2-correct"]`)
		setValue(t, ctx, q+` [name="explanation"]`, 0, "A one-time code is like a key.")
		addQuestion(t, ctx, "multiple")
		q = "#q-3"
		setValue(t, ctx, q+` [name="prompt"]`, 0, "Which are safe?")
		click(t, ctx, `[data-focus="q3-opt-add"]`)
		for i, o := range []string{"Call back on a known number", "Check the app", "Click the link"} {
			setValue(t, ctx, q+` [name="text"]`, i, o)
			setValue(t, ctx, q+` [name="feedback"]`, i, "Feedback on "+o)
		}
		click(t, ctx, q+` [name="q3-correct-0"]`)
		click(t, ctx, q+` [name="q3-correct-1"]`)
		setValue(t, ctx, q+` [name="explanation"]`, 0, "Go to the bank yourself.")
		addQuestion(t, ctx, "true_false")
		q = "#q-4"
		setValue(t, ctx, q+` [name="prompt"]`, 0, "Banks ask for your PIN by phone.")
		click(t, ctx, q+` [name="q4-answer"][id]:not(:checked)`)
		setValue(t, ctx, q+` [name="feedback_true"]`, 0, "No: they never do.")
		setValue(t, ctx, q+` [name="feedback_false"]`, 0, "Right: they never do.")
		setValue(t, ctx, q+` [name="explanation"]`, 0, "A PIN is yours alone.")
		addQuestion(t, ctx, "ordering")
		q = "#q-5"
		setValue(t, ctx, q+` [name="prompt"]`, 0, "Put the steps in order.")
		for i, it := range []string{"Call the bank", "Hang up", "Report the number"} {
			setValue(t, ctx, q+` [name="text"]`, i, it)
		}
		// Reordering with the buttons: "Hang up" moves to the top.
		click(t, ctx, `[data-focus="q5-item-1-up"]`)
		if got := eval[string](t, ctx, `[...document.querySelectorAll("#q-5 [name=text]")].map(i => i.value).join("|")`); got != "Hang up|Call the bank|Report the number" {
			t.Errorf("items after moving the second up = %s", got)
		}
		setValue(t, ctx, q+` [name="explanation"]`, 0, "End the call first.")
		addQuestion(t, ctx, "matching")
		q = "#q-6"
		setValue(t, ctx, q+` [name="prompt"]`, 0, "Match the sign to its meaning.")
		for i, v := range []string{"Urgent tone", "Pressure", "Odd sender", "Spoofing"} {
			setValue(t, ctx, q+` [name="text"]`, i, v)
		}
		setValue(t, ctx, q+` [name="explanation"]`, 0, "Each sign has a reason.")
		// Adding and removing a question.
		addQuestion(t, ctx, "single")
		click(t, ctx, `[data-focus="q-7-remove"]`)
		waitFor(t, ctx, "the question removed", `document.querySelectorAll(".question-editor").length === 7 && document.activeElement.dataset.focus === "q-add"`)
		// The scenario's explanation is left out on purpose.
		click(t, ctx, "#save-quiz")
		waitFor(t, ctx, "the quiz saved", `document.querySelector("#save-quiz").parentElement.textContent.includes("Saved")`)
		e.checkAxe(t, ctx, "quiz editor")
		e.shoot(t, ctx, "admin-quiz")
	})

	t.Run("publish refused, fixed, published", func(t *testing.T) {
		click(t, ctx, "#publish")
		waitFor(t, ctx, "the refusal", `document.querySelector("#publish").parentElement.textContent.includes("Not published")`)
		waitFor(t, ctx, "the problem next to its question", `document.querySelector("#q-1 .problems")?.textContent.includes("explanation is required")`)
		if got := eval[string](t, ctx, `document.activeElement.id`); got != "publish-problems" {
			t.Errorf("after the refusal the focus is on %q, want the problem list", got)
		}
		e.shoot(t, ctx, "admin-publish-refused")
		setValue(t, ctx, `#q-1 [name="explanation"]`, 0, "Hang up and call back on a number you know.")
		// Publishing sends the saved version: unsaved edits are pointed out first.
		click(t, ctx, "#publish")
		waitFor(t, ctx, "the unsaved notice", `document.querySelector("#publish").parentElement.textContent.includes("Save your changes first: Quiz")`)
		click(t, ctx, "#save-quiz")
		waitFor(t, ctx, "ready to publish", `!!document.querySelector("#publish-problems .ok-line")`)
		click(t, ctx, "#publish")
		waitFor(t, ctx, "published", `document.querySelector(".module-head .tag").textContent === "Published"`)
	})

	t.Run("a stale save offers a reload", func(t *testing.T) {
		ic := intercept(t, ctx)
		ic.add(fake{match: "/api/v1/admin/modules/" + slug, status: 409,
			body: `{"error":{"code":"revision.conflict","message":"a newer revision was saved","request_id":"x"}}`})
		setValue(t, ctx, `.module-fields [name="summary"]`, 0, "A changed summary.")
		click(t, ctx, `.module-fields + .form-error + .actions button[type="submit"]`)
		waitFor(t, ctx, "the conflict notice", `!document.querySelector(".conflict").hidden && !!document.activeElement.closest(".conflict")`)
		run(t, ctx, "stop intercepting", fetch.Disable())
		e.shoot(t, ctx, "admin-conflict")
		click(t, ctx, ".conflict button")
		waitH1(t, ctx, title)
		waitFor(t, ctx, "the reloaded form", `document.querySelector('.module-fields [name="summary"]').value.startsWith("Calls from")`)
	})

	t.Run("history, diff and restore", func(t *testing.T) {
		click(t, ctx, `a[href="/admin/modules/`+slug+`/history"]`)
		waitH1(t, ctx, "History of")
		waitFor(t, ctx, "the diff", `!!document.querySelector("#diff-out p, #diff-out ul")`)
		rows := eval[int](t, ctx, `document.querySelectorAll(".admin-table tbody tr").length`)
		run(t, ctx, "compare 1 with the newest", chromedp.SetValue("#diff-from", "1", chromedp.ByQuery))
		click(t, ctx, `.diff-form button[type="submit"]`)
		waitFor(t, ctx, "a line diff of the lesson", `[...document.querySelectorAll("#diff-out code")].some(c => c.textContent.startsWith("lessons"))`)
		e.checkAxe(t, ctx, "history")
		e.shoot(t, ctx, "admin-history")
		click(t, ctx, ".admin-table tbody tr:last-child button")
		waitFor(t, ctx, "a new revision", fmt.Sprintf(`document.querySelectorAll(".admin-table tbody tr").length === %d`, rows+1))
		waitFor(t, ctx, "changed since published", `document.querySelector(".meta .tag").textContent.startsWith("Changed")`)
	})

	t.Run("import and export", func(t *testing.T) {
		dir := t.TempDir()
		allowDownloads(t, ctx, dir)
		run(t, ctx, "open /admin/content", chromedp.Navigate(e.base+"/admin/content"))
		waitH1(t, ctx, "Import and export")
		click(t, ctx, "#export-pack")
		var zip string
		for deadline := time.Now().Add(10 * time.Second); zip == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if m, _ := filepath.Glob(filepath.Join(dir, "*.zip")); len(m) > 0 {
				zip = m[0]
			}
		}
		if zip == "" {
			t.Fatal("the content pack was not downloaded")
		}
		run(t, ctx, "pick the pack", chromedp.SetUploadFiles("#pack-file", []string{zip}, chromedp.ByQuery))
		click(t, ctx, "#pack-check")
		waitFor(t, ctx, "the dry run's report", `document.querySelector("#import-report h3")?.textContent === "What importing would do"`)
		if got := eval[string](t, ctx, `document.querySelector("#import-report").textContent`); !strings.Contains(got, "spot-the-scam") || !strings.Contains(got, slug) {
			t.Errorf("dry run report lacks the published modules: %s", got)
		}
		e.checkAxe(t, ctx, "/admin/content")
		e.shoot(t, ctx, "admin-content")
	})

	t.Run("users and audit log", func(t *testing.T) {
		run(t, ctx, "open /admin/users", chromedp.Navigate(e.base+"/admin/users"))
		waitH1(t, ctx, "Users")
		typeInto(t, ctx, "#user-q", "lek")
		click(t, ctx, `.search-form button[type="submit"]`)
		waitFor(t, ctx, "one user found", `document.querySelectorAll(".admin-table tbody tr").length === 1`)
		e.checkAxe(t, ctx, "/admin/users")
		e.shoot(t, ctx, "admin-users")
		run(t, ctx, "make Lek an educator", chromedp.SetValue(".admin-table select", "educator", chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelector(".admin-table select").dispatchEvent(new Event("change")), true`, nil))
		waitFor(t, ctx, "the role saved", `document.querySelector(".save-status").textContent.includes("Lek Learner")`)
		run(t, ctx, "open /admin/audit", chromedp.Navigate(e.base+"/admin/audit?action=module."))
		waitH1(t, ctx, "Audit log")
		waitFor(t, ctx, "module entries", `document.querySelectorAll(".admin-table tbody tr").length >= 2`)
		if got := eval[string](t, ctx, `[...document.querySelectorAll(".admin-table tbody code")].map(c => c.textContent).join(" ")`); strings.Contains(got, "user.") {
			t.Errorf("audit filtered by module. shows %s", got)
		}
		e.checkAxe(t, ctx, "/admin/audit")
		e.shoot(t, ctx, "admin-audit")
		e.checkConsole(t)
	})

	t.Run("a learner takes the new quiz", func(t *testing.T) {
		sm, err := e.srv.Store.PublishedModule(bg, slug)
		if err != nil {
			t.Fatal(err)
		}
		lctx := e.incognito(t, ctx)
		adminSignIn(t, e, lctx, "lek@example.org", learnerPass)
		if eval[bool](t, lctx, `!document.querySelector("#nav-admin").hidden`) {
			t.Error("a non-admin sees the Admin link")
		}
		run(t, lctx, "open the module", chromedp.Navigate(e.base+"/modules/"+slug))
		waitH1(t, lctx, title)
		run(t, lctx, "open the quiz", chromedp.Navigate(e.base+"/modules/"+slug+"/quiz"))
		waitH1(t, lctx, "Quiz: "+title)
		for _, q := range sm.Module.Quiz.Questions {
			answer(t, lctx, q, false)
		}
		click(t, lctx, "#quiz-submit")
		waitFor(t, lctx, "the result", `!!document.querySelector("#result-title")`)
		if got := eval[string](t, lctx, `document.querySelector(".score-big").textContent`); got != "100%" {
			t.Errorf("score = %q, want 100%%", got)
		}
		e.checkConsole(t)
	})

	t.Run("GIFT questions checked, then added to the draft", func(t *testing.T) {
		run(t, ctx, "open the editor", chromedp.Navigate(e.base+"/admin/modules/"+slug))
		waitH1(t, ctx, title)
		before := eval[int](t, ctx, `document.querySelectorAll("fieldset.question-editor").length`)
		gift := "$CATEGORY: phone scams\n\n::Caller ID:: A caller's number on screen proves who is calling. {FALSE}\n\n" +
			"::Safe step:: What do you do when a \"bank\" calls about a problem? {=Hang up and call the number on your card ~Give the code they sent}\n"
		run(t, ctx, "paste the GIFT text", chromedp.SetValue("#gift-text", gift, chromedp.ByQuery))
		click(t, ctx, "#gift-check")
		waitFor(t, ctx, "the check", `document.querySelector("#gift-report").textContent.includes("Questions that can be added: 2") &&
			document.querySelector("#gift-report .gift-issues").textContent.includes("Line 1 (ignored)") && !document.querySelector("#gift-add").disabled`)
		e.checkAxe(t, ctx, "GIFT check")
		e.shoot(t, ctx, "admin-gift-check")
		click(t, ctx, "#gift-add")
		waitFor(t, ctx, "the questions added", `document.querySelector(".notice.ok")?.textContent.includes("Questions added to the draft quiz: 2")`)
		waitFor(t, ctx, "the changed state", `document.querySelector(".module-head .tag").textContent === "Changed since published"`)
		if after := eval[int](t, ctx, `document.querySelectorAll("fieldset.question-editor").length`); after != before+2 {
			t.Errorf("questions in the editor: %d before the import, %d after; want 2 more", before, after)
		}
		heads, err := e.srv.Store.HeadDocuments(bg)
		if err != nil || heads[slug].Quiz == nil {
			t.Fatalf("HeadDocuments = %v, %v", heads[slug].Quiz, err)
		}
		var prompts []string
		for _, q := range heads[slug].Quiz.Questions {
			prompts = append(prompts, q.Prompt)
		}
		if joined := strings.Join(prompts, " | "); !strings.Contains(joined, "proves who is calling") || !strings.Contains(joined, `"bank" calls`) {
			t.Errorf("draft quiz prompts = %s, want both GIFT questions", joined)
		}
		e.checkConsole(t)
	})

	t.Run("delete the module", func(t *testing.T) {
		run(t, ctx, "open the editor", chromedp.Navigate(e.base+"/admin/modules/"+slug))
		waitH1(t, ctx, title)
		click(t, ctx, "#delete-module")
		waitFor(t, ctx, "the confirmation", `document.querySelector("#delete-module").textContent.startsWith("Really delete")`)
		click(t, ctx, "#delete-module")
		waitH1(t, ctx, "Authoring")
		waitFor(t, ctx, "the deleted state", fmt.Sprintf(`[...document.querySelectorAll(".admin-table tbody tr")].some(tr => tr.textContent.includes(%q) && tr.textContent.includes("Deleted"))`, slug))
		e.checkConsole(t)
	})
}

// adminSignIn logs in through the log-in screen.
func adminSignIn(t *testing.T, e *env, ctx context.Context, email, password string) {
	t.Helper()
	run(t, ctx, "open /login", chromedp.Navigate(e.base+"/login"))
	waitH1(t, ctx, "Log in")
	typeInto(t, ctx, "#f-email", email)
	typeInto(t, ctx, "#f-password", password)
	click(t, ctx, "#main form button[type=submit]")
	waitFor(t, ctx, "signed in", `!!document.querySelector('#nav-account a[href="/account"]')`)
}

// setValue sets the value of the i-th element matching sel as typing would
// (an input event follows).
func setValue(t *testing.T, ctx context.Context, sel string, i int, value string) {
	t.Helper()
	s, _ := json.Marshal(sel)
	v, _ := json.Marshal(value)
	ok := eval[bool](t, ctx, fmt.Sprintf(`(() => { const el = document.querySelectorAll(%s)[%d]; if (!el) return false;
		el.value = %s; el.dispatchEvent(new Event("input", {bubbles: true})); el.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`, s, i, v))
	if !ok {
		t.Fatalf("setValue: no element %d matches %s", i, sel)
	}
}

// addQuestion adds a question of a type with the quiz editor's picker.
func addQuestion(t *testing.T, ctx context.Context, typ string) {
	t.Helper()
	n := eval[int](t, ctx, `document.querySelectorAll(".question-editor").length`)
	setValue(t, ctx, `[name="new-question-type"]`, 0, typ)
	click(t, ctx, `[data-focus="q-add"]`)
	waitFor(t, ctx, "the new question's prompt has the focus", fmt.Sprintf(`document.activeElement === document.querySelector("#q-%d [name=prompt]")`, n))
}
