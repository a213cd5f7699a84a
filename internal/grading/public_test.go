package grading

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/readi-platform/readi/internal/model"
)

// collectKeys gathers every object key anywhere in a decoded JSON value.
func collectKeys(v any, keys map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			keys[k] = true
			collectKeys(x, keys)
		}
	case []any:
		for _, x := range v {
			collectKeys(x, keys)
		}
	}
}

func TestPublicHidesTheKey(t *testing.T) {
	for _, secret := range [][]byte{nil, []byte("server secret")} {
		b, err := json.Marshal(PublicWithSecret(testQuiz(), secret))
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		keys := map[string]bool{}
		collectKeys(v, keys)
		for _, k := range []string{"correct", "answer", "flag", "why", "points", "feedback", "explanation",
			"feedback_true", "feedback_false", "pairs"} {
			if keys[k] {
				t.Errorf("Public() JSON has key %q: %s", k, b)
			}
		}
		for _, m := range secretMarkers {
			if strings.Contains(string(b), m) {
				t.Errorf("Public() JSON contains secret text %q: %s", m, b)
			}
		}
	}
}

func TestPublicShape(t *testing.T) {
	pub := Public(testQuiz())
	byID := map[string]model.PublicQuestion{}
	for _, p := range pub {
		byID[p.ID] = p
	}
	if len(pub) != 7 || pub[0].ID != "q-single" || pub[6].ID != "q-scen" {
		t.Fatalf("Public() ids = %v, want the 7 fixture questions in order", pub)
	}
	if got := byID["q-multi"]; got.Type != model.Multiple || got.Prompt != "Signs of phishing?" ||
		!reflect.DeepEqual(got.Readi, []model.Value{model.Responsibility, model.Discernment}) {
		t.Errorf("Public() q-multi header = %+v", got)
	}
	if got := byID["q-single"].Options; !reflect.DeepEqual(got, []model.PublicItem{
		{ID: "a", Text: "bit.ly/x"}, {ID: "b", Text: "the bank's own app"}, {ID: "c", Text: "the SMS link"}}) {
		t.Errorf("Public() q-single options = %+v, want authored order", got)
	}
	if got := byID["q-tf"]; got.Options != nil || got.Items != nil || got.Message != nil {
		t.Errorf("Public() q-tf = %+v, want id, type, readi and prompt only", got)
	}
	if got := byID["q-match"].Left; !reflect.DeepEqual(got, []model.PublicItem{
		{ID: "l1", Text: "phishing"}, {ID: "l2", Text: "mule"}, {ID: "l3", Text: "malware"}}) {
		t.Errorf("Public() q-match left = %+v, want authored order", got)
	}
	m := byID["q-flags"].Message
	if m == nil || m.Channel != "sms" || m.Sender != "+63 917 555 0142" || len(m.Segments) != 4 || m.Segments[1].ID != "s2" {
		t.Errorf("Public() q-flags message = %+v, want the segments in message order", m)
	}
	s := byID["q-scen"]
	want := model.PublicStep{ID: "s2", Text: "Your friend is upset.", Choices: []model.PublicChoice{
		{ID: "c3", Text: "help them report it"}, {ID: "c4", Text: "reply to the bully", Next: "s3"}}}
	if s.Start != "start" || len(s.Steps) != 3 || !reflect.DeepEqual(s.Steps[1], want) {
		t.Errorf("Public() q-scen = start %q steps %+v, want start and next links", s.Start, s.Steps)
	}
}

func TestPublicIsDeterministic(t *testing.T) {
	a, b := Public(testQuiz()), Public(testQuiz())
	if !reflect.DeepEqual(a, b) {
		t.Errorf("Public() differs between calls:\n%+v\n%+v", a, b)
	}
	if !reflect.DeepEqual(a, PublicWithSecret(testQuiz(), nil)) {
		t.Errorf("PublicWithSecret(nil) differs from Public()")
	}
	// Pinned: a change of generator would reshuffle every cached quiz.
	if got := ids(a[3].Items); got != "x c k" {
		t.Errorf("Public() q-order items = %s, want the pinned shuffle x c k", got)
	}
}

func ids(items []model.PublicItem) string {
	s := make([]string, len(items))
	for i, it := range items {
		s[i] = it.ID
	}
	return strings.Join(s, " ")
}

// For many ids and sizes, an ordering shuffle is never the answer key and
// a matching right column never follows the pair order, yet both stay
// permutations of what was authored.
func TestPublicNeverShowsTheKey(t *testing.T) {
	for n := 2; n <= 6; n++ {
		items := make([]model.Item, n)
		pairs := make([]model.Pair, n)
		for i := range items {
			items[i] = model.Item{ID: fmt.Sprintf("i%d", i), Text: "t"}
			pairs[i] = model.Pair{Left: model.Item{ID: fmt.Sprintf("l%d", i)}, Right: model.Item{ID: fmt.Sprintf("r%d", i)}}
		}
		key := ids(publicItems(items))
		var rights []model.Item
		for _, p := range pairs {
			rights = append(rights, p.Right)
		}
		pairKey := ids(publicItems(rights))
		for k := 0; k < 500; k++ {
			id := fmt.Sprintf("q-%d-%d", n, k)
			quiz := model.Quiz{Questions: []model.Question{
				{ID: id, Type: model.Ordering, Items: items},
				{ID: id, Type: model.Matching, Pairs: pairs},
			}}
			pub := Public(quiz)
			if got := ids(pub[0].Items); got == key || !samePermutation(got, key) {
				t.Fatalf("Public(%s ordering, %d items) = %s, want a reordering of %s", id, n, got, key)
			}
			if got := ids(pub[1].Right); got == pairKey || !samePermutation(got, pairKey) {
				t.Fatalf("Public(%s matching, %d pairs) right = %s, want a reordering of %s", id, n, got, pairKey)
			}
		}
	}
}

func publicItems(items []model.Item) []model.PublicItem {
	out := make([]model.PublicItem, len(items))
	for i, it := range items {
		out[i] = publicItem(it)
	}
	return out
}

func samePermutation(a, b string) bool {
	count := map[string]int{}
	for _, s := range strings.Fields(a) {
		count[s]++
	}
	for _, s := range strings.Fields(b) {
		count[s]--
	}
	for _, c := range count {
		if c != 0 {
			return false
		}
	}
	return true
}
