// Package store is READI's persistence layer and the only package that
// imports GORM. It runs on SQLite (the embedded default) and PostgreSQL
// (for several stateless replicas) with the same versioned migrations.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Errors the API maps to HTTP statuses.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("conflict")
)

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Options say which database to open.
type Options struct {
	// DatabaseURL selects PostgreSQL when set (postgres://...).
	DatabaseURL string
	// DataDir holds readi.db when DatabaseURL is empty.
	DataDir string
	// SQLitePath overrides the SQLite file (tests, backups).
	SQLitePath string
	// Logger receives slow queries; nil discards GORM's own logging.
	Logger logger.Interface
	// OnQuery, when set, is called once per SQL statement (tests count
	// queries with it to catch N+1 patterns).
	OnQuery func(sql string)
}

// Store is the database handle every repository method hangs off. On
// SQLite, writes go through a single connection (SQLite has one writer, and
// queuing in Go is cheaper than busy-waiting in SQLite) while reads use a
// pool; on PostgreSQL both are the same pool.
type Store struct {
	w       *gorm.DB
	r       *gorm.DB
	dialect string
	path    string // SQLite file, for backups
	url     string // PostgreSQL URL, for the live events' listening connection
	// attempts group-commits quiz attempts, the write hot path.
	attempts *attemptWriter
	// texts caches the stored result texts attempts refer to.
	texts resultTexts
	// hot holds the prepared statements of the quiz submission path.
	hot lazyHot
	// checkpointer copies the SQLite WAL into the database in the
	// background, so no commit pays for a checkpoint (and its fsync).
	checkpointer *checkpointer
}

// Open connects, checks the connection and returns the store. It does not
// migrate: call Migrate.
func Open(ctx context.Context, o Options) (*Store, error) {
	// Each gorm.DB gets its own Config: GORM keeps the connection pool and
	// callbacks in it, so sharing one would mix the writer and the readers.
	newConfig := func() *gorm.Config {
		cfg := &gorm.Config{
			Logger:                 logger.Discard,
			SkipDefaultTransaction: true, // every multi-statement write uses Tx explicitly
			PrepareStmt:            false,
			NowFunc:                func() time.Time { return time.Now().UTC() },
		}
		if o.Logger != nil {
			cfg.Logger = o.Logger
		}
		return cfg
	}
	s := &Store{}
	var err error
	if o.DatabaseURL != "" {
		s.dialect = Postgres
		s.url = o.DatabaseURL
		s.w, err = gorm.Open(postgres.Open(o.DatabaseURL), newConfig())
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		sqlDB, _ := s.w.DB()
		sqlDB.SetMaxOpenConns(32)
		sqlDB.SetMaxIdleConns(32)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		s.r = s.w
	} else {
		s.dialect = SQLite
		s.path = o.SQLitePath
		if s.path == "" {
			if err := os.MkdirAll(o.DataDir, 0o700); err != nil {
				return nil, fmt.Errorf("create data directory: %w", err)
			}
			s.path = filepath.Join(o.DataDir, "readi.db")
		}
		common := "file:" + s.path + "?_journal_mode=WAL&_busy_timeout=10000&_foreign_keys=on&_synchronous=NORMAL"
		if s.w, err = gorm.Open(sqlite.Open(common+"&_txlock=immediate"), newConfig()); err != nil {
			return nil, fmt.Errorf("open sqlite %s: %w", s.path, err)
		}
		w, _ := s.w.DB()
		w.SetMaxOpenConns(1)
		w.SetMaxIdleConns(1)
		w.SetConnMaxLifetime(0)
		if s.r, err = gorm.Open(sqlite.Open(common+"&_query_only=true"), newConfig()); err != nil {
			return nil, fmt.Errorf("open sqlite %s: %w", s.path, err)
		}
		r, _ := s.r.DB()
		r.SetMaxOpenConns(8)
		r.SetMaxIdleConns(8)
		if err := s.startCheckpointer(common); err != nil {
			return nil, err
		}
	}
	if o.OnQuery != nil {
		dbs := []*gorm.DB{s.w}
		if s.r != s.w {
			dbs = append(dbs, s.r)
		}
		for _, db := range dbs {
			if err := registerQueryHook(db, o.OnQuery); err != nil {
				return nil, err
			}
		}
	}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	workers := 1
	if s.dialect == Postgres {
		workers = 4
	}
	s.attempts = newAttemptWriter(s, workers)
	return s, nil
}

// Dialect is SQLite or Postgres.
func (s *Store) Dialect() string { return s.dialect }

// Ping checks that the database answers, for /readyz.
func (s *Store) Ping(ctx context.Context) error {
	for _, db := range []*gorm.DB{s.w, s.r} {
		sqlDB, err := db.DB()
		if err != nil {
			return err
		}
		if err := sqlDB.PingContext(ctx); err != nil {
			return fmt.Errorf("database unreachable: %w", err)
		}
	}
	return nil
}

// Close stops the attempt writer and releases every connection.
func (s *Store) Close() error {
	if s.attempts != nil {
		s.attempts.close()
		s.attempts = nil
	}
	if s.checkpointer != nil {
		s.checkpointer.close()
		s.checkpointer = nil
	}
	errs := []error{s.closeHot()}
	for _, db := range []*gorm.DB{s.w, s.r} {
		if db == nil {
			continue
		}
		if sqlDB, err := db.DB(); err == nil {
			errs = append(errs, sqlDB.Close())
		}
		if s.r == s.w {
			break
		}
	}
	return errors.Join(errs...)
}

// tx runs fn in one transaction on the writer. On SQLite the transaction
// begins IMMEDIATE (see the DSN), so it never fails half-way with
// SQLITE_BUSY on its first write.
func (s *Store) tx(ctx context.Context, fn func(db *gorm.DB) error) error {
	return s.w.WithContext(ctx).Transaction(fn)
}

// writerTx is tx on database/sql, for the attempt writer's prepared
// statements (see hot.go).
func (s *Store) writerTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	db, err := s.w.DB()
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

func (s *Store) read(ctx context.Context) *gorm.DB  { return s.r.WithContext(ctx) }
func (s *Store) write(ctx context.Context) *gorm.DB { return s.w.WithContext(ctx) }

// notFound translates GORM's not-found into ErrNotFound at the boundary.
func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}

// isUniqueViolation recognises a unique-constraint failure on both engines.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}

func registerQueryHook(db *gorm.DB, fn func(string)) error {
	cb := func(db *gorm.DB) { fn(db.Statement.SQL.String()) }
	cbs := db.Callback()
	for name, err := range map[string]error{
		"create": cbs.Create().After("gorm:create").Register("readi:count", cb),
		"query":  cbs.Query().After("gorm:query").Register("readi:count", cb),
		"update": cbs.Update().After("gorm:update").Register("readi:count", cb),
		"delete": cbs.Delete().After("gorm:delete").Register("readi:count", cb),
		"row":    cbs.Row().After("gorm:row").Register("readi:count", cb),
		"raw":    cbs.Raw().After("gorm:raw").Register("readi:count", cb),
	} {
		if err != nil {
			return fmt.Errorf("register %s query hook: %w", name, err)
		}
	}
	return nil
}
