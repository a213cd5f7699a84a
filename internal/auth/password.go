// Package auth holds READI's security building blocks: password hashing and
// policy, access tokens (JWT), the signing secret, and opaque refresh and
// recovery tokens. It knows nothing about HTTP or the database; the API layer
// wraps it and the store keeps only the hashes it produces.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: the minimum configuration recommended by the OWASP
// Password Storage Cheat Sheet (19 MiB, t=2, p=1). About 45 ms and 19 MiB per
// hash, so a modest server can absorb a burst of logins while offline
// guessing of a leaked hash stays expensive. Stored hashes carry their own
// parameters, so raising these later only affects new hashes; NeedsRehash
// tells the caller when to upgrade.
const (
	argonMemory  = 19456 // KiB
	argonTime    = 2
	argonThreads = 1
	argonSaltLen = 16
	argonKeyLen  = 32
)

// Bounds on what CheckPassword accepts from a stored hash. They stop a
// corrupted or planted row from making one login allocate gigabytes or spin
// for minutes, while leaving room to raise the parameters above.
const (
	maxArgonMemory  = 1 << 20 // 1 GiB in KiB
	maxArgonTime    = 64
	minSaltLen      = 8
	maxSaltLen      = 64
	minKeyLen       = 16
	maxKeyLen       = 128
	phcPrefix       = "$argon2id$"
	phcVersionField = "v=19"
)

// ErrMalformedHash is returned by CheckPassword for a stored hash that is not
// an argon2id PHC string it can verify. It signals corrupt data, not a wrong
// password.
var ErrMalformedHash = errors.New("auth: malformed password hash")

// dummyHash is a real hash (of a random, forgotten password) at the current
// parameters. DummyCheck verifies against it so an unknown account costs as
// much time as a known one; TestDummyHashUsesCurrentParameters keeps it in
// step with the constants above.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$Bi8P5x+sn3CHXDTrtvp2oQ$Ygu01IDxP6ijAYYpTNWbMCybJvVQkDke9Loe1FXItWM"

// argonParams are the parameters and salt decoded from a PHC string.
type argonParams struct {
	memory  uint32
	time    uint32
	threads uint8
	salt    []byte
	key     []byte
}

// HashPassword returns an argon2id hash of pw in the PHC string format
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, with a fresh random salt.
// Check the password policy first; HashPassword accepts any string.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: reading salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return encodePHC(argonParams{memory: argonMemory, time: argonTime, threads: argonThreads, salt: salt, key: key}), nil
}

// CheckPassword reports whether pw matches hash. The comparison is constant
// time. A malformed hash is an error (wrapping ErrMalformedHash) rather than a
// plain mismatch, so that data corruption is noticed and logged.
func CheckPassword(hash, pw string) (bool, error) {
	p, err := parsePHC(hash)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pw), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(got, p.key) == 1, nil
}

// DummyCheck spends the same time as CheckPassword on a real hash and always
// fails. Call it when a login names an unknown account, so that response
// times do not reveal which e-mail addresses are registered.
func DummyCheck(pw string) {
	_, _ = CheckPassword(dummyHash, pw)
}

// NeedsRehash reports whether hash was made with parameters other than the
// current ones (or is unreadable). After a successful login the caller can
// then store a fresh HashPassword of the password it just verified.
func NeedsRehash(hash string) bool {
	p, err := parsePHC(hash)
	if err != nil {
		return true
	}
	return p.memory != argonMemory || p.time != argonTime || p.threads != argonThreads ||
		len(p.salt) != argonSaltLen || len(p.key) != argonKeyLen
}

func encodePHC(p argonParams) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s",
		p.memory, p.time, p.threads, b64.EncodeToString(p.salt), b64.EncodeToString(p.key))
}

// parsePHC decodes $argon2id$v=19$m=M,t=T,p=P$salt$hash. It is strict: the
// parameters must appear in that order, once each, as plain decimals, and
// salt and hash must be unpadded standard base64, as every PHC encoder writes.
func parsePHC(s string) (argonParams, error) {
	var p argonParams
	rest, ok := strings.CutPrefix(s, phcPrefix)
	if !ok {
		return p, fmt.Errorf("%w: not argon2id", ErrMalformedHash)
	}
	fields := strings.Split(rest, "$")
	if len(fields) != 4 {
		return p, fmt.Errorf("%w: want 4 fields after the algorithm, got %d", ErrMalformedHash, len(fields))
	}
	if fields[0] != phcVersionField {
		return p, fmt.Errorf("%w: unsupported version %q", ErrMalformedHash, fields[0])
	}
	params := strings.Split(fields[1], ",")
	if len(params) != 3 {
		return p, fmt.Errorf("%w: want parameters m,t,p", ErrMalformedHash)
	}
	m, err1 := phcUint(params[0], "m=", maxArgonMemory)
	t, err2 := phcUint(params[1], "t=", maxArgonTime)
	th, err3 := phcUint(params[2], "p=", 255)
	if err := errors.Join(err1, err2, err3); err != nil {
		return p, err
	}
	if t < 1 || th < 1 || m < 8*th {
		return p, fmt.Errorf("%w: parameters out of range", ErrMalformedHash)
	}
	p.memory, p.time, p.threads = uint32(m), uint32(t), uint8(th)

	b64 := base64.RawStdEncoding.Strict()
	if p.salt, err1 = b64.DecodeString(fields[2]); err1 != nil || len(p.salt) < minSaltLen || len(p.salt) > maxSaltLen {
		return p, fmt.Errorf("%w: bad salt", ErrMalformedHash)
	}
	if p.key, err1 = b64.DecodeString(fields[3]); err1 != nil || len(p.key) < minKeyLen || len(p.key) > maxKeyLen {
		return p, fmt.Errorf("%w: bad hash", ErrMalformedHash)
	}
	return p, nil
}

// phcUint parses one "k=123" parameter with an upper bound. Leading zeros and
// signs are refused so that each hash has exactly one spelling.
func phcUint(field, prefix string, max uint64) (uint64, error) {
	v, ok := strings.CutPrefix(field, prefix)
	if !ok || v == "" || (len(v) > 1 && v[0] == '0') || v[0] < '0' || v[0] > '9' {
		return 0, fmt.Errorf("%w: want %sN, got %q", ErrMalformedHash, prefix, field)
	}
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil || n > max {
		return 0, fmt.Errorf("%w: %s out of range", ErrMalformedHash, field)
	}
	return n, nil
}
