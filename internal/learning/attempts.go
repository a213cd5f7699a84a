package learning

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/readi-platform/readi/internal/grading"
	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/progress"
	"github.com/readi-platform/readi/internal/store"
)

// AttemptResult is the reply to a quiz submission.
type AttemptResult struct {
	AttemptSummary
	Results []model.QuestionResult `json:"results"`
	// outcomes are the remembered outcomes of Results, one each, when a
	// fresh attempt had them all; Reply reuses their encodings.
	outcomes []*outcome
}

// AttemptSummary is an attempt's score without the per-question results.
type AttemptSummary struct {
	AttemptID int64     `json:"attempt_id"`
	QuizID    string    `json:"quiz_id"`
	Score     float64   `json:"score"`
	MaxScore  float64   `json:"max_score"`
	Percent   float64   `json:"percent"`
	Passed    bool      `json:"passed"`
	CreatedAt time.Time `json:"created_at"`
}

// Reply encodes r as the API's {"data": ...} reply body with encode, the
// API's JSON encoder. The results are nine tenths of it, so when every
// result is a remembered outcome its encoding is reused, not redone.
func (r AttemptResult) Reply(encode func(any) ([]byte, error)) ([]byte, error) {
	if r.outcomes == nil || len(r.outcomes) != len(r.Results) {
		return encode(struct {
			Data AttemptResult `json:"data"`
		}{r})
	}
	head, err := encode(r.AttemptSummary)
	if err != nil {
		return nil, err
	}
	if len(head) < 2 || head[len(head)-1] != '}' {
		return nil, fmt.Errorf("attempt reply: %q does not encode as an object", head)
	}
	body := make([]byte, 0, len(head)+len(r.outcomes)*800)
	body = append(body, `{"data":`...)
	body = append(body, head[:len(head)-1]...)
	body = append(body, `,"results":[`...)
	for i, oc := range r.outcomes {
		b, err := oc.encoded(encode)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			body = append(body, ',')
		}
		body = append(body, b...)
	}
	return append(body, "]}}"...), nil
}

// Errors of a submission the API answers with 4xx.
var (
	ErrIdempotencyKey      = &model.ValidationError{Fields: map[string]string{"Idempotency-Key": "idempotency_key.invalid"}}
	ErrIdempotencyMismatch = store.ErrIdempotencyMismatch
)

