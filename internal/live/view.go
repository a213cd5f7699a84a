package live

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/readi-platform/readi/internal/learning"
	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// GameInfo is what a player is told about the game itself.
type GameInfo struct {
	ID            int64  `json:"id"`
	PIN           string `json:"pin"`
	State         string `json:"state"`
	Module        string `json:"module"`
	ModuleTitle   string `json:"module_title"`
	QuestionCount int    `json:"question_count"`
	TimeLimitS    int    `json:"time_limit_s"`
	Teams         bool   `json:"teams"`
}

// PlayerRef names a player.
type PlayerRef struct {
	ID       int64  `json:"id"`
	Nickname string `json:"nickname"`
	Team     string `json:"team"`
	Lang     string `json:"lang,omitempty"`
}

// Leader is a place on the leaderboard.
type Leader struct {
	PlayerID int64  `json:"player_id"`
	Nickname string `json:"nickname"`
	Team     string `json:"team"`
	Score    int    `json:"score"`
	Rank     int    `json:"rank"`
}

// TeamScore is a team's total.
type TeamScore struct {
	Team    string `json:"team"`
	Score   int    `json:"score"`
	Players int    `json:"players"`
}

// Choice is one bar of a question's answer distribution.
type Choice struct {
	Choice  string `json:"choice"`
	Count   int    `json:"count"`
	Correct bool   `json:"correct"`
}

// Reveal is a question's answer key, explanation and distribution, shown
// once the host reveals it.
type Reveal struct {
	QuestionID   string          `json:"question_id"`
	Correct      json.RawMessage `json:"correct"`
	Explanation  string          `json:"explanation"`
	Distribution []Choice        `json:"distribution"`
	Answered     int             `json:"answered"`
	CorrectCount int             `json:"correct_count"`
}

// ReviewItem is a question a player missed, with the lesson to reread.
type ReviewItem struct {
	QuestionID  string `json:"question_id"`
	Prompt      string `json:"prompt"`
	Module      string `json:"module"`
	Lesson      string `json:"lesson,omitempty"`
	LessonTitle string `json:"lesson_title,omitempty"`
}

// Excluded is a question of the module a live game cannot ask.
type Excluded struct {
	ID   string             `json:"id"`
	Type model.QuestionType `json:"type"`
}

// PlayerState is a player's whole view of the game: what GET state returns
// and every event of the player's stream carries, so a reconnect is a
// full resync and the phone never has to reconcile partial updates.
type PlayerState struct {
	Game        GameInfo        `json:"game"`
	Me          PlayerRef       `json:"me"`
	Phase       string          `json:"phase"`
	Paused      bool            `json:"paused"`
	Seq         int             `json:"seq"`
	Question    json.RawMessage `json:"question"`
	RemainingMS *int64          `json:"remaining_ms"`
	TimeLimitMS int64           `json:"time_limit_ms"`
	CanAnswer   bool            `json:"can_answer"`
	Answered    bool            `json:"answered"`
	MyAnswer    json.RawMessage `json:"my_answer"`
	Score       int             `json:"score"`
	Streak      int             `json:"streak"`
	Rank        int             `json:"rank"`
	Players     int             `json:"players"`
	Correct     *bool           `json:"correct"`
	Points      *int            `json:"points"`
	Reveal      json.RawMessage `json:"reveal"`
	Leaderboard []Leader        `json:"leaderboard"`
	Review      []ReviewItem    `json:"review"`
}

// HostGame is the host's view of a game.
type HostGame struct {
	ID            int64           `json:"id"`
	PIN           string          `json:"pin"`
	JoinURL       string          `json:"join_url"`
	State         string          `json:"state"`
	Module        string          `json:"module"`
	ModuleTitle   string          `json:"module_title"`
	TimeLimitS    int             `json:"time_limit_s"`
	Teams         bool            `json:"teams"`
	TeamCount     int             `json:"team_count"`
	ClassID       *int64          `json:"class_id"`
	PlayerCap     int             `json:"player_cap"`
	Locked        bool            `json:"locked"`
	Paused        bool            `json:"paused"`
	QuestionCount int             `json:"question_count"`
	Seq           int             `json:"seq"`
	Question      json.RawMessage `json:"question"`
	RemainingMS   *int64          `json:"remaining_ms"`
	TimeLimitMS   int64           `json:"time_limit_ms"`
	Players       int             `json:"players"`
	Answered      int             `json:"answered"`
	RecentPlayers []PlayerRef     `json:"recent_players"`
	Reveal        json.RawMessage `json:"reveal"`
	Leaderboard   []Leader        `json:"leaderboard"`
	TeamBoard     []TeamScore     `json:"team_board"`
	Excluded      []Excluded      `json:"excluded"`
	Version       int64           `json:"version"`
	CreatedAt     time.Time       `json:"created_at"`
}

