package catalog

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/readi-platform/readi/internal/model"
)

// ModuleHash is the hex SHA-256 of a canonical JSON encoding of the whole
// module, lessons (Markdown and HTML), quiz and translations included. The
// importer compares it with the stored hash to skip unchanged modules.
//
// Canonical means: object keys sorted, and null, empty, false and zero
// values left out, so that a module read back from the database (where a
// nil slice may come back empty) hashes like the one loaded from files.
// The rendered HTML is part of the hash on purpose: a change of the
// renderer or sanitiser then re-imports every module.
func ModuleHash(m model.Module) string { return canonicalHash(m) }

// QuestionHash is like ModuleHash for one question, so that an edit can be
// told apart from an unchanged question under the same stable id.
func QuestionHash(q model.Question) string { return canonicalHash(q) }

func canonicalHash(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		// Only NaN or infinite points fail to encode; ValidateModule refuses
		// them, so such a module never reaches the importer. Hash the error
		// so the result is still a stable, well-formed digest.
		data = []byte("invalid: " + err.Error())
	} else {
		var tree any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&tree); err == nil {
			tree, _ = PruneZero(tree)
			data, _ = json.Marshal(tree) // maps marshal with sorted keys
		}
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// PruneZero drops zero values (null, "", false, 0, empty lists and empty
// objects) from the objects of a decoded JSON tree, in place, and reports
// whether v itself is zero. Array elements are kept, zero or not: their
// positions matter. Numbers may be float64 or json.Number.
func PruneZero(v any) (any, bool) {
	switch v := v.(type) {
	case nil:
		return nil, true
	case bool:
		return v, !v
	case string:
		return v, v == ""
	case float64:
		return v, v == 0
	case json.Number:
		f, err := v.Float64()
		return v, err == nil && f == 0
	case []any:
		for i, e := range v {
			v[i], _ = PruneZero(e)
		}
		return v, len(v) == 0
	case map[string]any:
		for k, e := range v {
			pe, zero := PruneZero(e)
			if zero {
				delete(v, k)
			} else {
				v[k] = pe
			}
		}
		return v, len(v) == 0
	}
	return v, false
}
