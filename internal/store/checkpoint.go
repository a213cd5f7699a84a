package store

import (
	"database/sql"
	"fmt"
	"sync"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// checkpointInterval is how often the WAL is copied back into the
// database file. Between checkpoints the WAL grows by what was written.
const checkpointInterval = 500 * time.Millisecond

// checkpointer runs SQLite checkpoints on a connection of its own. By
// default SQLite checkpoints inside whichever commit crosses 1000 WAL
// pages, which stalls the single writer (and every request queued behind
// it) while pages are copied and the file is synced. Here commits never
// checkpoint; a PASSIVE checkpoint every interval does the copying beside
// the writer without blocking it.
type checkpointer struct {
	db   *sql.DB
	stop chan struct{}
	wg   sync.WaitGroup
}

func (s *Store) startCheckpointer(dsn string) error {
	if err := s.w.Exec("PRAGMA wal_autocheckpoint = 0").Error; err != nil {
		return fmt.Errorf("disable automatic checkpoints: %w", err)
	}
	g, err := gorm.Open(sqlite.Open(dsn), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		return err
	}
	db, err := g.DB()
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	c := &checkpointer{db: db, stop: make(chan struct{})}
	c.wg.Add(1)
	go c.run()
	s.checkpointer = c
	return nil
}

func (c *checkpointer) run() {
	defer c.wg.Done()
	t := time.NewTicker(checkpointInterval)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			// A final full checkpoint leaves a compact file behind.
			c.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
			return
		case <-t.C:
			c.db.Exec("PRAGMA wal_checkpoint(PASSIVE)")
		}
	}
}

func (c *checkpointer) close() {
	close(c.stop)
	c.wg.Wait()
	c.db.Close()
}
