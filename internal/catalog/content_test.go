package catalog

import (
	"errors"
	"testing"

	"github.com/readi-platform/readi/content"
)

// TestLoadEmbeddedPack loads the curriculum the binary ships with: it must
// pass every rule, or the server would refuse to start.
func TestLoadEmbeddedPack(t *testing.T) {
	pack, err := Load(content.FS)
	if err != nil {
		var probs *Problems
		if errors.As(err, &probs) {
			t.Fatalf("Load(content.FS) found %d problems:\n%v", len(probs.List), err)
		}
		t.Fatalf("Load(content.FS) error = %v, want nil", err)
	}
	if len(pack.Modules) == 0 || len(pack.Tracks) == 0 {
		t.Fatalf("Load(content.FS) = %d tracks, %d modules, want at least one of each", len(pack.Tracks), len(pack.Modules))
	}
	for _, m := range pack.Modules {
		if probs := ValidateModule(m); len(probs) > 0 {
			t.Errorf("ValidateModule(%s) = %v, want none", m.Slug, probs)
		}
	}
}
