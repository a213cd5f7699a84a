package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/readi-platform/readi/internal/model"
)

// hotStatements are the statements every quiz submission runs, prepared
// once on database/sql beneath GORM. Under load, parsing them per request
// and GORM's reflection over their structs cost more than executing them
// (measured with cmd/readi-load -cpuprofile). Everything else in the store
// goes through GORM. The placeholders are $n, which both engines accept.
//
// They bypass GORM's callbacks, so Options.OnQuery does not see them.
//
// A group commit's attempts and progress rows go in one statement each on
// PostgreSQL, where every statement is a round trip, so the batch costs
// the same few round trips whatever its size (READI then served more
// attempts a second than the bare one-row baseline): the statements take
// one array per column and unnest them, so their text, and the one
// prepared statement per connection, is the same for every batch size.
// On SQLite a statement is no round trip, and multi-row statements
// measured a quarter slower than prepared one-row statements executed once
// per row, so there insertAttempts and upsertProgress take one row.
type hotStatements struct {
	userByID       *sql.Stmt // on the readers
	attemptByKey   *sql.Stmt // on the writer, like the two below
	insertAttempts *sql.Stmt // insertArraysSQL or insertRowSQL
	upsertProgress *sql.Stmt // upsertArraysSQL or upsertRowSQL
	arrays         bool      // PostgreSQL: the two above take arrays
}

