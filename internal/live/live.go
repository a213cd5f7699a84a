// Package live runs live quiz games: a host projects questions, players in
// the room answer on their phones, and the server owns the clock and the
// score. A game's state is its database rows (the game row is the state
// machine, each answer a row under a unique key), so any replica can serve
// any player; replicas hear of each other's changes through the store's
// NOTIFY channel and push them to their players' event streams (hub.go).
package live

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strconv"
	"time"

	"github.com/readi-platform/readi/internal/learning"
	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// Error is a refusal the API answers with its status and code.
type Error struct {
	Status int
	Code   string
	Msg    string
	// RetryAfter is set on a rate-limited join.
	RetryAfter time.Duration
}

func (e *Error) Error() string { return e.Msg }

// The refusals, by code; the codes are translation keys of the web app.
var (
	ErrGameNotFound    = &Error{404, "live.not_found", "no game is open with that PIN", 0}
	ErrTokenInvalid    = &Error{401, "live.token_invalid", "that player token is not valid: join again", 0}
	ErrRemoved         = &Error{403, "live.removed", "the host removed this player", 0}
	ErrClassOnly       = &Error{403, "live.class_only", "only members of the game's class may join: sign in first", 0}
	ErrLocked          = &Error{409, "live.locked", "the host has locked this game", 0}
	ErrFull            = &Error{409, "live.full", "this game is full", 0}
	ErrNicknameTaken   = &Error{409, "live.nickname_taken", "another player has that nickname", 0}
	ErrEnded           = &Error{409, "live.ended", "this game is over", 0}
	ErrTooLate         = &Error{409, "live.too_late", "time is up for this question", 0}
	ErrNotCurrent      = &Error{409, "live.not_current", "that question is not the one open now", 0}
	ErrJoinedLate      = &Error{409, "live.joined_late", "you joined during this question: the next one is yours", 0}
	ErrAlreadyAnswered = &Error{409, "live.already_answered", "you already answered this question", 0}
	ErrMovedOn         = &Error{409, "live.moved_on", "the game has already moved on", 0}
	ErrNotQuestion     = &Error{409, "live.not_question", "no question is open", 0}
)

// Options configure the service.
type Options struct {
	// JoinLimit is how many joins one client address may make per minute,
	// counted in the database so it holds across replicas. A hall behind
	// one NAT address must fit under it.
	JoinLimit int
	// NicknameAllowed applies the class-join blocklist.
	NicknameAllowed func(string) bool
	Log             *slog.Logger
}

// Service is what hosts and players do.
type Service struct {
	store *store.Store
	learn *learning.Service
	opt   Options
	hub   *hub
	// players remembers players by token hash: the fields it keeps never
	// change (removal is read from the game's view), so it needs no
	// invalidation, only a bound.
	players *playerCache
}

// New builds the service. Call Run in a goroutine to hear other replicas,
// and Close on shutdown to end every event stream.
func New(s *store.Store, learn *learning.Service, o Options) *Service {
	if o.JoinLimit <= 0 {
		o.JoinLimit = 1000
	}
	if o.NicknameAllowed == nil {
		o.NicknameAllowed = func(string) bool { return true }
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	svc := &Service{store: s, learn: learn, opt: o, players: newPlayerCache(100_000)}
	svc.hub = newHub(svc)
	return svc
}

// Run listens for other replicas' changes (PostgreSQL) and re-reads the
// games being watched every few seconds as a safety net, until ctx ends.
func (s *Service) Run(ctx context.Context) {
	go s.store.ListenLive(ctx, func(payload string) {
		if payload == "" { // (re)connected: anything may have been missed
			s.hub.refreshAll(ctx)
			return
		}
		if id, err := strconv.ParseInt(payload, 10, 64); err == nil {
			s.hub.refresh(ctx, id)
		}
	})
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.hub.refreshAll(ctx)
		}
	}
}

// Close ends every open event stream (on shutdown, so the server does not
// wait for them).
func (s *Service) Close() { s.hub.close() }

// changed publishes a committed change of game id: this replica's streams
// at once, the others through NOTIFY.
func (s *Service) changed(ctx context.Context, id int64) {
	if err := s.store.NotifyLive(ctx, strconv.FormatInt(id, 10)); err != nil {
		s.opt.Log.Warn("live notify failed; other replicas catch up within seconds", "game", id, "err", err)
	}
	s.hub.refresh(ctx, id)
}

// newPIN is six random digits, never starting with 0 (so it reads the
// same as a number).
func newPIN() string {
	n, err := rand.Int(rand.Reader, big.NewInt(900000))
	if err != nil {
		panic(fmt.Errorf("crypto/rand: %w", err))
	}
	return strconv.FormatInt(100000+n.Int64(), 10)
}

// tokenPrefix marks player tokens, so the API tells them from access tokens.
const tokenPrefix = "lp_"

// IsPlayerToken reports whether a bearer token is a player token.
func IsPlayerToken(t string) bool {
	return len(t) > len(tokenPrefix) && t[:len(tokenPrefix)] == tokenPrefix
}

func newPlayerToken() (token, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Errorf("crypto/rand: %w", err))
	}
	token = tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

// player resolves a player token.
func (s *Service) player(ctx context.Context, token string) (store.LivePlayer, error) {
	if !IsPlayerToken(token) || len(token) > 100 {
		return store.LivePlayer{}, ErrTokenInvalid
	}
	h := hashToken(token)
	if p, ok := s.players.get(h); ok {
		return p, nil
	}
	p, err := s.store.LivePlayerByToken(ctx, h)
	if errors.Is(err, store.ErrNotFound) {
		return p, ErrTokenInvalid
	}
	if err != nil {
		return p, err
	}
	s.players.put(h, p)
	return p, nil
}

// hostGame loads a game its host may act on; another user's game is a 404.
func (s *Service) hostGame(ctx context.Context, u model.User, id int64) (store.LiveGame, error) {
	g, err := s.store.LiveGame(ctx, id)
	if err != nil {
		return g, err
	}
	if g.HostID != u.ID {
		return g, store.ErrNotFound
	}
	return g, nil
}

func nowMS() int64 { return time.Now().UnixMilli() }
