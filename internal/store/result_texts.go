package store

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/readi-platform/readi/internal/model"
)

// Graded results repeat the authors' words: every attempt at a quiz carries
// the same option feedback and explanations, nine tenths of a result's
// bytes. Stored inline they made each attempt row several SQLite pages, and
// writing them (the insert, the WAL commit, the checkpoint) most of the
// cost of a submission. So an attempt stores per question only its scores
// and a reference to its detail (the feedback and the explanation), and
// result_texts holds each distinct detail once, keyed by a hash of its
// content. A learner's answer to a question has few possible details, so
// they repeat across attempts and learners. A reference names the same
// words forever: editing or deleting a question later never changes a past
// review, details are never updated or deleted, and a cache of them is
// never stale, on any replica.

// textRef is the reference for a detail: 96 bits of its SHA-256.
func textRef(body []byte) string {
	sum := sha256.Sum256(body)
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

// storedResult is one question of an attempt row: the scores, and the
// reference of the detail in result_texts.
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

// newTexts are details an attempt refers to that were not known to be
// stored when it was encoded; the writer inserts them in the attempt's
// own transaction (bodies, by reference) and, once committed, remembers
// them (refs, by detail key).
type newTexts struct {
	bodies map[string]string
	refs   map[string]string
}

// resultTexts caches details known to be in result_texts. It only grows
// with committed rows, so a hit means the row exists with that body. It
// holds only details graded from published content, so it stays as small
// as the curriculum's possible answers.
type resultTexts struct {
	bodies sync.Map // ref → body
	refs   sync.Map // detailKey → ref, so a known detail is not encoded again
}

// detailKey identifies a question's detail by its contents, cheaply: the
// texts it is made of, which the grader takes from the content snapshot.
func detailKey(r model.QuestionResult) string {
	var b strings.Builder
	b.WriteString(r.Explanation)
	for _, f := range r.Feedback {
		b.WriteString("\x00")
		b.WriteString(f.ID)
		if f.Correct {
			b.WriteString("\x01")
		}
		b.WriteString("\x02")
		b.WriteString(f.Text)
		b.WriteString("\x02")
		b.WriteString(f.Code)
		if len(f.Params) > 0 {
			names := make([]string, 0, len(f.Params))
			for n := range f.Params {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				b.WriteString("\x03" + n + "=" + strconv.Itoa(f.Params[n]))
			}
		}
	}
	return b.String()
}

// compactResults encodes results for an attempt row, with the details it
// refers to that may not be stored yet.
func (c *resultTexts) compactResults(results []model.QuestionResult) (string, *newTexts, error) {
	var fresh *newTexts
	out := make([]storedResult, len(results))
	for i, r := range results {
		out[i] = storedResult{QuestionID: r.QuestionID, Correct: r.Correct, Points: r.Points, MaxPoints: r.MaxPoints, Answered: r.Answered}
		key := detailKey(r)
		if ref, ok := c.refs.Load(key); ok {
			out[i].Detail = ref.(string)
			continue
		}
		body, err := json.Marshal(resultDetail{Feedback: r.Feedback, Explanation: r.Explanation})
		if err != nil {
			return "", nil, err
		}
		ref := textRef(body)
		out[i].Detail = ref
		if fresh == nil {
			fresh = &newTexts{bodies: map[string]string{}, refs: map[string]string{}}
		}
		fresh.refs[key] = ref
		if _, ok := c.bodies.Load(ref); !ok {
			fresh.bodies[ref] = string(body)
		}
	}
	b, err := json.Marshal(out)
	return string(b), fresh, err
}

// remember records committed details.
func (c *resultTexts) remember(t *newTexts) {
	if t == nil {
		return
	}
	for ref, body := range t.bodies {
		c.bodies.Store(ref, body)
	}
	for key, ref := range t.refs {
		c.refs.Store(key, ref)
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
	for _, r := range stored {
		if _, ok := s.texts.bodies.Load(r.Detail); !ok {
			missing = append(missing, r.Detail)
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
	out := make([]model.QuestionResult, len(stored))
	for i, r := range stored {
		body, ok := s.texts.bodies.Load(r.Detail)
		if !ok {
			return nil, fmt.Errorf("attempt %d: result detail %q is missing", a.ID, r.Detail)
		}
		var d resultDetail
		if err := json.Unmarshal([]byte(body.(string)), &d); err != nil {
			return nil, fmt.Errorf("attempt %d: result detail %s: %w", a.ID, r.Detail, err)
		}
		out[i] = model.QuestionResult{QuestionID: r.QuestionID, Correct: r.Correct, Points: r.Points, MaxPoints: r.MaxPoints,
			Answered: r.Answered, Feedback: d.Feedback, Explanation: d.Explanation}
	}
	return out, nil
}

// AttemptScores returns an attempt's per-question scores for progress,
// which needs no words: feedback and explanations are left empty, so no
// lookup is made.
func AttemptScores(a Attempt) []model.QuestionResult {
	var stored []storedResult
	_ = json.Unmarshal([]byte(a.Results), &stored)
	out := make([]model.QuestionResult, len(stored))
	for i, r := range stored {
		out[i] = model.QuestionResult{QuestionID: r.QuestionID, Correct: r.Correct, Points: r.Points, MaxPoints: r.MaxPoints, Answered: r.Answered}
	}
	return out
}
