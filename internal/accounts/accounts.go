// Package accounts is the sign-up, sign-in and session logic behind the
// /auth and /me routes: password policy, hashing, rate limits, access and
// rotating refresh tokens. The API layer only parses and responds.
package accounts

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/readi-platform/readi/internal/auth"
	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/ratelimit"
	"github.com/readi-platform/readi/internal/store"
)

// Errors the API maps to statuses; each carries its translation key.
var (
	ErrBadCredentials = &Error{Status: 401, Code: "auth.invalid_credentials", Msg: "wrong e-mail address or password"}
	ErrEmailTaken     = &Error{Status: 409, Code: "auth.email_taken", Msg: "an account with this e-mail address exists"}
	ErrRefreshInvalid = &Error{Status: 401, Code: "auth.refresh_invalid", Msg: "the session has ended; sign in again"}
	ErrDisabled       = &Error{Status: 403, Code: "auth.disabled", Msg: "this account is disabled"}
)

// Error is a domain error with the HTTP status and translation key it
// should be answered with.
type Error struct {
	Status int
	Code   string
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

// RateLimited is returned when a client or an account has made too many
// sign-in attempts.
type RateLimited struct{ RetryAfter time.Duration }

func (e *RateLimited) Error() string { return "too many attempts" }

// Session is what a successful sign-in returns.
type Session struct {
	User         model.User `json:"user"`
	AccessToken  string     `json:"access_token"`
	ExpiresAt    time.Time  `json:"expires_at"`
	RefreshToken string     `json:"refresh_token"`
	// RecoveryCode is shown once, to pseudonymous learners who joined by
	// class code; it is the only way back into their account elsewhere.
	RecoveryCode string `json:"recovery_code,omitempty"`
}

// Service holds what account operations need.
type Service struct {
	store      *store.Store
	tokens     *auth.Tokens
	refreshTTL time.Duration
	byClient   *ratelimit.Limiter
	byAccount  *ratelimit.Limiter
	// wrongCodes counts wrong class and recovery codes per client: only
	// failures count, so a classroom behind one address can all join.
	wrongCodes *ratelimit.Limiter
	nicknames  *nicknameFilter
}

// Options configure a Service.
type Options struct {
	RefreshTTL  time.Duration
	LoginLimit  int
	LoginWindow time.Duration
	// CodeLimit is how many wrong class or recovery codes a client may
	// send per LoginWindow; 0 means 20.
	CodeLimit int
}

// New builds the service.
func New(s *store.Store, tokens *auth.Tokens, o Options) *Service {
	if o.CodeLimit <= 0 {
		o.CodeLimit = 20
	}
	return &Service{
		store: s, tokens: tokens, refreshTTL: o.RefreshTTL,
		byClient:   ratelimit.New(o.LoginLimit, o.LoginWindow, nil),
		byAccount:  ratelimit.New(o.LoginLimit, o.LoginWindow, nil),
		wrongCodes: ratelimit.New(o.CodeLimit, o.LoginWindow, nil),
		nicknames:  newNicknameFilter(),
	}
}

// Register creates a learner account with an e-mail address and signs it in.
func (s *Service) Register(ctx context.Context, r model.RegisterRequest) (Session, error) {
	if err := r.Validate(); err != nil {
		return Session{}, err
	}
	if key := auth.CheckPasswordPolicy(r.Password); key != "" {
		return Session{}, &model.ValidationError{Fields: map[string]string{"password": key}}
	}
	hash, err := auth.HashPassword(r.Password)
	if err != nil {
		return Session{}, err
	}
	u := model.User{Email: &r.Email, PasswordHash: hash, DisplayName: r.DisplayName, Role: model.RoleLearner, Locale: "en"}
	if err := s.store.CreateUser(ctx, &u); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return Session{}, ErrEmailTaken
		}
		return Session{}, err
	}
	return s.startSession(ctx, u)
}

// CreateUser makes an account of any role (the `users create` command).
func (s *Service) CreateUser(ctx context.Context, email, password, name string, role model.Role) (model.User, error) {
	if name == "" {
		name = email
	}
	r := model.RegisterRequest{Email: email, Password: password, DisplayName: name}
	if err := r.Validate(); err != nil {
		return model.User{}, err
	}
	if !role.Valid() {
		return model.User{}, &model.ValidationError{Fields: map[string]string{"role": "role.unknown"}}
	}
	if key := auth.CheckPasswordPolicy(password); key != "" {
		return model.User{}, &model.ValidationError{Fields: map[string]string{"password": key}}
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return model.User{}, err
	}
	u := model.User{Email: &r.Email, PasswordHash: hash, DisplayName: r.DisplayName, Role: role, Locale: "en"}
	if err := s.store.CreateUser(ctx, &u); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return model.User{}, ErrEmailTaken
		}
		return model.User{}, err
	}
	return u, nil
}

