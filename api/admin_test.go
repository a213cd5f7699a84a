package api_test

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/readi-platform/readi/internal/model"
)

// moduleFields is a complete module.yaml as the admin API takes it.
func moduleFields(slug, title string) map[string]any {
	return map[string]any{"slug": slug, "title": title, "summary": "A module written in the editor.",
		"category": "computer", "cluster": "prevention", "readi": []string{"discernment"}, "level": "beginner",
		"minutes": 15, "objectives": []string{"Spot a fake message"},
		"sources": []map[string]any{{"title": "Guide", "publisher": "Agency", "year": 2024, "url": "https://example.org/guide"}}}
}

func lessonBody(slug, title, md string) map[string]any {
	return map[string]any{"slug": slug, "title": title, "markdown": md, "readi": []string{"discernment"}, "minutes": 5}
}

// quizBody is a valid quiz of n true/false questions with ids prefix-qN.
func quizBody(prefix string, n int) map[string]any {
	var qs []map[string]any
	for i := 1; i <= n; i++ {
		qs = append(qs, map[string]any{"id": fmt.Sprintf("%s-q%d", prefix, i), "type": "true_false", "readi": []string{"discernment"},
			"prompt": fmt.Sprintf("Statement %d is true.", i), "explanation": "Because.", "answer": true,
			"feedback_true": "Right.", "feedback_false": "No: it is true."})
	}
	return map[string]any{"pass_percent": 70, "questions": qs}
}

// authorModule writes a complete, valid draft through the API.
func (h *harness) authorModule(token, slug string, lessons ...string) {
	h.t.Helper()
	h.expect(201, req{Method: "POST", Path: "/api/v1/admin/modules", Token: token, Body: moduleFields(slug, "Module "+slug)})
	if len(lessons) == 0 {
		lessons = []string{"one", "two"}
	}
	for _, l := range lessons {
		h.expect(201, req{Method: "POST", Path: "/api/v1/admin/modules/" + slug + "/lessons", Token: token,
			Body: lessonBody(l, "Lesson "+l, "## "+l+"\n\nText of lesson "+l+".\n")})
	}
	h.expect(200, req{Method: "PUT", Path: "/api/v1/admin/modules/" + slug + "/quiz", Token: token, Body: quizBody(slug, 2)})
}

// adminFixture is what the admin rows of the access matrix refer to: a
// published module, a draft, a spare user and an exported pack.
type adminFixture struct {
	module, draft string
	spareID       int64
	zip           []byte
}

func newAdminFixture(h *harness, admin session) adminFixture {
	h.t.Helper()
	fx := adminFixture{module: "matrix-module", draft: "matrix-draft"}
	h.authorModule(admin.Access, fx.module)
	h.expect(200, req{Method: "POST", Path: "/api/v1/admin/modules/" + fx.module + "/publish", Token: admin.Access})
	h.expect(201, req{Method: "POST", Path: "/api/v1/admin/modules", Token: admin.Access, Body: map[string]any{"slug": fx.draft, "title": "Draft"}})
	fx.spareID = int64(h.register("Zed").User["id"].(float64))
	fx.zip = h.expect(200, req{Method: "GET", Path: "/api/v1/admin/content/export?module=spot-the-scam", Token: admin.Access}).Body
	return fx
}

// adminOnly is what an admin route answers: admins succeed, everyone else
// signed in is refused by role, anonymous callers must sign in.
func adminOnly(status int) map[string]int {
	return map[string]int{"anonymous": 401, "learner": 403, "other_learner": 403, "educator": 403, "admin": status}
}

