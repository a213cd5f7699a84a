package live

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"time"

	"github.com/readi-platform/readi/internal/grading"
	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// Joined is the reply to a join: the player's token (the only thing the
// browser keeps to come back), the player and the game.
type Joined struct {
	PlayerToken string   `json:"player_token"`
	Player      JoinedAs `json:"player"`
	Game        GameInfo `json:"game"`
}

// JoinedAs is the player a join made (or found again).
type JoinedAs struct {
	ID       int64  `json:"id"`
	Nickname string `json:"nickname"`
	Score    int    `json:"score"`
	Team     string `json:"team"`
}

// teamNames are the teams' names (letters, so they need no translation).
var teamNames = []string{"A", "B", "C", "D", "E", "F", "G", "H"}

// Join adds a player to the open game with the PIN. A signed-in user (u
// non-nil) joins as themself: joining again finds the same player, score
// and all, with a new token. clientIP is counted against the join limit.
func (s *Service) Join(ctx context.Context, req model.LiveJoinRequest, u *model.User, clientIP string) (Joined, error) {
	if err := req.Validate(); err != nil {
		return Joined{}, err
	}
	if !s.opt.NicknameAllowed(req.Nickname) {
		return Joined{}, &model.ValidationError{Fields: map[string]string{"nickname": "nickname.not_allowed"}}
	}
	if err := s.countJoin(ctx, clientIP); err != nil {
		return Joined{}, err
	}
	g, err := s.store.OpenLiveGameByPIN(ctx, req.PIN)
	if errors.Is(err, store.ErrNotFound) {
		return Joined{}, ErrGameNotFound
	}
	if err != nil {
		return Joined{}, err
	}
	if g.ClassID != nil {
		if u == nil {
			return Joined{}, ErrClassOnly
		}
		member, err := s.store.IsMember(ctx, *g.ClassID, u.ID)
		if err != nil {
			return Joined{}, err
		}
		if !member {
			return Joined{}, ErrClassOnly
		}
	}
	lang := req.Lang
	if lang == "" {
		lang = "en"
	}
	token, hash := newPlayerToken()
	if u != nil {
		p, err := s.store.RejoinLivePlayer(ctx, g.ID, u.ID, hash)
		if err == nil && p.Removed {
			return Joined{}, ErrRemoved
		}
		if err == nil {
			s.players.forget(p.ID)
			return s.joined(ctx, token, p, g)
		}
		if !errors.Is(err, store.ErrNotFound) {
			return Joined{}, err
		}
	}
	p := store.LivePlayer{GameID: g.ID, TokenHash: hash, Nickname: req.Nickname, NicknameKey: store.NicknameKey(req.Nickname), Lang: lang}
	if u != nil {
		p.UserID = &u.ID
	}
	var teams []string
	if g.TeamCount > 0 {
		teams = teamNames[:g.TeamCount]
	}
	players, err := s.store.JoinLiveGame(ctx, &p, teams)
	switch {
	case errors.Is(err, store.ErrLiveLocked):
		return Joined{}, ErrLocked
	case errors.Is(err, store.ErrLiveFull):
		return Joined{}, ErrFull
	case errors.Is(err, store.ErrLiveEnded):
		return Joined{}, ErrEnded
	case errors.Is(err, store.ErrConflict):
		return Joined{}, ErrNicknameTaken
	case err != nil:
		return Joined{}, err
	}
	s.hub.joined(g.ID, players)
	return s.joined(ctx, token, p, g)
}

func (s *Service) joined(ctx context.Context, token string, p store.LivePlayer, g store.LiveGame) (Joined, error) {
	v, err := s.hub.view(ctx, g.ID)
	if err != nil {
		return Joined{}, err
	}
	lv := s.lang(ctx, v, p.Lang)
	return Joined{PlayerToken: token,
		Player: JoinedAs{ID: p.ID, Nickname: p.Nickname, Score: v.standings[p.ID].score, Team: p.Team},
		Game: GameInfo{ID: g.ID, PIN: g.PIN, State: v.game.State, Module: g.ModuleSlug, ModuleTitle: lv.title,
			QuestionCount: len(g.Questions), TimeLimitS: g.TimeLimitS, Teams: g.TeamCount > 0}}, nil
}

