package model

import (
	"encoding/json"
	"strings"
)

// Live game states, in the order a game moves through them.
const (
	LiveLobby    = "lobby"
	LiveQuestion = "question"
	LiveReveal   = "reveal"
	LiveEnded    = "ended"
)

// Live game limits.
const (
	LiveMinTimeLimit = 5   // seconds; 0 means untimed
	LiveMaxTimeLimit = 120 // seconds
	LiveDefaultCap   = 5000
	LiveMaxCap       = 100000
	LiveMaxTeams     = 8
)

// LivePlayable reports whether a question type works in a live game on a
// phone: one screen, a few taps, graded at once.
func LivePlayable(t QuestionType) bool {
	switch t {
	case Single, Multiple, TrueFalse, RedFlags, Ordering:
		return true
	}
	return false
}

// LiveGameRequest is the body of POST /api/v1/live/games.
type LiveGameRequest struct {
	Module     string   `json:"module"`
	Questions  []string `json:"questions"`
	TimeLimitS *int     `json:"time_limit_s"`
	Teams      bool     `json:"teams"`
	TeamCount  int      `json:"team_count"`
	ClassID    *int64   `json:"class_id"`
	PlayerCap  int      `json:"player_cap"`
}

// Validate checks the shape of the request and fills in defaults; whether
// the module, questions and class exist is the live service's to check.
func (r *LiveGameRequest) Validate() error {
	f := fieldErrors{}
	r.Module = strings.TrimSpace(r.Module)
	if r.Module == "" {
		f.add("module", "field.required")
	}
	switch {
	case r.TimeLimitS == nil:
		f.add("time_limit_s", "field.required")
	case *r.TimeLimitS != 0 && (*r.TimeLimitS < LiveMinTimeLimit || *r.TimeLimitS > LiveMaxTimeLimit):
		f.add("time_limit_s", "live.time_limit")
	}
	if r.PlayerCap == 0 {
		r.PlayerCap = LiveDefaultCap
	}
	if r.PlayerCap < 1 || r.PlayerCap > LiveMaxCap {
		f.add("player_cap", "live.player_cap")
	}
	if !r.Teams {
		r.TeamCount = 0
	} else if r.TeamCount == 0 {
		r.TeamCount = 4
	}
	if r.Teams && (r.TeamCount < 2 || r.TeamCount > LiveMaxTeams) {
		f.add("team_count", "live.team_count")
	}
	seen := map[string]bool{}
	for _, id := range r.Questions {
		if seen[id] {
			f.add("questions", "live.question_repeated")
		}
		seen[id] = true
	}
	if r.ClassID != nil && *r.ClassID <= 0 {
		f.add("class_id", "live.class_unknown")
	}
	return f.err()
}

// LiveJoinRequest is the body of POST /api/v1/live/join.
type LiveJoinRequest struct {
	PIN      string `json:"pin"`
	Nickname string `json:"nickname"`
	Lang     string `json:"lang"`
}

// Validate checks the PIN's shape and the nickname (the class-join rules).
func (r *LiveJoinRequest) Validate() error {
	f := fieldErrors{}
	r.PIN = strings.Map(func(c rune) rune {
		if c == ' ' || c == '-' {
			return -1
		}
		return c
	}, r.PIN)
	if !ValidLivePIN(r.PIN) {
		f.add("pin", "live.pin_invalid")
	}
	r.Nickname = strings.TrimSpace(r.Nickname)
	checkNickname(f, r.Nickname)
	r.Lang = strings.TrimSpace(r.Lang)
	if len(r.Lang) > 8 || strings.ContainsFunc(r.Lang, func(c rune) bool { return !(c >= 'a' && c <= 'z' || c == '-') }) {
		f.add("lang", "live.lang")
	}
	return f.err()
}

// ValidLivePIN reports whether s is six decimal digits.
func ValidLivePIN(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// LiveAnswerRequest is the body of POST /api/v1/live/games/{pin}/answers.
type LiveAnswerRequest struct {
	Question string          `json:"question"`
	Answer   json.RawMessage `json:"answer"`
}

// LiveNextRequest optionally names the state the host saw, so a step is
// taken once even when two host screens press it.
type LiveNextRequest struct {
	State string `json:"state"`
	Seq   int    `json:"seq"`
}