func adminMatrix(fx adminFixture) map[string]access {
	mod, draft := "/api/v1/admin/modules/"+fx.module, "/api/v1/admin/modules/"+fx.draft
	constant := func(v any) func(string) any { return func(string) any { return v } }
	return map[string]access{
		"GET /api/v1/admin/modules":          {path: "/api/v1/admin/modules", want: adminOnly(200)},
		"POST /api/v1/admin/modules":         {path: "/api/v1/admin/modules", want: adminOnly(201), body: constant(map[string]any{"slug": "matrix-created", "title": "Created"})},
		"GET /api/v1/admin/modules/:slug":    {path: mod, want: adminOnly(200)},
		"PATCH /api/v1/admin/modules/:slug":  {path: mod, want: adminOnly(200), body: constant(map[string]any{"summary": "A patched summary."})},
		"DELETE /api/v1/admin/modules/:slug": {path: draft, want: adminOnly(204)},
		"POST /api/v1/admin/modules/:slug/lessons": {path: mod + "/lessons", want: adminOnly(201),
			body: constant(lessonBody("three", "Three", "## Three\n\nMore.\n"))},
		"PUT /api/v1/admin/modules/:slug/lessons/order": {path: mod + "/lessons/order", want: adminOnly(200),
			body: constant(map[string]any{"lessons": []string{"three", "one", "two"}})},
		"PATCH /api/v1/admin/modules/:slug/lessons/:lesson":  {path: mod + "/lessons/one", want: adminOnly(200), body: constant(map[string]any{"title": "One, again"})},
		"DELETE /api/v1/admin/modules/:slug/lessons/:lesson": {path: mod + "/lessons/two", want: adminOnly(200)},
		"PUT /api/v1/admin/modules/:slug/quiz":               {path: mod + "/quiz", want: adminOnly(200), body: constant(quizBody(fx.module, 3))},
		"POST /api/v1/admin/modules/:slug/gift": {path: draft + "/gift", want: adminOnly(201), header: map[string]string{"Content-Type": "text/plain"},
			body: constant("::Sky:: The sky is blue. {T#No: look up.#Yes.####Clear skies are blue.}")},
		"POST /api/v1/admin/modules/:slug/publish":               {path: mod + "/publish", want: adminOnly(200)},
		"GET /api/v1/admin/modules/:slug/revisions":              {path: mod + "/revisions", want: adminOnly(200)},
		"GET /api/v1/admin/modules/:slug/revisions/:id":          {path: mod + "/revisions/1", want: adminOnly(200)},
		"POST /api/v1/admin/modules/:slug/revisions/:id/restore": {path: draft + "/revisions/1/restore", want: adminOnly(200)},
		"GET /api/v1/admin/modules/:slug/diff":                   {path: mod + "/diff", want: adminOnly(200)},
		"POST /api/v1/admin/preview":                             {path: "/api/v1/admin/preview", want: adminOnly(200), body: constant(map[string]any{"markdown": "## Hi"})},
		"GET /api/v1/admin/content/export":                       {path: "/api/v1/admin/content/export?module=spot-the-scam", want: adminOnly(200)},
		"POST /api/v1/admin/content/import": {path: "/api/v1/admin/content/import?dry_run=true", want: adminOnly(200),
			header: map[string]string{"Content-Type": "application/zip"}, body: constant(fx.zip)},
		"GET /api/v1/admin/users":       {path: "/api/v1/admin/users?q=zed", want: adminOnly(200)},
		"PATCH /api/v1/admin/users/:id": {path: fmt.Sprintf("/api/v1/admin/users/%d", fx.spareID), want: adminOnly(200), body: constant(map[string]any{"role": "educator"})},
		"GET /api/v1/admin/audit":       {path: "/api/v1/admin/audit", want: adminOnly(200)},
	}
}

// data is the data object of a reply.
func data(r reply) map[string]any {
	d, _ := r.JSON["data"].(map[string]any)
	return d
}

func problemPaths(r reply) []string {
	e, _ := r.JSON["error"].(map[string]any)
	var out []string
	for _, p := range e["problems"].([]any) {
		pm := p.(map[string]any)
		out = append(out, fmt.Sprint(pm["path"], pm["file"], ":", pm["message"]))
	}
	return out
}

