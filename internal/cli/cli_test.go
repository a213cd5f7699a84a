package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/readi-platform/readi/internal/config"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func run(t *testing.T, e map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, env(e), &out, &errb)
	return code, out.String(), errb.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestContentValidate(t *testing.T) {
	if code, out, _ := run(t, nil, "content", "validate"); code != 0 || !strings.HasPrefix(out, "ok: ") {
		t.Fatalf("content validate (built-in) = %d %q, want 0 ok", code, out)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "curriculum.yaml"), []byte("tracks:\n  - slug: t\n    title: T\n    modules: [m]\n"), 0o644)
	os.MkdirAll(filepath.Join(dir, "m"), 0o755)
	os.WriteFile(filepath.Join(dir, "m", "module.yaml"), []byte("slug: m\ntitle: M\ncategory: weather\n"), 0o644)
	code, out, _ := run(t, nil, "content", "validate", dir)
	if code != 1 || !strings.Contains(out, "m/module.yaml:3:") {
		t.Fatalf("content validate (broken) = %d %q, want 1 with m/module.yaml:3: ...", code, out)
	}
	if code, _, _ := run(t, nil, "content", "validate", filepath.Join(dir, "missing")); code != 2 {
		t.Fatalf("content validate (no dir) = %d, want 2", code)
	}
}

func TestUsersCreateMigrateBackup(t *testing.T) {
	data := t.TempDir()
	e := map[string]string{"READI_DATA_DIR": data}
	if code, out, errOut := run(t, e, "migrate"); code != 0 || !strings.Contains(out, "schema version") {
		t.Fatalf("migrate = %d %q %q", code, out, errOut)
	}
	code, out, errOut := run(t, e, "users", "create", "--email", "Teacher@Example.org", "--password", "a-long-teacher-passphrase", "--role", "educator")
	if code != 0 || !strings.Contains(out, "created educator user") {
		t.Fatalf("users create = %d %q %q", code, out, errOut)
	}
	if code, _, errOut := run(t, e, "users", "create", "--email", "x@example.org", "--password", "password123", "--role", "admin"); code != 2 || !strings.Contains(errOut, "password.common") {
		t.Fatalf("users create (common password) = %d %q, want 2 password.common", code, errOut)
	}
	if code, _, errOut := run(t, e, "users", "create", "--email", "y@example.org", "--password", "a-long-passphrase", "--role", "king"); code != 2 || !strings.Contains(errOut, "role.unknown") {
		t.Fatalf("users create (bad role) = %d %q", code, errOut)
	}
	if code, _, _ := run(t, e, "users", "create", "--email", "teacher@example.org", "--password", "a-long-passphrase", "--role", "admin"); code != 1 {
		t.Fatalf("users create (duplicate) = %d, want 1", code)
	}
	backup := filepath.Join(t.TempDir(), "copy.db")
	if code, out, errOut := run(t, e, "backup", backup); code != 0 || !strings.Contains(out, backup) {
		t.Fatalf("backup = %d %q %q", code, out, errOut)
	}
	if st, err := os.Stat(backup); err != nil || st.Size() == 0 {
		t.Fatalf("backup file: %v", err)
	}
	if code, _, _ := run(t, e, "nonsense"); code != 2 {
		t.Fatalf("unknown command = %d, want 2", code)
	}
	if code, _, _ := run(t, map[string]string{"READI_ADDR": "nope"}, "migrate"); code != 2 {
		t.Fatalf("bad config = %d, want 2", code)
	}
}

// TestServeShutsDownGracefully starts the real server, begins a request
// whose body is still arriving, sends the shutdown, then completes the
// request: it must be answered, and the server must then stop.
func TestServeShutsDownGracefully(t *testing.T) {
	cfg := config.Defaults()
	cfg.Addr = freeAddr(t)
	cfg.DataDir = t.TempDir()
	cfg.ShutdownGrace = 10 * time.Second
	srv, err := Build(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("Build() = %v", err)
	}
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	base := "http://" + cfg.Addr
	waitFor(t, base+"/readyz", 200)

	conn, err := net.Dial("tcp", cfg.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"email":"late@example.org","password":"a-long-late-passphrase","display_name":"Late"}`
	fmt.Fprintf(conn, "POST /api/v1/auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:10])
	time.Sleep(100 * time.Millisecond)

	cancel() // as SIGTERM does
	time.Sleep(200 * time.Millisecond)
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Log("new connections may still be accepted briefly; continuing")
	}
	fmt.Fprint(conn, body[10:])
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request was not answered: %v", err)
	}
	if resp.StatusCode != 201 {
		t.Fatalf("in-flight register = %d, want 201", resp.StatusCode)
	}
	conn.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve() = %v, want nil after shutdown", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("server did not stop")
	}
}

func waitFor(t *testing.T, url string, status int) {
	t.Helper()
	for i := 0; i < 100; i++ {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == status {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never answered %d", url, status)
}
