package live

import (
	"encoding/json"
	"testing"

	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

func TestPoints(t *testing.T) {
	for _, tc := range []struct {
		name           string
		fraction       float64
		elapsed, limit int64
		streak, want   int
	}{
		{"instant, right", 1, 0, 20000, 1, 1000},
		{"at the buzzer", 1, 20000, 20000, 1, 500},
		{"half way", 1, 10000, 20000, 1, 750},
		{"rounded", 1, 333, 20000, 1, 992}, // 1000 × (1 − 333/20000/2) = 991.675
		{"after the buzzer counts as at it", 1, 25000, 20000, 1, 500},
		{"a clock before the question counts as instant", 1, -50, 20000, 1, 1000},
		{"untimed", 1, 123456, 0, 1, 1000},
		{"wrong", 0, 0, 20000, 5, 0},
		{"below nothing", -0.5, 0, 20000, 1, 0},
		{"half right", 0.5, 0, 20000, 1, 500},
		{"half right at the buzzer", 0.5, 20000, 20000, 1, 250},
		{"half right on a streak: no bonus", 0.5, 0, 20000, 4, 500},
		{"untimed half right", 0.25, 0, 0, 1, 250},
		{"second in a row", 1, 0, 20000, 2, 1100},
		{"third in a row", 1, 10000, 20000, 3, 950},
		{"sixth in a row: the bonus tops out", 1, 0, 20000, 6, 1500},
		{"tenth in a row", 1, 0, 20000, 10, 1500},
		{"float noise is still full marks", 1 - 1e-12, 0, 0, 2, 1100},
	} {
		if got := points(tc.fraction, tc.elapsed, tc.limit, tc.streak); got != tc.want {
			t.Errorf("%s: points(%v, %d, %d, %d) = %d, want %d", tc.name, tc.fraction, tc.elapsed, tc.limit, tc.streak, got, tc.want)
		}
	}
}

// A fully right answer without a streak is worth 500..1000, never more for
// being slower.
func TestPointsRangeAndOrder(t *testing.T) {
	for _, limit := range []int64{5000, 20000, 120000} {
		prev := 1001
		for e := int64(0); e <= limit; e += limit / 100 {
			p := points(1, e, limit, 1)
			if p < 500 || p > 1000 || p > prev {
				t.Fatalf("limit %d elapsed %d: %d points (after %d), want 500..1000 and falling", limit, e, p, prev)
			}
			prev = p
		}
	}
}

func TestStreakBonus(t *testing.T) {
	for streak, want := range map[int]int{0: 0, 1: 0, 2: 100, 3: 200, 5: 400, 6: 500, 7: 500, 100: 500} {
		if got := streakBonus(streak); got != want {
			t.Errorf("streakBonus(%d) = %d, want %d", streak, got, want)
		}
	}
}

func TestAnswerKeyShapes(t *testing.T) {
	yes, no := true, false
	for _, tc := range []struct {
		q    model.Question
		want string
	}{
		{model.Question{Type: model.Single, Options: []model.Option{{ID: "a"}, {ID: "b", Correct: true}}}, `"b"`},
		{model.Question{Type: model.Multiple, Options: []model.Option{{ID: "a", Correct: true}, {ID: "b"}, {ID: "c", Correct: true}}}, `["a","c"]`},
		{model.Question{Type: model.Multiple, Options: []model.Option{{ID: "a"}}}, `[]`},
		{model.Question{Type: model.TrueFalse, Answer: &yes}, `true`},
		{model.Question{Type: model.TrueFalse, Answer: &no}, `false`},
		{model.Question{Type: model.Ordering, Items: []model.Item{{ID: "i1"}, {ID: "i2"}, {ID: "i3"}}}, `["i1","i2","i3"]`},
		{model.Question{Type: model.RedFlags, Message: &model.Message{Segments: []model.Segment{{ID: "s1"}, {ID: "s2", Flag: true}, {ID: "s5", Flag: true}}}}, `["s2","s5"]`},
	} {
		if got := string(answerKey(&tc.q)); got != tc.want {
			t.Errorf("answerKey(%s) = %s, want %s", tc.q.Type, got, tc.want)
		}
	}
}

func TestDistributionChoices(t *testing.T) {
	yes := true
	tf := &model.Question{Type: model.TrueFalse, Answer: &yes}
	v := &view{current: map[int64]store.LiveAnswer{
		1: {PlayerID: 1, Answer: `true`, Correct: true},
		2: {PlayerID: 2, Answer: `false`},
		3: {PlayerID: 3, Answer: `true`, Correct: true},
	}}
	v.tally(tf)
	got, _ := json.Marshal(v.distribution)
	if want := `[{"choice":"true","count":2,"correct":true},{"choice":"false","count":1,"correct":false}]`; string(got) != want ||
		v.answered != 3 || v.correctCount != 2 {
		t.Errorf("true/false tally = %s answered %d correct %d, want %s 3 2", got, v.answered, v.correctCount, want)
	}
	rf := &model.Question{Type: model.RedFlags, Message: &model.Message{Segments: []model.Segment{{ID: "s1"}, {ID: "s2", Flag: true}}}}
	v = &view{current: map[int64]store.LiveAnswer{
		1: {PlayerID: 1, Answer: `["s1","s2"]`},
		2: {PlayerID: 2, Answer: `["s2"]`, Correct: true},
	}}
	v.tally(rf)
	got, _ = json.Marshal(v.distribution)
	if want := `[{"choice":"s1","count":1,"correct":false},{"choice":"s2","count":2,"correct":true}]`; string(got) != want {
		t.Errorf("red flags tally = %s, want %s", got, want)
	}
	ord := &model.Question{Type: model.Ordering, Items: []model.Item{{ID: "x"}, {ID: "y"}}}
	v = &view{current: map[int64]store.LiveAnswer{
		1: {PlayerID: 1, Answer: `["x","y"]`, Correct: true},
		2: {PlayerID: 2, Answer: `["y","x"]`},
		3: {PlayerID: 3, Answer: `["y","x"]`},
	}}
	v.tally(ord)
	got, _ = json.Marshal(v.distribution)
	if want := `[{"choice":"right","count":1,"correct":true},{"choice":"wrong","count":2,"correct":false}]`; string(got) != want {
		t.Errorf("ordering tally = %s, want %s", got, want)
	}
}

func TestPINsAndPlayerTokens(t *testing.T) {
	for i := 0; i < 2000; i++ {
		pin := newPIN()
		if !model.ValidLivePIN(pin) || pin[0] == '0' {
			t.Fatalf("newPIN() = %q, want six digits not starting with 0", pin)
		}
	}
	seen := map[string]bool{}
	for i := 0; i < 100; i++ {
		tok, hash := newPlayerToken()
		if !IsPlayerToken(tok) || len(tok) < 40 || seen[tok] || hash != hashToken(tok) || hash == tok || len(hash) != 64 {
			t.Fatalf("newPlayerToken() = %q %q", tok, hash)
		}
		seen[tok] = true
	}
	for _, s := range []string{"", "lp_", "lp", "LP_abc", "eyJhbGciOi.x.y", " lp_abc"} {
		if IsPlayerToken(s) {
			t.Errorf("IsPlayerToken(%q) = true", s)
		}
	}
}
