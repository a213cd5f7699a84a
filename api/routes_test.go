package api_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/readi-platform/readi/api"
	"github.com/readi-platform/readi/internal/config"
	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store/storetest"
)

// catchAll are the fallbacks: JSON 404 under /api, the web app elsewhere.
const (
	apiCatchAll = "/api/*"
	appCatchAll = "/*"
)

// registeredRoutes lists "METHOD /path" for every route of the router.
// HEAD mirrors GET (Fiber registers it with every GET) and is left out.
func registeredRoutes(h *harness) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range h.app.GetRoutes(true) {
		if r.Method == "HEAD" {
			continue
		}
		k := r.Method + " " + r.Path
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func openAPIPath(fiberPath string) string {
	return regexp.MustCompile(`:(\w+)`).ReplaceAllString(fiberPath, "{$1}")
}

func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	h := newHarness(t, storetest.Engines()[0], nil)
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(api.OpenAPIDocument(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	routed := map[string]bool{}
	for _, r := range registeredRoutes(h) {
		method, path, _ := strings.Cut(r, " ")
		if path == apiCatchAll || path == appCatchAll {
			continue
		}
		key := method + " " + openAPIPath(path)
		routed[key] = true
		if !documented[key] {
			t.Errorf("route %s is not in /api/openapi.json", key)
		}
	}
	for key := range documented {
		if !routed[key] {
			t.Errorf("/api/openapi.json documents %s, which is not a route", key)
		}
	}
	// The document is served as it is built.
	got := h.expect(200, req{Method: "GET", Path: "/api/openapi.json"})
	if string(got.Body) != string(api.OpenAPIDocument()) {
		t.Errorf("GET /api/openapi.json differs from OpenAPIDocument()")
	}
}

// The roles of the access matrix.
var roles = []string{"anonymous", "learner", "other_learner", "educator", "admin"}

// access is one row: how to call a route and what each role gets.
type access struct {
	path   string
	body   func(role string) any
	header map[string]string
	want   map[string]int
}

func all(status int) map[string]int {
	m := map[string]int{}
	for _, r := range roles {
		m[r] = status
	}
	return m
}

func signedIn(status int) map[string]int {
	m := all(status)
	m["anonymous"] = 401
	return m
}

// fixture is what the matrix rows refer to: a class taught by the
// matrix's educator, with one member and one assignment.
type fixture struct {
	classID, assignmentID, memberID, coTeacherID int64
	code, coTeacherEmail                         string
}

// teacher is what an educator-only route answers: learners are refused by
// role, the class's teacher succeeds, and an admin who does not teach the
// class gets a 404 (a class's existence is not revealed).
func teacher(status int) map[string]int {
	return map[string]int{"anonymous": 401, "learner": 403, "other_learner": 403, "educator": status, "admin": 404}
}

func accessMatrix(fx fixture) map[string]access {
	n := 0
	cls := fmt.Sprintf("/api/v1/classes/%d", fx.classID)
	asg := fmt.Sprintf("%s/assignments/%d", cls, fx.assignmentID)
	return map[string]access{
		"GET /healthz":          {path: "/healthz", want: all(200)},
		"GET /readyz":           {path: "/readyz", want: all(200)},
		"GET /api/openapi.json": {path: "/api/openapi.json", want: all(200)},
		"POST /api/v1/auth/register": {path: "/api/v1/auth/register", want: all(201), body: func(role string) any {
			n++
			return map[string]string{"email": fmt.Sprintf("new-%s-%d@example.org", role, n), "password": "a-long-new-passphrase", "display_name": "New"}
		}},
		"POST /api/v1/auth/login": {path: "/api/v1/auth/login", want: all(401), body: func(role string) any {
			return map[string]string{"email": "nobody-" + role + "@example.org", "password": "wrong-password-here"}
		}},
		"POST /api/v1/auth/refresh":                           {path: "/api/v1/auth/refresh", want: all(401)},
		"POST /api/v1/auth/logout":                            {path: "/api/v1/auth/logout", want: all(401)},
		"GET /api/v1/modules":                                 {path: "/api/v1/modules", want: all(200)},
		"GET /api/v1/modules/:slug":                           {path: "/api/v1/modules/spot-the-scam", want: all(200)},
		"GET /api/v1/modules/:slug/lessons/:lesson":           {path: "/api/v1/modules/spot-the-scam/lessons/" + firstLesson, want: all(200)},
		"POST /api/v1/modules/:slug/lessons/:lesson/complete": {path: "/api/v1/modules/spot-the-scam/lessons/" + firstLesson + "/complete", want: signedIn(201)},
		"GET /api/v1/me":                                      {path: "/api/v1/me", want: signedIn(200)},
		"PATCH /api/v1/me":                                    {path: "/api/v1/me", want: signedIn(200), body: func(string) any { return map[string]string{"locale": "th", "country": "TH"} }},
		"GET /api/v1/me/export":                               {path: "/api/v1/me/export", want: signedIn(200)},
		"GET /api/v1/me/progress":                             {path: "/api/v1/me/progress", want: signedIn(200)},
		"GET /api/v1/quizzes/:id":                             {path: "/api/v1/quizzes/spot-the-scam", want: signedIn(200)},
		"POST /api/v1/quizzes/:id/attempts": {path: "/api/v1/quizzes/spot-the-scam/attempts", want: signedIn(201),
			header: map[string]string{"Idempotency-Key": "matrix-key-0001"},
			body:   func(string) any { return map[string]any{"answers": map[string]any{}} }},
		"POST /api/v1/auth/join": {path: "/api/v1/auth/join", want: all(201), body: func(role string) any {
			return map[string]string{"code": fx.code, "nickname": "Joiner " + role}
		}},
		"POST /api/v1/auth/recover": {path: "/api/v1/auth/recover", want: all(401), body: func(string) any {
			return map[string]string{"recovery_code": "AAAA-BBBB-CCCC-DDDD"}
		}},
		"POST /api/v1/classes/join":  {path: "/api/v1/classes/join", want: signedIn(200), body: func(string) any { return map[string]string{"code": fx.code} }},
		"GET /api/v1/me/assignments": {path: "/api/v1/me/assignments", want: signedIn(200)},
		"POST /api/v1/classes": {path: "/api/v1/classes", want: map[string]int{"anonymous": 401, "learner": 403, "other_learner": 403, "educator": 201, "admin": 201},
			body: func(string) any { return map[string]string{"name": "Another class"} }},
		"GET /api/v1/classes":               {path: "/api/v1/classes", want: map[string]int{"anonymous": 401, "learner": 403, "other_learner": 403, "educator": 200, "admin": 200}},
		"GET /api/v1/classes/:id":           {path: cls, want: teacher(200)},
		"PATCH /api/v1/classes/:id":         {path: cls, want: teacher(200), body: func(string) any { return map[string]string{"name": "Renamed"} }},
		"GET /api/v1/classes/:id/members":   {path: cls + "/members", want: teacher(200)},
		"POST /api/v1/classes/:id/teachers": {path: cls + "/teachers", want: teacher(201), body: func(string) any { return map[string]string{"email": fx.coTeacherEmail} }},
		"GET /api/v1/classes/:id/teachers":  {path: cls + "/teachers", want: teacher(200)},
		"POST /api/v1/classes/:id/assignments": {path: cls + "/assignments", want: teacher(201), body: func(string) any {
			return map[string]string{"module_slug": "lock-your-accounts"}
		}},
		"GET /api/v1/classes/:id/assignments":                  {path: cls + "/assignments", want: teacher(200)},
		"GET /api/v1/classes/:id/assignments/:assignment_id":   {path: asg, want: teacher(200)},
		"PATCH /api/v1/classes/:id/assignments/:assignment_id": {path: asg, want: teacher(200), body: func(string) any { return map[string]any{"due_at": "2030-01-01T00:00:00Z"} }},
		"GET /api/v1/classes/:id/report":                       {path: cls + "/report", want: teacher(200)},
		"GET /api/v1/classes/:id/report.csv":                   {path: cls + "/report.csv", want: teacher(200)},
		"GET /api/v1/classes/:id/questions":                    {path: cls + "/questions?module=spot-the-scam", want: teacher(200)},
		"GET /api/v1/classes/:id/readi":                        {path: cls + "/readi", want: teacher(200)},
		// Destructive rows run last, in this order.
		"DELETE /api/v1/classes/:id/teachers/:user_id":          {path: fmt.Sprintf("%s/teachers/%d", cls, fx.coTeacherID), want: teacher(204)},
		"DELETE /api/v1/classes/:id/members/:user_id":           {path: fmt.Sprintf("%s/members/%d", cls, fx.memberID), want: teacher(204)},
		"DELETE /api/v1/classes/:id/assignments/:assignment_id": {path: asg, want: teacher(204)},
		"DELETE /api/v1/classes/:id":                            {path: cls, want: teacher(204)},
		"DELETE /api/v1/me":                                     {path: "/api/v1/me", want: signedIn(204)},
		"GET " + appCatchAll:                                    {path: "/progress", want: all(200)},
	}
}

// firstLesson is the first lesson of the spot-the-scam starter module.
const firstLesson = "phishing-and-smishing"

// TestAccessMatrix calls every registered route as every role. A route
// added without a row here fails the test.
func TestAccessMatrix(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			h := newHarness(t, e, func(c *config.Config) { c.LoginLimit = 1000 })
			admin := h.userWithRole("Ada", model.RoleAdmin)
			tokens := map[string]string{
				"anonymous":     "",
				"learner":       h.register("Lin").Access,
				"other_learner": h.register("Oka").Access,
				"educator":      h.userWithRole("Eddy", model.RoleEducator).Access,
				"admin":         admin.Access,
			}
			coTeacher := h.userWithRole("Coco", model.RoleEducator).User
			fx := fixture{coTeacherEmail: coTeacher["email"].(string), coTeacherID: int64(coTeacher["id"].(float64))}
			class := h.expect(201, req{Method: "POST", Path: "/api/v1/classes", Token: tokens["educator"], Body: map[string]string{"name": "Matrix class"}}).JSON["data"].(map[string]any)
			fx.classID, fx.code = int64(class["id"].(float64)), class["join_code"].(string)
			member := sessionOf(h.expect(201, req{Method: "POST", Path: "/api/v1/auth/join", Body: map[string]string{"code": fx.code, "nickname": "Member"}}))
			fx.memberID = int64(member.User["id"].(float64))
			as := h.expect(201, req{Method: "POST", Path: fmt.Sprintf("/api/v1/classes/%d/assignments", fx.classID), Token: tokens["educator"],
				Body: map[string]string{"module_slug": "spot-the-scam"}}).JSON["data"].(map[string]any)
			fx.assignmentID = int64(as["id"].(float64))
			matrix := accessMatrix(fx)
			for route, row := range adminMatrix(newAdminFixture(h, admin)) {
				matrix[route] = row
			}
			for route, row := range liveMatrix(newLiveFixture(h, tokens["educator"])) {
				matrix[route] = row
			}
			routes := registeredRoutes(h)
			// Destructive rows run last, in a fixed order.
			last := []string{"DELETE /api/v1/admin/modules/:slug/lessons/:lesson", "DELETE /api/v1/admin/modules/:slug",
				"DELETE /api/v1/classes/:id/teachers/:user_id", "DELETE /api/v1/classes/:id/members/:user_id",
				"DELETE /api/v1/classes/:id/assignments/:assignment_id",
				"DELETE /api/v1/classes/:id", "DELETE /api/v1/me"}
			rank := func(r string) int {
				for i, l := range last {
					if l == r {
						return i + 1
					}
				}
				return 0
			}
			sort.SliceStable(routes, func(i, j int) bool { return rank(routes[i]) < rank(routes[j]) })
			for _, route := range routes {
				method, path, _ := strings.Cut(route, " ")
				if path == apiCatchAll {
					for _, role := range roles {
						got := h.do(req{Method: method, Path: "/api/v1/no-such-thing", Token: tokens[role]})
						if got.Status != 404 {
							t.Errorf("%s /api/v1/no-such-thing as %s = %d, want 404", method, role, got.Status)
						}
					}
					continue
				}
				row, ok := matrix[route]
				if !ok {
					t.Errorf("route %s has no row in the access matrix", route)
					continue
				}
				for _, role := range roles {
					r := req{Method: method, Path: row.path, Token: tokens[role], Header: row.header}
					if row.body != nil {
						r.Body = row.body(role)
					}
					if row.header["Idempotency-Key"] != "" && role != "anonymous" {
						r.Header = map[string]string{"Idempotency-Key": "matrix-" + role + "-0001"}
					}
					got := h.do(r)
					if got.Status != row.want[role] {
						t.Errorf("%s %s as %s = %d %s, want %d", method, row.path, role, got.Status, got.Body, row.want[role])
					}
				}
			}
		})
	}
}
