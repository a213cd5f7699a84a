package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestContentImportExport runs the offline twins of the admin content
// routes: import the built-in pack (a dry run first), export it as a
// directory and as a zip, validate both, and import the zip back.
func TestContentImportExport(t *testing.T) {
	e := map[string]string{"READI_DATA_DIR": t.TempDir()}
	code, out, errOut := run(t, e, "content", "import", "--dry-run")
	if code != 0 || !strings.HasPrefix(out, "dry run: nothing was written\ncreated [spot-the-scam ") {
		t.Fatalf("content import --dry-run = %d %q %q", code, out, errOut)
	}
	if code, out, _ := run(t, e, "content", "export", filepath.Join(t.TempDir(), "x.zip")); code != 0 || !strings.HasPrefix(out, "exported 1 file(s)") {
		t.Fatalf("export after a dry run = %d %q, want only curriculum.yaml (nothing published)", code, out)
	}
	if code, out, errOut := run(t, e, "content", "import"); code != 0 || !strings.Contains(out, "created [spot-the-scam ") {
		t.Fatalf("content import = %d %q %q", code, out, errOut)
	}
	dir := filepath.Join(t.TempDir(), "pack")
	if code, out, errOut := run(t, e, "content", "export", dir); code != 0 || !strings.Contains(out, "exported ") {
		t.Fatalf("content export DIR = %d %q %q", code, out, errOut)
	}
	if code, out, _ := run(t, e, "content", "validate", dir); code != 0 || !strings.HasPrefix(out, "ok: ") {
		t.Fatalf("validate the exported directory = %d %q", code, out)
	}
	if code, _, errOut := run(t, e, "content", "export", dir); code != 1 || !strings.Contains(errOut, "not empty") {
		t.Fatalf("content export into a full directory = %d %q, want 1: not empty", code, errOut)
	}
	zipFile := filepath.Join(t.TempDir(), "one.zip")
	if code, out, errOut := run(t, e, "content", "export", "--module", "spot-the-scam", zipFile); code != 0 || !strings.Contains(out, zipFile) {
		t.Fatalf("content export --module FILE.zip = %d %q %q", code, out, errOut)
	}
	if code, out, _ := run(t, e, "content", "validate", zipFile); code != 0 || !strings.HasPrefix(out, "ok: 1 modules") {
		t.Fatalf("validate the exported zip = %d %q", code, out)
	}
	if code, out, _ := run(t, e, "content", "import", zipFile); code != 0 || !strings.Contains(out, "changed []\nunchanged [spot-the-scam]") {
		t.Fatalf("import the exported zip = %d %q, want spot-the-scam unchanged", code, out)
	}
	if code, _, _ := run(t, e, "content", "export", "--module", "nope", filepath.Join(t.TempDir(), "n.zip")); code != 1 {
		t.Fatalf("export of an unknown module = %d, want 1", code)
	}
	broken := filepath.Join(t.TempDir(), "broken.zip")
	os.WriteFile(broken, []byte("not a zip"), 0o644)
	if code, _, _ := run(t, e, "content", "import", broken); code != 1 {
		t.Fatalf("import of a broken zip = %d, want 1", code)
	}
	if code, _, _ := run(t, e, "content", "export"); code != 2 {
		t.Fatalf("content export without a target = %d, want 2", code)
	}
}