// countJoin counts a join from clientIP in this minute's window, in the
// database so that the limit holds across replicas.
func (s *Service) countJoin(ctx context.Context, clientIP string) error {
	if ip := net.ParseIP(clientIP); ip != nil && ip.To4() == nil {
		// An IPv6 client controls its /64: count the network, not the address.
		clientIP = ip.Mask(net.CIDRMask(64, 128)).String()
	}
	now := time.Now()
	window := now.Truncate(time.Minute)
	hits, err := s.store.HitRateCounter(ctx, "live-join:"+clientIP, window.Unix())
	if err != nil {
		return err
	}
	if hits > s.opt.JoinLimit {
		return &Error{Status: 429, Code: "rate_limited", Msg: "too many joins from this address: wait a minute",
			RetryAfter: window.Add(time.Minute).Sub(now)}
	}
	return nil
}

// playerView resolves a token and the game it belongs to, checking the PIN
// names that game and the player is still in it.
func (s *Service) playerView(ctx context.Context, token, pin string) (store.LivePlayer, *view, error) {
	p, err := s.player(ctx, token)
	if err != nil {
		return p, nil, err
	}
	v, err := s.hub.view(ctx, p.GameID)
	if err != nil {
		return p, nil, err
	}
	if v.game.PIN != pin {
		return p, nil, ErrGameNotFound
	}
	if v.removed[p.ID] {
		return p, nil, ErrRemoved
	}
	return p, v, nil
}

// State is the player's whole view of the game now.
func (s *Service) State(ctx context.Context, token, pin string) (PlayerState, error) {
	p, v, err := s.playerView(ctx, token, pin)
	if err != nil {
		return PlayerState{}, err
	}
	var mine *store.LiveAnswer
	if v.game.State == model.LiveQuestion {
		if a, err := s.store.LiveAnswerOf(ctx, p.ID, v.game.Seq); err == nil {
			mine = &a
		} else if !errors.Is(err, store.ErrNotFound) {
			return PlayerState{}, err
		}
	}
	return s.playerState(ctx, v, p, mine), nil
}

// Receipt acknowledges an answer without saying whether it was right: the
// key stays on the server until the reveal.
type Receipt struct {
	Question  string `json:"question"`
	Seq       int    `json:"seq"`
	Received  bool   `json:"received"`
	ElapsedMS int    `json:"elapsed_ms"`
}

// graceMS is how long after the buzzer an answer still counts, for the
// time it spent on the network (it scores as if it arrived at the buzzer).
const graceMS = 300

