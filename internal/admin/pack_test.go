package admin

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"gopkg.in/yaml.v3"

	"github.com/readi-platform/readi/content"
	"github.com/readi-platform/readi/internal/catalog"
	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
	"github.com/readi-platform/readi/internal/store/storetest"
)

// packFiles reads every file of a pack, by path.
func packFiles(t *testing.T, fsys fs.FS) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
			return err
		}
		out[p], err = fs.ReadFile(fsys, p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// yamlTree decodes YAML with zero values left out, so that an exported
// file that omits content_warning: "" reads the same as one that has it.
func yamlTree(t *testing.T, name string, b []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	v, _ = catalog.PruneZero(normalizeYAML(v))
	return v
}

// normalizeYAML turns yaml.v3's ints into float64, as JSON decoding gives.
func normalizeYAML(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = normalizeYAML(e)
		}
	case []any:
		for i, e := range v {
			v[i] = normalizeYAML(e)
		}
	case int:
		return float64(v)
	}
	return v
}

// splitFront separates a lesson file's front matter and body.
func splitFront(t *testing.T, name string, b []byte) (front, body []byte) {
	t.Helper()
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	parts := bytes.SplitN(b, []byte("---\n"), 3)
	if len(parts) != 3 || len(parts[0]) != 0 {
		t.Fatalf("%s: no front matter", name)
	}
	return parts[1], parts[2]
}

// TestPackRoundTrip imports the embedded pack through the editor and
// exports it again: the same files, the same YAML values, the same
// Markdown bodies byte for byte, and the same modules when loaded.
func TestPackRoundTrip(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := New(s, nil)
		rep, err := svc.Import(ctx, model.User{}, content.FS, ImportOptions{Replace: true})
		if err != nil {
			t.Fatalf("Import(embedded pack) = %v", err)
		}
		orig := packFiles(t, content.FS)
		pack, err := catalog.Load(content.FS)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Created) != len(pack.Modules) {
			t.Fatalf("Import created %d modules, want %d", len(rep.Created), len(pack.Modules))
		}
		files, err := svc.Export(ctx, "")
		if err != nil {
			t.Fatalf("Export() = %v", err)
		}
		if got, want := sortedKeys(files), sortedKeys(orig); !reflect.DeepEqual(got, want) {
			t.Fatalf("exported files:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		for name, want := range orig {
			got := files[name]
			if strings.HasSuffix(name, ".md") {
				wf, wb := splitFront(t, name, want)
				gf, gb := splitFront(t, name, got)
				if !bytes.Equal(gb, wb) {
					t.Errorf("%s: body differs after the round trip", name)
				}
				want, got = wf, gf
			}
			if w, g := yamlTree(t, name, want), yamlTree(t, name, got); !reflect.DeepEqual(g, w) {
				t.Errorf("%s differs after the round trip:\n%s\nwant:\n%s", name, got, want)
			}
		}
		again, err := catalog.Load(mapFS(files))
		if err != nil {
			t.Fatalf("the exported pack does not load: %v", err)
		}
		for i, m := range pack.Modules {
			if catalog.ModuleHash(again.Modules[i]) != catalog.ModuleHash(m) {
				t.Errorf("module %s loads differently after the round trip", m.Slug)
			}
		}
		// Deterministic: the same content gives the same archive.
		z1, _ := Zip(files)
		files2, _ := svc.Export(ctx, "")
		z2, _ := Zip(files2)
		if !bytes.Equal(z1, z2) {
			t.Errorf("two exports of the same content differ")
		}
		// Importing the export changes nothing.
		fsys, err := ZipFS(z1)
		if err != nil {
			t.Fatal(err)
		}
		rep, err = svc.Import(ctx, model.User{}, fsys, ImportOptions{DryRun: true})
		if err != nil || len(rep.Unchanged) != len(pack.Modules) || len(rep.Changed)+len(rep.Created) != 0 {
			t.Fatalf("Import(own export) = %+v, %v, want everything unchanged", rep, err)
		}
	})
}

