package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/golang-jwt/jwt/v5"

	"github.com/readi-platform/readi/internal/model"
)

var (
	testSecret = []byte("0123456789abcdef0123456789abcdef-test")
	testStart  = time.Date(2025, 11, 3, 9, 30, 15, 500, time.UTC)
)

// clock is a fake time source the tests move by hand.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

func newTestTokens(t *testing.T, c *clock) *Tokens {
	t.Helper()
	tok, err := NewTokens(Config{Secret: testSecret, Issuer: "https://readi.test", Audience: "readi-api", Now: c.Now})
	if err != nil {
		t.Fatalf("NewTokens: %v", err)
	}
	return tok
}

func TestAccessTokenRoundTrip(t *testing.T) {
	c := &clock{testStart}
	tokens := newTestTokens(t, c)
	token, exp, err := tokens.IssueAccess(42, model.RoleEducator)
	if err != nil {
		t.Fatalf("IssueAccess(42, educator) error: %v", err)
	}
	if want := testStart.Truncate(time.Second).Add(DefaultAccessTTL); !exp.Equal(want) {
		t.Errorf("IssueAccess expiry = %v, want %v", exp, want)
	}
	got, err := tokens.VerifyAccess(token)
	want := Claims{UserID: 42, Role: model.RoleEducator, ExpiresAt: exp}
	if err != nil || got.UserID != want.UserID || got.Role != want.Role || !got.ExpiresAt.Equal(want.ExpiresAt) {
		t.Errorf("VerifyAccess(issued) = %+v, %v; want %+v, nil", got, err, want)
	}

	// The payload carries exactly the documented claims.
	var payload map[string]any
	seg, _ := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[1])
	if err := json.Unmarshal(seg, &payload); err != nil {
		t.Fatalf("decoding payload: %v", err)
	}
	for _, k := range []string{"sub", "role", "iss", "aud", "iat", "exp", "jti"} {
		if _, ok := payload[k]; !ok {
			t.Errorf("token payload %v lacks %q", payload, k)
		}
	}
	if payload["sub"] != "42" {
		t.Errorf("sub = %v, want \"42\"", payload["sub"])
	}

	other, _, _ := tokens.IssueAccess(42, model.RoleEducator)
	if other == token {
		t.Errorf("two tokens issued in the same second are identical; jti should differ")
	}
}