// standing is a player's place as of the last counted question.
type standing struct {
	score, rank, streak int
}

// view is an immutable picture of one game at one version, built once per
// change on each replica and shared by every request and stream: the
// standings, the reveal and the per-language question texts are computed
// here, not per player.
type view struct {
	game   store.LiveGame
	module store.StoredModule
	// players counts the players in the game. Joins are no control event,
	// so it is the feed's counter, moved by every join here and by every
	// read of the game row, not a number frozen in the view.
	players *atomic.Int64
	removed map[int64]bool
	// counted is the last question whose points count in the standings:
	// the open question's do not until it is revealed, so a phone's score
	// never gives the answer away.
	counted     int
	standings   map[int64]standing
	leaderboard []Leader
	teamBoard   []TeamScore
	// current holds the answers to the current question once revealed.
	current      map[int64]store.LiveAnswer
	distribution []Choice
	answered     int
	correctCount int
	// missed lists, once the game is over, the questions each player got
	// wrong or left unanswered.
	missed map[int64][]int
	langs  sync.Map // lang → *langView
}

// langView is the parts of a view that depend on the reader's language.
type langView struct {
	title    string
	question json.RawMessage // the current question without its key
	reveal   json.RawMessage
	review   map[int]ReviewItem // by question number
}

// buildView reads what a game's state needs from the database.
func (s *Service) buildView(ctx context.Context, g store.LiveGame, players *atomic.Int64) (*view, error) {
	v := &view{game: g, removed: map[int64]bool{}, standings: map[int64]standing{}, players: players}
	v.module, _ = s.learn.Published(ctx, g.ModuleSlug)
	removed, err := s.store.RemovedLivePlayers(ctx, g.ID)
	if err != nil {
		return nil, err
	}
	for _, id := range removed {
		v.removed[id] = true
	}
	v.counted = g.Seq
	if g.State == model.LiveQuestion || g.State == model.LiveLobby {
		v.counted = g.Seq - 1
	}
	scores, err := s.store.LiveScores(ctx, g.ID, max(v.counted, 0))
	if err != nil {
		return nil, err
	}
	var last map[int64]store.LiveAnswer
	if v.counted > 0 {
		as, err := s.store.LiveAnswers(ctx, g.ID, v.counted)
		if err != nil {
			return nil, err
		}
		last = make(map[int64]store.LiveAnswer, len(as))
		for _, a := range as {
			if !v.removed[a.PlayerID] {
				last[a.PlayerID] = a
			}
		}
	}
	v.rank(scores, last)
	if (g.State == model.LiveReveal || g.State == model.LiveEnded) && g.Seq > 0 && v.counted == g.Seq {
		v.current = last
		v.tally(s.question(v, g.Seq))
	}
	if g.State == model.LiveEnded {
		all, err := s.store.LiveAnswers(ctx, g.ID, 0)
		if err != nil {
			return nil, err
		}
		v.missed = missedQuestions(scores, all, g.Seq)
	}
	return v, nil
}

// rank orders the players by score; equal scores share a rank.
func (v *view) rank(scores []store.LiveScore, last map[int64]store.LiveAnswer) {
	sort.Slice(scores, func(i, j int) bool {
		if scores[i].Score != scores[j].Score {
			return scores[i].Score > scores[j].Score
		}
		return scores[i].PlayerID < scores[j].PlayerID
	})
	teams := map[string]*TeamScore{}
	for i, sc := range scores {
		r := i + 1
		if i > 0 && sc.Score == scores[i-1].Score {
			r = v.standings[scores[i-1].PlayerID].rank
		}
		st := standing{score: sc.Score, rank: r}
		if a, ok := last[sc.PlayerID]; ok && a.Correct {
			st.streak = a.Streak
		}
		v.standings[sc.PlayerID] = st
		if i < 10 {
			v.leaderboard = append(v.leaderboard, Leader{PlayerID: sc.PlayerID, Nickname: sc.Nickname, Team: sc.Team, Score: sc.Score, Rank: r})
		}
		if sc.Team != "" {
			t := teams[sc.Team]
			if t == nil {
				t = &TeamScore{Team: sc.Team}
				teams[sc.Team] = t
			}
			t.Score += sc.Score
			t.Players++
		}
	}
	for _, t := range teams {
		v.teamBoard = append(v.teamBoard, *t)
	}
	sort.Slice(v.teamBoard, func(i, j int) bool {
		if v.teamBoard[i].Score != v.teamBoard[j].Score {
			return v.teamBoard[i].Score > v.teamBoard[j].Score
		}
		return v.teamBoard[i].Team < v.teamBoard[j].Team
	})
}

