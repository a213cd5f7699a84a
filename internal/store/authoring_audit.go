package store

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/readi-platform/readi/internal/model"
)

// AuditEntry is one admin action: who did what to which target, when, and
// the target before and after.
type AuditEntry struct {
	ID        int64           `json:"id"`
	ActorID   *int64          `json:"actor_id"`
	ActorName *string         `json:"actor_name"`
	Action    string          `json:"action"`
	Target    string          `json:"target"`
	Before    json.RawMessage `json:"before"`
	After     json.RawMessage `json:"after"`
	CreatedAt time.Time       `json:"created_at"`
}

type auditRow struct {
	ID        int64
	ActorID   *int64
	Action    string
	Target    string
	BeforeDoc *string
	AfterDoc  *string
	CreatedAt time.Time
}

// auditJoined is an audit row with the actor's display name.
type auditJoined struct {
	ID        int64
	ActorID   *int64
	Action    string
	Target    string
	BeforeDoc *string
	AfterDoc  *string
	CreatedAt time.Time
	ActorName *string
}

const auditTable = "audit_log"

// insertAudit records an action in the transaction that made the change,
// so the log never claims a change that was rolled back, nor misses one.
func insertAudit(db *gorm.DB, actorID int64, action, target string, before, after any) error {
	row := auditRow{ActorID: actorPtr(actorID), Action: action, Target: target, CreatedAt: time.Now().UTC()}
	for _, f := range []struct {
		v   any
		dst **string
	}{{before, &row.BeforeDoc}, {after, &row.AfterDoc}} {
		if f.v == nil {
			continue
		}
		b, err := json.Marshal(f.v)
		if err != nil {
			return err
		}
		s := string(b)
		*f.dst = &s
	}
	return db.Table(auditTable).Create(&row).Error
}

// AuditQuery filters the audit log. Action ending in "." matches every
// action under that prefix ("module."). Before is the pagination cursor:
// entries with a smaller id.
type AuditQuery struct {
	ActorID int64
	Action  string
	Since   time.Time
	Before  int64
	Limit   int
}

// Audit lists entries newest first, with the actors' display names.
func (s *Store) Audit(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	db := s.read(ctx).Table(auditTable + " a").Select("a.*, u.display_name AS actor_name").
		Joins("LEFT JOIN users u ON u.id = a.actor_id")
	if q.ActorID != 0 {
		db = db.Where("a.actor_id = ?", q.ActorID)
	}
	if prefix, ok := strings.CutSuffix(q.Action, "."); ok {
		db = db.Where("a.action LIKE ? ESCAPE '!'", likeEscape(prefix)+".%")
	} else if q.Action != "" {
		db = db.Where("a.action = ?", q.Action)
	}
	if !q.Since.IsZero() {
		db = db.Where("a.created_at >= ?", q.Since.UTC())
	}
	if q.Before > 0 {
		db = db.Where("a.id < ?", q.Before)
	}
	var rows []auditJoined
	if err := db.Order("a.id DESC").Limit(q.Limit).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = AuditEntry{ID: r.ID, ActorID: r.ActorID, ActorName: r.ActorName, Action: r.Action, Target: r.Target,
			Before: rawJSON(r.BeforeDoc), After: rawJSON(r.AfterDoc), CreatedAt: r.CreatedAt}
	}
	return out, nil
}

func rawJSON(s *string) json.RawMessage {
	if s == nil {
		return json.RawMessage("null")
	}
	return json.RawMessage(*s)
}

// likeEscape escapes LIKE's wildcards with '!' (a backslash would need
// different quoting on the two engines).
func likeEscape(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s)
}

// UserQuery finds users: Q matches e-mail address or display name,
// case-insensitively; After is the pagination cursor (ids above it).
type UserQuery struct {
	Q     string
	After int64
	Limit int
}

// ListUsers returns users in id order.
func (s *Store) ListUsers(ctx context.Context, q UserQuery) ([]model.User, error) {
	db := s.read(ctx).Table(usersTable)
	if q.Q != "" {
		pat := "%" + likeEscape(strings.ToLower(q.Q)) + "%"
		db = db.Where("LOWER(email) LIKE ? ESCAPE '!' OR LOWER(display_name) LIKE ? ESCAPE '!'", pat, pat)
	}
	var out []model.User
	err := db.Where("id > ?", q.After).Order("id").Limit(q.Limit).Find(&out).Error
	return out, err
}

// UserChange is an admin's change of a user's role or disabled flag.
type UserChange struct {
	ActorID  int64
	UserID   int64
	Role     *model.Role
	Disabled *bool
}

// ChangeUser applies the change and its audit entry in one transaction.
// Disabling a user also revokes their refresh tokens, so every session
// ends (access tokens already fail: each request reloads the user).
func (s *Store) ChangeUser(ctx context.Context, ch UserChange) (model.User, error) {
	var u model.User
	err := s.tx(ctx, func(db *gorm.DB) error {
		if err := db.Table(usersTable).Where("id = ?", ch.UserID).Take(&u).Error; err != nil {
			return notFound(err)
		}
		before := map[string]any{"role": u.Role, "disabled": u.Disabled}
		if ch.Role != nil {
			u.Role = *ch.Role
		}
		if ch.Disabled != nil {
			u.Disabled = *ch.Disabled
		}
		u.UpdatedAt = time.Now().UTC()
		if err := db.Table(usersTable).Where("id = ?", u.ID).
			Updates(map[string]any{"role": u.Role, "disabled": u.Disabled, "updated_at": u.UpdatedAt}).Error; err != nil {
			return err
		}
		if u.Disabled {
			if err := revokeAll(db, u.ID); err != nil {
				return err
			}
		}
		return insertAudit(db, ch.ActorID, "user.update", "user:"+itoa64(u.ID), before,
			map[string]any{"role": u.Role, "disabled": u.Disabled})
	})
	return u, err
}

func itoa64(i int64) string { return strconv.FormatInt(i, 10) }
