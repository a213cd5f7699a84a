package api_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store/storetest"
)

func createClass(h *harness, token, name string) (int64, string) {
	h.t.Helper()
	c := h.expect(201, req{Method: "POST", Path: "/api/v1/classes", Token: token, Body: map[string]string{"name": name}}).JSON["data"].(map[string]any)
	return int64(c["id"].(float64)), c["join_code"].(string)
}

func joinAs(h *harness, code, nickname string) session {
	h.t.Helper()
	return sessionOf(h.expect(201, req{Method: "POST", Path: "/api/v1/auth/join", Body: map[string]string{"code": code, "nickname": nickname}}))
}

func TestClassLifecycleAndJoinCodes(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		ed := h.userWithRole("Teach", model.RoleEducator)
		id, code := createClass(h, ed.Access, "Forum group A")
		if !model.ValidJoinCode(code) || strings.ContainsAny(code, "0O1IL") {
			t.Fatalf("join code %q: want 6–8 unambiguous characters", code)
		}
		for _, bad := range []any{map[string]string{"name": ""}, map[string]string{"name": strings.Repeat("x", 81)}, `{"name": 3}`} {
			h.expect(422, req{Method: "POST", Path: "/api/v1/classes", Token: ed.Access, Body: bad})
		}
		// Joining: a recovery code comes once; the learner has no e-mail.
		j := h.expect(201, req{Method: "POST", Path: "/api/v1/auth/join", Body: map[string]string{"code": strings.ToLower(code[:3]) + " " + code[3:], "nickname": "Somchai"}})
		d := j.JSON["data"].(map[string]any)
		recovery, _ := d["recovery_code"].(string)
		if recovery == "" || d["user"].(map[string]any)["email"] != nil {
			t.Fatalf("join = %s, want a recovery code and no e-mail", j.Body)
		}
		for name, body := range map[string]map[string]string{
			"blocked nickname": {"code": code, "nickname": "xX F.u_c-k Xx"},
			"thai profanity":   {"code": code, "nickname": "ไอ้เหี้ย"},
			"empty nickname":   {"code": code, "nickname": " "},
			"e-mail nickname":  {"code": code, "nickname": "ana@example.org"},
			"bad code shape":   {"code": "0OIL11", "nickname": "Ana"},
		} {
			if got := h.do(req{Method: "POST", Path: "/api/v1/auth/join", Body: body}); got.Status != 422 {
				t.Errorf("%s: join = %d %s, want 422", name, got.Status, got.Body)
			}
		}
		joinAs(h, code, "Yoshitaka") // a name containing a short listed word is fine
		if got := h.expect(404, req{Method: "POST", Path: "/api/v1/auth/join", Body: map[string]string{"code": "ZZZZZZ", "nickname": "Ana"}}); errorCode(got) != "class.code_unknown" {
			t.Errorf("unknown code = %s", got.Body)
		}
		// The recovery code signs in on another device, once.
		rec := sessionOf(h.expect(200, req{Method: "POST", Path: "/api/v1/auth/recover", Body: map[string]string{"recovery_code": strings.ToLower(recovery)}}))
		if rec.User["display_name"] != "Somchai" {
			t.Errorf("recover signed in %v", rec.User)
		}
		h.expect(401, req{Method: "POST", Path: "/api/v1/auth/recover", Body: map[string]string{"recovery_code": recovery}})

		// Rotating the code stops the old one; closing stops joining.
		c := h.expect(200, req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/classes/%d", id), Token: ed.Access, Body: map[string]string{"code": "rotate"}}).JSON["data"].(map[string]any)
		if c["join_code"] == code {
			t.Fatal("rotate kept the same code")
		}
		h.expect(404, req{Method: "POST", Path: "/api/v1/auth/join", Body: map[string]string{"code": code, "nickname": "Late"}})
		c = h.expect(200, req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/classes/%d", id), Token: ed.Access, Body: map[string]string{"code": "close"}}).JSON["data"].(map[string]any)
		if c["join_code"] != "" {
			t.Fatalf("closed class join_code = %v, want empty", c["join_code"])
		}
		h.expect(422, req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/classes/%d", id), Token: ed.Access, Body: map[string]string{"code": "explode"}})
		c = h.expect(200, req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/classes/%d", id), Token: ed.Access, Body: map[string]any{"archived": true}}).JSON["data"].(map[string]any)
		if c["archived"] != true || c["join_code"] != "" {
			t.Fatalf("archived class = %v", c)
		}
		list := h.expect(200, req{Method: "GET", Path: "/api/v1/classes", Token: ed.Access}).JSON["data"].([]any)
		if len(list) != 1 || list[0].(map[string]any)["member_count"].(float64) != 2 {
			t.Fatalf("classes = %v, want one class with 2 members", list)
		}
		if got := list[0].(map[string]any); got["id"].(float64) != float64(id) || got["name"] != "Forum group A" {
			t.Fatalf("classes[0] = %v, want id %d named Forum group A", got, id)
		}
		// A signed-in learner joins with the code.
		id2, code2 := createClass(h, ed.Access, "Forum group B")
		list = h.expect(200, req{Method: "GET", Path: "/api/v1/classes", Token: ed.Access}).JSON["data"].([]any)
		if newest := list[0].(map[string]any); newest["id"].(float64) != float64(id2) || newest["join_code"] != code2 {
			t.Fatalf("classes[0] = %v, want the newest class %d with code %s", newest, id2, code2)
		}
		l := h.register("Mali")
		got := h.expect(200, req{Method: "POST", Path: "/api/v1/classes/join", Token: l.Access, Body: map[string]string{"code": code2}}).JSON["data"].(map[string]any)
		if got["join_code"] != "" || got["name"] != "Forum group B" {
			t.Errorf("classes/join = %v", got)
		}
	})
}

// Teachers see each other; the owner removes co-teachers, a co-teacher
// can only leave, and the owner always stays.
func TestCoTeachersListRemoveAndLeave(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		owner := h.userWithRole("Owner", model.RoleEducator)
		co := h.userWithRole("Co", model.RoleEducator)
		other := h.userWithRole("Other", model.RoleEducator)
		stranger := h.userWithRole("Stranger", model.RoleEducator)
		id, code := createClass(h, owner.Access, "Shared class")
		base := fmt.Sprintf("/api/v1/classes/%d", id)
		idOf := func(s session) int64 { return int64(s.User["id"].(float64)) }
		for _, s := range []session{co, other} {
			h.expect(201, req{Method: "POST", Path: base + "/teachers", Token: owner.Access, Body: map[string]string{"email": s.User["email"].(string)}})
		}
		list := h.expect(200, req{Method: "GET", Path: base + "/teachers", Token: co.Access}).JSON["data"].([]any)
		if len(list) != 3 {
			t.Fatalf("teachers = %v, want the owner and two co-teachers", list)
		}
		first := list[0].(map[string]any)
		if first["user_id"].(float64) != float64(idOf(owner)) || first["owner"] != true || first["email"] != owner.User["email"] {
			t.Errorf("first teacher = %v, want the owner with their e-mail address", first)
		}
		for _, x := range list[1:] {
			if x.(map[string]any)["owner"] != false {
				t.Errorf("co-teacher listed as owner: %v", x)
			}
		}
		remove := func(token string, who session) reply {
			return h.do(req{Method: "DELETE", Path: fmt.Sprintf("%s/teachers/%d", base, idOf(who)), Token: token})
		}
		if got := remove(co.Access, owner); got.Status != 409 || errorCode(got) != "class.owner_stays" {
			t.Errorf("co-teacher removes the owner = %d %s, want 409 class.owner_stays", got.Status, got.Body)
		}
		if got := remove(owner.Access, owner); got.Status != 409 {
			t.Errorf("owner removes themselves = %d, want 409", got.Status)
		}
		if got := remove(co.Access, other); got.Status != 403 || errorCode(got) != "class.owner_only" {
			t.Errorf("co-teacher removes another = %d %s, want 403 class.owner_only", got.Status, got.Body)
		}
		if got := remove(stranger.Access, co); got.Status != 404 {
			t.Errorf("an educator of another class removes a co-teacher = %d, want 404", got.Status)
		}
		if got := remove(owner.Access, stranger); got.Status != 404 {
			t.Errorf("owner removes someone who does not teach the class = %d, want 404", got.Status)
		}
		learner := joinAs(h, code, "Mai")
		if got := remove(learner.Access, co); got.Status != 403 {
			t.Errorf("a learner removes a co-teacher = %d, want 403", got.Status)
		}
		// The owner removes one; the other leaves. Both lose the class at once.
		h.expect(204, req{Method: "DELETE", Path: fmt.Sprintf("%s/teachers/%d", base, idOf(other)), Token: owner.Access})
		h.expect(204, req{Method: "DELETE", Path: fmt.Sprintf("%s/teachers/%d", base, idOf(co)), Token: co.Access})
		for _, s := range []session{co, other} {
			h.expect(404, req{Method: "GET", Path: base, Token: s.Access})
		}
		if list := h.expect(200, req{Method: "GET", Path: base + "/teachers", Token: owner.Access}).JSON["data"].([]any); len(list) != 1 {
			t.Errorf("teachers after both left = %v, want the owner alone", list)
		}
		h.expect(404, req{Method: "DELETE", Path: base + "/teachers/not-a-number", Token: owner.Access})
	})
}

func TestWrongCodesAreRateLimited(t *testing.T) {
	h := newHarness(t, storetest.Engines()[0], nil)
	ed := h.userWithRole("Teach", model.RoleEducator)
	_, code := createClass(h, ed.Access, "Room")
	for i := 0; i < 20; i++ {
		h.expect(404, req{Method: "POST", Path: "/api/v1/auth/join", Body: map[string]string{"code": "ZZZZ" + string(model.JoinCodeAlphabet[i]) + "B", "nickname": "Guess"}})
	}
	got := h.expect(429, req{Method: "POST", Path: "/api/v1/auth/join", Body: map[string]string{"code": code, "nickname": "Guess"}})
	if got.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
}

func TestEducatorsSeeOnlyTheirClassesAndCurrentMembers(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		a := h.userWithRole("TeachA", model.RoleEducator)
		b := h.userWithRole("TeachB", model.RoleEducator)
		idA, codeA := createClass(h, a.Access, "A's class")
		learner := joinAs(h, codeA, "Nok")
		lid := int64(learner.User["id"].(float64))
		base := fmt.Sprintf("/api/v1/classes/%d", idA)
		for _, r := range []req{
			{Method: "GET", Path: base}, {Method: "GET", Path: base + "/members"}, {Method: "GET", Path: base + "/report"},
			{Method: "GET", Path: base + "/report.csv"}, {Method: "GET", Path: base + "/readi"},
			{Method: "GET", Path: base + "/questions?module=spot-the-scam"},
			{Method: "PATCH", Path: base, Body: map[string]string{"name": "mine now"}},
			{Method: "POST", Path: base + "/assignments", Body: map[string]string{"module_slug": "spot-the-scam"}},
			{Method: "DELETE", Path: fmt.Sprintf("%s/members/%d", base, lid)}, {Method: "DELETE", Path: base},
		} {
			r.Token = b.Access
			if got := h.do(r); got.Status != 404 {
				t.Errorf("educator B: %s %s = %d, want 404", r.Method, r.Path, got.Status)
			}
			r.Token = learner.Access
			if got := h.do(r); got.Status != 403 {
				t.Errorf("learner: %s %s = %d, want 403", r.Method, r.Path, got.Status)
			}
		}
		// Members show nicknames, never e-mail addresses.
		reg := h.register("Pat")
		h.expect(200, req{Method: "POST", Path: "/api/v1/classes/join", Token: reg.Access, Body: map[string]string{"code": codeA}})
		members := h.expect(200, req{Method: "GET", Path: base + "/members", Token: a.Access})
		if strings.Contains(string(members.Body), "@example.org") {
			t.Errorf("members reveal an e-mail address: %s", members.Body)
		}
		// A co-teacher sees the class; only the owner deletes it.
		h.expect(201, req{Method: "POST", Path: base + "/teachers", Token: a.Access, Body: map[string]string{"email": b.User["email"].(string)}})
		h.expect(200, req{Method: "GET", Path: base, Token: b.Access})
		if got := h.expect(403, req{Method: "DELETE", Path: base, Token: b.Access}); errorCode(got) != "class.owner_only" {
			t.Errorf("co-teacher delete = %s", got.Body)
		}
		h.expect(422, req{Method: "POST", Path: base + "/teachers", Token: a.Access, Body: map[string]string{"email": reg.User["email"].(string)}})
		h.expect(422, req{Method: "POST", Path: base + "/teachers", Token: a.Access, Body: map[string]string{"email": "nobody@example.org"}})

		// Removing a learner ends the class's view of them.
		h.expect(201, req{Method: "POST", Path: base + "/assignments", Token: a.Access, Body: map[string]string{"module_slug": "spot-the-scam"}})
		h.expect(201, req{Method: "POST", Path: "/api/v1/quizzes/spot-the-scam/attempts", Token: learner.Access,
			Header: map[string]string{"Idempotency-Key": "removed-0001"}, Body: map[string]any{"answers": map[string]any{"sts-q01": "a"}}})
		if n := len(h.expect(200, req{Method: "GET", Path: base + "/report", Token: a.Access}).JSON["data"].(map[string]any)["learners"].([]any)); n != 2 {
			t.Fatalf("report learners = %d, want 2", n)
		}
		h.expect(204, req{Method: "DELETE", Path: fmt.Sprintf("%s/members/%d", base, lid), Token: a.Access})
		rep := h.expect(200, req{Method: "GET", Path: base + "/report", Token: a.Access})
		if strings.Contains(string(rep.Body), "Nok") {
			t.Errorf("report still shows the removed learner: %s", rep.Body)
		}
		stats := h.expect(200, req{Method: "GET", Path: base + "/questions?module=spot-the-scam", Token: a.Access}).JSON["data"].([]any)
		if stats[0].(map[string]any)["answers"].(float64) != 0 {
			t.Errorf("question stats still count the removed learner's answer")
		}
		if len(h.expect(200, req{Method: "GET", Path: "/api/v1/me/assignments", Token: learner.Access}).JSON["data"].([]any)) != 0 {
			t.Errorf("removed learner still sees the class's assignments")
		}
		h.expect(404, req{Method: "DELETE", Path: fmt.Sprintf("%s/members/%d", base, lid), Token: a.Access})
	})
}

func TestAssignmentsAndLearnerStatus(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		ed := h.userWithRole("Teach", model.RoleEducator)
		id, code := createClass(h, ed.Access, "Assign")
		base := fmt.Sprintf("/api/v1/classes/%d/assignments", id)
		past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
		a1 := h.expect(201, req{Method: "POST", Path: base, Token: ed.Access, Body: map[string]any{"module_slug": "spot-the-scam", "due_at": past}}).JSON["data"].(map[string]any)
		h.expect(201, req{Method: "POST", Path: base, Token: ed.Access, Body: map[string]any{"module_slug": "lock-your-accounts"}})
		h.expect(409, req{Method: "POST", Path: base, Token: ed.Access, Body: map[string]any{"module_slug": "spot-the-scam"}})
		h.expect(422, req{Method: "POST", Path: base, Token: ed.Access, Body: map[string]any{"module_slug": "no-such-module"}})
		h.expect(422, req{Method: "POST", Path: base, Token: ed.Access, Body: map[string]any{"module_slug": "lock-your-accounts", "due_at": "next friday"}})
		h.expect(422, req{Method: "POST", Path: base, Token: ed.Access, Body: map[string]any{}})
		learner := joinAs(h, code, "Linh")
		mine := h.expect(200, req{Method: "GET", Path: "/api/v1/me/assignments", Token: learner.Access}).JSON["data"].([]any)
		status := map[string]string{}
		for _, m := range mine {
			x := m.(map[string]any)
			status[x["module_slug"].(string)] = x["status"].(string)
			if x["class_name"] != "Assign" {
				t.Errorf("assignment class_name = %v", x["class_name"])
			}
		}
		if status["spot-the-scam"] != "overdue" || status["lock-your-accounts"] != "not_started" {
			t.Fatalf("statuses = %v, want spot-the-scam overdue, lock-your-accounts not_started", status)
		}
		h.expect(201, req{Method: "POST", Path: "/api/v1/modules/lock-your-accounts/lessons/passwords-and-passphrases/complete", Token: learner.Access})
		// Clearing the due date lifts "overdue".
		aid := int64(a1["id"].(float64))
		h.expect(200, req{Method: "PATCH", Path: fmt.Sprintf("%s/%d", base, aid), Token: ed.Access, Body: map[string]any{"due_at": nil}})
		mine = h.expect(200, req{Method: "GET", Path: "/api/v1/me/assignments", Token: learner.Access}).JSON["data"].([]any)
		for _, m := range mine {
			x := m.(map[string]any)
			want := map[string]string{"spot-the-scam": "not_started", "lock-your-accounts": "in_progress"}[x["module_slug"].(string)]
			if x["status"] != want {
				t.Errorf("%v status = %v, want %s", x["module_slug"], x["status"], want)
			}
		}
		h.expect(204, req{Method: "DELETE", Path: fmt.Sprintf("%s/%d", base, aid), Token: ed.Access})
		h.expect(404, req{Method: "GET", Path: fmt.Sprintf("%s/%d", base, aid), Token: ed.Access})
	})
}

// TestClassAnalyticsExact seeds a class whose answers are known and checks
// the exact percentages, the most chosen wrong answer and the CSV.
func TestClassAnalyticsExact(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		ed := h.userWithRole("Teach", model.RoleEducator)
		id, code := createClass(h, ed.Access, "Analytics")
		base := fmt.Sprintf("/api/v1/classes/%d", id)
		h.expect(201, req{Method: "POST", Path: base + "/assignments", Token: ed.Access, Body: map[string]any{"module_slug": "spot-the-scam"}})
		quiz := authoredQuiz(t, "spot-the-scam")
		var single model.Question
		for _, q := range quiz.Questions {
			if q.Type == model.Single && len(q.Options) >= 3 {
				single = q
				break
			}
		}
		var right string
		var wrong []string
		for _, o := range single.Options {
			if o.Correct {
				right = o.ID
			} else {
				wrong = append(wrong, o.ID)
			}
		}
		// Five learners: 2 right, 2 chose wrong[0], 1 chose wrong[1]. One of
		// the right ones first answered wrong[1]: only the latest counts.
		picks := []string{right, right, wrong[0], wrong[0], wrong[1]}
		names := []string{"=cmd|calc", "+Ana", "-Ben", "@Chai", "ดาว"}
		for i, p := range picks {
			l := joinAs(h, code, names[i])
			if i == 0 {
				h.expect(201, req{Method: "POST", Path: "/api/v1/quizzes/spot-the-scam/attempts", Token: l.Access,
					Header: map[string]string{"Idempotency-Key": "first-try-0001"}, Body: map[string]any{"answers": map[string]any{single.ID: wrong[1]}}})
			}
			h.expect(201, req{Method: "POST", Path: "/api/v1/quizzes/spot-the-scam/attempts", Token: l.Access,
				Header: map[string]string{"Idempotency-Key": fmt.Sprintf("seed-%04d", i)}, Body: map[string]any{"answers": map[string]any{single.ID: p}}})
		}
		stats := h.expect(200, req{Method: "GET", Path: base + "/questions?module=spot-the-scam", Token: ed.Access}).JSON["data"].([]any)
		var st map[string]any
		for _, s := range stats {
			if s.(map[string]any)["question_id"] == single.ID {
				st = s.(map[string]any)
			}
		}
		if st["answers"].(float64) != 5 || st["percent_correct"].(float64) != 40 {
			t.Errorf("%s stats = %v answers, %v%% correct, want 5 and 40%%", single.ID, st["answers"], st["percent_correct"])
		}
		mw := st["most_chosen_wrong"].(map[string]any)
		if mw["answer"] != wrong[0] || mw["count"].(float64) != 2 || mw["label"] == "" {
			t.Errorf("most chosen wrong = %v, want %q twice with its text", mw, wrong[0])
		}
		for _, c := range st["choices"].([]any) {
			ch := c.(map[string]any)
			want := map[string]float64{right: 2, wrong[0]: 2, wrong[1]: 1}[ch["id"].(string)]
			if ch["count"].(float64) != want {
				t.Errorf("choice %v count = %v, want %v", ch["id"], ch["count"], want)
			}
		}
		h.expect(422, req{Method: "GET", Path: base + "/questions", Token: ed.Access})
		h.expect(422, req{Method: "GET", Path: base + "/questions?module=nope", Token: ed.Access})

		// A Thai-speaking teacher reads the same figures in Thai; a language
		// without a translation falls back to English.
		th := authoredModule(t, "spot-the-scam").Translations["th"]
		thaiQ := th.Questions[single.ID]
		thaiStats := h.expect(200, req{Method: "GET", Path: base + "/questions?module=spot-the-scam&lang=th", Token: ed.Access}).JSON["data"].([]any)
		for _, s := range thaiStats {
			x := s.(map[string]any)
			if x["question_id"] != single.ID {
				continue
			}
			if x["prompt"] != thaiQ.Prompt || x["prompt"] == single.Prompt || x["answers"] != st["answers"] || x["percent_correct"] != st["percent_correct"] {
				t.Errorf("Thai stats = %v, want the Thai prompt %q and the same figures", x, thaiQ.Prompt)
			}
			for _, c := range x["choices"].([]any) {
				ch := c.(map[string]any)
				for _, o := range thaiQ.Options {
					if o.ID == ch["id"] && ch["text"] != o.Text {
						t.Errorf("Thai choice %v = %q, want %q", ch["id"], ch["text"], o.Text)
					}
				}
			}
		}
		if thaiQ.Prompt == "" {
			t.Fatalf("the starter pack has no Thai translation of %s", single.ID)
		}
		for path, want := range map[string]string{"/report?lang=th": th.Title, "/report?lang=xx": authoredModule(t, "spot-the-scam").Title} {
			r := h.expect(200, req{Method: "GET", Path: base + path, Token: ed.Access}).JSON["data"].(map[string]any)
			if got := r["modules"].([]any)[0].(map[string]any)["title"]; got != want {
				t.Errorf("GET %s module title = %q, want %q", path, got, want)
			}
		}
		as := h.expect(200, req{Method: "GET", Path: base + "/assignments?lang=th", Token: ed.Access}).JSON["data"].([]any)
		if got := as[0].(map[string]any)["module_title"]; got != th.Title {
			t.Errorf("assignments?lang=th module_title = %q, want %q", got, th.Title)
		}
		if csv := h.expect(200, req{Method: "GET", Path: base + "/report.csv?lang=th", Token: ed.Access}).Body; !strings.Contains(string(csv), th.Title) {
			t.Errorf("report.csv?lang=th lacks the Thai title %q", th.Title)
		}

		readi := h.expect(200, req{Method: "GET", Path: base + "/readi", Token: ed.Access}).JSON["data"].([]any)
		for _, v := range readi {
			x := v.(map[string]any)
			tagged := false
			for _, tv := range single.Readi {
				tagged = tagged || string(tv) == x["value"]
			}
			if tagged && (x["mastery"].(float64) != 40 || x["learners"].(float64) != 5) {
				t.Errorf("readi %v = %v, want mastery 40 over 5 learners", x["value"], x)
			}
		}

		rep := h.expect(200, req{Method: "GET", Path: base + "/report", Token: ed.Access}).JSON["data"].(map[string]any)
		if n := len(rep["learners"].([]any)); n != 5 {
			t.Fatalf("report learners = %d, want 5", n)
		}
		// Only the learner who submitted twice (both failing the quiz) needs help.
		help := rep["needs_help"].([]any)
		if len(help) != 1 || help[0].(map[string]any)["nickname"] != names[0] {
			t.Errorf("needs_help = %v, want only %q (failed twice)", help, names[0])
		}
		got := h.expect(200, req{Method: "GET", Path: base + "/report.csv", Token: ed.Access})
		if !bytes.HasPrefix(got.Body, []byte("\xEF\xBB\xBF")) || !strings.HasPrefix(got.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("CSV must start with a UTF-8 BOM and be text/csv: %q", got.Body[:10])
		}
		rows, err := csv.NewReader(bytes.NewReader(got.Body[3:])).ReadAll()
		if err != nil || len(rows) != 6 {
			t.Fatalf("CSV rows = %d, %v, want header + 5", len(rows), err)
		}
		seen := map[string]bool{}
		for _, r := range rows[1:] {
			seen[r[0]] = true
			if strings.ContainsAny(r[0][:1], "=+-@") {
				t.Errorf("CSV cell %q starts with a formula character", r[0])
			}
		}
		for _, want := range []string{"'=cmd|calc", "'+Ana", "'-Ben", "'@Chai", "ดาว"} {
			if !seen[want] {
				t.Errorf("CSV lacks nickname cell %q (got %v)", want, seen)
			}
		}
	})
}

func TestNeedsHelpFailedTwice(t *testing.T) {
	h := newHarness(t, storetest.Engines()[0], nil)
	ed := h.userWithRole("Teach", model.RoleEducator)
	id, code := createClass(h, ed.Access, "Help")
	base := fmt.Sprintf("/api/v1/classes/%d", id)
	h.expect(201, req{Method: "POST", Path: base + "/assignments", Token: ed.Access, Body: map[string]any{"module_slug": "spot-the-scam"}})
	l := joinAs(h, code, "Tuan")
	for i := 0; i < 2; i++ {
		h.expect(201, req{Method: "POST", Path: "/api/v1/quizzes/spot-the-scam/attempts", Token: l.Access,
			Header: map[string]string{"Idempotency-Key": fmt.Sprintf("fail-%04d", i)}, Body: map[string]any{"answers": map[string]any{}}})
	}
	help := h.expect(200, req{Method: "GET", Path: base + "/report", Token: ed.Access}).JSON["data"].(map[string]any)["needs_help"].([]any)
	if len(help) != 1 || !strings.Contains(fmt.Sprint(help), "failed_twice") {
		t.Fatalf("needs_help = %v, want Tuan for failed_twice", help)
	}
}
