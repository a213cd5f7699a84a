package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/readi-platform/readi/api"
	"github.com/readi-platform/readi/internal/cli"
	"github.com/readi-platform/readi/internal/config"
	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
	"github.com/readi-platform/readi/internal/store/storetest"
)

// harness is a real READI server (real router, real database, the
// built-in content pack) driven through fiber's app.Test.
type harness struct {
	t     testing.TB
	srv   *cli.Server
	app   *fiber.App
	store *store.Store
	mu    sync.Mutex
	seq   int
}

// forEachEngine runs fn with a fresh server on SQLite, and on PostgreSQL
// when READI_TEST_DATABASE_URL is set.
func forEachEngine(t *testing.T, fn func(t *testing.T, h *harness)) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) { fn(t, newHarness(t, e, nil)) })
	}
}

func newHarness(t testing.TB, e storetest.Engine, tweak func(*config.Config)) *harness {
	t.Helper()
	s := e.Open(t)
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	cfg.JWTSecret = strings.Repeat("test-secret-", 4)
	cfg.LoginLimit = 5
	if tweak != nil {
		tweak(&cfg)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := cli.Assemble(context.Background(), cfg, log, s)
	if err != nil {
		t.Fatalf("Assemble() = %v", err)
	}
	srv.API.SetReady(true)
	return &harness{t: t, srv: srv, app: srv.Fiber.(*fiber.App), store: s}
}

// reply is a response with its decoded JSON body.
type reply struct {
	Status int
	Header http.Header
	Body   []byte
	JSON   map[string]any
}

// req describes one request.
type req struct {
	Method, Path string
	Body         any // string or []byte sent raw; anything else JSON-encoded
	Token        string
	Header       map[string]string
}

func (h *harness) do(r req) reply {
	h.t.Helper()
	var body io.Reader
	switch b := r.Body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		body = bytes.NewReader(enc)
	}
	hr := httptest.NewRequest(r.Method, r.Path, body)
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if r.Token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.Token)
	}
	for k, v := range r.Header {
		hr.Header.Set(k, v)
	}
	resp, err := h.app.Test(hr, -1)
	if err != nil {
		h.t.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	defer resp.Body.Close()
	out := reply{Status: resp.StatusCode, Header: resp.Header}
	out.Body, _ = io.ReadAll(resp.Body)
	plain := out.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(out.Body))
		if err != nil {
			h.t.Fatalf("%s %s: bad gzip: %v", r.Method, r.Path, err)
		}
		plain, _ = io.ReadAll(zr)
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") && len(plain) > 0 {
		if err := json.Unmarshal(plain, &out.JSON); err != nil {
			h.t.Fatalf("%s %s: reply is not JSON: %v: %s", r.Method, r.Path, err, out.Body)
		}
	}
	checked := out
	checked.Body = plain
	checkContract(h.t, r, checked)
	return out
}

// expect is do plus a status check.
func (h *harness) expect(status int, r req) reply {
	h.t.Helper()
	out := h.do(r)
	if out.Status != status {
		h.t.Fatalf("%s %s = %d %s, want %d", r.Method, r.Path, out.Status, out.Body, status)
	}
	return out
}

// session is a signed-in user.
type session struct {
	User    map[string]any
	Access  string
	Refresh string
}

func (h *harness) register(name string) session {
	h.t.Helper()
	h.mu.Lock()
	h.seq++
	email := fmt.Sprintf("%s.%d@example.org", strings.ToLower(name), h.seq)
	h.mu.Unlock()
	out := h.expect(201, req{Method: "POST", Path: "/api/v1/auth/register",
		Body: map[string]string{"email": email, "password": "kopi-susu-" + name + "-pagi", "display_name": name}})
	return sessionOf(out)
}

