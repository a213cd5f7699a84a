package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", to create and drop schemas

	"github.com/readi-platform/readi/internal/cli"
	"github.com/readi-platform/readi/internal/config"
	"github.com/readi-platform/readi/internal/store"
)

// loadJWTSecret signs the tokens of the READI server the tool starts:
// fixed, 64 bytes, and only ever used by that short-lived process.
const loadJWTSecret = "readi-load-test-signing-secret-not-for-production-0123456789abcd"

// bareLesson is the bare handler's reply, shaped like READI's lesson reply
// but small and constant.
type bareLesson struct {
	ModuleSlug string   `json:"module_slug"`
	Slug       string   `json:"slug"`
	Title      string   `json:"title"`
	HTML       string   `json:"html"`
	Readi      []string `json:"readi"`
	Minutes    int      `json:"minutes"`
	Position   int      `json:"position"`
	Prev       *string  `json:"prev"`
	Next       *string  `json:"next"`
	Lang       string   `json:"lang"`
}

type bareEnvelope struct {
	Data any `json:"data"`
}

// fiberServer is a Fiber app listening on a loopback port of its own.
type fiberServer struct {
	app  *fiber.App
	addr string
	done chan error
}

// startFiber serves app on 127.0.0.1 at a port the kernel picks.
func startFiber(app *fiber.App) (*fiberServer, error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &fiberServer{app: app, addr: ln.Addr().String(), done: make(chan error, 1)}
	go func() { s.done <- app.Listener(ln) }()
	return s, nil
}

func (s *fiberServer) close() {
	_ = s.app.ShutdownWithTimeout(5 * time.Second)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
	}
}

// startBareJSON starts the bare JSON handler: GET / answers a lesson-shaped
// reply encoded on every request, as READI encodes its replies.
func startBareJSON() (*fiberServer, error) {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	next := "shopping-scams"
	app.Get("/", func(c *fiber.Ctx) error {
		return c.JSON(bareEnvelope{Data: bareLesson{ModuleSlug: "spot-the-scam", Slug: "phishing-and-smishing",
			Title: "Phishing and smishing", HTML: "<p>A scam message wants you to act before you think.</p>",
			Readi: []string{"discernment"}, Minutes: 6, Position: 1, Next: &next, Lang: "en"}})
	})
	return startFiber(app)
}

// startBareInsert starts the bare insert handler: POST / stores its body as
// one row with GORM, in a transaction on the writer, and answers 201.
func startBareInsert(b *store.Baseline) (*fiberServer, error) {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Post("/", func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := b.InsertOne(ctx, string(c.Body())); err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(bareEnvelope{Data: map[string]bool{"stored": true}})
	})
	return startFiber(app)
}

// readiServer is the real application, assembled by cli.Build.
type readiServer struct {
	srv  *cli.Server
	addr string
	logs *logSink
	stop context.CancelFunc
	done chan error
}

// readiTuning are settings the live scenario changes.
type readiTuning struct {
	TrustedProxies []string
	LiveJoinLimit  int // 0 keeps the default
}

// startREADI builds READI on dataDir (and databaseURL when set) with the
// content pack in contentDir (empty: the embedded one) and serves it on a
// free loopback port until closed.
func startREADI(ctx context.Context, dataDir, databaseURL, contentDir string, tune readiTuning) (*readiServer, error) {
	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	cfg := config.Defaults()
	cfg.Addr = addr
	cfg.DataDir = dataDir
	cfg.DatabaseURL = databaseURL
	cfg.ContentDir = contentDir
	cfg.JWTSecret = loadJWTSecret
	cfg.LogLevel = slog.LevelWarn
	cfg.ShutdownGrace = 5 * time.Second
	cfg.TrustedProxies = tune.TrustedProxies
	if tune.LiveJoinLimit > 0 {
		cfg.LiveJoinLimit = tune.LiveJoinLimit
	}
	if errs := cfg.Validate(); len(errs) > 0 {
		return nil, fmt.Errorf("configuration: %w", errors.Join(errs...))
	}
	logs := &logSink{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: cfg.LogLevel}))
	srv, err := cli.Build(ctx, cfg, log)
	if err != nil {
		return nil, fmt.Errorf("build READI: %w", err)
	}
	serveCtx, stop := context.WithCancel(context.Background())
	r := &readiServer{srv: srv, addr: addr, logs: logs, stop: stop, done: make(chan error, 1)}
	go func() { r.done <- srv.Serve(serveCtx) }()
	if err := waitReady(ctx, "http://"+addr+"/readyz", r.done); err != nil {
		r.close()
		return nil, err
	}
	return r, nil
}

func (r *readiServer) close() {
	r.stop()
	select {
	case <-r.done:
	case <-time.After(r.srv.Config.ShutdownGrace + 2*time.Second):
	}
	_ = r.srv.Close()
}

// waitReady polls the readiness probe until it answers 200.
func waitReady(ctx context.Context, u string, done <-chan error) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			return fmt.Errorf("READI stopped while starting: %v", err)
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		if resp, err := client.Get(u); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("READI was not ready at %s within 15s", u)
}

// freeLoopbackAddr finds a free port on 127.0.0.1 for a server that takes
// an address rather than a listener.
func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}

// logSink discards the server's log but counts its lines (warnings and
// errors only, at the configured level) and keeps the first few, so that a
// failed request can be explained.
type logSink struct {
	mu    sync.Mutex
	lines int
	first []string
}

func (l *logSink) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines += bytes.Count(p, []byte{'\n'})
	if len(l.first) < 3 {
		l.first = append(l.first, string(bytes.TrimSpace(p)))
	}
	return len(p), nil
}

func (l *logSink) snapshot() (int, []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lines, append([]string(nil), l.first...)
}

// databases hands out fresh databases of one kind: SQLite files in a
// temporary directory, or new schemas on a PostgreSQL server, dropped by
// cleanup.
type databases struct {
	tmp     string
	baseURL string // empty for SQLite
	admin   *sql.DB
	schemas []string
}

func newDatabases(tmp, baseURL string) (*databases, error) {
	d := &databases{tmp: tmp, baseURL: baseURL}
	if baseURL == "" {
		return d, nil
	}
	admin, err := sql.Open("pgx", baseURL)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	d.admin = admin
	return d, nil
}

func (d *databases) dialect() string {
	if d.baseURL == "" {
		return store.SQLite
	}
	return store.Postgres
}

// fresh returns, for a database named name, the data directory and the
// database URL (empty on SQLite, whose file lives in the data directory).
func (d *databases) fresh(ctx context.Context, name string) (dataDir, databaseURL string, err error) {
	dataDir = filepath.Join(d.tmp, name)
	if d.admin == nil {
		return dataDir, "", nil
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "readi_load_" + name + "_" + hex.EncodeToString(b)
	if _, err := d.admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", "", fmt.Errorf("create schema %s: %w", schema, err)
	}
	d.schemas = append(d.schemas, schema)
	u, err := url.Parse(d.baseURL)
	if err != nil {
		return "", "", err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return dataDir, u.String(), nil
}

// cleanup drops every schema fresh created.
func (d *databases) cleanup(w io.Writer) {
	if d.admin == nil {
		return
	}
	for _, s := range d.schemas {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if _, err := d.admin.ExecContext(ctx, "DROP SCHEMA "+s+" CASCADE"); err != nil {
			fmt.Fprintf(w, "readi-load: drop schema %s: %v\n", s, err)
		}
		cancel()
	}
	d.admin.Close()
}
