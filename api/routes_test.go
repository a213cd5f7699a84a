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

func accessMatrix() map[string]access {
	n := 0
	unique := func(string) any {
		n++
		return nil
	}
	_ = unique
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
		// Last, because it erases the caller.
		"DELETE /api/v1/me":  {path: "/api/v1/me", want: signedIn(204)},
		"GET " + appCatchAll: {path: "/progress", want: all(200)},
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
			tokens := map[string]string{
				"anonymous":     "",
				"learner":       h.register("Lin").Access,
				"other_learner": h.register("Oka").Access,
				"educator":      h.userWithRole("Eddy", model.RoleEducator).Access,
				"admin":         h.userWithRole("Ada", model.RoleAdmin).Access,
			}
			matrix := accessMatrix()
			routes := registeredRoutes(h)
			// Run the destructive row last.
			sort.SliceStable(routes, func(i, j int) bool { return routes[j] == "DELETE /api/v1/me" })
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
					if row.header != nil && role != "anonymous" {
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