// userWithRole creates an account of any role directly, then signs in.
func (h *harness) userWithRole(name string, role model.Role) session {
	h.t.Helper()
	h.mu.Lock()
	h.seq++
	email := fmt.Sprintf("%s.%d@example.org", strings.ToLower(name), h.seq)
	h.mu.Unlock()
	pw := "kopi-susu-" + name + "-pagi"
	if _, err := h.srv.Accounts.CreateUser(context.Background(), email, pw, name, role); err != nil {
		h.t.Fatalf("CreateUser(%s) = %v", role, err)
	}
	out := h.expect(200, req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": email, "password": pw}})
	return sessionOf(out)
}

func sessionOf(r reply) session {
	d := r.JSON["data"].(map[string]any)
	return session{User: d["user"].(map[string]any), Access: d["access_token"].(string), Refresh: d["refresh_token"].(string)}
}

// errorCode returns the code of an error reply.
func errorCode(r reply) string {
	e, _ := r.JSON["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

// --- the contract check every reply passes through ---

var (
	contractOnce sync.Once
	contractOps  []contractOp
	contractErr  error
)

type contractOp struct {
	method  string
	pattern *regexp.Regexp
	path    string
	doc     map[string]any
}

var compiler struct {
	sync.Mutex
	c       *jsonschema.Compiler
	schemas map[string]*jsonschema.Schema
}

func loadContract() {
	var doc map[string]any
	if contractErr = json.Unmarshal(api.OpenAPIDocument(), &doc); contractErr != nil {
		return
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(api.OpenAPIDocument()))
	if err != nil {
		contractErr = err
		return
	}
	compiler.c = jsonschema.NewCompiler()
	compiler.schemas = map[string]*jsonschema.Schema{}
	if contractErr = compiler.c.AddResource("file:///openapi.json", inst); contractErr != nil {
		return
	}
	for path, item := range doc["paths"].(map[string]any) {
		re := "^" + regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(regexp.QuoteMeta(path), `[^/]+`) + "$"
		re = strings.ReplaceAll(re, `\{`, "{")
		for method, op := range item.(map[string]any) {
			contractOps = append(contractOps, contractOp{method: strings.ToUpper(method), path: path,
				pattern: regexp.MustCompile(re), doc: op.(map[string]any)})
		}
	}
}

// pointerEscape escapes a JSON pointer token.
func pointerEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// checkContract validates a reply against the OpenAPI document: the status
// must be documented for the operation and a JSON body must match its
// schema. Errors must use the envelope with a request id.
func checkContract(t testing.TB, r req, out reply) {
	t.Helper()
	contractOnce.Do(loadContract)
	if contractErr != nil {
		t.Fatalf("OpenAPI document: %v", contractErr)
	}
	path := r.Path
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if out.Status >= 400 && strings.HasPrefix(path, "/api/") {
		e, ok := out.JSON["error"].(map[string]any)
		if !ok || e["code"] == "" || e["message"] == "" || e["request_id"] == "" {
			t.Fatalf("%s %s = %d %s: not the error envelope with code, message and request_id", r.Method, r.Path, out.Status, out.Body)
		}
	}
	var op *contractOp
	for i := range contractOps {
		if contractOps[i].method == r.Method && contractOps[i].pattern.MatchString(path) {
			op = &contractOps[i]
			break
		}
	}
	if op == nil {
		return // unknown routes are the access-matrix test's business
	}
	status := fmt.Sprint(out.Status)
	responses := op.doc["responses"].(map[string]any)
	if _, ok := responses[status]; !ok {
		// Generic failures every route can give are documented once.
		if out.Status == 400 || out.Status == 401 || out.Status == 413 || out.Status == 429 || out.Status == 405 {
			return
		}
		t.Fatalf("%s %s = %d %s: status not documented in OpenAPI for %s %s", r.Method, r.Path, out.Status, out.Body, op.method, op.path)
	}
	content, _ := responses[status].(map[string]any)["content"].(map[string]any)
	if out.JSON == nil || content == nil {
		return
	}
	ptr := fmt.Sprintf("file:///openapi.json#/paths/%s/%s/responses/%s/content/application~1json/schema",
		pointerEscape(op.path), strings.ToLower(op.method), status)
	compiler.Lock()
	sch, ok := compiler.schemas[ptr]
	if !ok {
		var err error
		if sch, err = compiler.c.Compile(ptr); err != nil {
			compiler.Unlock()
			t.Fatalf("compile %s: %v", ptr, err)
		}
		compiler.schemas[ptr] = sch
	}
	compiler.Unlock()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out.Body))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("%s %s = %d: reply does not match the OpenAPI schema: %v\n%s", r.Method, r.Path, out.Status, err, out.Body)
	}
}

// configT shortens config.Config in harness tweaks.
type configT = config.Config

// listen serves the harness on a real loopback socket, for what app.Test
// cannot show (fasthttp's own refusals such as an oversize body).
func (h *harness) listen() string {
	h.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		h.t.Fatal(err)
	}
	go h.app.Listener(ln)
	h.t.Cleanup(func() { h.app.Shutdown() })
	return "http://" + ln.Addr().String()
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
