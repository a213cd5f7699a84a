package live

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// Create opens a game in the lobby for a published module's quiz (its
// playable questions, or the ones listed) hosted by u.
func (s *Service) Create(ctx context.Context, u model.User, req model.LiveGameRequest, lang string) (HostGame, error) {
	if err := req.Validate(); err != nil {
		return HostGame{}, err
	}
	invalid := func(field, code string) error {
		return &model.ValidationError{Fields: map[string]string{field: code}}
	}
	m, ok := s.learn.Published(ctx, req.Module)
	if !ok || m.Module.Quiz == nil {
		return HostGame{}, invalid("module", "live.module_unknown")
	}
	var ids []string
	if len(req.Questions) == 0 {
		for _, q := range m.Module.Quiz.Questions {
			if model.LivePlayable(q.Type) {
				ids = append(ids, q.ID)
			}
		}
	}
	for _, id := range req.Questions {
		i := slices.IndexFunc(m.Module.Quiz.Questions, func(q model.Question) bool { return q.ID == id })
		switch {
		case i < 0:
			return HostGame{}, invalid("questions", "live.question_unknown")
		case !model.LivePlayable(m.Module.Quiz.Questions[i].Type):
			return HostGame{}, invalid("questions", "live.question_unplayable")
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return HostGame{}, invalid("questions", "live.no_questions")
	}
	if req.ClassID != nil {
		if _, err := s.store.ClassForTeacher(ctx, *req.ClassID, u.ID); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return HostGame{}, invalid("class_id", "live.class_unknown")
			}
			return HostGame{}, err
		}
	}
	g := store.LiveGame{HostID: u.ID, ModuleSlug: m.Module.Slug, Questions: ids, TimeLimitS: *req.TimeLimitS,
		TeamCount: req.TeamCount, ClassID: req.ClassID, PlayerCap: req.PlayerCap}
	if err := s.store.CreateLiveGame(ctx, &g, newPIN); err != nil {
		return HostGame{}, err
	}
	return s.Host(ctx, u, g.ID, lang)
}

