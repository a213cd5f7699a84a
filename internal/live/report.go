package live

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"github.com/readi-platform/readi/internal/learning"
	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// Report is what the host sees after (or during) a game.
type Report struct {
	Game      HostGame         `json:"game"`
	Players   []ReportPlayer   `json:"players"`
	Questions []ReportQuestion `json:"questions"`
}

// ReportPlayer is one player's line: total, rank and every answer.
type ReportPlayer struct {
	ID       int64                   `json:"id"`
	Nickname string                  `json:"nickname"`
	Team     string                  `json:"team"`
	Score    int                     `json:"score"`
	Rank     int                     `json:"rank"`
	Correct  int                     `json:"correct"`
	Answered int                     `json:"answered"`
	Removed  bool                    `json:"removed"`
	Answers  map[string]ReportAnswer `json:"answers"`
}

// ReportAnswer is one answer as stored.
type ReportAnswer struct {
	Answer    json.RawMessage `json:"answer"`
	Correct   bool            `json:"correct"`
	Points    int             `json:"points"`
	ElapsedMS int             `json:"elapsed_ms"`
}

// ReportQuestion is how the room answered one question.
type ReportQuestion struct {
	ID           string             `json:"id"`
	Seq          int                `json:"seq"`
	Type         model.QuestionType `json:"type"`
	Prompt       string             `json:"prompt"`
	Answered     int                `json:"answered"`
	CorrectCount int                `json:"correct_count"`
	Distribution []Choice           `json:"distribution"`
}

// Report is game id's results for its host: per player, per question, and
// each question's answer distribution. Every total is summed from the
// answer rows here, not kept anywhere else.
func (s *Service) Report(ctx context.Context, u model.User, id int64, lang string) (Report, error) {
	g, err := s.hostGame(ctx, u, id)
	if err != nil {
		return Report{}, err
	}
	v, err := s.hub.view(ctx, id)
	if err != nil {
		return Report{}, err
	}
	hg, err := s.hostView(ctx, v, lang)
	if err != nil {
		return Report{}, err
	}
	players, err := s.store.LivePlayers(ctx, id)
	if err != nil {
		return Report{}, err
	}
	answers, err := s.store.LiveAnswers(ctx, id, 0)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Game: hg, Players: make([]ReportPlayer, 0, len(players)), Questions: []ReportQuestion{}}
	byID := map[int64]*ReportPlayer{}
	for _, p := range players {
		rep.Players = append(rep.Players, ReportPlayer{ID: p.ID, Nickname: p.Nickname, Team: p.Team, Removed: p.Removed,
			Answers: map[string]ReportAnswer{}})
	}
	for i := range rep.Players {
		byID[rep.Players[i].ID] = &rep.Players[i]
	}
	bySeq := map[int][]store.LiveAnswer{}
	for _, a := range answers {
		rp := byID[a.PlayerID]
		if rp == nil {
			continue
		}
		rp.Score += a.Points
		rp.Answered++
		if a.Correct {
			rp.Correct++
		}
		rp.Answers[a.QuestionID] = ReportAnswer{Answer: json.RawMessage(a.Answer), Correct: a.Correct, Points: a.Points, ElapsedMS: a.ElapsedMS}
		if !rp.Removed {
			bySeq[a.Seq] = append(bySeq[a.Seq], a)
		}
	}
	sort.SliceStable(rep.Players, func(i, j int) bool {
		if rep.Players[i].Removed != rep.Players[j].Removed {
			return !rep.Players[i].Removed
		}
		return rep.Players[i].Score > rep.Players[j].Score
	})
	for i := range rep.Players {
		if rep.Players[i].Removed {
			continue
		}
		rep.Players[i].Rank = i + 1
		if i > 0 && rep.Players[i].Score == rep.Players[i-1].Score {
			rep.Players[i].Rank = rep.Players[i-1].Rank
		}
	}
	tq := translatedQuiz(v.module.Module, lang)
	for i, qid := range g.Questions {
		seq := i + 1
		q := s.question(v, seq)
		if q == nil {
			continue
		}
		t := &view{current: map[int64]store.LiveAnswer{}}
		for _, a := range bySeq[seq] {
			t.current[a.PlayerID] = a
		}
		t.tally(q)
		rep.Questions = append(rep.Questions, ReportQuestion{ID: qid, Seq: seq, Type: q.Type, Prompt: tq[qid].Prompt,
			Answered: t.answered, CorrectCount: t.correctCount, Distribution: t.distribution})
	}
	return rep, nil
}

