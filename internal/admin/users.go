package admin

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// Page sizes of the admin lists.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Limit reads a page size: empty is DefaultLimit; otherwise 1..MaxLimit.
func Limit(s string) (int, error) {
	if s == "" {
		return DefaultLimit, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxLimit {
		return 0, &model.ValidationError{Fields: map[string]string{"limit": "limit.invalid"}}
	}
	return n, nil
}

// Users lists accounts whose e-mail address or display name contains q
// (any case), in id order, a page at a time.
func (s *Service) Users(ctx context.Context, q, cursor string, limit int) ([]model.User, *string, error) {
	after, err := strconv.ParseInt(cursorOr(cursor, "0"), 10, 64)
	if err != nil || after < 0 {
		return nil, nil, errBadCursor
	}
	if len(q) > 200 {
		return nil, nil, &model.ValidationError{Fields: map[string]string{"q": "field.too_long"}}
	}
	users, err := s.store.ListUsers(ctx, store.UserQuery{Q: strings.TrimSpace(q), After: after, Limit: limit + 1})
	if err != nil {
		return nil, nil, err
	}
	var next *string
	if len(users) > limit {
		users = users[:limit]
		c := strconv.FormatInt(users[limit-1].ID, 10)
		next = &c
	}
	return users, next, nil
}

// PatchUser changes a user's role or disabled flag, with an audit entry.
// An admin cannot demote or disable themself, so the platform always keeps
// at least one admin who can undo a mistake.
func (s *Service) PatchUser(ctx context.Context, actor model.User, id int64, p UserPatch) (model.User, error) {
	if err := p.Validate(); err != nil {
		return model.User{}, err
	}
	if id == actor.ID {
		if p.Role != nil && *p.Role != actor.Role {
			return model.User{}, ErrSelfRole
		}
		if p.Disabled != nil && *p.Disabled {
			return model.User{}, ErrSelfOff
		}
	}
	return s.store.ChangeUser(ctx, store.UserChange{ActorID: actor.ID, UserID: id, Role: p.Role, Disabled: p.Disabled})
}

// AuditFilter is the query of GET /admin/audit, as sent.
type AuditFilter struct {
	Actor, Action, Since, Cursor string
	Limit                        int
}

// Audit lists audit entries newest first, a page at a time.
func (s *Service) Audit(ctx context.Context, f AuditFilter) ([]store.AuditEntry, *string, error) {
	q := store.AuditQuery{Action: f.Action, Limit: f.Limit + 1}
	bad := fields{}
	var err error
	if f.Actor != "" {
		if q.ActorID, err = strconv.ParseInt(f.Actor, 10, 64); err != nil || q.ActorID < 1 {
			bad.add("actor", "field.invalid")
		}
	}
	if f.Since != "" {
		if q.Since, err = time.Parse(time.RFC3339, f.Since); err != nil {
			bad.add("since", "date.invalid")
		}
	}
	if q.Before, err = strconv.ParseInt(cursorOr(f.Cursor, "0"), 10, 64); err != nil || q.Before < 0 {
		bad.add("cursor", "cursor.invalid")
	}
	if err := bad.err(); err != nil {
		return nil, nil, err
	}
	list, err := s.store.Audit(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	var next *string
	if len(list) > f.Limit {
		list = list[:f.Limit]
		c := strconv.FormatInt(list[f.Limit-1].ID, 10)
		next = &c
	}
	return list, next, nil
}