func mapFS(files map[string][]byte) fstest.MapFS {
	m := fstest.MapFS{}
	for name, b := range files {
		m[name] = &fstest.MapFile{Data: b}
	}
	return m
}

func TestImportReportsAndRefuses(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		svc := New(s, nil)
		if _, err := svc.Import(ctx, model.User{}, content.FS, ImportOptions{Replace: true}); err != nil {
			t.Fatal(err)
		}
		files, _ := svc.Export(ctx, "spot-the-scam")
		if _, ok := files["curriculum.yaml"]; !ok || len(files) < 3 {
			t.Fatalf("Export(one module) = %v", sortedKeys(files))
		}
		for name := range files {
			if !strings.HasPrefix(name, "spot-the-scam/") && name != "curriculum.yaml" {
				t.Fatalf("Export(spot-the-scam) wrote %s", name)
			}
		}
		// Change a lesson, drop a question: the dry run says so, writes nothing.
		var lesson string
		for name := range files {
			if strings.HasPrefix(name, "spot-the-scam/01-") {
				lesson = name
			}
		}
		files[lesson] = append(files[lesson], []byte("\nOne more paragraph.\n")...)
		dropQuestion(t, files, "spot-the-scam", "sts-q02")
		rep, err := svc.Import(ctx, model.User{}, mapFS(files), ImportOptions{DryRun: true})
		if err != nil || len(rep.Changed) != 1 || len(rep.Changed[0].Lessons.Changed) != 1 ||
			!reflect.DeepEqual(rep.Changed[0].Questions.Removed, []string{"sts-q02"}) {
			t.Fatalf("Import(dry run) = %+v, %v, want spot-the-scam with one lesson changed and sts-q02 removed", rep, err)
		}
		if m, _ := s.PublishedModule(ctx, "spot-the-scam"); strings.Contains(m.Module.Lessons[0].Markdown, "One more paragraph.") {
			t.Fatalf("a dry run changed what learners see")
		}
		if rep, err = svc.Import(ctx, model.User{ID: 0}, mapFS(files), ImportOptions{}); err != nil {
			t.Fatalf("Import() = %v", err)
		}
		m, _ := s.PublishedModule(ctx, "spot-the-scam")
		if !strings.Contains(m.Module.Lessons[0].Markdown, "One more paragraph.") {
			t.Fatalf("the import did not publish the changed lesson")
		}
		if m.Module.Position != 1 {
			t.Errorf("a partial import moved the module to position %d, want it kept at 1", m.Module.Position)
		}
		// A broken pack is refused whole, with file:line problems.
		files["spot-the-scam/module.yaml"] = []byte("slug: spot-the-scam\ntitle: x\ncategory: weather\n")
		_, err = svc.Import(ctx, model.User{}, mapFS(files), ImportOptions{})
		var invalid *Invalid
		if !errors.As(err, &invalid) || len(invalid.Problems) == 0 || invalid.Problems[0].File == "" {
			t.Fatalf("Import(broken) = %v, want *Invalid with file problems", err)
		}
		found := false
		for _, p := range invalid.Problems {
			found = found || p.File == "spot-the-scam/module.yaml" && p.Line == 3
		}
		if !found {
			t.Errorf("problems = %v, want spot-the-scam/module.yaml:3", invalid.Problems)
		}
	})
}

// dropQuestion removes a question from a module's quiz and its translations.
func dropQuestion(t *testing.T, files map[string][]byte, module, id string) {
	t.Helper()
	for name, b := range files {
		if !strings.HasPrefix(name, module+"/") || !strings.HasSuffix(name, "quiz.yaml") {
			continue
		}
		var doc map[string]any
		if err := yaml.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		var kept []any
		for _, q := range doc["questions"].([]any) {
			if q.(map[string]any)["id"] != id {
				kept = append(kept, q)
			}
		}
		doc["questions"] = kept
		files[name], _ = yaml.Marshal(doc)
	}
}
