package auth

import (
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
)

var phcPattern = regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestHashPasswordRoundTrip(t *testing.T) {
	for _, pw := range []string{"correct horse battery staple", "รักเธอตลอดไป-2025", "", strings.Repeat("x", 128)} {
		hash, err := HashPassword(pw)
		if err != nil {
			t.Fatalf("HashPassword(%q) error: %v", pw, err)
		}
		if !phcPattern.MatchString(hash) {
			t.Errorf("HashPassword(%q) = %q, want the PHC form $argon2id$v=19$m=19456,t=2,p=1$salt$hash", pw, hash)
		}
		if ok, err := CheckPassword(hash, pw); !ok || err != nil {
			t.Errorf("CheckPassword(hash of %q, same) = %v, %v; want true, nil", pw, ok, err)
		}
		if ok, err := CheckPassword(hash, pw+"!"); ok || err != nil {
			t.Errorf("CheckPassword(hash of %q, %q) = %v, %v; want false, nil", pw, pw+"!", ok, err)
		}
		if NeedsRehash(hash) {
			t.Errorf("NeedsRehash(fresh hash) = true, want false")
		}
	}
}

func TestHashPasswordSaltsEachHash(t *testing.T) {
	a, _ := HashPassword("same password")
	b, _ := HashPassword("same password")
	if a == b {
		t.Errorf("two HashPassword calls gave the same hash %q; want different salts", a)
	}
}

// TestCheckPasswordReadsParameters proves that stored parameters, not the
// current constants, drive verification, so the constants can be raised.
func TestCheckPasswordReadsParameters(t *testing.T) {
	salt := []byte("0123456789abcdef")
	key := argon2.IDKey([]byte("old password"), salt, 1, 8192, 2, 32)
	hash := encodePHC(argonParams{memory: 8192, time: 1, threads: 2, salt: salt, key: key})
	if ok, err := CheckPassword(hash, "old password"); !ok || err != nil {
		t.Errorf("CheckPassword(%q, right) = %v, %v; want true, nil", hash, ok, err)
	}
	if ok, err := CheckPassword(hash, "new password"); ok || err != nil {
		t.Errorf("CheckPassword(%q, wrong) = %v, %v; want false, nil", hash, ok, err)
	}
	if !NeedsRehash(hash) {
		t.Errorf("NeedsRehash(%q) = false, want true", hash)
	}
}

func TestCheckPasswordRefusesMalformedHashes(t *testing.T) {
	good, err := HashPassword("pw")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, "$") // "", argon2id, v=19, params, salt, hash
	salt, key := parts[4], parts[5]
	shortSalt := base64.RawStdEncoding.EncodeToString([]byte("1234567"))
	shortKey := base64.RawStdEncoding.EncodeToString(make([]byte, 15))
	build := func(alg, version, params, salt, key string) string {
		return "$" + alg + "$" + version + "$" + params + "$" + salt + "$" + key
	}
	const p = "m=19456,t=2,p=1"
	tests := map[string]string{
		"empty":             "",
		"bcrypt":            "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":           build("argon2i", "v=19", p, salt, key),
		"argon2d":           build("argon2d", "v=19", p, salt, key),
		"old version":       build("argon2id", "v=16", p, salt, key),
		"no version":        "$argon2id$" + p + "$" + salt + "$" + key,
		"extra field":       good + "$x",
		"params reordered":  build("argon2id", "v=19", "t=2,m=19456,p=1", salt, key),
		"params missing":    build("argon2id", "v=19", "m=19456,t=2", salt, key),
		"params extra":      build("argon2id", "v=19", p+",k=1", salt, key),
		"non-numeric":       build("argon2id", "v=19", "m=lots,t=2,p=1", salt, key),
		"negative":          build("argon2id", "v=19", "m=19456,t=-2,p=1", salt, key),
		"plus sign":         build("argon2id", "v=19", "m=+19456,t=2,p=1", salt, key),
		"leading zero":      build("argon2id", "v=19", "m=019456,t=2,p=1", salt, key),
		"time zero":         build("argon2id", "v=19", "m=19456,t=0,p=1", salt, key),
		"threads zero":      build("argon2id", "v=19", "m=19456,t=2,p=0", salt, key),
		"threads too many":  build("argon2id", "v=19", "m=19456,t=2,p=256", salt, key),
		"memory too small":  build("argon2id", "v=19", "m=7,t=2,p=1", salt, key),
		"memory too large":  build("argon2id", "v=19", "m=4194304,t=2,p=1", salt, key),
		"time too large":    build("argon2id", "v=19", "m=19456,t=100000,p=1", salt, key),
		"memory overflow":   build("argon2id", "v=19", "m=99999999999,t=2,p=1", salt, key),
		"salt padded":       build("argon2id", "v=19", p, salt+"==", key),
		"salt not base64":   build("argon2id", "v=19", p, "!!!!!!!!!!!!!!!!!!!!!!", key),
		"salt too short":    build("argon2id", "v=19", p, shortSalt, key),
		"salt empty":        build("argon2id", "v=19", p, "", key),
		"hash url-encoding": build("argon2id", "v=19", p, salt, strings.NewReplacer("+", "-", "/", "_").Replace(key)+"-_"),
		"hash too short":    build("argon2id", "v=19", p, salt, shortKey),
		"hash empty":        build("argon2id", "v=19", p, salt, ""),
	}
	for name, hash := range tests {
		ok, err := CheckPassword(hash, "pw")
		if ok || !errors.Is(err, ErrMalformedHash) {
			t.Errorf("%s: CheckPassword(%q, pw) = %v, %v; want false, ErrMalformedHash", name, hash, ok, err)
		}
		if !NeedsRehash(hash) {
			t.Errorf("%s: NeedsRehash(%q) = false, want true", name, hash)
		}
	}
}

func TestDummyHashUsesCurrentParameters(t *testing.T) {
	if _, err := parsePHC(dummyHash); err != nil {
		t.Fatalf("parsePHC(dummyHash) error: %v", err)
	}
	if NeedsRehash(dummyHash) {
		t.Errorf("NeedsRehash(dummyHash) = true; regenerate dummyHash with HashPassword after changing the parameters")
	}
	if ok, err := CheckPassword(dummyHash, "password123"); ok || err != nil {
		t.Errorf("CheckPassword(dummyHash, password123) = %v, %v; want false, nil", ok, err)
	}
	DummyCheck("anything") // must not panic
}

func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckPassword(b *testing.B) {
	hash, _ := HashPassword("correct horse battery staple")
	for b.Loop() {
		if _, err := CheckPassword(hash, "correct horse battery staple"); err != nil {
			b.Fatal(err)
		}
	}
}
