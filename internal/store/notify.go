package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// liveChannel is the PostgreSQL channel that carries live games' control
// events between replicas. Only "game N changed" goes through it; what
// changed is read from the rows.
const liveChannel = "readi_live"

// NotifyLive tells every replica that something happened to a live game.
// On PostgreSQL it is a NOTIFY (delivered when the statement commits); on
// SQLite one process serves every player, so there is nobody to tell.
func (s *Store) NotifyLive(ctx context.Context, payload string) error {
	if s.dialect != Postgres {
		return nil
	}
	return s.write(ctx).Exec("SELECT pg_notify(?, ?)", liveChannel, payload).Error
}

// ListenLive calls fn with every payload notified on the live channel, by
// any replica (this one included), until ctx ends. It holds a connection of
// its own, reconnects when it is lost, and calls fn("") after each
// (re)connect so the caller can re-read whatever it may have missed. On
// SQLite it returns at once.
func (s *Store) ListenLive(ctx context.Context, fn func(payload string)) {
	if s.dialect != Postgres {
		return
	}
	for wait := 100 * time.Millisecond; ctx.Err() == nil; {
		err := s.listenOnce(ctx, fn)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			wait = 100 * time.Millisecond
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(wait*2, 5*time.Second)
	}
}

func (s *Store) listenOnce(ctx context.Context, fn func(string)) error {
	conn, err := pgx.Connect(ctx, s.url)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+liveChannel); err != nil {
		return err
	}
	fn("")
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		fn(n.Payload)
	}
}