func TestAuthorPublishAndLearnersSeeOnlyPublished(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		admin := h.userWithRole("Ada", model.RoleAdmin).Access
		learner := h.register("Lee").Access
		const slug = "scam-calls"
		h.expect(201, req{Method: "POST", Path: "/api/v1/admin/modules", Token: admin, Body: map[string]any{"slug": slug, "title": "Scam calls"}})
		got := data(h.expect(200, req{Method: "GET", Path: "/api/v1/admin/modules/" + slug, Token: admin}))
		if got["state"] != "draft" || len(got["problems"].([]any)) == 0 {
			t.Fatalf("new module = state %v with %d problems, want a draft with problems", got["state"], len(got["problems"].([]any)))
		}
		// Publishing an incomplete draft lists every problem and publishes nothing.
		refused := h.expect(422, req{Method: "POST", Path: "/api/v1/admin/modules/" + slug + "/publish", Token: admin})
		paths := strings.Join(problemPaths(refused), "\n")
		if errorCode(refused) != "content.invalid" {
			t.Fatalf("publish incomplete = %s, want content.invalid", errorCode(refused))
		}
		for _, want := range []string{"summary", "category", "objectives", "sources", "lessons", "quiz"} {
			if !strings.Contains(paths, want) {
				t.Errorf("publish incomplete problems = %s; want one about %s", paths, want)
			}
		}
		h.expect(404, req{Method: "GET", Path: "/api/v1/modules/" + slug})

		fields := moduleFields(slug, "Scam calls")
		delete(fields, "slug")
		h.expect(200, req{Method: "PATCH", Path: "/api/v1/admin/modules/" + slug, Token: admin, Body: fields})
		h.expect(201, req{Method: "POST", Path: "/api/v1/admin/modules/" + slug + "/lessons", Token: admin, Body: lessonBody("hang-up", "Hang up", "## Hang up\n\nThen [call back](lesson:call-back).\n")})
		h.expect(201, req{Method: "POST", Path: "/api/v1/admin/modules/" + slug + "/lessons", Token: admin, Body: lessonBody("call-back", "Call back", "## Call back\n\nOn a number you know.\n")})
		h.expect(409, req{Method: "POST", Path: "/api/v1/admin/modules/" + slug + "/lessons", Token: admin, Body: lessonBody("call-back", "Again", "x")})
		h.expect(200, req{Method: "PUT", Path: "/api/v1/admin/modules/" + slug + "/quiz", Token: admin, Body: quizBody("sc", 2)})
		pub := data(h.expect(200, req{Method: "POST", Path: "/api/v1/admin/modules/" + slug + "/publish", Token: admin}))
		if pub["state"] != "published" || pub["source"] != "admin" || pub["published_revision"] != pub["head_revision"] {
			t.Fatalf("published = %v %v rev %v/%v, want published by admin at the head", pub["state"], pub["source"], pub["published_revision"], pub["head_revision"])
		}
		lesson := data(h.expect(200, req{Method: "GET", Path: "/api/v1/modules/" + slug + "/lessons/hang-up", Token: learner}))
		if !strings.Contains(lesson["html"].(string), `href="/modules/scam-calls/lessons/call-back"`) {
			t.Errorf("published lesson html = %s, want the lesson link resolved", lesson["html"])
		}
		h.expect(200, req{Method: "GET", Path: "/api/v1/quizzes/" + slug, Token: learner})
		// A new module joins the last module's track, with its title.
		catalogue := h.expect(200, req{Method: "GET", Path: "/api/v1/modules"}).JSON["data"].([]any)
		mine, before := catalogue[len(catalogue)-1].(map[string]any), catalogue[len(catalogue)-2].(map[string]any)
		if mine["slug"] != slug || mine["track"] != before["track"] || mine["track_title"] != before["track_title"] || mine["track_title"] == "" {
			t.Errorf("catalogue ends with %v (track %v %q), want %s in the track of %v (%v %q)", mine["slug"], mine["track"], mine["track_title"],
				slug, before["slug"], before["track"], before["track_title"])
		}

		// A later edit stays a draft until it is published.
		h.expect(200, req{Method: "PATCH", Path: "/api/v1/admin/modules/" + slug, Token: admin, Body: map[string]any{"title": "Scam calls, revised"}})
		if m := data(h.expect(200, req{Method: "GET", Path: "/api/v1/modules/" + slug})); m["title"] != "Scam calls" {
			t.Errorf("learners see title %v before the publish, want the published one", m["title"])
		}
		list := h.expect(200, req{Method: "GET", Path: "/api/v1/admin/modules", Token: admin}).JSON["data"].([]any)
		states := map[string]any{}
		for _, it := range list {
			states[it.(map[string]any)["slug"].(string)] = it.(map[string]any)["state"]
		}
		if states[slug] != "changed" || states["spot-the-scam"] != "published" {
			t.Errorf("module states = %v, want %s changed and spot-the-scam published", states, slug)
		}
		h.expect(200, req{Method: "POST", Path: "/api/v1/admin/modules/" + slug + "/publish", Token: admin})
		if m := data(h.expect(200, req{Method: "GET", Path: "/api/v1/modules/" + slug})); m["title"] != "Scam calls, revised" {
			t.Errorf("learners see title %v after the publish, want the new one", m["title"])
		}

		// Delete takes it away from learners; restoring brings it back as a draft.
		h.expect(204, req{Method: "DELETE", Path: "/api/v1/admin/modules/" + slug, Token: admin})
		h.expect(404, req{Method: "GET", Path: "/api/v1/modules/" + slug})
		h.expect(404, req{Method: "PATCH", Path: "/api/v1/admin/modules/" + slug, Token: admin, Body: map[string]any{"title": "x"}})
		if d := data(h.expect(200, req{Method: "GET", Path: "/api/v1/admin/modules/" + slug, Token: admin})); d["state"] != "deleted" {
			t.Errorf("deleted module state = %v", d["state"])
		}
		restored := data(h.expect(200, req{Method: "POST", Path: "/api/v1/admin/modules/" + slug + "/revisions/1/restore", Token: admin}))
		if restored["state"] != "draft" || restored["module"].(map[string]any)["title"] != "Scam calls" {
			t.Errorf("restored = %v %v, want a draft with revision 1's title", restored["state"], restored["module"].(map[string]any)["title"])
		}
	})
}

