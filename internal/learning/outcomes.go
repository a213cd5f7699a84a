package learning

import (
	"encoding/json"
	"sync"
	"sync/atomic"

	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// maxOutcomes bounds the outcomes a module keeps per snapshot. Real
// learners give a few answers to each question; a client sending endless
// distinct answers stops being remembered there and is graded afresh.
const maxOutcomes = 8192

// outcomes remembers, for one module of one snapshot, every question
// graded for a given answer: the result (grading.Memo), the detail
// attempts store it under, and its JSON for replies. A submission whose
// answers were all seen before is then neither graded, encoded nor hashed
// again, only looked up: under load that was a fifth of a submission's
// CPU (cmd/readi-load -cpuprofile). Dropped with the snapshot, so a
// changed question is never answered from an old outcome.
type outcomes struct {
	m sync.Map // outcomeKey → *outcome
	n atomic.Int64
}

// outcomeKey is a question of the snapshot's translated quiz (by address:
// each language's quiz has its own questions) and the answer's bytes.
type outcomeKey struct {
	q   *model.Question
	raw string
}

type outcome struct {
	result model.QuestionResult
	detail store.ResultDetail
	// reply is the result's JSON in the API's encoding, made on first use.
	reply atomic.Pointer[[]byte]
}

// Get implements grading.Memo.
func (o *outcomes) Get(q *model.Question, raw json.RawMessage) (model.QuestionResult, bool) {
	v, ok := o.m.Load(outcomeKey{q, string(raw)})
	if !ok {
		return model.QuestionResult{}, false
	}
	return v.(*outcome).result, true
}

// Put implements grading.Memo.
func (o *outcomes) Put(q *model.Question, raw json.RawMessage, r model.QuestionResult) {
	if o.n.Load() >= maxOutcomes {
		return
	}
	detail, err := store.DetailOf(r)
	if err != nil {
		return
	}
	if _, loaded := o.m.LoadOrStore(outcomeKey{q, string(raw)}, &outcome{result: r, detail: detail}); !loaded {
		o.n.Add(1)
	}
}

// lookup returns the outcomes of every question of quiz for answers, in
// quiz order, or nil when one is not remembered.
func (o *outcomes) lookup(quiz model.Quiz, answers map[string]json.RawMessage) []*outcome {
	out := make([]*outcome, len(quiz.Questions))
	for i := range quiz.Questions {
		q := &quiz.Questions[i]
		v, ok := o.m.Load(outcomeKey{q, string(answers[q.ID])})
		if !ok {
			return nil
		}
		out[i] = v.(*outcome)
	}
	return out
}

// encoded returns the outcome's reply JSON, encoding it on first use.
func (oc *outcome) encoded(encode func(any) ([]byte, error)) ([]byte, error) {
	if b := oc.reply.Load(); b != nil {
		return *b, nil
	}
	b, err := encode(oc.result)
	if err != nil {
		return nil, err
	}
	oc.reply.Store(&b)
	return b, nil
}
