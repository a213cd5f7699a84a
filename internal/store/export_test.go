package store

import (
	"context"
	"database/sql"
	"time"
)

// ForgetResultTexts empties the result text cache, as on a replica that
// has not read them yet (tests only).
func ForgetResultTexts(s *Store) {
	s.texts.bodies.Clear()
}

// CountResultTexts returns the rows in result_texts (tests only).
func CountResultTexts(ctx context.Context, s *Store) (int64, error) {
	var n int64
	err := s.read(ctx).Table("result_texts").Count(&n).Error
	return n, err
}

// SaveBatch writes attempts in one transaction as one group commit of the
// attempt writer would, and returns each one's outcome (tests only).
func SaveBatch(ctx context.Context, s *Store, attempts []*Attempt) (saved []Attempt, replayed []bool, errs []error, err error) {
	hot, err := s.hotStmts(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	batch := make([]*pendingAttempt, len(attempts))
	for i, a := range attempts {
		a.CreatedAt = time.Now().UTC()
		batch[i] = &pendingAttempt{attempt: a}
	}
	err = s.writerTx(ctx, func(tx *sql.Tx) error { return hot.writeBatch(ctx, tx, batch) })
	for _, p := range batch {
		saved, replayed, errs = append(saved, p.saved), append(replayed, p.replayed), append(errs, p.err)
	}
	return saved, replayed, errs, err
}