// ValidIdempotencyKey accepts 8 to 128 printable ASCII characters, enough
// for a UUID or any client's own scheme.
func ValidIdempotencyKey(k string) bool {
	if len(k) < 8 || len(k) > 128 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// Submit grades an attempt on the server and stores it exactly once per
// idempotency key. A retry with the same key and body returns the stored
// attempt (replayed = true); with another body it is ErrIdempotencyMismatch.
func (s *Service) Submit(ctx context.Context, u model.User, quizID, key, lang string, req model.AttemptRequest) (AttemptResult, bool, error) {
	return s.submit(ctx, u, quizID, key, lang, req, nil)
}

// SubmitPart is Submit graded over the listed questions of the quiz only
// (a live game that asked some of them), so the questions it did not ask
// do not count as wrong.
func (s *Service) SubmitPart(ctx context.Context, u model.User, quizID, key, lang string, req model.AttemptRequest, only []string) (AttemptResult, bool, error) {
	return s.submit(ctx, u, quizID, key, lang, req, only)
}

func (s *Service) submit(ctx context.Context, u model.User, quizID, key, lang string, req model.AttemptRequest, only []string) (AttemptResult, bool, error) {
	if !ValidIdempotencyKey(key) {
		return AttemptResult{}, false, ErrIdempotencyKey
	}
	e, err := s.lookup(ctx, quizID)
	if err != nil || e.Module.Quiz == nil || len(e.Module.Quiz.Questions) == 0 {
		return AttemptResult{}, false, ErrNotFound
	}
	if req.Answers == nil {
		return AttemptResult{}, false, &model.ValidationError{Fields: map[string]string{"answers": "field.required"}}
	}
	// Grading comes first and a retry is recognised when it is stored (one
	// round trip fewer on the hot path). A retry whose answers no longer
	// grade, because the quiz changed since, still gets its stored attempt.
	quiz := e.quizzes[e.pickLang(lang)]
	var memo grading.Memo = e.outcomes
	if only != nil {
		// A part of the quiz is a quiz of its own: its questions are copies,
		// so the module's outcomes (keyed by question) are not consulted.
		quiz, memo = partOf(quiz, only), nil
	}
	grade, err := grading.GradeMemo(quiz, req.Answers, memo)
	if err != nil {
		if prev, lookupErr := s.store.AttemptByKey(ctx, u.ID, key); lookupErr == nil && prev.RequestHash == requestHash(req) {
			res, err := s.resultOf(ctx, prev, quizID)
			return res, err == nil, err
		}
		return AttemptResult{}, false, err
	}
	a := store.Attempt{UserID: u.ID, ModuleID: e.ID, IdempotencyKey: key, RequestHash: requestHash(req),
		Score: grade.Score, MaxScore: grade.MaxScore, Percent: grade.Percent, Passed: grade.Passed}
	answers := make([]store.AttemptAnswer, len(grade.Results))
	for i, r := range grade.Results {
		answers[i] = store.AttemptAnswer{QuestionID: r.QuestionID, QuestionVersion: e.QuestionVersions[r.QuestionID],
			Points: r.Points, MaxPoints: r.MaxPoints, Correct: r.Correct}
		if r.Answered {
			answers[i].Answer = compact(req.Answers[r.QuestionID])
		}
	}
	var outs []*outcome
	if memo != nil {
		outs = e.outcomes.lookup(quiz, req.Answers)
	}
	var details []store.ResultDetail
	if outs != nil {
		details = make([]store.ResultDetail, len(outs))
		for i, oc := range outs {
			details[i] = oc.detail
		}
	}
	saved, replayed, err := s.store.SaveAttempt(ctx, &a, grade.Results, details, answers)
	if err != nil {
		return AttemptResult{}, false, err
	}
	if replayed { // a concurrent retry won the race: answer with its attempt
		res, err := s.resultOf(ctx, saved, quizID)
		return res, err == nil, err
	}
	return AttemptResult{AttemptSummary: AttemptSummary{AttemptID: saved.ID, QuizID: quizID, Score: grade.Score, MaxScore: grade.MaxScore,
		Percent: grade.Percent, Passed: grade.Passed, CreatedAt: saved.CreatedAt}, Results: grade.Results, outcomes: outs}, false, nil
}

// resultOf is the reply for a stored attempt, texts and all.
func (s *Service) resultOf(ctx context.Context, a store.Attempt, quizID string) (AttemptResult, error) {
	results, err := s.store.AttemptResults(ctx, a)
	return AttemptResult{AttemptSummary: AttemptSummary{AttemptID: a.ID, QuizID: quizID, Score: a.Score, MaxScore: a.MaxScore,
		Percent: a.Percent, Passed: a.Passed, CreatedAt: a.CreatedAt}, Results: results}, err
}

// requestHash fingerprints the answers, ignoring whitespace and key order:
// the SHA-256 of the answers as json.Marshal encodes a map of compacted
// values (keys sorted, HTML characters escaped), which stored attempts
// carry. It writes those bytes itself: marshalling the map cost a
// submission more than grading it (cmd/readi-load -cpuprofile).
func requestHash(req model.AttemptRequest) string {
	keys := make([]string, 0, len(req.Answers))
	for k := range req.Answers {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var buf, value bytes.Buffer
	buf.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		key, _ := json.Marshal(k) // a string always encodes
		buf.Write(key)
		buf.WriteByte(':')
		value.Reset()
		if err := json.Compact(&value, req.Answers[k]); err != nil {
			// Never valid JSON after decoding; json.Marshal would have
			// failed, and the fingerprint was of nothing.
			return emptyHash
		}
		json.HTMLEscape(&buf, value.Bytes())
	}
	buf.WriteByte('}')
	sum := sha256.Sum256(buf.Bytes())
	return hex.EncodeToString(sum[:])
}

// emptyHash is the SHA-256 of no bytes at all, in hex.
const emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

func compact(raw json.RawMessage) string {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return string(raw)
	}
	return buf.String()
}

