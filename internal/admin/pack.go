package admin

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/readi-platform/readi/internal/catalog"
	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// Export writes the published curriculum (or one module of it) as the
// files of a content pack, by slash-separated path: what learners see, in
// the layout catalog.Load reads, so the result can be edited and imported
// again, or validated with `readi content validate`.
func (s *Service) Export(ctx context.Context, module string) (map[string][]byte, error) {
	pubs, err := s.store.PublishedModules(ctx)
	if err != nil {
		return nil, err
	}
	var mods []model.Module
	for _, p := range pubs {
		if module == "" || p.Module.Slug == module {
			mods = append(mods, p.Module)
		}
	}
	if module != "" && len(mods) == 0 {
		return nil, store.ErrNotFound
	}
	files := map[string][]byte{}
	for _, m := range mods {
		if err := moduleFiles(m, files); err != nil {
			return nil, fmt.Errorf("module %s: %w", m.Slug, err)
		}
	}
	if files["curriculum.yaml"], err = curriculumYAML(mods); err != nil {
		return nil, err
	}
	return files, nil
}

// zipTime is the modification time of every exported file, so that the
// same content always gives the same archive, byte for byte.
var zipTime = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// Zip packs files into an archive in path order.
func Zip(files map[string][]byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range sortedKeys(files) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipTime})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(files[name]); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteDir writes files under dir, which must be missing or empty, so an
// export never mixes with files left from another.
func WriteDir(dir string, files map[string][]byte) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty", dir)
	}
	for _, name := range sortedKeys(files) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Limits on an uploaded archive: far above any real curriculum, far below
// what could exhaust memory (the sizes are checked as the files are read).
const (
	maxZipFiles = 5000
	maxZipBytes = 64 << 20
)

// ZipFS opens an archive as a content pack: its root, or the one folder
// at its root (an archive of the content/ directory itself).
func ZipFS(data []byte) (fs.FS, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, &Invalid{Msg: "the upload is not a zip archive", Problems: []Problem{{Message: err.Error()}}}
	}
	if len(zr.File) > maxZipFiles {
		return nil, &Invalid{Msg: "the archive is too large", Problems: []Problem{{Message: fmt.Sprintf("more than %d files", maxZipFiles)}}}
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	if total > maxZipBytes {
		return nil, &Invalid{Msg: "the archive is too large", Problems: []Problem{{Message: fmt.Sprintf("more than %d MiB uncompressed", maxZipBytes>>20)}}}
	}
	if _, err := fs.Stat(zr, "curriculum.yaml"); err == nil {
		return zr, nil
	}
	entries, _ := fs.ReadDir(zr, ".")
	var dirs []string
	for _, e := range entries {
		if e.IsDir() && e.Name()[0] != '.' && e.Name()[0] != '_' {
			dirs = append(dirs, e.Name())
		}
	}
	if len(dirs) == 1 {
		if _, err := fs.Stat(zr, dirs[0]+"/curriculum.yaml"); err == nil {
			return fs.Sub(zr, dirs[0])
		}
	}
	return zr, nil // catalog.Load reports the missing curriculum.yaml
}

// loadPack reads a pack, turning the loader's problems into *Invalid.
func loadPack(fsys fs.FS) (*catalog.Pack, error) {
	pack, err := catalog.Load(fsys)
	if ps, ok := packProblems(err); ok {
		return nil, &Invalid{Msg: fmt.Sprintf("the content pack has %d problem(s)", len(ps)), Problems: ps}
	}
	if err != nil {
		return nil, fmt.Errorf("read the content pack: %w", err)
	}
	return pack, nil
}
