package admin

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/readi-platform/readi/internal/catalog"
	"github.com/readi-platform/readi/internal/model"
)

// DiffEntry is one difference between two versions of a module, at a
// field path in which lists of lessons, questions, options and the like
// are addressed by slug or id (lessons[what-is-phishing].title,
// quiz.questions[sts-q03].options[b].feedback), so an edit reads as an
// edit, not as a shift of everything after it.
type DiffEntry struct {
	Path   string `json:"path"`
	Kind   string `json:"kind"` // added, removed, changed, or moved (the order of a list)
	Before any    `json:"before,omitempty"`
	After  any    `json:"after,omitempty"`
	// Lines is a line diff of changed text of several lines (lesson
	// Markdown): each line starts with " ", "-" or "+", and "@@" stands for
	// unchanged lines left out.
	Lines []string `json:"lines,omitempty"`
}

// diffModules compares two documents. Zero values count as absent, so an
// empty list and a missing one are the same.
func diffModules(a, b model.Module) []DiffEntry {
	out := []DiffEntry{}
	diffValue("", tree(a), tree(b), &out)
	return out
}

func tree(m model.Module) any {
	raw, _ := json.Marshal(m)
	var t any
	_ = json.Unmarshal(raw, &t)
	t, _ = catalog.PruneZero(t)
	return t
}

func diffValue(path string, a, b any, out *[]DiffEntry) {
	switch {
	case a == nil && b == nil:
		return
	case a == nil:
		*out = append(*out, DiffEntry{Path: path, Kind: "added", After: b})
		return
	case b == nil:
		*out = append(*out, DiffEntry{Path: path, Kind: "removed", Before: a})
		return
	}
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		keys := map[string]bool{}
		for k := range am {
			keys[k] = true
		}
		for k := range bm {
			keys[k] = true
		}
		for _, k := range sortedKeys(keys) {
			diffValue(joinPath(path, k), am[k], bm[k], out)
		}
		return
	}
	al, aok := a.([]any)
	bl, bok := b.([]any)
	if aok && bok {
		diffList(path, al, bl, out)
		return
	}
	if !reflect.DeepEqual(a, b) {
		e := DiffEntry{Path: path, Kind: "changed", Before: a, After: b}
		as, aok := a.(string)
		bs, bok := b.(string)
		if aok && bok && (strings.Contains(as, "\n") || strings.Contains(bs, "\n")) {
			e.Lines = lineDiff(as, bs)
		}
		*out = append(*out, e)
	}
}

// diffList pairs the elements of two lists by their slug or id when every
// element has a distinct one, else by position.
func diffList(path string, a, b []any, out *[]DiffEntry) {
	ka, kb := listKeys(a), listKeys(b)
	if ka == nil || kb == nil {
		for i := 0; i < max(len(a), len(b)); i++ {
			var x, y any
			if i < len(a) {
				x = a[i]
			}
			if i < len(b) {
				y = b[i]
			}
			diffValue(fmt.Sprintf("%s[%d]", path, i), x, y, out)
		}
		return
	}
	ia, ib := indexOf(ka), indexOf(kb)
	for i, k := range ka {
		var y any
		if j, ok := ib[k]; ok {
			y = b[j]
		}
		diffValue(fmt.Sprintf("%s[%s]", path, k), a[i], y, out)
	}
	var common []string
	for j, k := range kb {
		if _, ok := ia[k]; !ok {
			diffValue(fmt.Sprintf("%s[%s]", path, k), nil, b[j], out)
		} else {
			common = append(common, k)
		}
	}
	var was []string
	for _, k := range ka {
		if _, ok := ib[k]; ok {
			was = append(was, k)
		}
	}
	if !reflect.DeepEqual(was, common) {
		*out = append(*out, DiffEntry{Path: path, Kind: "moved", Before: ka, After: kb})
	}
}

// listKeys returns the slug or id of every element, or nil when they do
// not all have a distinct one.
func listKeys(list []any) []string {
	keys := make([]string, len(list))
	seen := map[string]bool{}
	for i, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return nil
		}
		k, _ := m["slug"].(string)
		if k == "" {
			k, _ = m["id"].(string)
		}
		if k == "" || seen[k] {
			return nil
		}
		seen[k] = true
		keys[i] = k
	}
	return keys
}

func indexOf(keys []string) map[string]int {
	m := make(map[string]int, len(keys))
	for i, k := range keys {
		m[k] = i
	}
	return m
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// lineDiff is a longest-common-subsequence diff of two texts by line, with
// two lines of context around each change. Texts too long for a quadratic
// diff get none (the entry still has both versions).
func lineDiff(a, b string) []string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	if len(x)*len(y) > 1_000_000 {
		return nil
	}
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var all []string
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			all = append(all, " "+x[i])
			i, j = i+1, j+1
		case j < len(y) && (i == len(x) || lcs[i][j+1] >= lcs[i+1][j]):
			all = append(all, "+"+y[j])
			j++
		default:
			all = append(all, "-"+x[i])
			i++
		}
	}
	return withContext(all, 2)
}

// withContext keeps changed lines and n unchanged lines around them.
func withContext(lines []string, n int) []string {
	keep := make([]bool, len(lines))
	for i, l := range lines {
		if l[0] != ' ' {
			for k := max(0, i-n); k <= min(len(lines)-1, i+n); k++ {
				keep[k] = true
			}
		}
	}
	var out []string
	for i, l := range lines {
		switch {
		case keep[i]:
			out = append(out, l)
		case len(out) == 0 || out[len(out)-1] != "@@":
			out = append(out, "@@")
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
