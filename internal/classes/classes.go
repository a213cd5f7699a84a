// Package classes is what educators do: classes with join codes, members,
// co-teachers, assignments with due dates, and the class insight built from
// members' learning records. An educator only ever reaches classes they
// teach, and only the learners currently in them.
package classes

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/readi-platform/readi/internal/learning"
	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// Errors the API answers with 4xx.
var (
	ErrOwnerOnly         = &Error{Status: 403, Code: "class.owner_only", Msg: "only the class's owner can do this"}
	ErrOwnerStays        = &Error{Status: 409, Code: "class.owner_stays", Msg: "the class's owner always teaches it"}
	ErrModuleUnknown     = &model.ValidationError{Fields: map[string]string{"module_slug": "module.unknown"}}
	ErrTeacherUnknown    = &model.ValidationError{Fields: map[string]string{"email": "user.not_found"}}
	ErrTeacherNotAllowed = &model.ValidationError{Fields: map[string]string{"email": "user.not_educator"}}
	ErrAlreadyAssigned   = &Error{Status: 409, Code: "assignment.exists", Msg: "this module is already assigned to the class"}
)

// Error is a domain error with its HTTP status and translation key.
type Error struct {
	Status int
	Code   string
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

// Service holds what class operations need.
type Service struct {
	store    *store.Store
	learning *learning.Service
	now      func() time.Time
}

// New builds the service.
func New(s *store.Store, l *learning.Service) *Service {
	return &Service{store: s, learning: l, now: time.Now}
}

// newJoinCode draws a code from the unambiguous alphabet.
func newJoinCode() string {
	b := make([]byte, model.JoinCodeLength)
	max := big.NewInt(int64(len(model.JoinCodeAlphabet)))
	for i := range b {
		n, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic(fmt.Sprintf("crypto/rand failed: %v", err))
		}
		b[i] = model.JoinCodeAlphabet[n.Int64()]
	}
	return string(b)
}

// Create makes a class owned by u with a fresh join code.
func (s *Service) Create(ctx context.Context, u model.User, r model.ClassRequest) (model.Class, error) {
	if err := r.Validate(); err != nil {
		return model.Class{}, err
	}
	return s.store.CreateClass(ctx, r.Name, u.ID, newJoinCode)
}

// List returns the classes u teaches.
func (s *Service) List(ctx context.Context, u model.User) ([]model.Class, error) {
	return s.store.ClassesForTeacher(ctx, u.ID)
}

// Get returns a class u teaches, or ErrNotFound.
func (s *Service) Get(ctx context.Context, u model.User, id int64) (model.Class, error) {
	return s.store.ClassForTeacher(ctx, id, u.ID)
}

// Update renames, archives or changes the join code of a class.
func (s *Service) Update(ctx context.Context, u model.User, id int64, p model.ClassPatch) (model.Class, error) {
	if _, err := s.Get(ctx, u, id); err != nil {
		return model.Class{}, err
	}
	if err := p.Validate(); err != nil {
		return model.Class{}, err
	}
	if err := s.store.UpdateClass(ctx, id, p, newJoinCode); err != nil {
		return model.Class{}, err
	}
	return s.Get(ctx, u, id)
}

// Delete removes a class; only its owner may.
func (s *Service) Delete(ctx context.Context, u model.User, id int64) error {
	c, err := s.Get(ctx, u, id)
	if err != nil {
		return err
	}
	if c.OwnerID != u.ID {
		return ErrOwnerOnly
	}
	return s.store.DeleteClass(ctx, id)
}

// Members lists a class's learners: nicknames and activity, no e-mail.
func (s *Service) Members(ctx context.Context, u model.User, id int64) ([]model.Member, error) {
	if _, err := s.Get(ctx, u, id); err != nil {
		return nil, err
	}
	return s.store.Members(ctx, id)
}

// RemoveMember takes a learner out of the class, which ends this class's
// teachers' access to the learner's records.
func (s *Service) RemoveMember(ctx context.Context, u model.User, id, userID int64) error {
	if _, err := s.Get(ctx, u, id); err != nil {
		return err
	}
	return s.store.RemoveMember(ctx, id, userID)
}

// Teachers lists the class's teachers, its owner first.
func (s *Service) Teachers(ctx context.Context, u model.User, id int64) ([]model.Teacher, error) {
	if _, err := s.Get(ctx, u, id); err != nil {
		return nil, err
	}
	return s.store.Teachers(ctx, id)
}

// RemoveTeacher takes a co-teacher off the class: the owner may remove
// anyone else, a co-teacher only themselves (leaving the class). The owner
// always stays; deleting the class is how it ends.
func (s *Service) RemoveTeacher(ctx context.Context, u model.User, id, teacherID int64) error {
	c, err := s.Get(ctx, u, id)
	if err != nil {
		return err
	}
	switch {
	case teacherID == c.OwnerID:
		return ErrOwnerStays
	case u.ID != c.OwnerID && u.ID != teacherID:
		return ErrOwnerOnly
	}
	return s.store.RemoveTeacher(ctx, id, teacherID)
}

// AddTeacher makes another educator a co-teacher of the class.
func (s *Service) AddTeacher(ctx context.Context, u model.User, id int64, r model.TeacherRequest) (model.Class, error) {
	c, err := s.Get(ctx, u, id)
	if err != nil {
		return c, err
	}
	if err := r.Validate(); err != nil {
		return c, err
	}
	t, err := s.store.UserByEmail(ctx, r.Email)
	if errors.Is(err, store.ErrNotFound) {
		return c, ErrTeacherUnknown
	}
	if err != nil {
		return c, err
	}
	if !t.Role.AtLeast(model.RoleEducator) || t.Disabled {
		return c, ErrTeacherNotAllowed
	}
	return c, s.store.AddTeacher(ctx, id, t.ID)
}
