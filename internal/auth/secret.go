package auth

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// SecretFileName is the file under the data directory that holds the
// generated JWT secret when READI_JWT_SECRET is not set.
const SecretFileName = "jwt-secret"

// generatedSecretLen is the number of random bytes in a generated secret:
// 512 bits, the HMAC-SHA256 block size, so the key is never hashed down.
const generatedSecretLen = 64

// LoadOrCreateSecret returns the HMAC key for access tokens.
//
// If fromEnv is set (READI_JWT_SECRET) its bytes are the key, as typed; it
// must be at least MinSecretLen bytes. Replicas behind a load balancer must
// share it, so it is the way to run more than one instance.
//
// Otherwise the key is the content of <dataDir>/jwt-secret (surrounding white
// space ignored), created on first start as 64 random bytes in hex with mode
// 0600, so that a single-node install needs no configuration and its users
// stay signed in across restarts. The file is written to a temporary name and
// then linked into place, so a crash never leaves half a secret and two
// processes starting together agree on one secret. A file that others can
// read has its mode tightened to 0600 rather than refusing to start: the
// secret may already be exposed, but the fix costs the operator nothing.
func LoadOrCreateSecret(dataDir, fromEnv string) ([]byte, error) {
	if fromEnv != "" {
		if len(fromEnv) < MinSecretLen {
			return nil, fmt.Errorf("auth: READI_JWT_SECRET is %d bytes, need at least %d", len(fromEnv), MinSecretLen)
		}
		return []byte(fromEnv), nil
	}
	if dataDir == "" {
		return nil, errors.New("auth: no data directory for the JWT secret")
	}
	path := filepath.Join(dataDir, SecretFileName)
	secret, err := readSecret(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return secret, err
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("auth: creating data directory: %w", err)
	}
	if err := createSecret(path); err != nil {
		return nil, err
	}
	return readSecret(path)
}

// readSecret reads an existing secret file, fixing loose permissions.
func readSecret(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err // may be fs.ErrNotExist, which the caller handles
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("auth: %s is not a regular file", path)
	}
	if info.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(path, 0o600); err != nil {
			return nil, fmt.Errorf("auth: restricting %s to mode 0600: %w", path, err)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("auth: reading JWT secret: %w", err)
	}
	secret := bytes.TrimSpace(data)
	if len(secret) < MinSecretLen {
		return nil, fmt.Errorf("auth: %s holds %d bytes, need at least %d; delete it to generate a new one", path, len(secret), MinSecretLen)
	}
	return secret, nil
}

// createSecret writes a fresh secret to path unless another process got
// there first, in which case the existing file wins.
func createSecret(path string) error {
	raw := make([]byte, generatedSecretLen)
	if _, err := rand.Read(raw); err != nil {
		return fmt.Errorf("auth: generating JWT secret: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+SecretFileName+"-*") // created with mode 0600
	if err != nil {
		return fmt.Errorf("auth: creating JWT secret: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the link, only the temporary name goes
	if _, err := tmp.WriteString(hex.EncodeToString(raw) + "\n"); err != nil {
		tmp.Close()
		return fmt.Errorf("auth: writing JWT secret: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("auth: writing JWT secret: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("auth: writing JWT secret: %w", err)
	}
	// Link, unlike rename, fails if the target exists, so a secret another
	// process just created is never replaced under it. Some file systems
	// cannot hard-link; there rename is the next best atomic step.
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil
		}
		if err := os.Rename(tmp.Name(), path); err != nil {
			return fmt.Errorf("auth: installing JWT secret: %w", err)
		}
	}
	syncDir(filepath.Dir(path))
	return nil
}

// syncDir makes the new directory entry durable where the platform allows;
// failure only means a crash right now could lose a secret that nothing has
// used yet, so it is not reported.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
