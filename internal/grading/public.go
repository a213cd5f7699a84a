package grading

import (
	"hash/fnv"
	"slices"

	"github.com/readi-platform/readi/internal/model"
)

// Public returns the questions of q as a learner sees them before answering.
// Only ids and learner-facing texts are copied field by field, so a field
// added to model.Question later cannot leak the key by accident.
//
// Ordering items and the right column of a matching question are shuffled.
// The shuffle is seeded from the question id, so the same quiz always gives
// the same response (cacheable, identical on every replica), and it never
// returns the authored order, which for these two types is the answer key.
// Options, segments and steps keep their authored order: it carries no key
// and a message must read as written.
//
// Because the seed is only the public id, anyone holding this source can
// recompute the permutation and undo it; the API should prefer
// PublicWithSecret.
func Public(q model.Quiz) []model.PublicQuestion {
	return PublicWithSecret(q, nil)
}

// PublicWithSecret is Public with the shuffle seeded from secret followed by
// the question id. With a server-side secret (stable across replicas and
// restarts) the response stays cacheable but the shuffle can no longer be
// undone from the id alone. A nil secret gives exactly Public's output.
func PublicWithSecret(q model.Quiz, secret []byte) []model.PublicQuestion {
	out := make([]model.PublicQuestion, 0, len(q.Questions))
	for _, question := range q.Questions {
		out = append(out, publicQuestion(question, secret))
	}
	return out
}

func publicQuestion(q model.Question, secret []byte) model.PublicQuestion {
	p := model.PublicQuestion{
		ID:     q.ID,
		Type:   q.Type,
		Readi:  slices.Clone(q.Readi),
		Prompt: q.Prompt,
	}
	switch q.Type {
	case model.Single, model.Multiple:
		p.Options = make([]model.PublicItem, len(q.Options))
		for i, o := range q.Options {
			p.Options[i] = model.PublicItem{ID: o.ID, Text: o.Text}
		}
	case model.Ordering:
		p.Items = make([]model.PublicItem, len(q.Items))
		for i, j := range shuffled(len(q.Items), secret, q.ID) {
			p.Items[i] = publicItem(q.Items[j])
		}
	case model.Matching:
		p.Left = make([]model.PublicItem, len(q.Pairs))
		p.Right = make([]model.PublicItem, len(q.Pairs))
		for i, pair := range q.Pairs {
			p.Left[i] = publicItem(pair.Left)
		}
		for i, j := range shuffled(len(q.Pairs), secret, q.ID) {
			p.Right[i] = publicItem(q.Pairs[j].Right)
		}
	case model.RedFlags:
		if m := q.Message; m != nil {
			p.Message = &model.PublicMessage{
				Channel:  m.Channel,
				Sender:   m.Sender,
				Subject:  m.Subject,
				Segments: make([]model.PublicItem, len(m.Segments)),
			}
			for i, s := range m.Segments {
				p.Message.Segments[i] = model.PublicItem{ID: s.ID, Text: s.Text}
			}
		}
	case model.Scenario:
		p.Steps = make([]model.PublicStep, len(q.Steps))
		for i, s := range q.Steps {
			p.Steps[i] = publicStep(s)
		}
		if len(q.Steps) > 0 {
			p.Start = q.Steps[0].ID
		}
	}
	return p
}

func publicItem(it model.Item) model.PublicItem { return model.PublicItem{ID: it.ID, Text: it.Text} }

func publicStep(s model.Step) model.PublicStep {
	ps := model.PublicStep{ID: s.ID, Text: s.Text, Choices: make([]model.PublicChoice, len(s.Choices))}
	for i, c := range s.Choices {
		ps.Choices[i] = model.PublicChoice{ID: c.ID, Text: c.Text, Next: c.Next}
	}
	return ps
}

// shuffled returns a permutation of 0..n-1 seeded by the FNV-1a hash of
// secret then id.
// If the shuffle happens to be the identity it is rotated by one, so for
// n >= 2 the result never equals the authored (correct) order.
//
// The generator is our own splitmix64 rather than math/rand: its sequence is
// fixed here, so a Go upgrade cannot reshuffle every cached quiz.
func shuffled(n int, secret []byte, id string) []int {
	h := fnv.New64a()
	h.Write(secret)
	h.Write([]byte(id))
	s := splitmix(h.Sum64())
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j := int(s.next() % uint64(i+1))
		p[i], p[j] = p[j], p[i]
	}
	identity := true
	for i, v := range p {
		if i != v {
			identity = false
			break
		}
	}
	if identity && n > 1 {
		p = append(p[1:], p[0])
	}
	return p
}

// splitmix is the SplitMix64 generator: tiny, well mixed, and good enough
// to hide an answer order (it is not meant to be unpredictable).
type splitmix uint64

func (s *splitmix) next() uint64 {
	*s += 0x9e3779b97f4a7c15
	z := uint64(*s)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