func TestAccessTokenExpiry(t *testing.T) {
	c := &clock{testStart}
	tokens, err := NewTokens(Config{Secret: testSecret, Issuer: "i", Audience: "a", AccessTTL: time.Minute, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	token, exp, _ := tokens.IssueAccess(7, model.RoleLearner)

	c.t = exp.Add(29 * time.Second) // within the leeway
	if _, err := tokens.VerifyAccess(token); err != nil {
		t.Errorf("VerifyAccess 29s after expiry = %v, want nil (leeway)", err)
	}
	c.t = exp.Add(31 * time.Second)
	_, err = tokens.VerifyAccess(token)
	if !errors.Is(err, ErrTokenExpired) || errors.Is(err, ErrTokenInvalid) {
		t.Errorf("VerifyAccess 31s after expiry = %v, want ErrTokenExpired only", err)
	}
}

// TestRememberedTokensExpireAsTheyWould checks the verified-token cache
// changes no answer: a remembered token still fails at the moment it would
// have failed when parsed afresh, at both ends of its window, and a token
// that differs in one byte is not taken for a remembered one.
func TestRememberedTokensExpireAsTheyWould(t *testing.T) {
	c := &clock{testStart}
	tokens, err := NewTokens(Config{Secret: testSecret, Issuer: "i", Audience: "a", AccessTTL: time.Minute, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	token, exp, _ := tokens.IssueAccess(7, model.RoleLearner)
	issued := exp.Add(-time.Minute)
	for _, step := range []struct {
		at      time.Time
		wantErr error
	}{
		{testStart, nil}, // verified and remembered
		{testStart, nil}, // from the cache
		{exp.Add(clockLeeway - time.Second), nil},
		{exp.Add(clockLeeway), ErrTokenExpired},
		{testStart, nil},
		{issued.Add(-clockLeeway), nil},
		{issued.Add(-clockLeeway - time.Second), ErrTokenInvalid}, // issued in the future
		{testStart, nil},
	} {
		c.t = step.at
		got, err := tokens.VerifyAccess(token)
		if !errors.Is(err, step.wantErr) || (err == nil && (got.UserID != 7 || got.Role != model.RoleLearner || !got.ExpiresAt.Equal(exp))) {
			t.Errorf("VerifyAccess at %v = %+v, %v; want error %v", step.at, got, err, step.wantErr)
		}
	}
	tampered := []byte(token)
	tampered[len(tampered)-2] ^= 1
	if _, err := tokens.VerifyAccess(string(tampered)); !errors.Is(err, ErrTokenInvalid) {
		t.Errorf("VerifyAccess(remembered token with a byte changed) = %v, want ErrTokenInvalid", err)
	}
	other, _ := NewTokens(Config{Secret: append([]byte("another-"), testSecret...), Issuer: "i", Audience: "a", Now: c.Now})
	if _, err := other.VerifyAccess(token); !errors.Is(err, ErrTokenInvalid) {
		t.Errorf("VerifyAccess with another secret = %v, want ErrTokenInvalid", err)
	}
}

// Fiber hands handlers strings that share bytes with a request buffer it
// reuses for the next request; a remembered token must not change with it.
func TestRememberedTokenSurvivesItsBufferBeingReused(t *testing.T) {
	tokens := newTestTokens(t, &clock{testStart})
	first, _, _ := tokens.IssueAccess(7, model.RoleLearner)
	second, _, _ := tokens.IssueAccess(8, model.RoleLearner)
	if len(first) != len(second) {
		t.Fatalf("tokens of %d and %d bytes; the test needs equal lengths", len(first), len(second))
	}
	buf := []byte(first)
	if got, err := tokens.VerifyAccess(unsafe.String(&buf[0], len(buf))); err != nil || got.UserID != 7 {
		t.Fatalf("VerifyAccess(first) = %+v, %v", got, err)
	}
	copy(buf, second) // the next request arrives in the same buffer
	if got, err := tokens.VerifyAccess(second); err != nil || got.UserID != 8 {
		t.Errorf("VerifyAccess(second) = %+v, %v; want user 8", got, err)
	}
	if got, err := tokens.VerifyAccess(first); err != nil || got.UserID != 7 {
		t.Errorf("VerifyAccess(first) again = %+v, %v; want user 7", got, err)
	}
}

func TestVerifiedTokensStayBounded(t *testing.T) {
	c := &clock{testStart}
	tokens := newTestTokens(t, c)
	first, _, _ := tokens.IssueAccess(1, model.RoleLearner)
	if _, err := tokens.VerifyAccess(first); err != nil {
		t.Fatal(err)
	}
	for i := range maxVerifiedTokens + 10 {
		tok, _, _ := tokens.IssueAccess(int64(i+2), model.RoleLearner)
		if _, err := tokens.VerifyAccess(tok); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(tokens.verified.m); n > maxVerifiedTokens {
		t.Errorf("%d tokens remembered, want at most %d", n, maxVerifiedTokens)
	}
	if got, err := tokens.VerifyAccess(first); err != nil || got.UserID != 1 {
		t.Errorf("VerifyAccess(forgotten token) = %+v, %v; want it verified afresh", got, err)
	}
}

func BenchmarkVerifyAccess(b *testing.B) {
	c := &clock{testStart}
	tokens, err := NewTokens(Config{Secret: testSecret, Issuer: "i", Audience: "a", Now: c.Now})
	if err != nil {
		b.Fatal(err)
	}
	token, _, _ := tokens.IssueAccess(7, model.RoleLearner)
	b.Run("remembered", func(b *testing.B) {
		for b.Loop() {
			if _, err := tokens.VerifyAccess(token); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parsed", func(b *testing.B) {
		for b.Loop() {
			clear(tokens.verified.m)
			if _, err := tokens.VerifyAccess(token); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestNewTokensRefusesBadConfig(t *testing.T) {
	for name, cfg := range map[string]Config{
		"short secret":  {Secret: testSecret[:31], Issuer: "i", Audience: "a"},
		"no issuer":     {Secret: testSecret, Audience: "a"},
		"no audience":   {Secret: testSecret, Issuer: "i"},
		"negative TTL":  {Secret: testSecret, Issuer: "i", Audience: "a", AccessTTL: -time.Second},
		"nil secret":    {Issuer: "i", Audience: "a"},
		"empty config":  {},
		"secret 0 byte": {Secret: []byte{}, Issuer: "i", Audience: "a"},
	} {
		if _, err := NewTokens(cfg); err == nil {
			t.Errorf("%s: NewTokens(%+v) error = nil, want an error", name, cfg)
		}
	}
}

func TestIssueAccessRefusesBadInput(t *testing.T) {
	tokens := newTestTokens(t, &clock{testStart})
	if _, _, err := tokens.IssueAccess(0, model.RoleLearner); err == nil {
		t.Errorf("IssueAccess(0, learner) error = nil, want an error")
	}
	if _, _, err := tokens.IssueAccess(1, model.Role("root")); err == nil {
		t.Errorf("IssueAccess(1, root) error = nil, want an error")
	}
}

// validClaims are the claims of a token VerifyAccess accepts at testStart.
func validClaims() jwt.MapClaims {
	now := testStart.Unix()
	return jwt.MapClaims{
		"sub": "42", "role": "learner", "iss": "https://readi.test", "aud": []string{"readi-api"},
		"iat": now, "exp": now + 300, "jti": "abc",
	}
}

func sign(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatalf("signing test token: %v", err)
	}
	return s
}

// with returns validClaims changed by edit (a nil value deletes the claim).
func with(edit map[string]any) jwt.MapClaims {
	c := validClaims()
	for k, v := range edit {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

// unsignedToken builds an alg "none" token by hand, as an attacker would.
func unsignedToken(t *testing.T, alg string) string {
	t.Helper()
	h, _ := json.Marshal(map[string]string{"alg": alg, "typ": "JWT"})
	p, _ := json.Marshal(validClaims())
	enc := base64.RawURLEncoding.EncodeToString
	return enc(h) + "." + enc(p) + "."
}

func TestVerifyAccessRefusesForgedTokens(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	hs := jwt.SigningMethodHS256
	good := sign(t, hs, testSecret, validClaims())
	parts := strings.Split(good, ".")
	adminPayload, _ := json.Marshal(with(map[string]any{"role": "admin"}))
	now := testStart.Unix()

	tests := map[string]string{
		"alg none by hand":       unsignedToken(t, "none"),
		"alg None by hand":       unsignedToken(t, "None"),
		"alg HS256 no signature": unsignedToken(t, "HS256"),
		"alg none via library":   sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, validClaims()),
		"HS512 same secret":      sign(t, jwt.SigningMethodHS512, testSecret, validClaims()),
		"HS384 same secret":      sign(t, jwt.SigningMethodHS384, testSecret, validClaims()),
		"RS256":                  sign(t, jwt.SigningMethodRS256, rsaKey, validClaims()),
		"other secret":           sign(t, hs, []byte("another-secret-another-secret-0123"), validClaims()),
		"wrong issuer":           sign(t, hs, testSecret, with(map[string]any{"iss": "https://evil.test"})),
		"wrong audience":         sign(t, hs, testSecret, with(map[string]any{"aud": []string{"other-app"}})),
		"missing iss":            sign(t, hs, testSecret, with(map[string]any{"iss": nil})),
		"missing aud":            sign(t, hs, testSecret, with(map[string]any{"aud": nil})),
		"missing exp":            sign(t, hs, testSecret, with(map[string]any{"exp": nil})),
		"missing iat":            sign(t, hs, testSecret, with(map[string]any{"iat": nil})),
		"missing jti":            sign(t, hs, testSecret, with(map[string]any{"jti": nil})),
		"missing sub":            sign(t, hs, testSecret, with(map[string]any{"sub": nil})),
		"missing role":           sign(t, hs, testSecret, with(map[string]any{"role": nil})),
		"unknown role":           sign(t, hs, testSecret, with(map[string]any{"role": "superuser"})),
		"sub not a number":       sign(t, hs, testSecret, with(map[string]any{"sub": "alice"})),
		"sub zero":               sign(t, hs, testSecret, with(map[string]any{"sub": "0"})),
		"sub negative":           sign(t, hs, testSecret, with(map[string]any{"sub": "-5"})),
		"sub with plus":          sign(t, hs, testSecret, with(map[string]any{"sub": "+42"})),
		"sub as JSON number":     sign(t, hs, testSecret, with(map[string]any{"sub": 42})),
		"exp as text":            sign(t, hs, testSecret, with(map[string]any{"exp": "tomorrow"})),
		"issued in the future":   sign(t, hs, testSecret, with(map[string]any{"iat": now + 120, "exp": now + 600})),
		"expired, wrong issuer":  sign(t, hs, testSecret, with(map[string]any{"exp": now - 600, "iss": "x"})),
		"expired, no jti":        sign(t, hs, testSecret, with(map[string]any{"exp": now - 600, "jti": nil})),
		"payload swapped":        parts[0] + "." + base64.RawURLEncoding.EncodeToString(adminPayload) + "." + parts[2],
		"signature altered":      parts[0] + "." + parts[1] + "." + flip(parts[2]),
		"signature dropped":      parts[0] + "." + parts[1] + ".",
		"two segments":           parts[0] + "." + parts[1],
		"padded signature":       good + "=",
		"garbage":                "not-a-token",
		"empty":                  "",
		"huge":                   good + strings.Repeat("A", maxTokenLen),
	}
	tokens := newTestTokens(t, &clock{testStart})
	if _, err := tokens.VerifyAccess(good); err != nil {
		t.Fatalf("VerifyAccess(well-formed test token) = %v, want nil; the cases below would prove nothing", err)
	}
	for name, token := range tests {
		_, err := tokens.VerifyAccess(token)
		if !errors.Is(err, ErrTokenInvalid) || errors.Is(err, ErrTokenExpired) {
			t.Errorf("%s: VerifyAccess = %v, want ErrTokenInvalid", name, err)
		}
	}
}

// flip changes the first character of a base64url string to another valid one.
func flip(s string) string {
	if s[0] == 'A' {
		return "B" + s[1:]
	}
	return "A" + s[1:]
}