func TestIfMatchRefusesSavingOverANewerRevision(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		admin := h.userWithRole("Ada", model.RoleAdmin).Access
		h.authorModule(admin, "etags")
		path := "/api/v1/admin/modules/etags"
		got := h.expect(200, req{Method: "GET", Path: path, Token: admin})
		etag := got.Header.Get("ETag")
		if etag != `"4"` || data(got)["head_revision"] != 4.0 {
			t.Fatalf("GET = ETag %s head %v, want \"4\" (create, two lessons, quiz)", etag, data(got)["head_revision"])
		}
		// Two authors edited revision 4; the second save is refused.
		first := h.expect(200, req{Method: "PATCH", Path: path, Token: admin, Header: map[string]string{"If-Match": etag}, Body: map[string]any{"title": "First"}})
		if first.Header.Get("ETag") != `"5"` {
			t.Fatalf("PATCH ETag = %s, want \"5\"", first.Header.Get("ETag"))
		}
		for _, w := range []struct {
			method, path string
			body         any
		}{
			{"PATCH", path, map[string]any{"title": "Second"}},
			{"POST", path + "/lessons", lessonBody("late", "Late", "## Late")},
			{"PATCH", path + "/lessons/one", map[string]any{"title": "Late"}},
			{"DELETE", path + "/lessons/one", nil},
			{"PUT", path + "/lessons/order", map[string]any{"lessons": []string{"two", "one"}}},
			{"PUT", path + "/quiz", quizBody("etags", 1)},
			{"POST", path + "/publish", nil},
			{"POST", path + "/revisions/1/restore", nil},
			{"DELETE", path, nil},
		} {
			r := h.expect(409, req{Method: w.method, Path: w.path, Token: admin, Header: map[string]string{"If-Match": etag}, Body: w.body})
			if errorCode(r) != "revision.conflict" {
				t.Errorf("%s %s on a stale revision = %s, want revision.conflict", w.method, w.path, errorCode(r))
			}
		}
		m := data(h.expect(200, req{Method: "GET", Path: path, Token: admin}))
		if m["head_revision"] != 5.0 || m["module"].(map[string]any)["title"] != "First" {
			t.Fatalf("after the refused saves: head %v title %v, want 5 and the first author's title", m["head_revision"], m["module"].(map[string]any)["title"])
		}
		if r := h.expect(422, req{Method: "PATCH", Path: path, Token: admin, Header: map[string]string{"If-Match": "yesterday"}, Body: map[string]any{"title": "x"}}); r.JSON["error"].(map[string]any)["fields"].(map[string]any)["If-Match"] != "revision.invalid" {
			t.Errorf("If-Match: yesterday = %s, want If-Match: revision.invalid", r.Body)
		}
		h.expect(200, req{Method: "PATCH", Path: path, Token: admin, Header: map[string]string{"If-Match": `W/"5"`}, Body: map[string]any{"title": "Weak tags work"}})
		// The slug cannot change, and unknown fields are refused.
		if r := h.expect(422, req{Method: "PATCH", Path: path, Token: admin, Body: map[string]any{"slug": "other"}}); errorCode(r) != "validation.failed" {
			t.Errorf("PATCH slug = %s, want validation.failed", errorCode(r))
		}
		h.expect(409, req{Method: "POST", Path: "/api/v1/admin/modules", Token: admin, Body: moduleFields("etags", "Again")})
		h.expect(409, req{Method: "POST", Path: "/api/v1/admin/modules", Token: admin, Body: moduleFields("spot-the-scam", "Taken by the pack")})
		h.expect(422, req{Method: "POST", Path: "/api/v1/admin/modules", Token: admin, Body: map[string]any{"slug": "Bad Slug", "title": "x"}})
		h.expect(422, req{Method: "PUT", Path: path + "/lessons/order", Token: admin, Body: map[string]any{"lessons": []string{"one", "one"}}})
		h.expect(404, req{Method: "PATCH", Path: path + "/lessons/nope", Token: admin, Body: map[string]any{"title": "x"}})
		h.expect(404, req{Method: "GET", Path: "/api/v1/admin/modules/nope", Token: admin})
	})
}

