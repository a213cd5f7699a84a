package api_test

import (
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/readi-platform/readi/internal/config"
	"github.com/readi-platform/readi/internal/store/storetest"
)

func TestRegisterValidation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		h.register("Dara") // takes dara.1@example.org
		cases := []struct {
			name   string
			body   any
			status int
			code   string
			field  string
			key    string
		}{
			{"empty body", "", 400, "request.malformed", "", ""},
			{"not json", "{email:", 400, "request.malformed", "", ""},
			{"array", "[]", 400, "request.malformed", "", ""},
			{"trailing data", `{"email":"a@b.org","password":"x","display_name":"y"} {}`, 400, "request.malformed", "", ""},
			{"wrong type", `{"email":5,"password":"a-long-passphrase","display_name":"A"}`, 422, "validation.failed", "email", "field.wrong_type"},
			{"unknown field", `{"email":"a@b.org","password":"a-long-passphrase","display_name":"A","role":"admin"}`, 422, "validation.failed", "role", "field.unknown"},
			{"missing email", map[string]string{"password": "a-long-passphrase", "display_name": "A"}, 422, "validation.failed", "email", "field.required"},
			{"bad email", map[string]string{"email": "not-an-address", "password": "a-long-passphrase", "display_name": "A"}, 422, "validation.failed", "email", "email.invalid"},
			{"short password", map[string]string{"email": "s@example.org", "password": "short", "display_name": "A"}, 422, "validation.failed", "password", "password.too_short"},
			{"long password", map[string]string{"email": "s@example.org", "password": strings.Repeat("x", 129), "display_name": "A"}, 422, "validation.failed", "password", "password.too_long"},
			{"common password", map[string]string{"email": "s@example.org", "password": "password123", "display_name": "A"}, 422, "validation.failed", "password", "password.common"},
			{"missing name", map[string]string{"email": "s@example.org", "password": "a-long-passphrase"}, 422, "validation.failed", "display_name", "field.required"},
			{"taken email", map[string]string{"email": "DARA.1@example.org", "password": "a-long-passphrase", "display_name": "A"}, 409, "auth.email_taken", "", ""},
		}
		for _, c := range cases {
			got := h.do(req{Method: "POST", Path: "/api/v1/auth/register", Body: c.body})
			if got.Status != c.status || errorCode(got) != c.code {
				t.Errorf("%s: register = %d %s, want %d %s", c.name, got.Status, got.Body, c.status, c.code)
				continue
			}
			if c.field != "" {
				fields, _ := got.JSON["error"].(map[string]any)["fields"].(map[string]any)
				if fields[c.field] != c.key {
					t.Errorf("%s: fields = %v, want %s: %s", c.name, fields, c.field, c.key)
				}
			}
		}
		// A 64-character password is accepted (the floor of the maximum).
		h.expect(201, req{Method: "POST", Path: "/api/v1/auth/register",
			Body: map[string]string{"email": "long@example.org", "password": strings.Repeat("ab3", 22), "display_name": "L"}})
	})
}

