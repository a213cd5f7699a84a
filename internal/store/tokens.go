package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// ErrTokenReused reports that a refresh token was presented after it had
// been rotated: a sign that it leaked, so every session of the user ends.
var ErrTokenReused = errors.New("refresh token reused")

// RefreshToken is a stored refresh token; only its hash is kept.
type RefreshToken struct {
	ID        int64
	UserID    int64
	TokenHash string
	Family    string
	ExpiresAt time.Time
	UsedAt    *time.Time
	RevokedAt *time.Time
	CreatedAt time.Time
}

const tokensTable = "refresh_tokens"

// CreateRefreshToken stores a new token (by hash).
func (s *Store) CreateRefreshToken(ctx context.Context, t *RefreshToken) error {
	t.CreatedAt = time.Now().UTC()
	return s.write(ctx).Table(tokensTable).Create(t).Error
}

// RotateRefreshToken spends the token with oldHash and stores next in its
// family, atomically. It returns the token's user id. A token that is
// unknown, expired or revoked is ErrNotFound; one that was already spent is
// ErrTokenReused, and then every refresh token of that user is revoked.
func (s *Store) RotateRefreshToken(ctx context.Context, oldHash string, next *RefreshToken) (int64, error) {
	var userID int64
	reused := false
	err := s.tx(ctx, func(db *gorm.DB) error {
		var old RefreshToken
		if err := db.Table(tokensTable).Where("token_hash = ?", oldHash).Take(&old).Error; err != nil {
			return notFound(err)
		}
		now := time.Now().UTC()
		switch {
		case old.RevokedAt != nil || !old.ExpiresAt.After(now):
			return ErrNotFound
		case old.UsedAt != nil:
			reused = true
			return revokeAll(db, old.UserID)
		}
		res := db.Table(tokensTable).Where("id = ? AND used_at IS NULL", old.ID).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 { // a concurrent rotation won
			reused = true
			return revokeAll(db, old.UserID)
		}
		next.UserID, next.Family, next.CreatedAt = old.UserID, old.Family, now
		userID = old.UserID
		return db.Table(tokensTable).Create(next).Error
	})
	if err != nil {
		return 0, err
	}
	if reused {
		return 0, ErrTokenReused
	}
	return userID, nil
}

// RevokeRefreshToken ends the session of one token (logout). Unknown tokens
// are not an error: logging out twice is fine.
func (s *Store) RevokeRefreshToken(ctx context.Context, hash string) error {
	return s.write(ctx).Table(tokensTable).Where("token_hash = ? AND revoked_at IS NULL", hash).
		Update("revoked_at", time.Now().UTC()).Error
}

func revokeAll(db *gorm.DB, userID int64) error {
	return db.Table(tokensTable).Where("user_id = ? AND revoked_at IS NULL", userID).
		Update("revoked_at", time.Now().UTC()).Error
}