func TestRevisionsDiffAndRestore(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		ada := h.userWithRole("Ada", model.RoleAdmin)
		admin := ada.Access
		path := "/api/v1/admin/modules/spot-the-scam"
		// The first edit of a pack module starts from what learners see.
		h.expect(200, req{Method: "PATCH", Path: path + "/lessons/" + firstLesson, Token: admin,
			Body: map[string]any{"markdown": "## Rewritten\n\nA new first paragraph.\n"}})
		h.expect(200, req{Method: "PATCH", Path: path, Token: admin, Body: map[string]any{"title": "Spot the scam, revised"}})
		revs := h.expect(200, req{Method: "GET", Path: path + "/revisions?limit=2", Token: admin})
		list := revs.JSON["data"].([]any)
		if len(list) != 2 || revs.JSON["next"] != "2" {
			t.Fatalf("revisions page = %d items, next %v; want 2 and a cursor", len(list), revs.JSON["next"])
		}
		newest := list[0].(map[string]any)
		if newest["number"] != 3.0 || newest["author_name"] != "Ada" || newest["note"] == "" {
			t.Errorf("newest revision = %v, want 3 by Ada with a note", newest)
		}
		rest := h.expect(200, req{Method: "GET", Path: path + "/revisions?cursor=2", Token: admin}).JSON["data"].([]any)
		if len(rest) != 1 || rest[0].(map[string]any)["author_id"] != nil || rest[0].(map[string]any)["published"] != false {
			t.Fatalf("last page = %v, want revision 1: the published content, by nobody", rest)
		}
		one := data(h.expect(200, req{Method: "GET", Path: path + "/revisions/1", Token: admin}))
		if one["module"].(map[string]any)["title"] != "Spot the scam" {
			t.Errorf("revision 1 title = %v, want the pack's", one["module"].(map[string]any)["title"])
		}
		h.expect(404, req{Method: "GET", Path: path + "/revisions/99", Token: admin})
		h.expect(404, req{Method: "GET", Path: path + "/revisions/x", Token: admin})

		// By default the diff shows what publishing would change.
		d := data(h.expect(200, req{Method: "GET", Path: path + "/diff", Token: admin}))
		byPath := map[string]map[string]any{}
		for _, c := range d["changes"].([]any) {
			byPath[c.(map[string]any)["path"].(string)] = c.(map[string]any)
		}
		if len(byPath) != 2 || byPath["title"]["after"] != "Spot the scam, revised" {
			t.Fatalf("diff published→head = %v, want title and one lesson's markdown", byPath)
		}
		md := byPath["lessons["+firstLesson+"].markdown"]
		if md == nil || md["kind"] != "changed" || !strings.Contains(fmt.Sprint(md["lines"]), "+A new first paragraph.") {
			t.Errorf("diff of the lesson = %v, want a line diff", md)
		}
		d = data(h.expect(200, req{Method: "GET", Path: path + "/diff?from=2&to=3", Token: admin}))
		if len(d["changes"].([]any)) != 1 {
			t.Errorf("diff 2→3 = %v, want only the title", d["changes"])
		}
		h.expect(422, req{Method: "GET", Path: path + "/diff?from=last", Token: admin})

		// Restore saves revision 1 again, as revision 4; learners still see
		// the pack until it is published, and nothing is lost.
		r := data(h.expect(200, req{Method: "POST", Path: path + "/revisions/1/restore", Token: admin}))
		if r["head_revision"] != 4.0 || r["state"] != "published" {
			t.Errorf("restore = head %v state %v, want 4, published (the same as learners see)", r["head_revision"], r["state"])
		}
		if d := data(h.expect(200, req{Method: "GET", Path: path + "/diff", Token: admin})); len(d["changes"].([]any)) != 0 {
			t.Errorf("diff after restoring the published content = %v, want none", d["changes"])
		}
		if d := data(h.expect(200, req{Method: "GET", Path: path + "/diff?from=3&to=head", Token: admin})); len(d["changes"].([]any)) != 2 {
			t.Errorf("diff 3→head = %v, want the two edits undone", d["changes"])
		}
		audit := h.expect(200, req{Method: "GET", Path: "/api/v1/admin/audit?action=revision.restore", Token: admin}).JSON["data"].([]any)
		if len(audit) != 1 || audit[0].(map[string]any)["target"] != "module:spot-the-scam" {
			t.Errorf("audit of the restore = %v", audit)
		}
	})
}