func TestLoginRefreshLogout(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		s := h.register("Mai")
		email := s.User["email"].(string)
		pw := "kopi-susu-Mai-pagi"
		h.expect(401, req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": email, "password": "wrong-password!"}})
		h.expect(401, req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": "nobody@example.org", "password": pw}})
		h.expect(422, req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": email}})
		login := h.expect(200, req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": strings.ToUpper(email), "password": pw}})
		if c := login.Header.Get("Set-Cookie"); !strings.Contains(c, "readi_refresh=") || !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Strict") {
			t.Errorf("login Set-Cookie = %q, want an httpOnly SameSite=Strict refresh cookie", c)
		}
		first := sessionOf(login)
		h.expect(200, req{Method: "GET", Path: "/api/v1/me", Token: first.Access})

		// Refresh by body rotates the token.
		second := sessionOf(h.expect(200, req{Method: "POST", Path: "/api/v1/auth/refresh", Body: map[string]string{"refresh_token": first.Refresh}}))
		if second.Refresh == first.Refresh {
			t.Fatal("refresh returned the same refresh token, want a rotated one")
		}
		// Refresh by cookie works too.
		third := sessionOf(h.expect(200, req{Method: "POST", Path: "/api/v1/auth/refresh", Header: map[string]string{"Cookie": "readi_refresh=" + second.Refresh}}))
		// Reusing a spent token revokes every refresh token of the user.
		got := h.expect(401, req{Method: "POST", Path: "/api/v1/auth/refresh", Body: map[string]string{"refresh_token": first.Refresh}})
		if errorCode(got) != "auth.refresh_invalid" {
			t.Errorf("reuse = %s, want auth.refresh_invalid", got.Body)
		}
		h.expect(401, req{Method: "POST", Path: "/api/v1/auth/refresh", Body: map[string]string{"refresh_token": third.Refresh}})
		h.expect(401, req{Method: "POST", Path: "/api/v1/auth/refresh", Body: map[string]string{"refresh_token": s.Refresh}})

		// Logout revokes the token it is given.
		fresh := sessionOf(h.expect(200, req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": email, "password": pw}}))
		h.expect(204, req{Method: "POST", Path: "/api/v1/auth/logout", Body: map[string]string{"refresh_token": fresh.Refresh}})
		h.expect(401, req{Method: "POST", Path: "/api/v1/auth/refresh", Body: map[string]string{"refresh_token": fresh.Refresh}})
		h.expect(400, req{Method: "POST", Path: "/api/v1/auth/refresh", Body: "{nope"})
		h.expect(422, req{Method: "POST", Path: "/api/v1/auth/refresh", Body: `{"refresh_token": 7}`})
	})
}

func TestLoginRateLimit(t *testing.T) {
	h := newHarness(t, storetest.Engines()[0], func(c *config.Config) { c.LoginLimit = 3; c.LoginWindow = time.Minute })
	s := h.register("Rin")
	body := map[string]string{"email": s.User["email"].(string), "password": "wrong-password!"}
	for i := 0; i < 3; i++ {
		h.expect(401, req{Method: "POST", Path: "/api/v1/auth/login", Body: body})
	}
	got := h.expect(429, req{Method: "POST", Path: "/api/v1/auth/login", Body: body})
	if errorCode(got) != "rate_limited" || got.Header.Get("Retry-After") == "" {
		t.Fatalf("4th login = %s Retry-After %q, want rate_limited with Retry-After", got.Body, got.Header.Get("Retry-After"))
	}
	// The right password does not get past the limit either.
	body["password"] = "kopi-susu-Rin-pagi"
	h.expect(429, req{Method: "POST", Path: "/api/v1/auth/login", Body: body})
}

// forge signs claims with the given method and key.
func forge(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestBadTokensAreRefused(t *testing.T) {
	h := newHarness(t, storetest.Engines()[0], nil)
	s := h.register("Tan")
	secret := []byte(strings.Repeat("test-secret-", 4))
	id := "1"
	now := time.Now()
	valid := jwt.MapClaims{"sub": id, "role": "admin", "iss": "readi", "aud": "readi", "iat": now.Unix(), "exp": now.Add(time.Minute).Unix(), "jti": "x1"}
	with := func(k string, v any) jwt.MapClaims {
		c := jwt.MapClaims{}
		for kk, vv := range valid {
			c[kk] = vv
		}
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	parts := strings.Split(s.Access, ".")
	cases := map[string]struct {
		token string
		code  string
	}{
		"expired":        {forge(t, jwt.SigningMethodHS256, secret, with("exp", now.Add(-time.Hour).Unix())), "auth.token_expired"},
		"other secret":   {forge(t, jwt.SigningMethodHS256, []byte(strings.Repeat("z", 48)), valid), "auth.token_invalid"},
		"HS512":          {forge(t, jwt.SigningMethodHS512, secret, valid), "auth.token_invalid"},
		"alg none":       {forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, valid), "auth.token_invalid"},
		"no exp":         {forge(t, jwt.SigningMethodHS256, secret, with("exp", nil)), "auth.token_invalid"},
		"no iat":         {forge(t, jwt.SigningMethodHS256, secret, with("iat", nil)), "auth.token_invalid"},
		"wrong issuer":   {forge(t, jwt.SigningMethodHS256, secret, with("iss", "evil")), "auth.token_invalid"},
		"wrong audience": {forge(t, jwt.SigningMethodHS256, secret, with("aud", "evil")), "auth.token_invalid"},
		"tampered":       {parts[0] + "." + parts[1] + "x." + parts[2], "auth.token_invalid"},
		"garbage":        {"not-a-token", "auth.token_invalid"},
	}
	for name, c := range cases {
		got := h.do(req{Method: "GET", Path: "/api/v1/me", Token: c.token})
		if got.Status != 401 || errorCode(got) != c.code {
			t.Errorf("%s: GET /me = %d %s, want 401 %s", name, got.Status, got.Body, c.code)
		}
	}
	got := h.do(req{Method: "GET", Path: "/api/v1/me", Header: map[string]string{"Authorization": "Basic abc"}})
	if got.Status != 401 {
		t.Errorf("Basic auth: GET /me = %d, want 401", got.Status)
	}
}
