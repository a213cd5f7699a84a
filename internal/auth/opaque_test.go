package auth

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
)

func TestNewOpaqueToken(t *testing.T) {
	plain, hash, err := NewOpaqueToken()
	if err != nil {
		t.Fatalf("NewOpaqueToken error: %v", err)
	}
	if raw, err := base64.RawURLEncoding.DecodeString(plain); err != nil || len(raw) != 32 {
		t.Errorf("NewOpaqueToken plain = %q, want 32 bytes of unpadded base64url", plain)
	}
	if hash != HashOpaque(plain) || len(hash) != 64 {
		t.Errorf("NewOpaqueToken hash = %q, want HashOpaque(plain) = %q", hash, HashOpaque(plain))
	}
	other, _, _ := NewOpaqueToken()
	if other == plain {
		t.Errorf("two NewOpaqueToken calls returned %q", plain)
	}
}

func TestHashOpaque(t *testing.T) {
	// SHA-256 test vector from FIPS 180-2.
	const want = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	if got := HashOpaque("abc"); got != want {
		t.Errorf("HashOpaque(abc) = %s, want %s", got, want)
	}
}

var recoveryPattern = regexp.MustCompile(`^[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}$`)

func TestNewRecoveryCode(t *testing.T) {
	seen := map[rune]int{}
	codes := map[string]bool{}
	for range 500 {
		code, hash, err := NewRecoveryCode()
		if err != nil {
			t.Fatalf("NewRecoveryCode error: %v", err)
		}
		if !recoveryPattern.MatchString(code) {
			t.Fatalf("NewRecoveryCode = %q, want four hyphenated groups of four unambiguous symbols", code)
		}
		if hash != HashRecoveryCode(code) {
			t.Errorf("NewRecoveryCode hash = %q, want HashRecoveryCode(%q)", hash, code)
		}
		if codes[code] {
			t.Errorf("NewRecoveryCode repeated %q", code)
		}
		codes[code] = true
		for _, r := range strings.ReplaceAll(code, "-", "") {
			seen[r]++
		}
	}
	// 8000 symbols drawn from 31: each is expected about 258 times, so one
	// never drawn means the sampling is broken, not unlucky.
	for _, r := range recoveryAlphabet {
		if seen[r] == 0 {
			t.Errorf("symbol %q never appeared in 500 recovery codes", r)
		}
	}
	for _, r := range "01ILO" {
		if seen[r] != 0 {
			t.Errorf("ambiguous symbol %q appeared in a recovery code", r)
		}
	}
}

func TestRecoveryCodeNormalisation(t *testing.T) {
	const canonical = "K7QMX3TP9RWDFH2B"
	for _, typed := range []string{
		"K7QM-X3TP-9RWD-FH2B",
		"k7qm-x3tp-9rwd-fh2b",
		"k7qm x3tp 9rwd fh2b",
		" K7QM\tX3TP-9RWD FH2B\n",
		"K7QM–X3TP—9RWD-FH2B", // en and em dashes from a phone keyboard
		"k7qmx3tp9rwdfh2b",
	} {
		if got := NormalizeRecoveryCode(typed); got != canonical {
			t.Errorf("NormalizeRecoveryCode(%q) = %q, want %q", typed, got, canonical)
		}
		if HashRecoveryCode(typed) != HashOpaque(canonical) {
			t.Errorf("HashRecoveryCode(%q) differs from the hash of %q", typed, canonical)
		}
	}
	if HashRecoveryCode("K7QM-X3TP-9RWD-FH2C") == HashRecoveryCode("K7QM-X3TP-9RWD-FH2B") {
		t.Errorf("different recovery codes hash alike")
	}
}