// CompleteLesson records that the learner read a lesson to the end.
func (s *Service) CompleteLesson(ctx context.Context, u model.User, slug, lesson string) (bool, error) {
	e, err := s.lookup(ctx, slug)
	if err != nil {
		return false, err
	}
	id, ok := e.LessonIDs[lesson]
	if !ok {
		return false, ErrNotFound
	}
	return s.store.CompleteLesson(ctx, store.Completion{UserID: u.ID, LessonID: id, ModuleID: e.ID})
}

// ProgressReport is GET /api/v1/me/progress: the report plus what to review.
type ProgressReport struct {
	progress.Report
	Review []progress.ReviewItem `json:"review"`
}

// Progress computes the learner's report from their stored history.
func (s *Service) Progress(ctx context.Context, u model.User) (ProgressReport, error) {
	in, err := s.history(ctx, u)
	if err != nil {
		return ProgressReport{}, err
	}
	return ProgressReport{Report: progress.Compute(in), Review: progress.ReviewQueue(in, 20)}, nil
}

func (s *Service) history(ctx context.Context, u model.User) (progress.Input, error) {
	snap := s.current(ctx)
	in := progress.Input{Completed: map[string]map[string]time.Time{}}
	bySlugID := map[int64]*entry{}
	lessonSlug := map[int64]string{}
	for _, e := range snap.modules {
		in.Modules = append(in.Modules, e.Module)
		bySlugID[e.ID] = e
		for slug, id := range e.LessonIDs {
			lessonSlug[id] = slug
		}
	}
	comps, err := s.store.Completions(ctx, u.ID)
	if err != nil {
		return in, err
	}
	for _, c := range comps {
		e, ok := bySlugID[c.ModuleID]
		if !ok {
			continue
		}
		if in.Completed[e.Module.Slug] == nil {
			in.Completed[e.Module.Slug] = map[string]time.Time{}
		}
		in.Completed[e.Module.Slug][lessonSlug[c.LessonID]] = c.CompletedAt
	}
	attempts, err := s.store.Attempts(ctx, u.ID)
	if err != nil {
		return in, err
	}
	for _, a := range attempts {
		e, ok := bySlugID[a.ModuleID]
		if !ok {
			continue
		}
		sum := progress.AttemptSummary{ModuleSlug: e.Module.Slug, QuizID: e.Module.Slug, Percent: a.Percent, Passed: a.Passed, At: a.CreatedAt,
			Results: store.AttemptScores(a)}
		in.Attempts = append(in.Attempts, sum)
	}
	return in, nil
}

// ModulesFor is Modules with the signed-in learner's progress on each card.
func (s *Service) ModulesFor(ctx context.Context, u model.User, f Filter) ([]ModuleSummary, error) {
	list, err := s.Modules(ctx, f)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.Progress(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	comps, err := s.store.Completions(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	snap := s.current(ctx)
	byID := map[int64]store.ModuleProgress{}
	for _, r := range rows {
		byID[r.ModuleID] = r
	}
	read := map[int64]int{}
	for _, c := range comps {
		read[c.ModuleID]++
	}
	for i := range list {
		e := snap.bySlug[list[i].Slug]
		if e == nil {
			continue
		}
		p := byID[e.ID]
		mp := &ModuleProgress{LessonsCompleted: read[e.ID], Attempts: p.Attempts, BestPercent: p.BestPercent, Passed: p.Passed, Status: string(progress.NotStarted)}
		switch {
		case p.Passed && mp.LessonsCompleted >= list[i].LessonCount:
			mp.Status = string(progress.Completed)
		case p.Attempts > 0 || mp.LessonsCompleted > 0:
			mp.Status = string(progress.InProgress)
		}
		list[i].Progress = mp
	}
	return list, nil
}

// IsAnswerError reports whether err is a learner's malformed answer.
func IsAnswerError(err error) (*grading.AnswerError, bool) {
	var ae *grading.AnswerError
	return ae, errors.As(err, &ae)
}

// partOf is quiz with only the listed questions, in the quiz's order.
func partOf(quiz model.Quiz, only []string) model.Quiz {
	part := model.Quiz{PassPercent: quiz.PassPercent}
	for _, q := range quiz.Questions {
		if slices.Contains(only, q.ID) {
			part.Questions = append(part.Questions, q)
		}
	}
	return part
}
