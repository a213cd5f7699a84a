package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Baseline exists only as the load test's yardstick (cmd/readi-load): a
// database opened by Open with exactly READI's engine settings (the single
// SQLite writer behind a Go queue, WAL, busy timeout, IMMEDIATE
// transactions; the same PostgreSQL pool) holding one table, into which a
// bare handler inserts one row per request through GORM. Quiz attempts are
// measured against its rate. Nothing in the application uses it.
type Baseline struct {
	s *Store
}

// baselineRow is one row of baseline_rows.
type baselineRow struct {
	ID        int64
	Payload   string
	CreatedAt time.Time
}

const baselineTable = "baseline_rows"

// OpenBaseline opens the database o names, as Open does, and creates the
// baseline_rows table if it is missing. It does not run READI's migrations:
// point it at a database of its own.
func OpenBaseline(ctx context.Context, o Options) (*Baseline, error) {
	s, err := Open(ctx, o)
	if err != nil {
		return nil, err
	}
	ddl := s.dialectSQL(`CREATE TABLE IF NOT EXISTS ` + baselineTable + ` (
	id %PK%,
	payload TEXT NOT NULL,
	created_at %TS% NOT NULL
)`)
	if err := s.write(ctx).Exec(ddl).Error; err != nil {
		s.Close()
		return nil, fmt.Errorf("create %s: %w", baselineTable, err)
	}
	return &Baseline{s: s}, nil
}

// InsertOne inserts one row in its own transaction on the writer, the way
// SaveAttempt writes an attempt.
func (b *Baseline) InsertOne(ctx context.Context, payload string) error {
	return b.s.tx(ctx, func(db *gorm.DB) error {
		return db.Table(baselineTable).Create(&baselineRow{Payload: payload, CreatedAt: time.Now().UTC()}).Error
	})
}

// Count returns the number of rows inserted so far.
func (b *Baseline) Count(ctx context.Context) (int64, error) {
	var n int64
	err := b.s.read(ctx).Table(baselineTable).Count(&n).Error
	return n, err
}

// Close releases every connection.
func (b *Baseline) Close() error { return b.s.Close() }