// tally counts the revealed question's answers by choice.
func (v *view) tally(q *model.Question) {
	if q == nil {
		return
	}
	counts := map[string]int{}
	for _, a := range v.current {
		v.answered++
		if a.Correct {
			v.correctCount++
		}
		for _, c := range choicesOf(q, a) {
			counts[c]++
		}
	}
	for _, c := range choiceList(q) {
		v.distribution = append(v.distribution, Choice{Choice: c.id, Count: counts[c.id], Correct: c.correct})
	}
}

type choiceDef struct {
	id      string
	correct bool
}

// choiceList is what a question's distribution counts, in display order.
func choiceList(q *model.Question) []choiceDef {
	var out []choiceDef
	switch q.Type {
	case model.Single, model.Multiple:
		for _, o := range q.Options {
			out = append(out, choiceDef{o.ID, o.Correct})
		}
	case model.TrueFalse:
		yes := q.Answer != nil && *q.Answer
		out = []choiceDef{{"true", yes}, {"false", !yes}}
	case model.RedFlags:
		if q.Message != nil {
			for _, s := range q.Message.Segments {
				out = append(out, choiceDef{s.ID, s.Flag})
			}
		}
	case model.Ordering:
		out = []choiceDef{{"right", true}, {"wrong", false}}
	}
	return out
}

// choicesOf is which distribution bars one stored answer counts in.
func choicesOf(q *model.Question, a store.LiveAnswer) []string {
	switch q.Type {
	case model.Single:
		var id string
		if json.Unmarshal([]byte(a.Answer), &id) == nil {
			return []string{id}
		}
	case model.Multiple, model.RedFlags:
		var ids []string
		if json.Unmarshal([]byte(a.Answer), &ids) == nil {
			return ids
		}
	case model.TrueFalse:
		var b bool
		if json.Unmarshal([]byte(a.Answer), &b) == nil {
			if b {
				return []string{"true"}
			}
			return []string{"false"}
		}
	case model.Ordering:
		if a.Correct {
			return []string{"right"}
		}
		return []string{"wrong"}
	}
	return nil
}

// answerKey is a question's right answer in the shape players answer in.
func answerKey(q *model.Question) json.RawMessage {
	var key any
	switch q.Type {
	case model.Single:
		for _, o := range q.Options {
			if o.Correct {
				key = o.ID
			}
		}
	case model.Multiple:
		ids := []string{}
		for _, o := range q.Options {
			if o.Correct {
				ids = append(ids, o.ID)
			}
		}
		key = ids
	case model.TrueFalse:
		key = q.Answer != nil && *q.Answer
	case model.Ordering:
		ids := []string{}
		for _, it := range q.Items {
			ids = append(ids, it.ID)
		}
		key = ids
	case model.RedFlags:
		ids := []string{}
		if q.Message != nil {
			for _, s := range q.Message.Segments {
				if s.Flag {
					ids = append(ids, s.ID)
				}
			}
		}
		key = ids
	}
	b, _ := json.Marshal(key)
	return b
}

// missedQuestions lists, per player still in the game, the questions they
// got wrong or did not answer, among those the game reached.
func missedQuestions(scores []store.LiveScore, all []store.LiveAnswer, n int) map[int64][]int {
	right := map[int64]map[int]bool{}
	for _, a := range all {
		if a.Correct {
			if right[a.PlayerID] == nil {
				right[a.PlayerID] = map[int]bool{}
			}
			right[a.PlayerID][a.Seq] = true
		}
	}
	out := make(map[int64][]int, len(scores))
	for _, sc := range scores {
		var miss []int
		for seq := 1; seq <= n; seq++ {
			if !right[sc.PlayerID][seq] {
				miss = append(miss, seq)
			}
		}
		out[sc.PlayerID] = miss
	}
	return out
}

