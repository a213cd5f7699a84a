// Package storetest opens real, isolated databases for tests: a fresh
// SQLite file in a temporary directory, and a fresh PostgreSQL schema when
// READI_TEST_DATABASE_URL is set. Tests can then run in parallel and again.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", to create and drop schemas

	"github.com/readi-platform/readi/internal/store"
)

// EnvURL names the variable that points the tests at a PostgreSQL server.
const EnvURL = "READI_TEST_DATABASE_URL"

// Engine is one database engine the tests run against.
type Engine struct {
	Name string
	open func(t testing.TB, o store.Options) *store.Store
}

// Engines lists SQLite, and PostgreSQL when READI_TEST_DATABASE_URL is set.
func Engines() []Engine {
	es := []Engine{{Name: store.SQLite, open: openSQLite}}
	if os.Getenv(EnvURL) != "" {
		es = append(es, Engine{Name: store.Postgres, open: openPostgres})
	}
	return es
}

// Open returns a migrated, empty store on this engine, closed (and on
// PostgreSQL dropped) when the test ends.
func (e Engine) Open(t testing.TB) *store.Store { return e.OpenWith(t, store.Options{}) }

// OpenWith is Open with extra options (a query counter, say).
func (e Engine) OpenWith(t testing.TB, o store.Options) *store.Store {
	t.Helper()
	s := e.open(t, o)
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("Migrate() = %v, want nil", err)
	}
	return s
}

// ForEach runs fn as a subtest on every engine with a fresh store.
func ForEach(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	for _, e := range Engines() {
		t.Run(e.Name, func(t *testing.T) { fn(t, e.Open(t)) })
	}
}

func openSQLite(t testing.TB, o store.Options) *store.Store {
	o.SQLitePath = filepath.Join(t.TempDir(), "readi.db")
	s, err := store.Open(context.Background(), o)
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// openPostgres creates a schema of its own and points the connection's
// search_path at it, so the real migrations run in isolation.
func openPostgres(t testing.TB, o store.Options) *store.Store {
	base := os.Getenv(EnvURL)
	schema := "t_" + randomHex(8)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open postgres %s: %v", EnvURL, err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	o.DatabaseURL = u.String()
	s, err := store.Open(context.Background(), o)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() {
		s.Close()
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	return s
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
