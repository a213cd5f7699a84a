package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/readi-platform/readi/internal/model"
)

const usersTable = "users"

// CreateUser inserts u and sets its id and timestamps. A taken e-mail
// address is ErrConflict.
func (s *Store) CreateUser(ctx context.Context, u *model.User) error {
	now := time.Now().UTC()
	u.CreatedAt, u.UpdatedAt = now, now
	err := s.write(ctx).Table(usersTable).Create(u).Error
	if isUniqueViolation(err) {
		return ErrConflict
	}
	return err
}

// UserByID returns the user or ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id int64) (model.User, error) {
	// Every signed-in request looks its user up: a prepared statement.
	h, err := s.hotStmts(ctx)
	if err != nil {
		return model.User{}, err
	}
	return scanUser(h.userByID.QueryRowContext(ctx, id))
}

// UserByEmail returns the user with that (normalised) address or ErrNotFound.
func (s *Store) UserByEmail(ctx context.Context, email string) (model.User, error) {
	var u model.User
	err := s.read(ctx).Table(usersTable).Where("email = ?", model.NormalizeEmail(email)).Take(&u).Error
	return u, notFound(err)
}

// UserByRecoveryHash finds a pseudonymous learner by the hash of their
// recovery code.
func (s *Store) UserByRecoveryHash(ctx context.Context, hash string) (model.User, error) {
	var u model.User
	err := s.read(ctx).Table(usersTable).Where("recovery_hash = ?", hash).Take(&u).Error
	return u, notFound(err)
}

// UpdateProfile saves the profile fields of u.
func (s *Store) UpdateProfile(ctx context.Context, u *model.User) error {
	u.UpdatedAt = time.Now().UTC()
	res := s.write(ctx).Table(usersTable).Where("id = ?", u.ID).Updates(map[string]any{
		"display_name": u.DisplayName, "locale": u.Locale, "country": u.Country, "updated_at": u.UpdatedAt,
	})
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}

// SetRole changes a user's role (the users command; the admin API later).
func (s *Store) SetRole(ctx context.Context, id int64, role model.Role) error {
	res := s.write(ctx).Table(usersTable).Where("id = ?", id).Updates(map[string]any{"role": role, "updated_at": time.Now().UTC()})
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}

// SetPassword replaces a user's password hash and revokes every refresh
// token, so a changed password signs out other devices.
func (s *Store) SetPassword(ctx context.Context, id int64, hash string) error {
	return s.tx(ctx, func(db *gorm.DB) error {
		res := db.Table(usersTable).Where("id = ?", id).Updates(map[string]any{"password_hash": hash, "updated_at": time.Now().UTC()})
		if res.Error == nil && res.RowsAffected == 0 {
			return ErrNotFound
		}
		if res.Error != nil {
			return res.Error
		}
		return revokeAll(db, id)
	})
}

// DeleteUser erases the account and, through ON DELETE CASCADE, every
// row that belongs to it (tokens, completions, attempts, progress).
func (s *Store) DeleteUser(ctx context.Context, id int64) error {
	res := s.write(ctx).Exec("DELETE FROM users WHERE id = ?", id)
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}

// CountUsers counts accounts, optionally of one role.
func (s *Store) CountUsers(ctx context.Context, role model.Role) (int64, error) {
	var n int64
	q := s.read(ctx).Table(usersTable)
	if role != "" {
		q = q.Where("role = ?", role)
	}
	return n, q.Count(&n).Error
}
