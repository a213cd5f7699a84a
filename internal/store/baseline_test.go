package store_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/readi-platform/readi/internal/store"
	"github.com/readi-platform/readi/internal/store/storetest"
)

// baselineOptions points a Baseline at a fresh database on engine e: a
// SQLite file in a temporary directory, or a PostgreSQL schema of its own
// (as storetest does for the store), dropped when the test ends.
func baselineOptions(t *testing.T, e storetest.Engine) store.Options {
	t.Helper()
	if e.Name == store.SQLite {
		return store.Options{SQLitePath: filepath.Join(t.TempDir(), "baseline.db")}
	}
	base := os.Getenv(storetest.EnvURL)
	b := make([]byte, 8)
	rand.Read(b)
	schema := "t_baseline_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open postgres %s: %v", storetest.EnvURL, err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", storetest.EnvURL, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return store.Options{DatabaseURL: u.String()}
}

func TestBaselineInsertsOneRowPerCall(t *testing.T) {
	for _, e := range storetest.Engines() {
		t.Run(e.Name, func(t *testing.T) {
			ctx := context.Background()
			o := baselineOptions(t, e)
			b, err := store.OpenBaseline(ctx, o)
			if err != nil {
				t.Fatalf("OpenBaseline() = %v, want nil", err)
			}
			if n, err := b.Count(ctx); err != nil || n != 0 {
				t.Fatalf("Count() on a fresh baseline = %d, %v, want 0, nil", n, err)
			}
			// Concurrent callers, as the load test's handler has them: on
			// SQLite they queue for the single writer and none may fail.
			const workers, each = 16, 10
			var wg sync.WaitGroup
			errs := make(chan error, workers*each)
			for range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range each {
						errs <- b.InsertOne(ctx, `{"answers":{}}`)
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatalf("InsertOne() = %v, want nil", err)
				}
			}
			if n, err := b.Count(ctx); err != nil || n != workers*each {
				t.Fatalf("Count() = %d, %v, want %d, nil", n, err, workers*each)
			}
			if err := b.Close(); err != nil {
				t.Fatalf("Close() = %v, want nil", err)
			}
			// Opening the same database again keeps the rows.
			again, err := store.OpenBaseline(ctx, o)
			if err != nil {
				t.Fatalf("OpenBaseline(again) = %v, want nil", err)
			}
			defer again.Close()
			if n, err := again.Count(ctx); err != nil || n != workers*each {
				t.Fatalf("Count() after reopening = %d, %v, want %d, nil", n, err, workers*each)
			}
		})
	}
}