// question is the game's question number seq with its key, in English
// (grading looks at ids only).
func (s *Service) question(v *view, seq int) *model.Question {
	if seq < 1 || seq > len(v.game.Questions) || v.module.Module.Quiz == nil {
		return nil
	}
	id := v.game.Questions[seq-1]
	for i := range v.module.Module.Quiz.Questions {
		if q := &v.module.Module.Quiz.Questions[i]; q.ID == id {
			return q
		}
	}
	return nil
}

// lang returns the language-dependent parts of v, built on first use.
func (s *Service) lang(ctx context.Context, v *view, lang string) *langView {
	if lv, ok := v.langs.Load(lang); ok {
		return lv.(*langView)
	}
	lv := &langView{title: v.game.ModuleSlug}
	m := v.module.Module
	if v.module.ID != 0 {
		lv.title = learning.Title(m, lang)
		if v.game.Seq > 0 && (v.game.State == model.LiveQuestion || v.game.State == model.LiveReveal) {
			if pq, err := s.learn.Quiz(ctx, m.Slug, lang); err == nil {
				for _, q := range pq.Questions {
					if q.ID == v.game.Questions[v.game.Seq-1] {
						lv.question, _ = json.Marshal(q)
					}
				}
			}
		}
		if v.current != nil {
			if q := s.question(v, v.game.Seq); q != nil {
				tq := translatedQuestion(m, lang, q.ID)
				lv.reveal, _ = json.Marshal(Reveal{QuestionID: q.ID, Correct: answerKey(q), Explanation: tq.Explanation,
					Distribution: v.distribution, Answered: v.answered, CorrectCount: v.correctCount})
			}
		}
		if v.missed != nil {
			lv.review = reviewItems(m, lang, v.game.Questions)
		}
	}
	actual, _ := v.langs.LoadOrStore(lang, lv)
	return actual.(*langView)
}

func translatedQuestion(m model.Module, lang, id string) model.Question {
	tq := learning.TranslatedQuiz(m, lang)
	for _, q := range tq.Questions {
		if q.ID == id {
			return q
		}
	}
	return model.Question{}
}

// reviewItems pairs each question of the game with the lesson that
// teaches it: the lesson whose text shares the most words with the
// question's prompt and explanation (in English, the authored language),
// then the one sharing most READI values, then the first.
func reviewItems(m model.Module, lang string, ids []string) map[int]ReviewItem {
	tq := learning.TranslatedQuiz(m, lang)
	tl := learning.TranslatedLessons(m, lang)
	lessonWords := make([]map[string]bool, len(m.Lessons))
	for i, l := range m.Lessons {
		body := l.Markdown
		if body == "" {
			body = l.HTML
		}
		lessonWords[i] = words(l.Title + " " + body)
	}
	base := map[string]model.Question{}
	if m.Quiz != nil {
		for _, q := range m.Quiz.Questions {
			base[q.ID] = q
		}
	}
	out := map[int]ReviewItem{}
	for i, id := range ids {
		for _, q := range tq.Questions {
			if q.ID != id {
				continue
			}
			it := ReviewItem{QuestionID: id, Prompt: q.Prompt, Module: m.Slug}
			qw := words(base[id].Prompt + " " + base[id].Explanation)
			best, bestValues := -1, -1
			for li, l := range m.Lessons {
				shared, values := 0, 0
				for w := range qw {
					if lessonWords[li][w] {
						shared++
					}
				}
				for _, r := range q.Readi {
					if slices.Contains(l.Readi, r) {
						values++
					}
				}
				if shared > best || (shared == best && values > bestValues) {
					best, bestValues, it.Lesson, it.LessonTitle = shared, values, l.Slug, tl[li].Title
				}
			}
			out[i+1] = it
		}
	}
	return out
}

// words is the set of a text's words of four letters or more, lower-cased:
// enough to tell which lesson a question is about.
func words(text string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if utf8.RuneCountInString(w) >= 4 {
			out[w] = true
		}
	}
	return out
}

// remaining is the time left on the open question, frozen while paused.
func remaining(g store.LiveGame, now int64) *int64 {
	if g.State != model.LiveQuestion {
		return nil
	}
	if g.PausedMS != nil {
		r := *g.PausedMS
		return &r
	}
	if g.DeadlineMS == nil {
		return nil
	}
	r := max(*g.DeadlineMS-now, 0)
	return &r
}

