package learning

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/readi-platform/readi/internal/model"
)

// marshalledHash is how requestHash was first computed, and how the hashes
// of stored attempts were made: json.Marshal of the compacted answers.
func marshalledHash(req model.AttemptRequest) string {
	canon := make(map[string]json.RawMessage, len(req.Answers))
	for k, v := range req.Answers {
		canon[k] = json.RawMessage(compact(v))
	}
	b, _ := json.Marshal(canon)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// A retry of an attempt stored before requestHash wrote its own bytes must
// still be recognised, so both must fingerprint every request alike.
func TestRequestHashMatchesTheMarshalledEncoding(t *testing.T) {
	bodies := []string{
		`{"answers":{}}`,
		`{"answers":{"q1":"a"}}`,
		`{"answers":{ "q2" : [ "b" , "a" ], "q1" : true , "q10": {"x": "y", "a": 1.50}}}`,
		`{"answers":{"q<1>&":"<script>alert('x')</script> & \u2028 \u2029 ","ภาษา":"ไทย é \u00e9 \"quoted\" \\ back"}}`,
		`{"answers":{"n":[1,2.0,-3e5,0.000001,12345678901234567890],"nul":null,"deep":{"a":[{"b":{"c":[]}}]}}}`,
		"{\"answers\":{\"tabs\":\t[\n\"a\"\r\n]}}",
	}
	for _, body := range bodies {
		var req model.AttemptRequest
		if err := json.Unmarshal([]byte(body), &req); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if got, want := requestHash(req), marshalledHash(req); got != want {
			t.Errorf("requestHash(%s) = %s, want %s (as json.Marshal)", body, got, want)
		}
	}
	// Whitespace and key order do not matter; values do.
	a := model.AttemptRequest{Answers: map[string]json.RawMessage{"q1": json.RawMessage(`[ "a","b" ]`), "q2": json.RawMessage(`true`)}}
	b := model.AttemptRequest{Answers: map[string]json.RawMessage{"q2": json.RawMessage(` true`), "q1": json.RawMessage(`["a", "b"]`)}}
	c := model.AttemptRequest{Answers: map[string]json.RawMessage{"q2": json.RawMessage(`true`), "q1": json.RawMessage(`["b","a"]`)}}
	if requestHash(a) != requestHash(b) || requestHash(a) == requestHash(c) {
		t.Error("requestHash should ignore whitespace and key order but not the order of an answer's items")
	}
	broken := model.AttemptRequest{Answers: map[string]json.RawMessage{"q1": json.RawMessage(`{`)}}
	if got, want := requestHash(broken), marshalledHash(broken); got != want || got != emptyHash {
		t.Errorf("requestHash(invalid value) = %s, want %s (json.Marshal fails: the hash of nothing)", got, want)
	}
}

func BenchmarkRequestHash(b *testing.B) {
	var req model.AttemptRequest
	if err := json.Unmarshal([]byte(`{"answers":{"q01":"a","q02":["s1","s3"],"q03":["a","c"],"q04":true,"q05":"b",
		"q06":["i3","i1","i2","i4"],"q07":{"l1":"r2","l2":"r1","l3":"r3"},"q08":["c1","c3"],"q09":"d","q10":false,
		"q11":"a","q12":["s2"],"q13":["b"],"q14":true,"q15":"c","q16":["i1","i2"],"q17":{"l1":"r1"},"q18":["c2"],"q19":"a"}}`), &req); err != nil {
		b.Fatal(err)
	}
	b.Run("written", func(b *testing.B) {
		for b.Loop() {
			requestHash(req)
		}
	})
	b.Run("marshalled", func(b *testing.B) {
		for b.Loop() {
			marshalledHash(req)
		}
	})
}
