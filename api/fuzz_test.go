package api_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/readi-platform/readi/internal/store/storetest"
)

// FuzzAttemptPayload sends arbitrary bodies to the attempt endpoint
// through the real router. Whatever arrives, the answer is a documented
// 4xx or a 201, never a 500 or a panic. The seed corpus runs in the normal
// suite; `go test -fuzz=FuzzAttemptPayload ./api` explores further.
func FuzzAttemptPayload(f *testing.F) {
	seeds := []string{
		`{"answers":{}}`,
		`{"answers":{"sts-q01":"a"}}`,
		`{"answers":{"sts-q01":["a","b"]}}`,
		`{"answers":{"sts-q01":null}}`,
		`{"answers":{"sts-q01":{"x":1}}}`,
		`{"answers":{"sts-q01":1e999}}`,
		`{"answers":{"nope":true}}`,
		`{"answers":null}`,
		`{"answers":[]}`,
		`{"answers":{"sts-q01":"a"},"extra":1}`,
		`{"answers":{"":""}}`,
		`{`, `}`, `null`, `[]`, `""`, `0`, "\x00\xff",
		`{"answers":{"sts-q01":"` + strings.Repeat("\\u0000", 50) + `"}}`,
	}
	quiz := authoredQuiz(f, "spot-the-scam")
	for _, q := range quiz.Questions {
		seeds = append(seeds, fmt.Sprintf(`{"answers":{%q:%s}}`, q.ID, mustJSON(perfectAnswer(q))))
		seeds = append(seeds, fmt.Sprintf(`{"answers":{%q:["zz","zz"]}}`, q.ID))
		seeds = append(seeds, fmt.Sprintf(`{"answers":{%q:{"zz":"yy"}}}`, q.ID))
		seeds = append(seeds, fmt.Sprintf(`{"answers":{%q:true}}`, q.ID))
	}
	for _, s := range seeds {
		f.Add(s)
	}
	h := newHarness(f, storetest.Engines()[0], nil)
	s := h.register("Fuzz")
	var n atomic.Int64
	f.Fuzz(func(t *testing.T, body string) {
		h.t = t
		got := h.do(req{Method: "POST", Path: "/api/v1/quizzes/spot-the-scam/attempts", Token: s.Access,
			Header: map[string]string{"Idempotency-Key": fmt.Sprintf("fuzz-key-%08d", n.Add(1))}, Body: body})
		switch got.Status {
		case 201, 400, 422:
		default:
			t.Fatalf("POST attempts with %q = %d %s, want 201, 400 or 422", body, got.Status, got.Body)
		}
	})
}

func mustJSON(v any) string {
	b, err := jsonMarshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