// Answer stores a player's answer to the open question, once: a repeat of
// the same answer gets the first one's receipt (replayed true). received
// is when the server received the request; it alone sets the points.
func (s *Service) Answer(ctx context.Context, token, pin string, req model.LiveAnswerRequest, received time.Time) (Receipt, bool, error) {
	p, v, err := s.playerView(ctx, token, pin)
	if err != nil {
		return Receipt{}, false, err
	}
	seq := 0
	for i, id := range v.game.Questions {
		if id == req.Question {
			seq = i + 1
		}
	}
	if seq == 0 {
		return Receipt{}, false, ErrNotCurrent
	}
	raw, ok := compactJSON(req.Answer)
	if !ok {
		return Receipt{}, false, &model.ValidationError{Fields: map[string]string{"answer": grading.CodeAnswerShape}}
	}
	recvMS := received.UnixMilli()
	if !isOpen(v.game, seq, recvMS) {
		// This replica may not have heard of the host's last step (a new
		// question, a pause) yet: look at the stored game before refusing.
		if v, err = s.hub.rebuild(ctx, s.hub.feed(p.GameID)); err != nil {
			return Receipt{}, false, err
		}
	}
	g := v.game
	if !isOpen(g, seq, recvMS) {
		if r, ok, err := s.replay(ctx, p.ID, seq, req.Question, raw); ok || err != nil {
			return r, ok, err
		}
		switch {
		case g.State == model.LiveEnded:
			return Receipt{}, false, ErrEnded
		case seq < g.Seq || seq == g.Seq:
			return Receipt{}, false, ErrTooLate
		}
		return Receipt{}, false, ErrNotCurrent
	}
	if p.FirstSeq > seq {
		return Receipt{}, false, ErrJoinedLate
	}
	q := s.question(v, seq)
	if q == nil {
		return Receipt{}, false, ErrNotCurrent
	}
	grade, err := grading.Grade(model.Quiz{Questions: []model.Question{*q}}, map[string]json.RawMessage{q.ID: raw})
	if err != nil {
		var ae *grading.AnswerError
		if errors.As(err, &ae) {
			return Receipt{}, false, &model.ValidationError{Fields: map[string]string{"answer": ae.Code}}
		}
		return Receipt{}, false, err
	}
	r := grade.Results[0]
	fraction := 0.0
	if r.MaxPoints > 0 {
		fraction = r.Points / r.MaxPoints
	}
	limitMS := int64(g.TimeLimitS) * 1000
	var elapsed int64
	switch {
	case g.PausedMS != nil:
		elapsed = limitMS - *g.PausedMS
	case g.DeadlineMS != nil:
		elapsed = limitMS - (*g.DeadlineMS - recvMS)
	}
	elapsed = min(max(elapsed, 0), limitMS)
	streak := 0
	if r.Correct {
		streak = 1
		if seq > 1 {
			prev, err := s.store.LiveAnswerOf(ctx, p.ID, seq-1)
			if err == nil && prev.Correct {
				streak = prev.Streak + 1
			} else if err != nil && !errors.Is(err, store.ErrNotFound) {
				return Receipt{}, false, err
			}
		}
	}
	a := store.LiveAnswer{PlayerID: p.ID, Seq: seq, GameID: g.ID, QuestionID: q.ID, Answer: string(raw),
		Correct: r.Correct, Fraction: fraction, Points: points(fraction, elapsed, limitMS, streak), Streak: streak,
		ElapsedMS: int(elapsed), ReceivedMS: recvMS}
	stored, inserted, err := s.store.SaveLiveAnswer(ctx, a, graceMS)
	switch {
	case inserted:
		return Receipt{Question: q.ID, Seq: seq, Received: true, ElapsedMS: a.ElapsedMS}, false, nil
	case errors.Is(err, store.ErrNotFound):
		// The question closed (on any replica) before the answer was stored.
		return Receipt{}, false, ErrTooLate
	case err != nil:
		return Receipt{}, false, err
	case stored.Answer != string(raw):
		return Receipt{}, false, ErrAlreadyAnswered
	}
	return Receipt{Question: q.ID, Seq: seq, Received: true, ElapsedMS: stored.ElapsedMS}, true, nil
}

// isOpen reports whether question number seq of g takes answers at recvMS.
func isOpen(g store.LiveGame, seq int, recvMS int64) bool {
	return g.State == model.LiveQuestion && seq == g.Seq && (g.DeadlineMS == nil || recvMS <= *g.DeadlineMS+graceMS)
}

// replay answers a repeated request with the stored answer's receipt; ok
// is false when there is no stored answer to that question.
func (s *Service) replay(ctx context.Context, playerID int64, seq int, qid string, raw []byte) (Receipt, bool, error) {
	a, err := s.store.LiveAnswerOf(ctx, playerID, seq)
	if errors.Is(err, store.ErrNotFound) {
		return Receipt{}, false, nil
	}
	if err != nil {
		return Receipt{}, false, err
	}
	if a.Answer != string(raw) {
		return Receipt{}, false, ErrAlreadyAnswered
	}
	return Receipt{Question: qid, Seq: seq, Received: true, ElapsedMS: a.ElapsedMS}, true, nil
}

// compactJSON is the answer's JSON without insignificant space, so a
// repeat is recognised byte for byte; false for a missing or null answer.
func compactJSON(raw json.RawMessage) ([]byte, bool) {
	var b bytes.Buffer
	if len(raw) == 0 || json.Compact(&b, raw) != nil || b.String() == "null" {
		return nil, false
	}
	return b.Bytes(), true
}
