package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"
)

// maxBatch bounds how many attempts one transaction carries, so a burst
// cannot make one commit (and every caller waiting on it) arbitrarily slow.
const maxBatch = 64

// lingerRounds and lingerWait bound how long gather waits for more attempts.
const (
	lingerRounds = 4
	lingerWait   = 200 * time.Microsecond
)

// attemptWriter group-commits attempts. A commit costs far more than the
// rows it writes (the WAL frame write and checkpoint on SQLite, the fsync
// on PostgreSQL), so under load the attempts that queue up while one
// transaction runs are written together in the next, each still exactly
// once and each caller answered only after its own commit.
type attemptWriter struct {
	store *Store
	// queues has one queue per worker; a learner's attempts always go to
	// the same one, so two transactions never upsert the same progress
	// rows in opposite orders (which deadlocks on PostgreSQL).
	queues []chan *pendingAttempt
	stop   chan struct{}
	wg     sync.WaitGroup
}

type pendingAttempt struct {
	attempt *Attempt
	// texts are result texts the attempt refers to that were not known to
	// be stored when it was encoded.
	texts    map[string]string
	saved    Attempt
	replayed bool
	err      error
	done     chan struct{}
}

// newAttemptWriter starts workers goroutines: one on SQLite (it has one
// writer anyway), a few on PostgreSQL so commits overlap.
func newAttemptWriter(s *Store, workers int) *attemptWriter {
	w := &attemptWriter{store: s, stop: make(chan struct{})}
	for range workers {
		q := make(chan *pendingAttempt, 4*maxBatch)
		w.queues = append(w.queues, q)
		w.wg.Add(1)
		go w.run(q)
	}
	return w
}

// save queues an attempt and waits for its commit. If ctx ends first the
// caller stops waiting, but a queued attempt may still be written: the
// client was not told it was stored, and its retry with the same key finds it.
func (w *attemptWriter) save(ctx context.Context, a *Attempt, texts map[string]string) (Attempt, bool, error) {
	p := &pendingAttempt{attempt: a, texts: texts, done: make(chan struct{})}
	queue := w.queues[uint64(a.UserID)%uint64(len(w.queues))]
	select {
	case queue <- p:
	case <-w.stop:
		return Attempt{}, false, errors.New("store is closed")
	case <-ctx.Done():
		return Attempt{}, false, ctx.Err()
	}
	select {
	case <-p.done:
		return p.saved, p.replayed, p.err
	case <-ctx.Done():
		return Attempt{}, false, ctx.Err()
	}
}

func (w *attemptWriter) run(queue chan *pendingAttempt) {
	defer w.wg.Done()
	for {
		var first *pendingAttempt
		select {
		case first = <-queue:
		case <-w.stop:
			return
		}
		w.commit(w.gather(queue, first))
	}
}

// gather makes a batch of first and whatever else is queued. While more
// keep arriving it waits lingerWait for the handlers about to submit, up to
// lingerRounds times. Without that the writer outran the handlers and
// committed 1.5 attempts at a time under load; with it dozens
// (cmd/readi-load), sharing each transaction's fixed costs (BEGIN, COMMIT,
// rewriting the same index and progress pages, waking the writer). A timer
// rather than yielding to the scheduler bounds the wait (at most
// lingerRounds × lingerWait) however busy the processors are; an idle
// server waits once.
func (w *attemptWriter) gather(queue chan *pendingAttempt, first *pendingAttempt) []*pendingAttempt {
	batch := []*pendingAttempt{first}
	for round := 0; len(batch) < maxBatch; round++ {
		before := len(batch)
	drain:
		for len(batch) < maxBatch {
			select {
			case p := <-queue:
				batch = append(batch, p)
			default:
				break drain
			}
		}
		if round == lingerRounds || round > 0 && len(batch) == before {
			break
		}
		time.Sleep(lingerWait)
	}
	return batch
}

// commit writes a batch in one transaction. If the transaction fails as a
// whole, each attempt is retried alone, so one bad attempt cannot take the
// others down with it.
func (w *attemptWriter) commit(batch []*pendingAttempt) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Prepared before the transaction: on SQLite it holds the only writer
	// connection, which preparing would wait for.
	hot, err := w.store.hotStmts(ctx)
	if err == nil {
		err = w.store.writerTx(ctx, func(tx *sql.Tx) error {
			return hot.writeBatch(ctx, tx, batch)
		})
	}
	if err != nil && len(batch) > 1 {
		for _, p := range batch {
			p.attempt.ID = 0
			w.commit([]*pendingAttempt{p})
		}
		return
	}
	for _, p := range batch {
		if err != nil {
			p.err = err
		} else {
			w.store.texts.remember(p.texts)
		}
		close(p.done)
	}
}

// close stops the workers after the batch in hand.
func (w *attemptWriter) close() {
	close(w.stop)
	w.wg.Wait()
}
