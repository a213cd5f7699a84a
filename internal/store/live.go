package store

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Reasons a live join is refused, told apart in one conditional update.
var (
	ErrLiveLocked = errors.New("live game locked")
	ErrLiveFull   = errors.New("live game full")
	ErrLiveEnded  = errors.New("live game ended")
)

// LiveGame is a row of live_games: the game's whole state machine.
type LiveGame struct {
	ID          int64
	PIN         string `gorm:"column:pin"`
	HostID      int64
	ModuleSlug  string
	Questions   []string `gorm:"-"`
	QuestionsJS string   `gorm:"column:questions"`
	TimeLimitS  int
	TeamCount   int
	ClassID     *int64
	PlayerCap   int
	PlayerCount int
	Locked      bool
	State       string
	Seq         int
	// DeadlineMS is when the open question closes (server clock, ms since
	// the epoch); nil when untimed, paused or no question is open.
	DeadlineMS *int64 `gorm:"column:deadline_ms"`
	// PausedMS is the time left on a paused question.
	PausedMS  *int64 `gorm:"column:paused_ms"`
	Version   int64
	CreatedAt time.Time
	EndedAt   *time.Time
}

func (g *LiveGame) decode() error {
	return json.Unmarshal([]byte(g.QuestionsJS), &g.Questions)
}

// LivePlayer is a row of live_players.
type LivePlayer struct {
	ID          int64
	GameID      int64
	TokenHash   string
	Nickname    string
	NicknameKey string
	UserID      *int64
	Lang        string
	Team        string
	FirstSeq    int
	Removed     bool
	JoinedAt    time.Time
}

// LiveAnswer is a row of live_answers: one player's answer to one question.
type LiveAnswer struct {
	PlayerID   int64
	Seq        int
	GameID     int64
	QuestionID string
	Answer     string
	Correct    bool
	Fraction   float64
	Points     int
	Streak     int
	ElapsedMS  int
	ReceivedMS int64 `gorm:"column:received_ms"`
}

// LiveScore is a player's total over the answers counted so far.
type LiveScore struct {
	PlayerID int64
	Nickname string
	Team     string
	UserID   *int64
	Score    int
}

const liveGameColumns = `id, pin, host_id, module_slug, questions, time_limit_s, team_count, class_id, player_cap,
	player_count, locked, state, seq, deadline_ms, paused_ms, version, created_at, ended_at`

// CreateLiveGame stores a new game in the lobby under a PIN no open game
// holds; newPIN makes candidates and a taken one is retried.
func (s *Store) CreateLiveGame(ctx context.Context, g *LiveGame, newPIN func() string) error {
	b, err := json.Marshal(g.Questions)
	if err != nil {
		return err
	}
	g.QuestionsJS = string(b)
	g.State, g.Seq, g.Version, g.CreatedAt = "lobby", 0, 1, time.Now().UTC()
	for try := 0; try < 16; try++ {
		g.PIN = newPIN()
		g.ID = 0
		err := s.write(ctx).Table("live_games").Omit("deadline_ms", "paused_ms", "ended_at").Create(g).Error
		if isUniqueViolation(err) {
			continue
		}
		return err
	}
	return ErrConflict
}

// LiveGame reads one game.
func (s *Store) LiveGame(ctx context.Context, id int64) (LiveGame, error) {
	var g LiveGame
	err := s.read(ctx).Raw(`SELECT `+liveGameColumns+` FROM live_games WHERE id = ?`, id).Take(&g).Error
	if err != nil {
		return g, notFound(err)
	}
	return g, g.decode()
}

// OpenLiveGameByPIN finds the game that is not over with this PIN.
func (s *Store) OpenLiveGameByPIN(ctx context.Context, pin string) (LiveGame, error) {
	var g LiveGame
	err := s.read(ctx).Raw(`SELECT `+liveGameColumns+` FROM live_games WHERE pin = ? AND state <> 'ended'`, pin).Take(&g).Error
	if err != nil {
		return g, notFound(err)
	}
	return g, g.decode()
}

// LiveGamesForHost lists a host's games, newest first (at most 100).
func (s *Store) LiveGamesForHost(ctx context.Context, hostID int64) ([]LiveGame, error) {
	var gs []LiveGame
	err := s.read(ctx).Raw(`SELECT `+liveGameColumns+` FROM live_games WHERE host_id = ? ORDER BY id DESC LIMIT 100`, hostID).Scan(&gs).Error
	for i := range gs {
		if err == nil {
			err = gs[i].decode()
		}
	}
	return gs, err
}

// LiveGamesForClass lists the ended games played by a class, newest first.
func (s *Store) LiveGamesForClass(ctx context.Context, classID int64) ([]LiveGame, error) {
	var gs []LiveGame
	err := s.read(ctx).Raw(`SELECT `+liveGameColumns+` FROM live_games WHERE class_id = ? AND state = 'ended' ORDER BY id DESC LIMIT 100`, classID).Scan(&gs).Error
	for i := range gs {
		if err == nil {
			err = gs[i].decode()
		}
	}
	return gs, err
}

