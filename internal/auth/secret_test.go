package auth

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestLoadOrCreateSecretFromEnv(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	env := strings.Repeat("k", MinSecretLen)
	got, err := LoadOrCreateSecret(dir, env)
	if err != nil || string(got) != env {
		t.Errorf("LoadOrCreateSecret(dir, 32-byte env) = %q, %v; want the env value, nil", got, err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("with an env secret the data dir was touched (stat: %v); want nothing created", err)
	}
	if _, err := LoadOrCreateSecret(dir, env[:MinSecretLen-1]); err == nil {
		t.Errorf("LoadOrCreateSecret(dir, 31-byte env) error = nil, want an error")
	}
}

func TestLoadOrCreateSecretCreatesAndReuses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "nested")
	first, err := LoadOrCreateSecret(dir, "")
	if err != nil {
		t.Fatalf("LoadOrCreateSecret(new dir) error: %v", err)
	}
	if raw, err := hex.DecodeString(string(first)); err != nil || len(raw) != generatedSecretLen {
		t.Errorf("generated secret %q: want %d random bytes in hex", first, generatedSecretLen)
	}
	assertMode(t, dir, 0o700)
	assertMode(t, filepath.Join(dir, SecretFileName), 0o600)
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("data dir holds %d entries, want only %s (no temporary files left)", len(entries), SecretFileName)
	}

	second, err := LoadOrCreateSecret(dir, "")
	if err != nil || !bytes.Equal(first, second) {
		t.Errorf("second LoadOrCreateSecret = %q, %v; want the first secret %q again", second, err, first)
	}
}

func TestLoadOrCreateSecretFixesLooseMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, SecretFileName)
	want := strings.Repeat("ab", 40)
	if err := os.WriteFile(path, []byte(want+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil { // umask may have narrowed it
		t.Fatal(err)
	}
	got, err := LoadOrCreateSecret(dir, "")
	if err != nil || string(got) != want {
		t.Errorf("LoadOrCreateSecret(file with mode 0644) = %q, %v; want %q, nil", got, err, want)
	}
	assertMode(t, path, 0o600)
}

func TestLoadOrCreateSecretRefusesBadFiles(t *testing.T) {
	short := t.TempDir()
	if err := os.WriteFile(filepath.Join(short, SecretFileName), []byte("too short\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	notFile := t.TempDir()
	if err := os.Mkdir(filepath.Join(notFile, SecretFileName), 0o700); err != nil {
		t.Fatal(err)
	}
	for name, dir := range map[string]string{"short secret": short, "directory": notFile, "no data dir": ""} {
		if got, err := LoadOrCreateSecret(dir, ""); err == nil {
			t.Errorf("%s: LoadOrCreateSecret = %q, nil; want an error", name, got)
		}
	}
}

// TestLoadOrCreateSecretConcurrentStart checks that processes starting
// together on an empty data dir end up with one secret, not one each.
func TestLoadOrCreateSecretConcurrentStart(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	secrets := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { secrets[i], errs[i] = LoadOrCreateSecret(dir, "") })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || !bytes.Equal(secrets[i], secrets[0]) {
			t.Errorf("caller %d got %q, %v; want %q like caller 0", i, secrets[i], errs[i], secrets[0])
		}
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("stat %s: %v", path, err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("mode of %s = %#o, want %#o", path, got, want)
	}
}
