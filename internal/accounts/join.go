package accounts

import (
	"context"
	"errors"

	"github.com/readi-platform/readi/internal/auth"
	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// Errors of joining by class code.
var (
	ErrClassCodeUnknown = &Error{Status: 404, Code: "class.code_unknown", Msg: "no open class has this code"}
	ErrRecoveryInvalid  = &Error{Status: 401, Code: "auth.recovery_invalid", Msg: "this recovery code is not valid"}
)

// checkCodeLimit refuses a client that has sent too many wrong class or
// recovery codes, before any lookup, so guessing gets nowhere.
func (s *Service) checkCodeLimit(clientKey string) error {
	if ok, wait := s.wrongCodes.Check(clientKey); !ok {
		return &RateLimited{RetryAfter: wait}
	}
	return nil
}

func (s *Service) countWrongCode(clientKey string) { s.wrongCodes.Allow(clientKey) }

// Join creates a pseudonymous learner (a nickname, no e-mail) in the class
// with the code and signs them in. The recovery code it returns is shown
// once: it is the only way back into the account on another device.
func (s *Service) Join(ctx context.Context, r model.JoinRequest, clientIP string) (Session, error) {
	if err := r.Validate(); err != nil {
		return Session{}, err
	}
	if s.nicknames.blocked(r.Nickname) {
		return Session{}, &model.ValidationError{Fields: map[string]string{"nickname": "nickname.not_allowed"}}
	}
	if err := s.checkCodeLimit(clientIP); err != nil {
		return Session{}, err
	}
	class, err := s.store.ClassByCode(ctx, r.Code)
	if errors.Is(err, store.ErrNotFound) {
		s.countWrongCode(clientIP)
		return Session{}, ErrClassCodeUnknown
	}
	if err != nil {
		return Session{}, err
	}
	code, hash, err := auth.NewRecoveryCode()
	if err != nil {
		return Session{}, err
	}
	u := model.User{DisplayName: r.Nickname, Role: model.RoleLearner, RecoveryHash: &hash, Locale: "en"}
	if err := s.store.CreateJoiner(ctx, &u, class.ID); err != nil {
		return Session{}, err
	}
	sess, err := s.startSession(ctx, u)
	sess.RecoveryCode = code
	return sess, err
}

// Recover signs a pseudonymous learner in with their recovery code and
// replaces it with a new one (each code works once).
func (s *Service) Recover(ctx context.Context, r model.RecoverRequest, clientIP string) (Session, error) {
	norm := auth.NormalizeRecoveryCode(r.RecoveryCode)
	if norm == "" {
		return Session{}, &model.ValidationError{Fields: map[string]string{"recovery_code": "field.required"}}
	}
	if len(norm) > 64 {
		return Session{}, &model.ValidationError{Fields: map[string]string{"recovery_code": "field.too_long"}}
	}
	if err := s.checkCodeLimit(clientIP); err != nil {
		return Session{}, err
	}
	u, err := s.store.UserByRecoveryHash(ctx, auth.HashRecoveryCode(norm))
	if errors.Is(err, store.ErrNotFound) {
		s.countWrongCode(clientIP)
		return Session{}, ErrRecoveryInvalid
	}
	if err != nil {
		return Session{}, err
	}
	if u.Disabled {
		return Session{}, ErrDisabled
	}
	code, hash, err := auth.NewRecoveryCode()
	if err != nil {
		return Session{}, err
	}
	if err := s.store.SetRecoveryHash(ctx, u.ID, hash); err != nil {
		return Session{}, err
	}
	sess, err := s.startSession(ctx, u)
	sess.RecoveryCode = code
	return sess, err
}

// JoinClass enrols a signed-in learner in the class with the code.
func (s *Service) JoinClass(ctx context.Context, u model.User, r model.JoinClassRequest) (model.Class, error) {
	if err := r.Validate(); err != nil {
		return model.Class{}, err
	}
	key := "user:" + itoa(u.ID)
	if err := s.checkCodeLimit(key); err != nil {
		return model.Class{}, err
	}
	class, err := s.store.ClassByCode(ctx, r.Code)
	if errors.Is(err, store.ErrNotFound) {
		s.countWrongCode(key)
		return model.Class{}, ErrClassCodeUnknown
	}
	if err != nil {
		return model.Class{}, err
	}
	if _, err := s.store.AddMember(ctx, class.ID, u.ID); err != nil {
		return model.Class{}, err
	}
	class.JoinCode = "" // a learner does not need to see or pass on the code
	return class, nil
}

// NicknameAllowed reports whether a nickname passes the blocklist that
// class joining uses, so live games apply the same rule.
func (s *Service) NicknameAllowed(nickname string) bool { return !s.nicknames.blocked(nickname) }
