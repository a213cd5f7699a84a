package store

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/readi-platform/readi/internal/model"
)

// Graded results repeat the authors' words: every attempt at a quiz carries
// the same option feedback and explanations, nine tenths of a result's
// bytes. Stored inline they made each attempt row several SQLite pages, and
// writing them (the insert, the WAL commit, the checkpoint) most of the
// cost of a submission. So an attempt stores per question only its answer,
// scores and a reference to its detail (the feedback and the explanation),
// all in one small JSON column (AttemptAnswer), and result_texts holds each
// distinct detail once, keyed by a hash of its content. A learner's answer
// to a question has few possible details, so they repeat across attempts
// and learners. A reference names the same words forever: editing or
// deleting a question later never changes a past review, details are never
// updated or deleted, and a cache of them is never stale, on any replica.
//
// Rows written before migration 7 kept the scores and references in a
// second column, results (storedResult); they are still read from there.

// textRef is the reference for a detail: 96 bits of its SHA-256.
func textRef(body []byte) string {
	sum := sha256.Sum256(body)
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

// storedResult is one question of an attempt row written before
// migration 7: the scores, and the reference of the detail in result_texts.
type storedResult struct {
	QuestionID string  `json:"q"`
	Correct    bool    `json:"c,omitempty"`
	Points     float64 `json:"p"`
	MaxPoints  float64 `json:"m"`
	Answered   bool    `json:"a,omitempty"`
	Detail     string  `json:"d"`
}

// resultDetail is the body of a result_texts row.
type resultDetail struct {
	Feedback    []model.Feedback `json:"feedback"`
	Explanation string           `json:"explanation"`
}

// ResultDetail is a graded question's detail as result_texts keeps it: the
// encoded body and its reference.
type ResultDetail struct {
	Ref  string
	Body string
}

// DetailOf encodes a result's detail. Callers that grade the same answers
// often keep it (see learning's outcomes) rather than encode it again.
func DetailOf(r model.QuestionResult) (ResultDetail, error) {
	body, err := json.Marshal(resultDetail{Feedback: r.Feedback, Explanation: r.Explanation})
	if err != nil {
		return ResultDetail{}, err
	}
	return ResultDetail{Ref: textRef(body), Body: string(body)}, nil
}

// resultTexts caches the details known to be in result_texts, by
// reference. It only grows with committed rows, so a hit means the row
// exists with that body. It holds details graded from published content,
// so it stays as small as the curriculum's possible answers.
type resultTexts struct {
	bodies sync.Map // ref → body
}

// compactAnswers encodes answers for an attempt row, each with the
// reference of its result's detail (computed here when details is nil),
// and returns the details that are not known to be stored yet, by
// reference, for the writer to insert in the attempt's own transaction.
// results may be nil (no details); otherwise it has one result per answer,
// in the same order.
func (c *resultTexts) compactAnswers(answers []AttemptAnswer, results []model.QuestionResult, details []ResultDetail) (string, map[string]string, error) {
	if results != nil && len(results) != len(answers) {
		return "", nil, fmt.Errorf("%d results for %d answers", len(results), len(answers))
	}
	if details != nil && len(details) != len(results) {
		return "", nil, fmt.Errorf("%d details for %d results", len(details), len(results))
	}
	out := make([]AttemptAnswer, len(answers))
	var fresh map[string]string
	for i, x := range answers {
		if results != nil {
			r := results[i]
			if r.QuestionID != x.QuestionID {
				return "", nil, fmt.Errorf("answer %d is to %q, its result to %q", i, x.QuestionID, r.QuestionID)
			}
			var d ResultDetail
			if details != nil {
				d = details[i]
			} else {
				var err error
				if d, err = DetailOf(r); err != nil {
					return "", nil, err
				}
			}
			x.Detail = d.Ref
			if _, ok := c.bodies.Load(d.Ref); !ok {
				if fresh == nil {
					fresh = map[string]string{}
				}
				fresh[d.Ref] = d.Body
			}
		}
		out[i] = x
	}
	b, err := json.Marshal(out)
	return string(b), fresh, err
}

// remember records committed details.
func (c *resultTexts) remember(bodies map[string]string) {
	for ref, body := range bodies {
		c.bodies.Store(ref, body)
	}
}

// AttemptResults returns an attempt's results with every text in place,
// as they were graded.
func (s *Store) AttemptResults(ctx context.Context, a Attempt) ([]model.QuestionResult, error) {
	out, refs, err := attemptScores(a)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, ref := range refs {
		if _, ok := s.texts.bodies.Load(ref); !ok && ref != "" {
			missing = append(missing, ref)
		}
	}
	if len(missing) > 0 {
		var rows []struct{ Ref, Body string }
		if err := s.read(ctx).Table("result_texts").Where("ref IN ?", missing).Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, row := range rows {
			s.texts.bodies.Store(row.Ref, row.Body)
		}
	}
	for i, ref := range refs {
		if ref == "" {
			continue // saved without results: scores only
		}
		body, ok := s.texts.bodies.Load(ref)
		if !ok {
			return nil, fmt.Errorf("attempt %d: result detail %q is missing", a.ID, ref)
		}
		var d resultDetail
		if err := json.Unmarshal([]byte(body.(string)), &d); err != nil {
			return nil, fmt.Errorf("attempt %d: result detail %s: %w", a.ID, ref, err)
		}
		out[i].Feedback, out[i].Explanation = d.Feedback, d.Explanation
	}
	return out, nil
}

// AttemptScores returns an attempt's per-question scores for progress,
// which needs no words: feedback and explanations are left empty, so no
// lookup is made. A row that cannot be read yields no scores.
func AttemptScores(a Attempt) []model.QuestionResult {
	out, _, _ := attemptScores(a)
	return out
}

// attemptScores reads an attempt row's per-question scores and the
// references of their details, from either layout.
func attemptScores(a Attempt) ([]model.QuestionResult, []string, error) {
	if a.Results != "" {
		var stored []storedResult
		if err := json.Unmarshal([]byte(a.Results), &stored); err != nil {
			return nil, nil, fmt.Errorf("attempt %d: results: %w", a.ID, err)
		}
		out, refs := make([]model.QuestionResult, len(stored)), make([]string, len(stored))
		for i, r := range stored {
			out[i] = model.QuestionResult{QuestionID: r.QuestionID, Correct: r.Correct, Points: r.Points, MaxPoints: r.MaxPoints, Answered: r.Answered}
			refs[i] = r.Detail
		}
		return out, refs, nil
	}
	var answers []AttemptAnswer
	if err := json.Unmarshal([]byte(a.Answers), &answers); err != nil {
		return nil, nil, fmt.Errorf("attempt %d: answers: %w", a.ID, err)
	}
	out, refs := make([]model.QuestionResult, len(answers)), make([]string, len(answers))
	for i, x := range answers {
		out[i] = model.QuestionResult{QuestionID: x.QuestionID, Correct: x.Correct, Points: x.Points, MaxPoints: x.MaxPoints, Answered: x.Answer != ""}
		refs[i] = x.Detail
	}
	return out, refs, nil
}