// List is u's games, newest first.
func (s *Service) List(ctx context.Context, u model.User, lang string) ([]HostGame, error) {
	gs, err := s.store.LiveGamesForHost(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	out := make([]HostGame, 0, len(gs))
	for _, g := range gs {
		m, _ := s.learn.Published(ctx, g.ModuleSlug)
		v := &view{game: g, module: m, standings: map[int64]standing{}}
		h := s.summary(ctx, v, lang)
		h.Players = g.PlayerCount
		out = append(out, h)
	}
	return out, nil
}

// Host is the host's view of game id.
func (s *Service) Host(ctx context.Context, u model.User, id int64, lang string) (HostGame, error) {
	if _, err := s.hostGame(ctx, u, id); err != nil {
		return HostGame{}, err
	}
	v, err := s.hub.view(ctx, id)
	if err != nil {
		return HostGame{}, err
	}
	return s.hostView(ctx, v, lang)
}

// Host actions.
const (
	ActNext   = "next"
	ActSkip   = "skip"
	ActPause  = "pause"
	ActResume = "resume"
	ActLock   = "lock"
	ActUnlock = "unlock"
	ActEnd    = "end"
)

// Step applies a host action to game id. expect, when given, is the state
// the host screen saw: if the game has moved on, nothing happens (409), so
// two screens pressing Next at once make one step.
func (s *Service) Step(ctx context.Context, u model.User, id int64, action string, expect *model.LiveNextRequest, lang string) (HostGame, error) {
	for try := 0; ; try++ {
		g, err := s.hostGame(ctx, u, id)
		if err != nil {
			return HostGame{}, err
		}
		if expect != nil && expect.State != "" && (expect.State != g.State || expect.Seq != g.Seq) {
			return HostGame{}, ErrMovedOn
		}
		next, err := step(g, action, nowMS())
		if err != nil {
			return HostGame{}, err
		}
		ok, err := s.store.StepLiveGame(ctx, next, g.Version)
		if err != nil {
			return HostGame{}, err
		}
		if !ok { // another step won the race: look again
			if try < 3 {
				continue
			}
			return HostGame{}, ErrMovedOn
		}
		s.changed(ctx, id)
		if next.State == model.LiveEnded && g.State != model.LiveEnded {
			s.recordAttempts(context.WithoutCancel(ctx), id)
		}
		return s.Host(ctx, u, id, lang)
	}
}

// step is the state machine: the game after action at nowMS.
func step(g store.LiveGame, action string, nowMS int64) (store.LiveGame, error) {
	if g.State == model.LiveEnded {
		return g, ErrEnded
	}
	open := func(seq int) {
		if seq > len(g.Questions) {
			g.State, g.DeadlineMS, g.PausedMS = model.LiveEnded, nil, nil
			t := time.UnixMilli(nowMS).UTC()
			g.EndedAt = &t
			return
		}
		g.State, g.Seq, g.PausedMS, g.DeadlineMS = model.LiveQuestion, seq, nil, nil
		if g.TimeLimitS > 0 {
			d := nowMS + int64(g.TimeLimitS)*1000
			g.DeadlineMS = &d
		}
	}
	switch action {
	case ActNext:
		switch g.State {
		case model.LiveLobby, model.LiveReveal:
			open(g.Seq + 1)
		case model.LiveQuestion:
			g.State, g.DeadlineMS, g.PausedMS = model.LiveReveal, nil, nil
		}
	case ActSkip:
		if g.State != model.LiveQuestion {
			return g, ErrNotQuestion
		}
		open(g.Seq + 1)
	case ActPause:
		// A question whose time is up takes no answers: there is no clock
		// left to stop (and a pause must not reopen it).
		if g.State != model.LiveQuestion || g.DeadlineMS == nil || *g.DeadlineMS <= nowMS {
			return g, ErrNotQuestion
		}
		left := *g.DeadlineMS - nowMS
		g.PausedMS, g.DeadlineMS = &left, nil
	case ActResume:
		if g.State != model.LiveQuestion || g.PausedMS == nil {
			return g, ErrNotQuestion
		}
		d := nowMS + *g.PausedMS
		g.DeadlineMS, g.PausedMS = &d, nil
	case ActLock, ActUnlock:
		g.Locked = action == ActLock
	case ActEnd:
		g.State, g.DeadlineMS, g.PausedMS = model.LiveEnded, nil, nil
		t := time.UnixMilli(nowMS).UTC()
		g.EndedAt = &t
	default:
		return g, store.ErrNotFound
	}
	return g, nil
}

// RemovePlayer takes a player out of the game: their token stops working
// and they leave the leaderboard. Their answers stay in the report.
func (s *Service) RemovePlayer(ctx context.Context, u model.User, id, playerID int64) error {
	if _, err := s.hostGame(ctx, u, id); err != nil {
		return err
	}
	if err := s.store.RemoveLivePlayer(ctx, id, playerID); err != nil {
		return err
	}
	s.changed(ctx, id)
	return nil
}

// PlayerRow is a player as the host's list shows them.
type PlayerRow struct {
	ID       int64  `json:"id"`
	Nickname string `json:"nickname"`
	Team     string `json:"team"`
	Score    int    `json:"score"`
	Rank     int    `json:"rank"`
	Removed  bool   `json:"removed"`
}

// Players lists every player of game id with their standing.
func (s *Service) Players(ctx context.Context, u model.User, id int64) ([]PlayerRow, error) {
	if _, err := s.hostGame(ctx, u, id); err != nil {
		return nil, err
	}
	v, err := s.hub.view(ctx, id)
	if err != nil {
		return nil, err
	}
	ps, err := s.store.LivePlayers(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]PlayerRow, 0, len(ps))
	for _, p := range ps {
		st := v.standings[p.ID]
		out = append(out, PlayerRow{ID: p.ID, Nickname: p.Nickname, Team: p.Team, Score: st.score, Rank: st.rank, Removed: p.Removed})
	}
	return out, nil
}
