package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/readi-platform/readi/internal/model"
)

// Graded results repeat the authors' words: every attempt at a quiz carries
// the same option feedback and explanations, about two thirds of a typical
// result. Stored inline they made each attempt row several SQLite pages and
// most of the cost of the write path (the insert, the WAL commit, the
// checkpoint). So an attempt stores its results with each text longer than
// inlineTextMax replaced by a reference, and result_texts holds each text
// once, keyed by a hash of its content. A reference names the same words
// forever: editing or deleting a question later never changes a past
// review, texts are never updated or deleted, and a cache of them is never
// stale, on any replica.

// inlineTextMax is the longest text kept inline: a reference is 24
// characters, so shorter texts are not worth a lookup.
const inlineTextMax = 40

// textRef is the reference for a text: 96 bits of its SHA-256, in hex.
func textRef(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:12])
}

// storedResult is model.QuestionResult as an attempt row keeps it. The
// score fields share their JSON names with model.QuestionResult, so
// decoding a row into that type gives the scores without the texts.
type storedResult struct {
	QuestionID     string           `json:"question_id"`
	Correct        bool             `json:"correct"`
	Points         float64          `json:"points"`
	MaxPoints      float64          `json:"max_points"`
	Answered       bool             `json:"answered"`
	Feedback       []storedFeedback `json:"feedback"`
	Explanation    string           `json:"explanation,omitempty"`
	ExplanationRef string           `json:"explanation_ref,omitempty"`
}

type storedFeedback struct {
	ID      string         `json:"id"`
	Correct bool           `json:"correct"`
	Text    string         `json:"text,omitempty"`
	TextRef string         `json:"text_ref,omitempty"`
	Code    string         `json:"code,omitempty"`
	Params  map[string]int `json:"params,omitempty"`
}

// resultTexts caches the texts known to be in result_texts, by reference.
// It only ever grows with texts that are committed, so a hit means the row
// exists and its body is exactly this text.
//
// Both maps hold only texts graded from published content (the authors'
// feedback and explanations, the grader's own messages), so they stay as
// small as the curriculum.
type resultTexts struct {
	known sync.Map // ref → text
	refs  sync.Map // text → ref, so a known text is not hashed again
}

// compactResults encodes results for an attempt row and returns the texts
// it refers to that are not known to be stored yet; the writer inserts
// them in the attempt's own transaction.
func (c *resultTexts) compactResults(results []model.QuestionResult) (string, map[string]string, error) {
	var fresh map[string]string
	ref := func(text string) (inline, ref string) {
		if len(text) <= inlineTextMax {
			return text, ""
		}
		if r, ok := c.refs.Load(text); ok {
			return "", r.(string)
		}
		r := textRef(text)
		if _, ok := c.known.Load(r); !ok {
			if fresh == nil {
				fresh = map[string]string{}
			}
			fresh[r] = text
		}
		return "", r
	}
	out := make([]storedResult, len(results))
	for i, r := range results {
		s := storedResult{QuestionID: r.QuestionID, Correct: r.Correct, Points: r.Points, MaxPoints: r.MaxPoints,
			Answered: r.Answered, Feedback: make([]storedFeedback, len(r.Feedback))}
		s.Explanation, s.ExplanationRef = ref(r.Explanation)
		for j, f := range r.Feedback {
			sf := storedFeedback{ID: f.ID, Correct: f.Correct, Code: f.Code, Params: f.Params}
			sf.Text, sf.TextRef = ref(f.Text)
			s.Feedback[j] = sf
		}
		out[i] = s
	}
	b, err := json.Marshal(out)
	return string(b), fresh, err
}

// remember records texts as committed.
func (c *resultTexts) remember(texts map[string]string) {
	for r, t := range texts {
		c.known.Store(r, t)
		c.refs.Store(t, r)
	}
}

// AttemptResults returns an attempt's results with every text in place,
// as they were graded.
func (s *Store) AttemptResults(ctx context.Context, a Attempt) ([]model.QuestionResult, error) {
	var stored []storedResult
	if err := json.Unmarshal([]byte(a.Results), &stored); err != nil {
		return nil, fmt.Errorf("attempt %d: results: %w", a.ID, err)
	}
	var missing []string
	need := func(ref string) {
		if ref == "" {
			return
		}
		if _, ok := s.texts.known.Load(ref); !ok {
			missing = append(missing, ref)
		}
	}
	for _, r := range stored {
		need(r.ExplanationRef)
		for _, f := range r.Feedback {
			need(f.TextRef)
		}
	}
	if len(missing) > 0 {
		var rows []struct{ Ref, Body string }
		if err := s.read(ctx).Table("result_texts").Where("ref IN ?", missing).Find(&rows).Error; err != nil {
			return nil, err
		}
		for _, row := range rows {
			s.texts.remember(map[string]string{row.Ref: row.Body})
		}
	}
	text := func(inline, ref string) (string, error) {
		if ref == "" {
			return inline, nil
		}
		t, ok := s.texts.known.Load(ref)
		if !ok {
			return "", fmt.Errorf("attempt %d: result text %s is missing", a.ID, ref)
		}
		return t.(string), nil
	}
	out := make([]model.QuestionResult, len(stored))
	for i, r := range stored {
		q := model.QuestionResult{QuestionID: r.QuestionID, Correct: r.Correct, Points: r.Points, MaxPoints: r.MaxPoints,
			Answered: r.Answered, Feedback: make([]model.Feedback, len(r.Feedback))}
		var err error
		if q.Explanation, err = text(r.Explanation, r.ExplanationRef); err != nil {
			return nil, err
		}
		for j, f := range r.Feedback {
			fb := model.Feedback{ID: f.ID, Correct: f.Correct, Code: f.Code, Params: f.Params}
			if fb.Text, err = text(f.Text, f.TextRef); err != nil {
				return nil, err
			}
			q.Feedback[j] = fb
		}
		out[i] = q
	}
	return out, nil
}

// AttemptScores returns an attempt's per-question scores for progress,
// which needs no words: texts stored by reference are left empty, so no
// lookup is made.
func AttemptScores(a Attempt) []model.QuestionResult {
	var out []model.QuestionResult
	_ = json.Unmarshal([]byte(a.Results), &out)
	return out
}