// ReportCSV is the report as CSV, with the class CSV's rules: a UTF-8
// byte-order mark (so Excel shows Thai), and every player-chosen text
// neutralised against spreadsheet formulas. One row per player, a points
// column per question.
func (s *Service) ReportCSV(ctx context.Context, u model.User, id int64, lang string) ([]byte, error) {
	rep, err := s.Report(ctx, u, id, lang)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	head := []string{"rank", "nickname", "team", "score", "correct", "answered"}
	for _, q := range rep.Questions {
		head = append(head, q.ID)
	}
	w.Write(head)
	for _, p := range rep.Players {
		if p.Removed {
			continue
		}
		row := []string{strconv.Itoa(p.Rank), model.SafeCSVCell(p.Nickname), p.Team, strconv.Itoa(p.Score),
			strconv.Itoa(p.Correct), strconv.Itoa(p.Answered)}
		for _, q := range rep.Questions {
			cell := ""
			if a, ok := p.Answers[q.ID]; ok {
				cell = strconv.Itoa(a.Points)
			}
			row = append(row, cell)
		}
		w.Write(row)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("write csv: %w", err)
	}
	return buf.Bytes(), nil
}

func translatedQuiz(m model.Module, lang string) map[string]model.Question {
	out := map[string]model.Question{}
	if m.Quiz == nil {
		return out
	}
	for _, q := range learning.TranslatedQuiz(m, lang).Questions {
		out[q.ID] = q
	}
	return out
}

// recordAttempts turns a finished game's answers into quiz attempts for
// its signed-in players, graded over the questions the game asked, so they
// count in the players' progress and in their class's analytics. The key
// is the game's and player's, so it is stored once however often it runs.
func (s *Service) recordAttempts(ctx context.Context, id int64) {
	g, err := s.store.LiveGame(ctx, id)
	if err != nil {
		s.opt.Log.Error("live attempts: read game", "game", id, "err", err)
		return
	}
	players, err := s.store.LivePlayers(ctx, id)
	if err != nil {
		s.opt.Log.Error("live attempts: read players", "game", id, "err", err)
		return
	}
	answers, err := s.store.LiveAnswers(ctx, id, 0)
	if err != nil {
		s.opt.Log.Error("live attempts: read answers", "game", id, "err", err)
		return
	}
	byPlayer := map[int64]map[string]json.RawMessage{}
	for _, a := range answers {
		if byPlayer[a.PlayerID] == nil {
			byPlayer[a.PlayerID] = map[string]json.RawMessage{}
		}
		byPlayer[a.PlayerID][a.QuestionID] = json.RawMessage(a.Answer)
	}
	for _, p := range players {
		if p.UserID == nil || p.Removed || len(byPlayer[p.ID]) == 0 {
			continue
		}
		u, err := s.store.UserByID(ctx, *p.UserID)
		if err != nil {
			continue // erased since
		}
		key := fmt.Sprintf("live-%d-%d", g.ID, p.ID)
		_, _, err = s.learn.SubmitPart(ctx, u, g.ModuleSlug, key, p.Lang, model.AttemptRequest{Answers: byPlayer[p.ID]}, g.Questions)
		if err != nil {
			s.opt.Log.Error("live attempts: submit", "game", id, "player", p.ID, "err", err)
		}
	}
}