// StepLiveGame writes g's state, lock and clock as the next version, only
// if the stored game is still at version from: two hosts pressing at once
// make one step, and the other sees false.
func (s *Store) StepLiveGame(ctx context.Context, g LiveGame, from int64) (bool, error) {
	res := s.write(ctx).Exec(`UPDATE live_games SET state = ?, seq = ?, deadline_ms = ?, paused_ms = ?, locked = ?,
		ended_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
		g.State, g.Seq, g.DeadlineMS, g.PausedMS, g.Locked, g.EndedAt, g.ID, from)
	return res.RowsAffected == 1, res.Error
}

// JoinLiveGame adds a player and returns how many the game has now,
// counting them against the cap in the same transaction: the count is one atomic increment on the game row, refused
// when the game is locked, full or over. The player's first question is
// the one after whatever is open now; teams are dealt in turn.
func (s *Store) JoinLiveGame(ctx context.Context, p *LivePlayer, teams []string) (players int, err error) {
	p.JoinedAt = time.Now().UTC()
	err = s.tx(ctx, func(db *gorm.DB) error {
		var row struct {
			PlayerCount int
			Seq         int
		}
		res := db.Raw(`UPDATE live_games SET player_count = player_count + 1
			WHERE id = ? AND state <> 'ended' AND NOT locked AND player_count < player_cap
			RETURNING player_count, seq`, p.GameID).Scan(&row)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			var g struct {
				State  string
				Locked bool
			}
			if err := db.Raw(`SELECT state, locked FROM live_games WHERE id = ?`, p.GameID).Take(&g).Error; err != nil {
				return notFound(err)
			}
			switch {
			case g.State == "ended":
				return ErrLiveEnded
			case g.Locked:
				return ErrLiveLocked
			}
			return ErrLiveFull
		}
		p.FirstSeq, players = row.Seq+1, row.PlayerCount
		if len(teams) > 0 {
			p.Team = teams[(row.PlayerCount-1)%len(teams)]
		}
		err := db.Table("live_players").Create(p).Error
		if isUniqueViolation(err) {
			return ErrConflict
		}
		return err
	})
	return players, err
}

// RejoinLivePlayer gives a signed-in user's player in a game a new token
// (the old one stops working) and returns it, unless the host removed them
// (p.Removed, no new token); ErrNotFound if the user has not joined it.
func (s *Store) RejoinLivePlayer(ctx context.Context, gameID, userID int64, tokenHash string) (LivePlayer, error) {
	var p LivePlayer
	err := s.tx(ctx, func(db *gorm.DB) error {
		if err := db.Table("live_players").Where("game_id = ? AND user_id = ?", gameID, userID).Take(&p).Error; err != nil {
			return notFound(err)
		}
		if p.Removed {
			return nil // the host removed them: no new token
		}
		p.TokenHash = tokenHash
		return db.Exec(`UPDATE live_players SET token_hash = ? WHERE id = ?`, tokenHash, p.ID).Error
	})
	return p, err
}

// LivePlayerByToken finds the player holding a token (by its hash).
func (s *Store) LivePlayerByToken(ctx context.Context, tokenHash string) (LivePlayer, error) {
	var p LivePlayer
	err := s.read(ctx).Table("live_players").Where("token_hash = ?", tokenHash).Take(&p).Error
	return p, notFound(err)
}

// LivePlayers lists a game's players in the order they joined.
func (s *Store) LivePlayers(ctx context.Context, gameID int64) ([]LivePlayer, error) {
	var ps []LivePlayer
	err := s.read(ctx).Table("live_players").Where("game_id = ?", gameID).Order("id").Find(&ps).Error
	return ps, err
}

// RecentLivePlayers lists the last n players to join who are still in.
func (s *Store) RecentLivePlayers(ctx context.Context, gameID int64, n int) ([]LivePlayer, error) {
	var ps []LivePlayer
	err := s.read(ctx).Table("live_players").Where("game_id = ? AND NOT removed", gameID).Order("id DESC").Limit(n).Find(&ps).Error
	return ps, err
}

// RemovedLivePlayers lists the ids of the players a host removed.
func (s *Store) RemovedLivePlayers(ctx context.Context, gameID int64) ([]int64, error) {
	var ids []int64
	err := s.read(ctx).Table("live_players").Where("game_id = ? AND removed", gameID).Pluck("id", &ids).Error
	return ids, err
}

// RemoveLivePlayer marks a player removed, frees their place under the cap
// and steps the game's version, so every replica hears of it.
func (s *Store) RemoveLivePlayer(ctx context.Context, gameID, playerID int64) error {
	return s.tx(ctx, func(db *gorm.DB) error {
		var n int64
		if err := db.Table("live_players").Where("id = ? AND game_id = ?", playerID, gameID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		res := db.Exec(`UPDATE live_players SET removed = TRUE WHERE id = ? AND NOT removed`, playerID)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error // removed already: nothing changes
		}
		// The place they held under the cap is free again.
		return db.Exec(`UPDATE live_games SET version = version + 1, player_count = player_count - 1 WHERE id = ?`, gameID).Error
	})
}

// SaveLiveAnswer stores a player's answer once. The insert itself checks
// that the question is still open at receivedMS (with graceMS for the
// network), so a host's step on another replica can never let a late
// answer in. inserted is false when the player had already answered (the
// stored answer is returned) or the question was not open (ErrNotFound).
func (s *Store) SaveLiveAnswer(ctx context.Context, a LiveAnswer, graceMS int64) (stored LiveAnswer, inserted bool, err error) {
	res := s.write(ctx).Exec(`INSERT INTO live_answers (player_id, seq, game_id, question_id, answer, correct, fraction,
			points, streak, elapsed_ms, received_ms)
		SELECT CAST(? AS BIGINT), CAST(? AS INTEGER), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT),
			CAST(? AS BOOLEAN), CAST(? AS DOUBLE PRECISION), CAST(? AS INTEGER), CAST(? AS INTEGER),
			CAST(? AS INTEGER), CAST(? AS BIGINT)
		WHERE EXISTS (SELECT 1 FROM live_games g WHERE g.id = ? AND g.state = 'question' AND g.seq = ?
			AND (g.deadline_ms IS NULL OR g.deadline_ms + ? >= ?))
		ON CONFLICT (player_id, seq) DO NOTHING`,
		a.PlayerID, a.Seq, a.GameID, a.QuestionID, a.Answer, a.Correct, a.Fraction, a.Points, a.Streak, a.ElapsedMS,
		a.ReceivedMS, a.GameID, a.Seq, graceMS, a.ReceivedMS)
	if res.Error != nil {
		return a, false, res.Error
	}
	if res.RowsAffected == 1 {
		return a, true, nil
	}
	stored, err = s.LiveAnswerOf(ctx, a.PlayerID, a.Seq)
	return stored, false, err
}

// LiveAnswerOf reads a player's answer to the question numbered seq.
func (s *Store) LiveAnswerOf(ctx context.Context, playerID int64, seq int) (LiveAnswer, error) {
	var a LiveAnswer
	err := s.read(ctx).Table("live_answers").Where("player_id = ? AND seq = ?", playerID, seq).Take(&a).Error
	return a, notFound(err)
}

// LiveAnswers lists a game's answers, all of them (seq 0) or one question's.
func (s *Store) LiveAnswers(ctx context.Context, gameID int64, seq int) ([]LiveAnswer, error) {
	var as []LiveAnswer
	q := s.read(ctx).Table("live_answers").Where("game_id = ?", gameID)
	if seq > 0 {
		q = q.Where("seq = ?", seq)
	}
	err := q.Order("player_id, seq").Find(&as).Error
	return as, err
}

// LiveScores totals the points of every player still in the game over the
// questions up to seq.
func (s *Store) LiveScores(ctx context.Context, gameID int64, seq int) ([]LiveScore, error) {
	var out []LiveScore
	err := s.read(ctx).Raw(`SELECT p.id AS player_id, p.nickname, p.team, p.user_id, COALESCE(SUM(a.points), 0) AS score
		FROM live_players p LEFT JOIN live_answers a ON a.player_id = p.id AND a.seq <= ?
		WHERE p.game_id = ? AND NOT p.removed
		GROUP BY p.id, p.nickname, p.team, p.user_id`, seq, gameID).Scan(&out).Error
	return out, err
}

// LiveCounts counts the players still in a game and their answers to the
// question numbered seq.
func (s *Store) LiveCounts(ctx context.Context, gameID int64, seq int) (players, answered int, err error) {
	var n struct{ Players, Answered int }
	err = s.read(ctx).Raw(`SELECT
		(SELECT COUNT(*) FROM live_players WHERE game_id = ? AND NOT removed) AS players,
		(SELECT COUNT(*) FROM live_answers a JOIN live_players p ON p.id = a.player_id
			WHERE a.game_id = ? AND a.seq = ? AND NOT p.removed) AS answered`, gameID, gameID, seq).Scan(&n).Error
	return n.Players, n.Answered, err
}

// HitRateCounter counts one event for key in the window starting at
// windowStart (any unit the caller likes) and returns the window's count so
// far. The count lives in the database, so it holds across replicas.
func (s *Store) HitRateCounter(ctx context.Context, key string, windowStart int64) (int, error) {
	var hits int
	err := s.write(ctx).Raw(`INSERT INTO rate_counters (key, window_start, hits) VALUES (?, ?, 1)
		ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_counters.hits + 1
		RETURNING hits`, key, windowStart).Scan(&hits).Error
	if err == nil && hits == 1 {
		// The first hit of a new window clears the key's older ones.
		err = s.write(ctx).Exec(`DELETE FROM rate_counters WHERE key = ? AND window_start < ?`, key, windowStart).Error
	}
	return hits, err
}

// NicknameKey is how nicknames are compared within a game: case and
// surrounding space do not make a different name.
func NicknameKey(n string) string { return strings.ToLower(strings.TrimSpace(n)) }