const (
	userColumns = `id, email, password_hash, recovery_hash, display_name, role, locale, country, disabled, created_at, updated_at`

	attemptColumns = `id, user_id, module_id, idempotency_key, request_hash, score, max_score, percent, passed, results, answers, created_at`

	attemptValues = `(user_id, module_id, idempotency_key, request_hash, score, max_score, percent, passed, results, answers, created_at)`

	insertReturning = ` ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING id, user_id, idempotency_key`

	// insertRowSQL inserts one attempt, unless its key is stored.
	insertRowSQL = `INSERT INTO attempts ` + attemptValues + ` VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)` + insertReturning

	// insertArraysSQL inserts a batch of attempts, one array per column.
	insertArraysSQL = `INSERT INTO attempts ` + attemptValues + `
SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::double precision[], $6::double precision[],
	$7::double precision[], $8::boolean[], $9::text[], $10::text[], $11::timestamptz[])` + insertReturning

	progressValues = `(user_id, module_id, attempts, best_percent, last_percent, passed, last_attempt_id, updated_at)`

	// upsertRowSQL and upsertArraysSQL count attempts into progress: one
	// row, or one array per column.
	upsertRowSQL    = `INSERT INTO module_progress ` + progressValues + ` VALUES ($1, $2, $3, $4, $5, $6, $7, $8)` + progressUpsert
	upsertArraysSQL = `INSERT INTO module_progress ` + progressValues + `
SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::double precision[], $5::double precision[], $6::boolean[],
	$7::bigint[], $8::timestamptz[])` + progressUpsert

	// progressUpsert counts a batch's attempts into each learner's module
	// progress (one row per learner and module, with the batch's count,
	// best, last and passed): best and passed only ever improve.
	progressUpsert = `
ON CONFLICT (user_id, module_id) DO UPDATE SET
	attempts = module_progress.attempts + excluded.attempts,
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
	type hotStatement struct {
		stmt **sql.Stmt
		db   *sql.DB
		sql  string
	}
	stmts := []hotStatement{
		{&h.userByID, r, `SELECT ` + userColumns + ` FROM ` + usersTable + ` WHERE id = $1`},
		{&h.attemptByKey, w, `SELECT ` + attemptColumns + ` FROM attempts WHERE user_id = $1 AND idempotency_key = $2`},
	}
	h.arrays = s.dialect == Postgres
	if h.arrays {
		stmts = append(stmts, hotStatement{&h.insertAttempts, w, insertArraysSQL}, hotStatement{&h.upsertProgress, w, upsertArraysSQL})
	} else {
		stmts = append(stmts, hotStatement{&h.insertAttempts, w, insertRowSQL}, hotStatement{&h.upsertProgress, w, upsertRowSQL})
	}
	for _, p := range stmts {
		if *p.stmt, err = p.db.PrepareContext(ctx, p.sql); err != nil {
			return fmt.Errorf("prepare %.40q: %w", p.sql, err)
		}
	}
	return nil
}

// close releases the prepared statements.
func (h *hotStatements) close() error {
	var errs []error
	for _, st := range []*sql.Stmt{h.userByID, h.attemptByKey, h.insertAttempts, h.upsertProgress} {
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

// writeBatch writes a batch of attempts in the writer transaction tx: the
// result texts any of them may be the first to use, the attempts (a key
// seen before is skipped), and one progress row per learner and module,
// counting that learner's attempts in the batch. A replayed key costs a
// statement of its own, to read the attempt stored under it.
//
// Each attempt gets its outcome in its pendingAttempt. A key reused with
// another body fails that attempt alone (ErrIdempotencyMismatch); any other
// error fails the transaction.
func (h *hotStatements) writeBatch(ctx context.Context, tx *sql.Tx, batch []*pendingAttempt) error {
	var texts map[string]string
	for _, p := range batch {
		for ref, body := range p.texts {
			if texts == nil {
				texts = map[string]string{}
			}
			texts[ref] = body
		}
	}
	if err := insertTexts(ctx, tx, texts); err != nil {
		return err
	}
	// Only the first attempt under a key is inserted; retries that raced
	// into the same batch replay it, as they would in a later one.
	first := make(map[attemptKey]*pendingAttempt, len(batch))
	fresh := make([]*pendingAttempt, 0, len(batch))
	for _, p := range batch {
		k := attemptKey{p.attempt.UserID, p.attempt.IdempotencyKey}
		if _, seen := first[k]; !seen {
			first[k] = p
			fresh = append(fresh, p)
		}
	}
	ids, err := h.insertBatch(ctx, tx, fresh)
	if err != nil {
		return err
	}
	var stored []*Attempt
	for _, p := range batch {
		a := p.attempt
		k := attemptKey{a.UserID, a.IdempotencyKey}
		if id, ok := ids[k]; ok && first[k] == p {
			a.ID = id
			p.saved, p.replayed, p.err = *a, false, nil
			stored = append(stored, a)
			continue
		}
		// The key was stored before, or just now for an earlier attempt.
		p.replayed = true
		saved := &p.saved
		p.err = tx.StmtContext(ctx, h.attemptByKey).QueryRowContext(ctx, a.UserID, a.IdempotencyKey).Scan(&saved.ID, &saved.UserID,
			&saved.ModuleID, &saved.IdempotencyKey, &saved.RequestHash, &saved.Score, &saved.MaxScore, &saved.Percent,
			&saved.Passed, &saved.Results, &saved.Answers, &saved.CreatedAt)
		if p.err != nil {
			return p.err
		}
		if saved.RequestHash != a.RequestHash {
			p.err = ErrIdempotencyMismatch
		}
	}
	return h.countProgress(ctx, tx, stored)
}

// attemptKey identifies an attempt as its idempotency key does: per learner.
type attemptKey struct {
	user int64
	key  string
}

// insertBatch inserts the attempts, skipping any whose key is already
// stored, and returns the new rows' ids by key (neither engine promises
// RETURNING rows in the order given). Their keys must differ.
func (h *hotStatements) insertBatch(ctx context.Context, tx *sql.Tx, batch []*pendingAttempt) (map[attemptKey]int64, error) {
	ids := make(map[attemptKey]int64, len(batch))
	if len(batch) == 0 {
		return ids, nil
	}
	stmt := tx.StmtContext(ctx, h.insertAttempts)
	query := func(args ...any) error {
		rows, err := stmt.QueryContext(ctx, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var k attemptKey
			if err := rows.Scan(&id, &k.user, &k.key); err != nil {
				return err
			}
			ids[k] = id
		}
		return rows.Err()
	}
	if !h.arrays {
		for _, p := range batch {
			a := p.attempt
			if err := query(a.UserID, a.ModuleID, a.IdempotencyKey, a.RequestHash, a.Score, a.MaxScore, a.Percent, a.Passed,
				a.Results, a.Answers, a.CreatedAt); err != nil {
				return nil, err
			}
		}
		return ids, nil
	}
	n := len(batch)
	users, modules := make([]int64, n), make([]int64, n)
	keys, hashes, results, answers := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	scores, maxes, percents := make([]float64, n), make([]float64, n), make([]float64, n)
	passed, at := make([]bool, n), make([]time.Time, n)
	for i, p := range batch {
		a := p.attempt
		users[i], modules[i], keys[i], hashes[i] = a.UserID, a.ModuleID, a.IdempotencyKey, a.RequestHash
		scores[i], maxes[i], percents[i], passed[i] = a.Score, a.MaxScore, a.Percent, a.Passed
		results[i], answers[i], at[i] = a.Results, a.Answers, a.CreatedAt
	}
	return ids, query(users, modules, keys, hashes, scores, maxes, percents, passed, results, answers, at)
}

// countProgress counts stored attempts (in the order they were submitted)
// into their learners' module progress, one row per learner and module, in
// key order so that concurrent transactions on PostgreSQL lock rows alike.
func (h *hotStatements) countProgress(ctx context.Context, tx *sql.Tx, stored []*Attempt) error {
	type moduleKey struct{ user, module int64 }
	type sum struct {
		attempts   int
		best, last float64
		passed     bool
		lastID     int64
		at         time.Time
	}
	sums := map[moduleKey]*sum{}
	var keys []moduleKey
	for _, a := range stored {
		k := moduleKey{a.UserID, a.ModuleID}
		s, ok := sums[k]
		if !ok {
			s = &sum{best: a.Percent}
			sums[k] = s
			keys = append(keys, k)
		}
		s.attempts++
		s.best = max(s.best, a.Percent)
		s.last, s.lastID, s.at = a.Percent, a.ID, a.CreatedAt
		s.passed = s.passed || a.Passed
	}
	if len(keys) == 0 {
		return nil
	}
	slices.SortFunc(keys, func(a, b moduleKey) int {
		if c := cmp.Compare(a.user, b.user); c != 0 {
			return c
		}
		return cmp.Compare(a.module, b.module)
	})
	stmt := tx.StmtContext(ctx, h.upsertProgress)
	if !h.arrays {
		for _, k := range keys {
			p := sums[k]
			if _, err := stmt.ExecContext(ctx, k.user, k.module, p.attempts, p.best, p.last, p.passed, p.lastID, p.at); err != nil {
				return err
			}
		}
		return nil
	}
	n := len(keys)
	users, modules, counts, lastIDs := make([]int64, n), make([]int64, n), make([]int64, n), make([]int64, n)
	best, last, passed, at := make([]float64, n), make([]float64, n), make([]bool, n), make([]time.Time, n)
	for i, k := range keys {
		p := sums[k]
		users[i], modules[i], counts[i], lastIDs[i] = k.user, k.module, int64(p.attempts), p.lastID
		best[i], last[i], passed[i], at[i] = p.best, p.last, p.passed, p.at
	}
	_, err := stmt.ExecContext(ctx, users, modules, counts, best, last, passed, lastIDs, at)
	return err
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
