package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/readi-platform/readi/internal/model"
)

// hotStatements are the statements every quiz submission runs, prepared
// once on database/sql beneath GORM. Under load, parsing them per request
// and GORM's reflection over their structs cost more than executing them
// (measured with cmd/readi-load -cpuprofile). Everything else in the store
// goes through GORM. The placeholders are $n, which both engines accept.
//
// They bypass GORM's callbacks, so Options.OnQuery does not see them.
type hotStatements struct {
	userByID       *sql.Stmt // on the readers
	insertAttempt  *sql.Stmt // on the writer, like the two below
	attemptByKey   *sql.Stmt
	upsertProgress *sql.Stmt
}

const (
	userColumns = `id, email, password_hash, recovery_hash, display_name, role, locale, country, disabled, created_at, updated_at`

	attemptColumns = `id, user_id, module_id, idempotency_key, request_hash, score, max_score, percent, passed, results, answers, created_at`

	insertAttemptSQL = `INSERT INTO attempts (user_id, module_id, idempotency_key, request_hash, score, max_score, percent, passed, results, answers, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT (user_id, idempotency_key) DO NOTHING
RETURNING id`

	// upsertProgressSQL counts an attempt into the learner's module
	// progress: best and passed only ever improve.
	upsertProgressSQL = `INSERT INTO module_progress (user_id, module_id, attempts, best_percent, last_percent, passed, last_attempt_id, updated_at)
VALUES ($1, $2, 1, $3, $3, $4, $5, $6)
ON CONFLICT (user_id, module_id) DO UPDATE SET
	attempts = module_progress.attempts + 1,
	best_percent = CASE WHEN module_progress.best_percent > excluded.best_percent THEN module_progress.best_percent ELSE excluded.best_percent END,
	last_percent = excluded.last_percent,
	passed = module_progress.passed OR excluded.passed,
	last_attempt_id = excluded.last_attempt_id,
	updated_at = excluded.updated_at`
)

// lazyHot prepares the hot statements on first use: Open runs before
// Migrate, when the tables may not exist yet.
type lazyHot struct {
	mu    sync.Mutex
	ready atomic.Pointer[hotStatements]
}

// hotStmts returns the prepared statements, preparing them if need be; a
// failure is returned and tried again next time.
func (s *Store) hotStmts(ctx context.Context) (*hotStatements, error) {
	if h := s.hot.ready.Load(); h != nil {
		return h, nil
	}
	s.hot.mu.Lock()
	defer s.hot.mu.Unlock()
	if h := s.hot.ready.Load(); h != nil {
		return h, nil
	}
	h := &hotStatements{}
	if err := s.prepareHot(ctx, h); err != nil {
		_ = h.close()
		return nil, err
	}
	s.hot.ready.Store(h)
	return h, nil
}

// closeHot releases the statements, if they were prepared.
func (s *Store) closeHot() error {
	s.hot.mu.Lock()
	defer s.hot.mu.Unlock()
	h := s.hot.ready.Swap(nil)
	if h == nil {
		return nil
	}
	return h.close()
}

// prepareHot prepares the hot statements on the store's pools.
func (s *Store) prepareHot(ctx context.Context, h *hotStatements) error {
	w, err := s.w.DB()
	if err != nil {
		return err
	}
	r, err := s.r.DB()
	if err != nil {
		return err
	}
	for _, p := range []struct {
		stmt **sql.Stmt
		db   *sql.DB
		sql  string
	}{
		{&h.userByID, r, `SELECT ` + userColumns + ` FROM ` + usersTable + ` WHERE id = $1`},
		{&h.insertAttempt, w, insertAttemptSQL},
		{&h.attemptByKey, w, `SELECT ` + attemptColumns + ` FROM attempts WHERE user_id = $1 AND idempotency_key = $2`},
		{&h.upsertProgress, w, upsertProgressSQL},
	} {
		if *p.stmt, err = p.db.PrepareContext(ctx, p.sql); err != nil {
			return fmt.Errorf("prepare %.40q: %w", p.sql, err)
		}
	}
	return nil
}

// close releases the prepared statements.
func (h *hotStatements) close() error {
	var errs []error
	for _, st := range []*sql.Stmt{h.userByID, h.insertAttempt, h.attemptByKey, h.upsertProgress} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}

// scanUser reads one row of userColumns.
func scanUser(row *sql.Row) (model.User, error) {
	var u model.User
	var role string
	err := row.Scan(&u.ID, &u.Email, &u.PasswordHash, &u.RecoveryHash, &u.DisplayName, &role, &u.Locale, &u.Country,
		&u.Disabled, &u.CreatedAt, &u.UpdatedAt)
	u.Role = model.Role(role)
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	return u, err
}

// writeAttempt stores one attempt in the writer transaction tx: the result
// texts it may be the first to use, the attempt unless its key was seen,
// and the learner's progress. It is saveAttempt without GORM.
func (h *hotStatements) writeAttempt(ctx context.Context, tx *sql.Tx, a *Attempt, texts map[string]string) (saved Attempt, replayed bool, err error) {
	if err := insertTexts(ctx, tx, texts); err != nil {
		return saved, false, err
	}
	err = tx.StmtContext(ctx, h.insertAttempt).QueryRowContext(ctx, a.UserID, a.ModuleID, a.IdempotencyKey, a.RequestHash,
		a.Score, a.MaxScore, a.Percent, a.Passed, a.Results, a.Answers, a.CreatedAt).Scan(&a.ID)
	if errors.Is(err, sql.ErrNoRows) { // the key was seen: nothing was written
		err = tx.StmtContext(ctx, h.attemptByKey).QueryRowContext(ctx, a.UserID, a.IdempotencyKey).Scan(&saved.ID, &saved.UserID,
			&saved.ModuleID, &saved.IdempotencyKey, &saved.RequestHash, &saved.Score, &saved.MaxScore, &saved.Percent,
			&saved.Passed, &saved.Results, &saved.Answers, &saved.CreatedAt)
		if err == nil && saved.RequestHash != a.RequestHash {
			err = ErrIdempotencyMismatch
		}
		return saved, true, err
	}
	if err != nil {
		return saved, false, err
	}
	_, err = tx.StmtContext(ctx, h.upsertProgress).ExecContext(ctx, a.UserID, a.ModuleID, a.Percent, a.Passed, a.ID, a.CreatedAt)
	return *a, false, err
}

// insertTexts inserts result texts that may be new; a text another attempt
// or replica stored first is left as it is (same reference, same words).
func insertTexts(ctx context.Context, tx *sql.Tx, texts map[string]string) error {
	if len(texts) == 0 {
		return nil
	}
	refs := make([]string, 0, len(texts))
	for r := range texts {
		refs = append(refs, r)
	}
	sort.Strings(refs) // one order, so concurrent inserts cannot deadlock on PostgreSQL
	var q strings.Builder
	q.WriteString("INSERT INTO result_texts (ref, body) VALUES ")
	args := make([]any, 0, 2*len(refs))
	for i, r := range refs {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("($" + strconv.Itoa(2*i+1) + ", $" + strconv.Itoa(2*i+2) + ")")
		args = append(args, r, texts[r])
	}
	q.WriteString(" ON CONFLICT (ref) DO NOTHING")
	_, err := tx.ExecContext(ctx, q.String(), args...)
	return err
}