// Login checks a password, limited per client address and per account so
// that neither one machine nor a botnet can guess a password.
func (s *Service) Login(ctx context.Context, r model.LoginRequest, clientIP string) (Session, error) {
	if err := r.Validate(); err != nil {
		return Session{}, err
	}
	if ok, wait := s.byClient.Allow(clientIP); !ok {
		return Session{}, &RateLimited{RetryAfter: wait}
	}
	if ok, wait := s.byAccount.Allow(r.Email); !ok {
		return Session{}, &RateLimited{RetryAfter: wait}
	}
	u, err := s.store.UserByEmail(ctx, r.Email)
	if errors.Is(err, store.ErrNotFound) {
		auth.DummyCheck(r.Password) // same time as a wrong password: no account enumeration
		return Session{}, ErrBadCredentials
	}
	if err != nil {
		return Session{}, err
	}
	ok, err := auth.CheckPassword(u.PasswordHash, r.Password)
	if err != nil || !ok {
		return Session{}, ErrBadCredentials
	}
	if u.Disabled {
		return Session{}, ErrDisabled
	}
	s.byAccount.Reset(r.Email)
	return s.startSession(ctx, u)
}

// Refresh spends a refresh token and returns a new session. A token used
// twice revokes every session of its user (store.RotateRefreshToken).
func (s *Service) Refresh(ctx context.Context, refreshToken string) (Session, error) {
	if refreshToken == "" || len(refreshToken) > 200 {
		return Session{}, ErrRefreshInvalid
	}
	plain, hash, err := auth.NewOpaqueToken()
	if err != nil {
		return Session{}, err
	}
	next := store.RefreshToken{TokenHash: hash, ExpiresAt: time.Now().Add(s.refreshTTL).UTC()}
	userID, err := s.store.RotateRefreshToken(ctx, auth.HashOpaque(refreshToken), &next)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrTokenReused) {
		return Session{}, ErrRefreshInvalid
	}
	if err != nil {
		return Session{}, err
	}
	u, err := s.store.UserByID(ctx, userID)
	if err != nil {
		return Session{}, ErrRefreshInvalid
	}
	if u.Disabled {
		return Session{}, ErrDisabled
	}
	access, exp, err := s.tokens.IssueAccess(u.ID, u.Role)
	if err != nil {
		return Session{}, err
	}
	return Session{User: u, AccessToken: access, ExpiresAt: exp, RefreshToken: plain}, nil
}

// Logout revokes one refresh token.
func (s *Service) Logout(ctx context.Context, refreshToken string) error {
	if refreshToken == "" {
		return nil
	}
	return s.store.RevokeRefreshToken(ctx, auth.HashOpaque(refreshToken))
}

// Authenticate turns an access token into the current user. It reads the
// user on every request so that a deleted or disabled account stops
// working at once, not when its token expires.
func (s *Service) Authenticate(ctx context.Context, token string) (model.User, error) {
	claims, err := s.tokens.VerifyAccess(token)
	if err != nil {
		return model.User{}, err
	}
	u, err := s.store.UserByID(ctx, claims.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return model.User{}, auth.ErrTokenInvalid
	}
	if err != nil {
		return model.User{}, err
	}
	if u.Disabled {
		return model.User{}, ErrDisabled
	}
	return u, nil
}

// UpdateProfile applies a validated patch.
func (s *Service) UpdateProfile(ctx context.Context, u model.User, p model.ProfilePatch) (model.User, error) {
	if err := p.Validate(); err != nil {
		return u, err
	}
	p.Apply(&u)
	return u, s.store.UpdateProfile(ctx, &u)
}

// Export returns everything stored about the user.
func (s *Service) Export(ctx context.Context, u model.User) (store.UserExport, error) {
	return s.store.ExportUser(ctx, u.ID)
}

// Delete erases the account and all its data; its tokens stop working.
func (s *Service) Delete(ctx context.Context, u model.User) error {
	return s.store.DeleteUser(ctx, u.ID)
}

func (s *Service) startSession(ctx context.Context, u model.User) (Session, error) {
	access, exp, err := s.tokens.IssueAccess(u.ID, u.Role)
	if err != nil {
		return Session{}, err
	}
	plain, hash, err := auth.NewOpaqueToken()
	if err != nil {
		return Session{}, err
	}
	family, _, err := auth.NewOpaqueToken()
	if err != nil {
		return Session{}, err
	}
	rt := store.RefreshToken{UserID: u.ID, TokenHash: hash, Family: family[:16], ExpiresAt: time.Now().Add(s.refreshTTL).UTC()}
	if err := s.store.CreateRefreshToken(ctx, &rt); err != nil {
		return Session{}, err
	}
	return Session{User: u, AccessToken: access, ExpiresAt: exp, RefreshToken: plain}, nil
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }
