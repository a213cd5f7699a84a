package api_test

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/readi-platform/readi/content"
	"github.com/readi-platform/readi/internal/catalog"
	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store/storetest"
)

// authoredQuiz is the quiz with its key, straight from the content pack.
func authoredQuiz(t testing.TB, slug string) model.Quiz {
	t.Helper()
	return *authoredModule(t, slug).Quiz
}

// authoredModule is a module of the embedded pack, translations included.
func authoredModule(t testing.TB, slug string) model.Module {
	t.Helper()
	pack, err := catalog.Load(content.FS)
	if err != nil {
		t.Fatalf("catalog.Load(content.FS) = %v", err)
	}
	for _, m := range pack.Modules {
		if m.Slug == slug {
			return m
		}
	}
	t.Fatalf("module %s not in the pack", slug)
	return model.Module{}
}

// perfectAnswer builds the full-credit answer of a question from its key.
func perfectAnswer(q model.Question) any {
	switch q.Type {
	case model.Single:
		for _, o := range q.Options {
			if o.Correct {
				return o.ID
			}
		}
	case model.Multiple:
		ids := []string{}
		for _, o := range q.Options {
			if o.Correct {
				ids = append(ids, o.ID)
			}
		}
		return ids
	case model.TrueFalse:
		return *q.Answer
	case model.Ordering:
		ids := []string{}
		for _, it := range q.Items {
			ids = append(ids, it.ID)
		}
		return ids
	case model.Matching:
		m := map[string]string{}
		for _, p := range q.Pairs {
			m[p.Left.ID] = p.Right.ID
		}
		return m
	case model.RedFlags:
		ids := []string{}
		for _, s := range q.Message.Segments {
			if s.Flag {
				ids = append(ids, s.ID)
			}
		}
		return ids
	case model.Scenario:
		_, path := bestPath(q, q.Steps[0].ID)
		return path
	}
	return nil
}

func bestPath(q model.Question, stepID string) (float64, []string) {
	for _, s := range q.Steps {
		if s.ID != stepID {
			continue
		}
		best, bestPath := -1.0, []string(nil)
		for _, c := range s.Choices {
			pts, rest := c.Points, []string{}
			if c.Next != "" {
				var p float64
				p, rest = bestPath2(q, c.Next)
				pts += p
			}
			if pts > best {
				best, bestPath = pts, append([]string{c.ID}, rest...)
			}
		}
		return best, bestPath
	}
	return 0, nil
}

func bestPath2(q model.Question, stepID string) (float64, []string) { return bestPath(q, stepID) }

func TestQuizHidesTheAnswerKey(t *testing.T) {
	h := newHarness(t, storetest.Engines()[0], nil)
	s := h.register("Kai")
	for _, slug := range []string{"spot-the-scam", "lock-your-accounts"} {
		for _, lang := range []string{"", "th"} {
			got := h.expect(200, req{Method: "GET", Path: "/api/v1/quizzes/" + slug + "?lang=" + lang, Token: s.Access})
			body := string(got.Body)
			var walk func(v any)
			walk = func(v any) {
				switch x := v.(type) {
				case map[string]any:
					for k, child := range x {
						switch k {
						case "correct", "answer", "flag", "why", "points", "feedback", "explanation", "feedback_true", "feedback_false", "pairs":
							t.Errorf("%s quiz (lang %q) contains the key %q", slug, lang, k)
						}
						walk(child)
					}
				case []any:
					for _, child := range x {
						walk(child)
					}
				}
			}
			walk(got.JSON)
			for _, q := range authoredQuiz(t, slug).Questions {
				secrets := []string{q.Explanation, q.FeedbackTrue, q.FeedbackFalse}
				for _, o := range q.Options {
					secrets = append(secrets, o.Feedback)
				}
				if q.Message != nil {
					for _, seg := range q.Message.Segments {
						secrets = append(secrets, seg.Why)
					}
				}
				for _, st := range q.Steps {
					for _, c := range st.Choices {
						secrets = append(secrets, c.Feedback)
					}
				}
				for _, p := range q.Pairs {
					secrets = append(secrets, p.Feedback)
				}
				for _, secret := range secrets {
					if len(secret) > 12 && strings.Contains(body, jsonText(secret)) {
						t.Errorf("%s quiz leaks feedback or explanation of %s: %q", slug, q.ID, secret)
					}
				}
			}
		}
	}
}

func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return strings.Trim(string(b), `"`)
}

func TestAttemptEveryQuestionType(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		s := h.register("Nu")
		types := map[model.QuestionType]bool{}
		for _, slug := range []string{"spot-the-scam", "lock-your-accounts"} {
			quiz := authoredQuiz(t, slug)
			answers := map[string]any{}
			for _, q := range quiz.Questions {
				answers[q.ID] = perfectAnswer(q)
				types[q.Type] = true
			}
			got := h.expect(201, req{Method: "POST", Path: "/api/v1/quizzes/" + slug + "/attempts", Token: s.Access,
				Header: map[string]string{"Idempotency-Key": "perfect-" + slug}, Body: map[string]any{"answers": answers}})
			d := got.JSON["data"].(map[string]any)
			if d["percent"].(float64) != 100 || d["passed"] != true {
				t.Errorf("%s perfect attempt = %v%% passed %v, want 100%% passed", slug, d["percent"], d["passed"])
			}
			for _, r := range d["results"].([]any) {
				res := r.(map[string]any)
				if res["correct"] != true || res["explanation"] == "" {
					t.Errorf("%s result %v: want correct with an explanation", slug, res)
				}
			}
			// Nothing answered: zero, not an error.
			got = h.expect(201, req{Method: "POST", Path: "/api/v1/quizzes/" + slug + "/attempts", Token: s.Access,
				Header: map[string]string{"Idempotency-Key": "empty-" + slug}, Body: map[string]any{"answers": map[string]any{}}})
			if d := got.JSON["data"].(map[string]any); d["score"].(float64) != 0 || d["passed"] != false {
				t.Errorf("%s empty attempt = %v, want score 0, failed", slug, d)
			}
		}
		if len(types) != 7 {
			t.Errorf("starter pack uses %d question types, want all 7", len(types))
		}
		prog := h.expect(200, req{Method: "GET", Path: "/api/v1/me/progress", Token: s.Access}).JSON["data"].(map[string]any)
		for _, m := range prog["modules"].([]any) {
			row := m.(map[string]any)
			if row["slug"] != "spot-the-scam" && row["slug"] != "lock-your-accounts" {
				continue
			}
			if row["attempts"].(float64) != 2 || row["best_percent"].(float64) != 100 || row["passed"] != true {
				t.Errorf("progress row %v: want 2 attempts, best 100, passed", row)
			}
		}
		mastered := 0
		for _, v := range prog["readi"].([]any) {
			if v.(map[string]any)["questions"].(float64) > 0 {
				mastered++
			}
		}
		if mastered != 5 {
			t.Errorf("progress readi = %v, want all five values answered", prog["readi"])
		}
	})
}

func TestPartialCreditAndFeedback(t *testing.T) {
	h := newHarness(t, storetest.Engines()[0], nil)
	s := h.register("Lee")
	quiz := authoredQuiz(t, "spot-the-scam")
	var multi model.Question
	for _, q := range quiz.Questions {
		if q.Type == model.Multiple {
			multi = q
			break
		}
	}
	var right, wrong []string
	for _, o := range multi.Options {
		if o.Correct {
			right = append(right, o.ID)
		} else {
			wrong = append(wrong, o.ID)
		}
	}
	if len(right) < 2 {
		t.Skipf("question %s has %d correct options; partial credit needs 2", multi.ID, len(right))
	}
	got := h.expect(201, req{Method: "POST", Path: "/api/v1/quizzes/spot-the-scam/attempts", Token: s.Access,
		Header: map[string]string{"Idempotency-Key": "partial-0001"}, Body: map[string]any{"answers": map[string]any{multi.ID: right[:1]}}})
	for _, r := range got.JSON["data"].(map[string]any)["results"].([]any) {
		res := r.(map[string]any)
		if res["question_id"] != multi.ID {
			continue
		}
		want := 1.0 / float64(len(right))
		if pts := res["points"].(float64); pts < want-0.01 || pts > want+0.01 || res["correct"] != false {
			t.Errorf("partial %s = %v points correct %v, want %.2f and not correct", multi.ID, pts, res["correct"], want)
		}
		if len(res["feedback"].([]any)) == 0 {
			t.Errorf("partial %s has no feedback", multi.ID)
		}
	}
}

func TestIdempotentAttempts(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		s := h.register("Ida")
		body := map[string]any{"answers": map[string]any{"sts-q01": "a"}}
		first := h.expect(201, req{Method: "POST", Path: "/api/v1/quizzes/spot-the-scam/attempts", Token: s.Access, Header: map[string]string{"Idempotency-Key": "same-key-0001"}, Body: body})
		again := h.expect(201, req{Method: "POST", Path: "/api/v1/quizzes/spot-the-scam/attempts", Token: s.Access, Header: map[string]string{"Idempotency-Key": "same-key-0001"}, Body: body})
		if again.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("retry Idempotent-Replayed = %q, want true", again.Header.Get("Idempotent-Replayed"))
		}
		id := func(r reply) float64 { return r.JSON["data"].(map[string]any)["attempt_id"].(float64) }
		if id(first) != id(again) {
			t.Fatalf("retry attempt_id = %v, want %v", id(again), id(first))
		}
		// Same key, different answers: refused, not stored.
		other := h.expect(422, req{Method: "POST", Path: "/api/v1/quizzes/spot-the-scam/attempts", Token: s.Access, Header: map[string]string{"Idempotency-Key": "same-key-0001"},
			Body: map[string]any{"answers": map[string]any{"sts-q01": "b"}}})
		if errorCode(other) != "attempt.idempotency_mismatch" {
			t.Errorf("reused key = %s, want attempt.idempotency_mismatch", other.Body)
		}
		// 50 concurrent retries of one new submission store one attempt.
		var wg sync.WaitGroup
		ids := make([]float64, 50)
		statuses := make([]int, 50)
		for i := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := h.do(req{Method: "POST", Path: "/api/v1/quizzes/spot-the-scam/attempts", Token: s.Access, Header: map[string]string{"Idempotency-Key": "burst-key-0001"}, Body: body})
				statuses[i] = r.Status
				if r.Status == 201 {
					ids[i] = id(r)
				}
			}()
		}
		wg.Wait()
		for i := range 50 {
			if statuses[i] != 201 || ids[i] != ids[0] {
				t.Fatalf("concurrent retry %d = %d attempt %v, want 201 attempt %v", i, statuses[i], ids[i], ids[0])
			}
		}
		uid := int64(s.User["id"].(float64))
		if n, err := h.store.CountAttempts(t.Context(), uid); err != nil || n != 2 {
			t.Fatalf("stored attempts = %d, %v, want 2 (one per key)", n, err)
		}
		if p := h.expect(200, req{Method: "GET", Path: "/api/v1/me/progress", Token: s.Access}).JSON["data"].(map[string]any)["modules"].([]any)[0].(map[string]any); p["attempts"].(float64) != 2 {
			t.Fatalf("progress attempts = %v, want 2", p["attempts"])
		}
	})
}

func TestAttemptBadInput(t *testing.T) {
	h := newHarness(t, storetest.Engines()[0], func(c *configT) { c.BodyLimit = 16 * 1024 })
	s := h.register("Bad")
	path := "/api/v1/quizzes/spot-the-scam/attempts"
	key := map[string]string{"Idempotency-Key": "bad-input-0001"}
	cases := []struct {
		name   string
		path   string
		header map[string]string
		body   any
		status int
		code   string
	}{
		{"no key", path, nil, `{"answers":{}}`, 422, "validation.failed"},
		{"short key", path, map[string]string{"Idempotency-Key": "abc"}, `{"answers":{}}`, 422, "validation.failed"},
		{"malformed", path, key, `{"answers":`, 400, "request.malformed"},
		{"answers not object", path, key, `{"answers":[1,2]}`, 422, "validation.failed"},
		{"no answers", path, key, `{}`, 422, "validation.failed"},
		{"unknown question", path, key, `{"answers":{"nope-q99":"a"}}`, 422, "attempt.question_unknown"},
		{"wrong shape single", path, key, `{"answers":{"sts-q01":["a"]}}`, 422, "attempt.answer_shape"},
		{"unknown option", path, key, `{"answers":{"sts-q01":"zz"}}`, 422, "attempt.answer_invalid"},
		{"unknown quiz", "/api/v1/quizzes/no-such-quiz/attempts", key, `{"answers":{}}`, 404, "not_found"},
	}
	for _, c := range cases {
		got := h.do(req{Method: "POST", Path: c.path, Token: s.Access, Header: c.header, Body: c.body})
		if got.Status != c.status || errorCode(got) != c.code {
			t.Errorf("%s: POST attempts = %d %s, want %d %s", c.name, got.Status, got.Body, c.status, c.code)
		}
	}
	// An oversize body is refused by the HTTP server before any handler.
	base := h.listen()
	hr, _ := http.NewRequest("POST", base+path, strings.NewReader(`{"answers":{"sts-q01":"`+strings.Repeat("a", 20*1024)+`"}}`))
	hr.Header.Set("Authorization", "Bearer "+s.Access)
	hr.Header.Set("Idempotency-Key", "oversize-0001")
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var e struct {
		Error struct {
			Code      string `json:"code"`
			RequestID string `json:"request_id"`
		} `json:"error"`
	}
	if resp.StatusCode != 413 || json.Unmarshal(body, &e) != nil || e.Error.Code != "request.too_large" || e.Error.RequestID == "" {
		t.Errorf("oversize POST = %d %s, want 413 request.too_large with a request id", resp.StatusCode, body)
	}
	if n, _ := h.store.CountAttempts(t.Context(), 0); n != 0 {
		t.Errorf("bad submissions stored %d attempts, want 0", n)
	}
}

func TestCatalogueAndLessons(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		list := h.expect(200, req{Method: "GET", Path: "/api/v1/modules"})
		if n := len(list.JSON["data"].([]any)); n < 2 {
			t.Fatalf("GET /modules lists %d modules, want >= 2", n)
		}
		if list.JSON["next"] != nil {
			t.Errorf("next = %v, want null", list.JSON["next"])
		}
		for _, c := range []struct {
			query string
			want  func(m map[string]any) bool
		}{
			{"category=data", func(m map[string]any) bool { return m["category"] == "data" }},
			{"cluster=prevention", func(m map[string]any) bool { return m["cluster"] == "prevention" }},
			{"readi=empathy", func(m map[string]any) bool { return true }},
		} {
			got := h.expect(200, req{Method: "GET", Path: "/api/v1/modules?" + c.query}).JSON["data"].([]any)
			if len(got) == 0 {
				t.Errorf("GET /modules?%s is empty", c.query)
			}
			for _, m := range got {
				if !c.want(m.(map[string]any)) {
					t.Errorf("GET /modules?%s returned %v", c.query, m.(map[string]any)["slug"])
				}
			}
		}
		for _, bad := range []string{"category=weather", "readi=greed", "cluster=x"} {
			h.expect(422, req{Method: "GET", Path: "/api/v1/modules?" + bad})
		}
		mod := h.expect(200, req{Method: "GET", Path: "/api/v1/modules/spot-the-scam"}).JSON["data"].(map[string]any)
		if mod["quiz_id"] != "spot-the-scam" || len(mod["lessons"].([]any)) < 3 || len(mod["objectives"].([]any)) == 0 {
			t.Errorf("module detail = %v", mod)
		}
		h.expect(404, req{Method: "GET", Path: "/api/v1/modules/no-such-module"})
		h.expect(404, req{Method: "GET", Path: "/api/v1/modules/spot-the-scam/lessons/no-such-lesson"})
		lessons := mod["lessons"].([]any)
		first := lessons[0].(map[string]any)["slug"].(string)
		second := lessons[1].(map[string]any)["slug"].(string)
		l := h.expect(200, req{Method: "GET", Path: "/api/v1/modules/spot-the-scam/lessons/" + first}).JSON["data"].(map[string]any)
		if l["prev"] != nil || l["next"] != second || !strings.Contains(l["html"].(string), "<h2") {
			t.Errorf("lesson = prev %v next %v, want null and %s with HTML headings", l["prev"], l["next"], second)
		}
		if strings.Contains(l["html"].(string), "<script") {
			t.Errorf("lesson HTML contains a script tag")
		}
		th := h.expect(200, req{Method: "GET", Path: "/api/v1/modules/spot-the-scam/lessons/" + first + "?lang=th"}).JSON["data"].(map[string]any)
		if th["lang"] != "th" || th["html"] == l["html"] {
			t.Errorf("Thai lesson lang %v, same HTML as English: %v", th["lang"], th["html"] == l["html"])
		}
		// Unknown languages fall back to English.
		if fb := h.expect(200, req{Method: "GET", Path: "/api/v1/modules/spot-the-scam?lang=xx"}).JSON["data"].(map[string]any); fb["lang"] != "en" {
			t.Errorf("lang=xx served %v, want en", fb["lang"])
		}

		// Completion is idempotent and shows in progress and on the card.
		s := h.register("Pim")
		p := "/api/v1/modules/spot-the-scam/lessons/" + first + "/complete"
		h.expect(201, req{Method: "POST", Path: p, Token: s.Access})
		h.expect(200, req{Method: "POST", Path: p, Token: s.Access})
		h.expect(404, req{Method: "POST", Path: "/api/v1/modules/spot-the-scam/lessons/nope/complete", Token: s.Access})
		prog := h.expect(200, req{Method: "GET", Path: "/api/v1/me/progress", Token: s.Access}).JSON["data"].(map[string]any)
		resume := prog["resume"].(map[string]any)
		if resume["module_slug"] != "spot-the-scam" || resume["lesson_slug"] != second {
			t.Errorf("resume = %v, want spot-the-scam/%s", resume, second)
		}
		cards := h.expect(200, req{Method: "GET", Path: "/api/v1/modules", Token: s.Access}).JSON["data"].([]any)
		for _, c := range cards {
			m := c.(map[string]any)
			if m["slug"] == "spot-the-scam" {
				pr := m["progress"].(map[string]any)
				if pr["lessons_completed"].(float64) != 1 || pr["status"] != "in_progress" {
					t.Errorf("card progress = %v, want 1 lesson, in_progress", pr)
				}
			}
		}
	})
}

func TestETagsAndCompression(t *testing.T) {
	h := newHarness(t, storetest.Engines()[0], nil)
	path := "/api/v1/modules/spot-the-scam/lessons/" + firstLesson
	first := h.expect(200, req{Method: "GET", Path: path})
	etag := first.Header.Get("ETag")
	if etag == "" {
		t.Fatal("lesson reply has no ETag")
	}
	h.expect(304, req{Method: "GET", Path: path, Header: map[string]string{"If-None-Match": etag}})
	if other := h.expect(200, req{Method: "GET", Path: path + "?lang=th"}).Header.Get("ETag"); other == etag {
		t.Error("Thai lesson has the English ETag")
	}
	list := h.expect(200, req{Method: "GET", Path: "/api/v1/modules"})
	h.expect(304, req{Method: "GET", Path: "/api/v1/modules", Header: map[string]string{"If-None-Match": list.Header.Get("ETag")}})

	gz := h.do(req{Method: "GET", Path: path, Header: map[string]string{"Accept-Encoding": "gzip"}})
	if gz.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", gz.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(strings.NewReader(string(gz.Body)))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if string(plain) != string(first.Body) {
		t.Error("gzip body differs from the plain body")
	}
}

func TestSecurityHeadersAndRequestID(t *testing.T) {
	h := newHarness(t, storetest.Engines()[0], nil)
	for _, path := range []string{"/", "/api/v1/modules", "/api/v1/nope", "/healthz"} {
		got := h.do(req{Method: "GET", Path: path})
		csp := got.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s CSP = %q", path, csp)
		}
		for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"} {
			if got.Header.Get(k) != want {
				t.Errorf("%s %s = %q, want %q", path, k, got.Header.Get(k), want)
			}
		}
		if got.Header.Get("X-Request-Id") == "" {
			t.Errorf("%s has no X-Request-Id", path)
		}
	}
	got := h.expect(404, req{Method: "GET", Path: "/api/v1/nope", Header: map[string]string{"X-Request-ID": "client-id-123"}})
	if got.JSON["error"].(map[string]any)["request_id"] != "client-id-123" {
		t.Errorf("error request_id = %v, want the client's id", got.JSON["error"])
	}
	// Deep links load the web app.
	if app := h.expect(200, req{Method: "GET", Path: "/modules/spot-the-scam"}); !strings.Contains(string(app.Body), "<html") {
		t.Error("deep link did not serve the web app")
	}
	h.expect(200, req{Method: "GET", Path: "/assets/app.css"})
}

func TestReadiness(t *testing.T) {
	h := newHarness(t, storetest.Engines()[0], nil)
	h.expect(200, req{Method: "GET", Path: "/readyz"})
	h.srv.API.SetReady(false)
	if got := h.expect(503, req{Method: "GET", Path: "/readyz"}); errorCode(got) != "unavailable.shutting_down" {
		t.Errorf("readyz while shutting down = %s", got.Body)
	}
	h.srv.API.SetReady(true)
	h.store.Close()
	if got := h.expect(503, req{Method: "GET", Path: "/readyz"}); errorCode(got) != "unavailable.database" {
		t.Errorf("readyz without database = %s", got.Body)
	}
	h.expect(200, req{Method: "GET", Path: "/healthz"})
}

func TestProfileExportAndErase(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		s := h.register("Ari")
		me := h.expect(200, req{Method: "PATCH", Path: "/api/v1/me", Token: s.Access, Body: map[string]string{"display_name": "Ari P", "locale": "th", "country": "TH"}}).JSON["data"].(map[string]any)
		if me["display_name"] != "Ari P" || me["locale"] != "th" || me["country"] != "TH" {
			t.Errorf("PATCH /me = %v", me)
		}
		for _, bad := range []map[string]string{{"country": "FR"}, {"locale": "klingon"}, {"display_name": ""}, {"display_name": strings.Repeat("n", 61)}} {
			h.expect(422, req{Method: "PATCH", Path: "/api/v1/me", Token: s.Access, Body: bad})
		}
		h.expect(201, req{Method: "POST", Path: "/api/v1/quizzes/spot-the-scam/attempts", Token: s.Access,
			Header: map[string]string{"Idempotency-Key": "export-0001"}, Body: map[string]any{"answers": map[string]any{"sts-q01": "a"}}})
		export := h.expect(200, req{Method: "GET", Path: "/api/v1/me/export", Token: s.Access}).JSON["data"].(map[string]any)
		if len(export["attempts"].([]any)) != 1 || export["user"].(map[string]any)["display_name"] != "Ari P" {
			t.Errorf("export = %v", export)
		}
		if strings.Contains(fmt.Sprint(export), "argon2") {
			t.Error("export contains the password hash")
		}
		h.expect(204, req{Method: "DELETE", Path: "/api/v1/me", Token: s.Access})
		if got := h.expect(401, req{Method: "GET", Path: "/api/v1/me", Token: s.Access}); errorCode(got) != "auth.token_invalid" {
			t.Errorf("token after erase = %s, want auth.token_invalid", got.Body)
		}
		h.expect(401, req{Method: "POST", Path: "/api/v1/auth/refresh", Body: map[string]string{"refresh_token": s.Refresh}})
		if n, _ := h.store.CountAttempts(t.Context(), int64(s.User["id"].(float64))); n != 0 {
			t.Errorf("attempts after erase = %d, want 0", n)
		}
	})
}
