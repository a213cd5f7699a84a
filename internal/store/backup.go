package store

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// ErrBackupUnsupported is returned for engines whose backups are made with
// the engine's own tools (pg_dump for PostgreSQL).
var ErrBackupUnsupported = errors.New("backup: use pg_dump for PostgreSQL")

// Backup writes a consistent copy of a live SQLite database to file with
// VACUUM INTO, which reads one snapshot while writers carry on.
func (s *Store) Backup(ctx context.Context, file string) error {
	if s.dialect != SQLite {
		return ErrBackupUnsupported
	}
	if _, err := os.Stat(file); err == nil {
		return fmt.Errorf("backup: %s already exists", file)
	}
	return s.write(ctx).Exec("VACUUM INTO ?", file).Error
}