// playerState is p's view of v. mine is p's answer to the open question
// (nil if none).
func (s *Service) playerState(ctx context.Context, v *view, p store.LivePlayer, mine *store.LiveAnswer) PlayerState {
	g := v.game
	lv := s.lang(ctx, v, p.Lang)
	st := v.standings[p.ID]
	ps := PlayerState{
		Game: GameInfo{ID: g.ID, PIN: g.PIN, State: g.State, Module: g.ModuleSlug, ModuleTitle: lv.title,
			QuestionCount: len(g.Questions), TimeLimitS: g.TimeLimitS, Teams: g.TeamCount > 0},
		Me:    PlayerRef{ID: p.ID, Nickname: p.Nickname, Team: p.Team, Lang: p.Lang},
		Phase: g.State, Paused: g.PausedMS != nil, Seq: g.Seq, Question: lv.question,
		RemainingMS: remaining(g, nowMS()), TimeLimitMS: int64(g.TimeLimitS) * 1000,
		Score: st.score, Streak: st.streak, Rank: st.rank, Players: int(v.players.Load()),
		Leaderboard: []Leader{},
	}
	if g.State == model.LiveReveal || g.State == model.LiveEnded {
		ps.Leaderboard = v.leaderboard
		if v.current != nil {
			ps.Reveal = lv.reveal
			if a, ok := v.current[p.ID]; ok {
				mine = &a
				ps.Correct, ps.Points = &a.Correct, &a.Points
			}
		}
	}
	if mine != nil && mine.Seq == g.Seq {
		ps.Answered, ps.MyAnswer = true, json.RawMessage(mine.Answer)
	}
	ps.CanAnswer = g.State == model.LiveQuestion && !ps.Answered && p.FirstSeq <= g.Seq && !v.removed[p.ID] &&
		(ps.RemainingMS == nil || *ps.RemainingMS > 0 || ps.Paused)
	if g.State == model.LiveEnded {
		ps.Review = []ReviewItem{}
		for _, seq := range v.missed[p.ID] {
			if it, ok := lv.review[seq]; ok {
				ps.Review = append(ps.Review, it)
			}
		}
	}
	return ps
}

// excluded lists the module's questions a live game cannot ask.
func excluded(m model.Module) []Excluded {
	out := []Excluded{}
	if m.Quiz != nil {
		for _, q := range m.Quiz.Questions {
			if !model.LivePlayable(q.Type) {
				out = append(out, Excluded{q.ID, q.Type})
			}
		}
	}
	return out
}

// summary is the host's view of v without what needs more reading: the
// question, the counts, the players, the reveal.
func (s *Service) summary(ctx context.Context, v *view, lang string) HostGame {
	g := v.game
	return HostGame{ID: g.ID, PIN: g.PIN, JoinURL: "/live?pin=" + g.PIN, State: g.State, Module: g.ModuleSlug,
		ModuleTitle: s.lang(ctx, v, lang).title, TimeLimitS: g.TimeLimitS, Teams: g.TeamCount > 0,
		TeamCount: g.TeamCount, ClassID: g.ClassID, PlayerCap: g.PlayerCap, Locked: g.Locked,
		Paused: g.PausedMS != nil, QuestionCount: len(g.Questions), Seq: g.Seq,
		TimeLimitMS: int64(g.TimeLimitS) * 1000, RecentPlayers: []PlayerRef{}, Leaderboard: []Leader{},
		TeamBoard: []TeamScore{}, Excluded: excluded(v.module.Module), Version: g.Version, CreatedAt: g.CreatedAt}
}

// hostView is the host's view of v, with the live counts read now.
func (s *Service) hostView(ctx context.Context, v *view, lang string) (HostGame, error) {
	g := v.game
	lv := s.lang(ctx, v, lang)
	h := s.summary(ctx, v, lang)
	h.Question, h.RemainingMS = lv.question, remaining(g, nowMS())
	players, answered, err := s.store.LiveCounts(ctx, g.ID, g.Seq)
	if err != nil {
		return h, err
	}
	h.Players, h.Answered = players, answered
	if g.State == model.LiveLobby {
		recent, err := s.store.RecentLivePlayers(ctx, g.ID, 100)
		if err != nil {
			return h, err
		}
		for _, p := range recent {
			h.RecentPlayers = append(h.RecentPlayers, PlayerRef{ID: p.ID, Nickname: p.Nickname, Team: p.Team})
		}
	}
	if g.State == model.LiveReveal || g.State == model.LiveEnded {
		h.Reveal, h.Leaderboard = lv.reveal, v.leaderboard
		if v.teamBoard != nil {
			h.TeamBoard = v.teamBoard
		}
	}
	return h, nil
}