// TestEditingQuestionsKeepsPastResults changes a question's answer key and
// deletes another one after a learner's attempt: the attempt's score,
// results and progress stay as they were graded.
func TestEditingQuestionsKeepsPastResults(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		admin := h.userWithRole("Ada", model.RoleAdmin).Access
		learner := h.register("Nu").Access
		const slug = "lock-your-accounts"
		quiz := authoredQuiz(t, slug)
		answers := map[string]any{}
		for _, q := range quiz.Questions {
			answers[q.ID] = perfectAnswer(q)
		}
		before := data(h.expect(201, req{Method: "POST", Path: "/api/v1/quizzes/" + slug + "/attempts", Token: learner,
			Header: map[string]string{"Idempotency-Key": "before-edit-1"}, Body: map[string]any{"answers": answers}}))
		exportBefore := data(h.expect(200, req{Method: "GET", Path: "/api/v1/me/export", Token: learner}))

		draft := data(h.expect(200, req{Method: "GET", Path: "/api/v1/admin/modules/" + slug, Token: admin}))["module"].(map[string]any)["quiz"].(map[string]any)
		qs := draft["questions"].([]any)
		var changed string
		for _, q := range qs { // flip the key of the first true/false question
			if qm := q.(map[string]any); qm["type"] == "true_false" && changed == "" {
				changed = qm["id"].(string)
				qm["answer"] = !qm["answer"].(bool)
			}
		}
		removed := qs[len(qs)-1].(map[string]any)["id"].(string)
		draft["questions"] = qs[:len(qs)-1]
		h.expect(200, req{Method: "PUT", Path: "/api/v1/admin/modules/" + slug + "/quiz", Token: admin, Body: draft})
		h.expect(200, req{Method: "POST", Path: "/api/v1/admin/modules/" + slug + "/publish", Token: admin})

		sm, _ := h.srv.Learning.Published(context.Background(), slug)
		if sm.QuestionVersions[changed] != 2 {
			t.Errorf("version of the edited question %s = %d, want 2", changed, sm.QuestionVersions[changed])
		}
		if _, ok := sm.QuestionVersions[removed]; ok {
			t.Errorf("deleted question %s is still published", removed)
		}
		exportAfter := data(h.expect(200, req{Method: "GET", Path: "/api/v1/me/export", Token: learner}))
		if !reflect.DeepEqual(exportAfter["attempts"], exportBefore["attempts"]) || !reflect.DeepEqual(exportAfter["module_progress"], exportBefore["module_progress"]) {
			t.Errorf("the learner's attempts or progress changed with the edit:\nbefore %v\nafter  %v", exportBefore["attempts"], exportAfter["attempts"])
		}
		// The stored attempt replays exactly as graded.
		replay := data(h.expect(201, req{Method: "POST", Path: "/api/v1/quizzes/" + slug + "/attempts", Token: learner,
			Header: map[string]string{"Idempotency-Key": "before-edit-1"}, Body: map[string]any{"answers": answers}}))
		if !reflect.DeepEqual(replay["results"], before["results"]) || replay["percent"] != 100.0 {
			t.Errorf("replay after the edit = %v%%, want the original 100%% results", replay["percent"])
		}
		// A new attempt is graded against the new key.
		delete(answers, removed)
		again := data(h.expect(201, req{Method: "POST", Path: "/api/v1/quizzes/" + slug + "/attempts", Token: learner,
			Header: map[string]string{"Idempotency-Key": "after-edit-1"}, Body: map[string]any{"answers": answers}}))
		if again["percent"].(float64) >= 100 {
			t.Errorf("new attempt with the old key = %v%%, want less than 100", again["percent"])
		}
	})
}

