package catalog

import (
	"bytes"
	"errors"
	"testing"
	"testing/fstest"
)

// fuzzTargets are the files FuzzLoad replaces with arbitrary bytes.
var fuzzTargets = []struct {
	file, valid string
}{
	{stsQ, stsQuiz},
	{stsM, stsModule},
	{stsL1, stsLesson1},
	{thQ, thQuiz},
	{thL1, thLesson1},
	{"curriculum.yaml", curriculumYAML},
}

// FuzzLoad feeds arbitrary bytes as one file of the valid pack and checks
// that Load never panics and returns either a pack or *Problems, never
// both and never neither.
func FuzzLoad(f *testing.F) {
	for i, tg := range fuzzTargets {
		v := []byte(tg.valid)
		mutations := [][]byte{
			v,
			v[:len(v)/2],
			bytes.ReplaceAll(v, []byte("\n"), []byte("\r\n")),
			bytes.ReplaceAll(v, []byte("  "), []byte("\t")),
			bytes.Replace(v, []byte(": "), []byte(": &a "), 1),
			append(append([]byte{}, v...), "x: *a\n"...),
			append(append([]byte{}, v...), "---\nfoo: 1\n"...),
			bytes.ReplaceAll(v, []byte("id: "), []byte("id: [")),
			bytes.ReplaceAll(v, []byte("true"), []byte("~")),
			bytes.ReplaceAll(v, []byte("lesson:"), []byte("lesson:../")),
			append([]byte("---\n---\n"), v...),
			{0, 0xff, 0xfe},
			{},
		}
		for _, m := range mutations {
			f.Add(uint8(i), m)
		}
	}
	f.Fuzz(func(t *testing.T, target uint8, data []byte) {
		fsys := validPack()
		file := fuzzTargets[int(target)%len(fuzzTargets)].file
		fsys[file] = &fstest.MapFile{Data: data}
		pack, err := Load(fsys)
		switch {
		case pack != nil && err != nil:
			t.Fatalf("Load(%s = %q) = pack and error %v, want one of them", file, data, err)
		case pack == nil && err == nil:
			t.Fatalf("Load(%s = %q) = nil, nil, want a pack or *Problems", file, data)
		case err != nil:
			var probs *Problems
			if !errors.As(err, &probs) || len(probs.List) == 0 {
				t.Fatalf("Load(%s = %q) error = %T %v, want non-empty *Problems", file, data, err, err)
			}
			for _, p := range probs.List {
				if p.File == "" || p.Message == "" {
					t.Fatalf("Load(%s = %q) problem %+v, want a file and a message", file, data, p)
				}
			}
		default:
			for _, m := range pack.Modules {
				if probs := ValidateModule(m); len(probs) > 0 {
					t.Fatalf("Load(%s = %q) passed but ValidateModule(%s) = %v", file, data, m.Slug, probs)
				}
			}
		}
	})
}
