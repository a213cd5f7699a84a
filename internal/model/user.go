package model

import (
	"encoding/json"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// User is an account. Learners who joined with a class code have no e-mail
// address and are known by a nickname (DisplayName).
type User struct {
	ID           int64     `json:"id"`
	Email        *string   `json:"email"`
	PasswordHash string    `json:"-"`
	RecoveryHash *string   `json:"-"`
	DisplayName  string    `json:"display_name"`
	Role         Role      `json:"role"`
	Locale       string    `json:"locale"`
	Country      string    `json:"country"`
	Disabled     bool      `json:"disabled"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Countries are the ten ASEAN member states by ISO 3166-1 alpha-2 code,
// the only countries a profile can name (reporting advice is per country).
var Countries = []string{"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"}

// Locales the interface can be shown in.
var Locales = []string{"en", "th", "id", "ms", "vi", "fil", "km", "lo", "my", "zh"}

// ValidationError carries field-keyed translation keys for a 422 reply.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k, v := range e.Fields {
		keys = append(keys, k+": "+v)
	}
	return "validation failed: " + strings.Join(keys, ", ")
}

// fieldErrors collects field problems and becomes an error only if any.
type fieldErrors map[string]string

func (f fieldErrors) add(field, key string) {
	if _, dup := f[field]; !dup {
		f[field] = key
	}
}

func (f fieldErrors) err() error {
	if len(f) == 0 {
		return nil
	}
	return &ValidationError{Fields: f}
}

// NormalizeEmail lower-cases and trims an address so lookups are exact.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// RegisterRequest is the body of POST /api/v1/auth/register. The password
// policy (length, common passwords) is checked by the auth package.
type RegisterRequest struct {
	Email       string `json:"email"`
	Password    string `json:"password"`
	DisplayName string `json:"display_name"`
}

// Validate checks the fields that need no lookup.
func (r *RegisterRequest) Validate() error {
	f := fieldErrors{}
	r.Email = NormalizeEmail(r.Email)
	r.DisplayName = strings.TrimSpace(r.DisplayName)
	if r.Email == "" {
		f.add("email", "field.required")
	} else if a, err := mail.ParseAddress(r.Email); err != nil || a.Address != r.Email || len(r.Email) > 254 {
		f.add("email", "email.invalid")
	}
	if r.Password == "" {
		f.add("password", "field.required")
	}
	validateName(f, "display_name", r.DisplayName)
	return f.err()
}

func validateName(f fieldErrors, field, name string) {
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		f.add(field, "field.required")
	case n > 60:
		f.add(field, "field.too_long")
	case strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		f.add(field, "field.invalid")
	}
}

// LoginRequest is the body of POST /api/v1/auth/login.
type LoginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// Validate checks that both fields are present.
func (r *LoginRequest) Validate() error {
	f := fieldErrors{}
	r.Email = NormalizeEmail(r.Email)
	if r.Email == "" {
		f.add("email", "field.required")
	}
	if r.Password == "" {
		f.add("password", "field.required")
	}
	if len(r.Password) > 1024 {
		f.add("password", "password.too_long")
	}
	return f.err()
}

// RefreshRequest carries a refresh token for clients that cannot use the
// cookie; browsers send the cookie and an empty body.
type RefreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

// ProfilePatch is the body of PATCH /api/v1/me: nil fields stay unchanged.
type ProfilePatch struct {
	DisplayName *string `json:"display_name"`
	Locale      *string `json:"locale"`
	Country     *string `json:"country"`
}

// Validate checks every field that is present.
func (p *ProfilePatch) Validate() error {
	f := fieldErrors{}
	if p.DisplayName != nil {
		*p.DisplayName = strings.TrimSpace(*p.DisplayName)
		validateName(f, "display_name", *p.DisplayName)
	}
	if p.Locale != nil && *p.Locale != "" && !contains(Locales, *p.Locale) {
		f.add("locale", "locale.unknown")
	}
	if p.Country != nil && *p.Country != "" && !contains(Countries, *p.Country) {
		f.add("country", "country.unknown")
	}
	return f.err()
}

// Apply copies the present fields onto u.
func (p ProfilePatch) Apply(u *User) {
	if p.DisplayName != nil {
		u.DisplayName = *p.DisplayName
	}
	if p.Locale != nil {
		u.Locale = *p.Locale
	}
	if p.Country != nil {
		u.Country = *p.Country
	}
}

// AttemptRequest is the body of POST /api/v1/quizzes/{id}/attempts: one
// raw JSON answer per question id, graded by internal/grading.
type AttemptRequest struct {
	Answers map[string]json.RawMessage `json:"answers"`
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