func TestAdminUsersAndAudit(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		ada := h.userWithRole("Ada", model.RoleAdmin)
		adaID := int64(ada.User["id"].(float64))
		mali := h.register("Mali")
		maliID := int64(mali.User["id"].(float64))
		h.register("Malia")
		got := h.expect(200, req{Method: "GET", Path: "/api/v1/admin/users?q=MALI&limit=1", Token: ada.Access})
		if list := got.JSON["data"].([]any); len(list) != 1 || got.JSON["next"] == nil {
			t.Fatalf("users?q=MALI&limit=1 = %v next %v, want one and a cursor", list, got.JSON["next"])
		}
		next := h.expect(200, req{Method: "GET", Path: "/api/v1/admin/users?q=mali&limit=1&cursor=" + got.JSON["next"].(string), Token: ada.Access})
		if list := next.JSON["data"].([]any); len(list) != 1 || list[0].(map[string]any)["display_name"] != "Malia" || next.JSON["next"] != nil {
			t.Fatalf("second page = %v next %v, want Malia and no cursor", list, next.JSON["next"])
		}
		h.expect(422, req{Method: "GET", Path: "/api/v1/admin/users?limit=0", Token: ada.Access})
		h.expect(422, req{Method: "GET", Path: "/api/v1/admin/users?cursor=x", Token: ada.Access})

		u := data(h.expect(200, req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/users/%d", maliID), Token: ada.Access, Body: map[string]any{"role": "educator"}}))
		if u["role"] != "educator" {
			t.Fatalf("PATCH role = %v", u)
		}
		h.expect(200, req{Method: "GET", Path: "/api/v1/classes", Token: mali.Access}) // the new role takes effect at once
		h.expect(200, req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/users/%d", maliID), Token: ada.Access, Body: map[string]any{"disabled": true}})
		if r := h.expect(403, req{Method: "GET", Path: "/api/v1/classes", Token: mali.Access}); errorCode(r) != "auth.disabled" {
			t.Errorf("disabled user's request = %s, want auth.disabled", errorCode(r))
		}
		h.expect(401, req{Method: "POST", Path: "/api/v1/auth/refresh", Body: map[string]string{"refresh_token": mali.Refresh}})
		for _, body := range []map[string]any{{"role": "learner"}, {"disabled": true}} {
			if r := h.expect(422, req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/users/%d", adaID), Token: ada.Access, Body: body}); errorCode(r) != "validation.failed" {
				t.Errorf("admin changing themself %v = %s, want validation.failed", body, errorCode(r))
			}
		}
		h.expect(422, req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/users/%d", maliID), Token: ada.Access, Body: map[string]any{"role": "king"}})
		h.expect(422, req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/users/%d", maliID), Token: ada.Access, Body: map[string]any{}})
		h.expect(404, req{Method: "PATCH", Path: "/api/v1/admin/users/999999", Token: ada.Access, Body: map[string]any{"role": "educator"}})

		audit := h.expect(200, req{Method: "GET", Path: fmt.Sprintf("/api/v1/admin/audit?actor=%d&action=user.", adaID), Token: ada.Access}).JSON["data"].([]any)
		if len(audit) != 2 {
			t.Fatalf("audit of Ada's user changes = %d entries, want 2", len(audit))
		}
		last := audit[0].(map[string]any)
		if last["actor_name"] != "Ada" || last["target"] != fmt.Sprintf("user:%d", maliID) ||
			last["before"].(map[string]any)["disabled"] != false || last["after"].(map[string]any)["disabled"] != true {
			t.Errorf("newest audit entry = %v, want Ada disabling Mali with before and after", last)
		}
		future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
		if list := h.expect(200, req{Method: "GET", Path: "/api/v1/admin/audit?since=" + future, Token: ada.Access}).JSON["data"].([]any); len(list) != 0 {
			t.Errorf("audit since the future = %d entries", len(list))
		}
		h.expect(422, req{Method: "GET", Path: "/api/v1/admin/audit?since=yesterday", Token: ada.Access})
	})
}
