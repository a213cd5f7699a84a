package store

import (
	"context"

	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/readi-platform/readi/internal/model"
)

// classRow is a row of classes; JoinCode is NULL when nobody may join.
type classRow struct {
	ID        int64
	Name      string
	JoinCode  *string
	Archived  bool
	OwnerID   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (r classRow) model(members int) model.Class {
	c := model.Class{ID: r.ID, Name: r.Name, Archived: r.Archived, OwnerID: r.OwnerID, MemberCount: members,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.JoinCode != nil {
		c.JoinCode = *r.JoinCode
	}
	return c
}

// CreateClass stores a class taught by its owner. newCode makes candidate
// join codes; a code already taken by an open class is retried.
func (s *Store) CreateClass(ctx context.Context, name string, ownerID int64, newCode func() string) (model.Class, error) {
	now := time.Now().UTC()
	for try := 0; try < 8; try++ {
		code := newCode()
		row := classRow{Name: name, JoinCode: &code, OwnerID: ownerID, CreatedAt: now, UpdatedAt: now}
		err := s.tx(ctx, func(db *gorm.DB) error {
			if err := db.Table("classes").Create(&row).Error; err != nil {
				return err
			}
			return db.Table("class_teachers").Create(map[string]any{"class_id": row.ID, "user_id": ownerID, "added_at": now}).Error
		})
		if isUniqueViolation(err) {
			continue
		}
		return row.model(0), err
	}
	return model.Class{}, ErrConflict
}

// ClassForTeacher returns a class only if userID teaches it, so one
// educator can never reach another's class (ErrNotFound, not 403: the
// class's existence is not revealed).
func (s *Store) ClassForTeacher(ctx context.Context, classID, userID int64) (model.Class, error) {
	var row classRow
	err := s.read(ctx).Table("classes").
		Where("id = ? AND EXISTS (SELECT 1 FROM class_teachers t WHERE t.class_id = classes.id AND t.user_id = ?)", classID, userID).
		Take(&row).Error
	if err != nil {
		return model.Class{}, notFound(err)
	}
	n, err := s.countMembers(ctx, classID)
	return row.model(n), err
}

func (s *Store) countMembers(ctx context.Context, classID int64) (int, error) {
	var n int64
	err := s.read(ctx).Table("class_members").Where("class_id = ?", classID).Count(&n).Error
	return int(n), err
}

// ClassesForTeacher lists the classes a user teaches, newest first.
func (s *Store) ClassesForTeacher(ctx context.Context, userID int64) ([]model.Class, error) {
	// The row is a named, embedded field: GORM skips embedded fields of
	// unexported types, which would leave every class blank.
	var rows []struct {
		Class   classRow `gorm:"embedded"`
		Members int
	}
	err := s.read(ctx).Table("classes").
		Select("classes.*, (SELECT COUNT(*) FROM class_members m WHERE m.class_id = classes.id) AS members").
		Joins("JOIN class_teachers t ON t.class_id = classes.id AND t.user_id = ?", userID).
		Order("classes.created_at DESC, classes.id DESC").Find(&rows).Error
	out := make([]model.Class, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.Class.model(r.Members))
	}
	return out, err
}

// UpdateClass renames or archives a class and rotates, opens or closes its
// join code. Archiving closes the code.
func (s *Store) UpdateClass(ctx context.Context, classID int64, p model.ClassPatch, newCode func() string) error {
	for try := 0; try < 8; try++ {
		set := map[string]any{"updated_at": time.Now().UTC()}
		if p.Name != nil {
			set["name"] = *p.Name
		}
		if p.Archived != nil {
			set["archived"] = *p.Archived
			if *p.Archived {
				set["join_code"] = nil
			}
		}
		if p.Code != nil {
			switch *p.Code {
			case model.CodeClose:
				set["join_code"] = nil
			case model.CodeRotate, model.CodeOpen:
				if p.Archived == nil || !*p.Archived {
					set["join_code"] = newCode()
				}
			}
		}
		err := s.write(ctx).Table("classes").Where("id = ?", classID).Updates(set).Error
		if isUniqueViolation(err) {
			continue
		}
		return err
	}
	return ErrConflict
}

// DeleteClass removes a class, its members list and its assignments; the
// learners' own records stay theirs.
func (s *Store) DeleteClass(ctx context.Context, classID int64) error {
	res := s.write(ctx).Exec("DELETE FROM classes WHERE id = ?", classID)
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}

// ClassByCode finds the open, unarchived class with a join code.
func (s *Store) ClassByCode(ctx context.Context, code string) (model.Class, error) {
	var row classRow
	err := s.read(ctx).Table("classes").Where("join_code = ? AND archived = ?", code, false).Take(&row).Error
	return row.model(0), notFound(err)
}

// AddMember enrols a user; joining twice is not an error.
func (s *Store) AddMember(ctx context.Context, classID, userID int64) (created bool, err error) {
	res := s.write(ctx).Table("class_members").Clauses(clause.OnConflict{DoNothing: true}).
		Create(map[string]any{"class_id": classID, "user_id": userID, "joined_at": time.Now().UTC()})
	return res.RowsAffected > 0, res.Error
}

// CreateJoiner creates a pseudonymous learner and enrols them in one
// transaction, so a failed join leaves no orphan account.
func (s *Store) CreateJoiner(ctx context.Context, u *model.User, classID int64) error {
	now := time.Now().UTC()
	u.CreatedAt, u.UpdatedAt = now, now
	return s.tx(ctx, func(db *gorm.DB) error {
		if err := db.Table(usersTable).Create(u).Error; err != nil {
			if isUniqueViolation(err) {
				return ErrConflict
			}
			return err
		}
		return db.Table("class_members").Create(map[string]any{"class_id": classID, "user_id": u.ID, "joined_at": now}).Error
	})
}

// SetRecoveryHash replaces a pseudonymous learner's recovery code.
func (s *Store) SetRecoveryHash(ctx context.Context, userID int64, hash string) error {
	return s.write(ctx).Table(usersTable).Where("id = ?", userID).Update("recovery_hash", hash).Error
}

// RemoveMember takes a learner out of a class.
func (s *Store) RemoveMember(ctx context.Context, classID, userID int64) error {
	res := s.write(ctx).Exec("DELETE FROM class_members WHERE class_id = ? AND user_id = ?", classID, userID)
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}

// AddTeacher makes a user a co-teacher.
func (s *Store) AddTeacher(ctx context.Context, classID, userID int64) error {
	err := s.write(ctx).Table("class_teachers").Clauses(clause.OnConflict{DoNothing: true}).
		Create(map[string]any{"class_id": classID, "user_id": userID, "added_at": time.Now().UTC()}).Error
	return err
}

// Teachers lists a class's teachers, its owner first.
func (s *Store) Teachers(ctx context.Context, classID int64) ([]model.Teacher, error) {
	var rows []struct {
		UserID      int64
		DisplayName string
		Email       *string
		Owner       bool
		AddedAt     time.Time
	}
	err := s.read(ctx).Table("class_teachers t").
		Select("t.user_id, u.display_name, u.email, t.user_id = c.owner_id AS owner, t.added_at").
		Joins("JOIN users u ON u.id = t.user_id").Joins("JOIN classes c ON c.id = t.class_id").
		Where("t.class_id = ?", classID).Order("owner DESC, u.display_name, t.user_id").Find(&rows).Error
	out := make([]model.Teacher, 0, len(rows))
	for _, r := range rows {
		t := model.Teacher{UserID: r.UserID, DisplayName: r.DisplayName, Owner: r.Owner, AddedAt: r.AddedAt}
		if r.Email != nil {
			t.Email = *r.Email
		}
		out = append(out, t)
	}
	return out, err
}

// RemoveTeacher takes a teacher off a class (ErrNotFound if they do not
// teach it).
func (s *Store) RemoveTeacher(ctx context.Context, classID, userID int64) error {
	res := s.write(ctx).Exec("DELETE FROM class_teachers WHERE class_id = ? AND user_id = ?", classID, userID)
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}

// Members lists a class's learners with their last activity, in two
// queries whatever the class size.
func (s *Store) Members(ctx context.Context, classID int64) ([]model.Member, error) {
	var rows []struct {
		UserID      int64
		DisplayName string
		JoinedAt    time.Time
	}
	err := s.read(ctx).Table("class_members m").Select("m.user_id, u.display_name, m.joined_at").
		Joins("JOIN users u ON u.id = m.user_id").Where("m.class_id = ?", classID).
		Order("u.display_name, m.user_id").Find(&rows).Error
	if err != nil {
		return nil, err
	}
	last, err := s.lastActive(ctx, classID)
	if err != nil {
		return nil, err
	}
	out := make([]model.Member, 0, len(rows))
	for _, r := range rows {
		m := model.Member{UserID: r.UserID, Nickname: r.DisplayName, JoinedAt: r.JoinedAt}
		if t, ok := last[r.UserID]; ok {
			m.LastActive = &t
		}
		out = append(out, m)
	}
	return out, nil
}

// lastActive is each member's latest attempt or lesson completion.
func (s *Store) lastActive(ctx context.Context, classID int64) (map[int64]time.Time, error) {
	out := map[int64]time.Time{}
	for _, q := range []string{
		"SELECT a.user_id, a.created_at AS at FROM attempts a JOIN class_members m ON m.user_id = a.user_id AND m.class_id = ?",
		"SELECT c.user_id, c.completed_at AS at FROM lesson_completions c JOIN class_members m ON m.user_id = c.user_id AND m.class_id = ?",
	} {
		var rows []struct {
			UserID int64
			At     time.Time
		}
		if err := s.read(ctx).Raw(q, classID).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			if r.At.After(out[r.UserID]) {
				out[r.UserID] = r.At
			}
		}
	}
	return out, nil
}

// IsMember reports whether a user is in a class.
func (s *Store) IsMember(ctx context.Context, classID, userID int64) (bool, error) {
	var n int64
	err := s.read(ctx).Table("class_members").Where("class_id = ? AND user_id = ?", classID, userID).Count(&n).Error
	return n > 0, err
}

// assignmentRow is a row of assignments.
type assignmentRow struct {
	ID        int64
	ClassID   int64
	ModuleID  int64
	DueAt     *time.Time
	CreatedBy int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// StoredAssignment is an assignment with its module id.
type StoredAssignment struct {
	ID        int64
	ClassID   int64
	ModuleID  int64
	DueAt     *time.Time
	CreatedAt time.Time
}

// CreateAssignment assigns a module to a class; assigning it twice is
// ErrConflict.
func (s *Store) CreateAssignment(ctx context.Context, classID, moduleID, by int64, due *time.Time) (StoredAssignment, error) {
	now := time.Now().UTC()
	row := assignmentRow{ClassID: classID, ModuleID: moduleID, DueAt: due, CreatedBy: by, CreatedAt: now, UpdatedAt: now}
	err := s.write(ctx).Table("assignments").Create(&row).Error
	if isUniqueViolation(err) {
		return StoredAssignment{}, ErrConflict
	}
	return StoredAssignment{ID: row.ID, ClassID: classID, ModuleID: moduleID, DueAt: due, CreatedAt: now}, err
}

// Assignments lists a class's assignments by due date (undated last).
func (s *Store) Assignments(ctx context.Context, classID int64) ([]StoredAssignment, error) {
	var out []StoredAssignment
	err := s.read(ctx).Table("assignments").Where("class_id = ?", classID).
		Order("CASE WHEN due_at IS NULL THEN 1 ELSE 0 END, due_at, id").Find(&out).Error
	return out, err
}

// Assignment returns one assignment of a class.
func (s *Store) Assignment(ctx context.Context, classID, id int64) (StoredAssignment, error) {
	var a StoredAssignment
	err := s.read(ctx).Table("assignments").Where("class_id = ? AND id = ?", classID, id).Take(&a).Error
	return a, notFound(err)
}

// SetAssignmentDue changes or clears a due date.
func (s *Store) SetAssignmentDue(ctx context.Context, classID, id int64, due *time.Time) error {
	res := s.write(ctx).Table("assignments").Where("class_id = ? AND id = ?", classID, id).
		Updates(map[string]any{"due_at": due, "updated_at": time.Now().UTC()})
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}

// DeleteAssignment removes an assignment.
func (s *Store) DeleteAssignment(ctx context.Context, classID, id int64) error {
	res := s.write(ctx).Exec("DELETE FROM assignments WHERE class_id = ? AND id = ?", classID, id)
	if res.Error == nil && res.RowsAffected == 0 {
		return ErrNotFound
	}
	return res.Error
}

// LearnerAssignment is an assignment of one of a learner's classes.
type LearnerAssignment struct {
	ID        int64
	ClassID   int64
	ClassName string
	ModuleID  int64
	DueAt     *time.Time
}

// AssignmentsForLearner lists what every class of the user assigned.
func (s *Store) AssignmentsForLearner(ctx context.Context, userID int64) ([]LearnerAssignment, error) {
	var out []LearnerAssignment
	err := s.read(ctx).Table("assignments a").
		Select("a.id, a.class_id, c.name AS class_name, a.module_id, a.due_at").
		Joins("JOIN classes c ON c.id = a.class_id AND c.archived = ?", false).
		Joins("JOIN class_members m ON m.class_id = a.class_id AND m.user_id = ?", userID).
		Order("CASE WHEN a.due_at IS NULL THEN 1 ELSE 0 END, a.due_at, a.id").Find(&out).Error
	return out, err
}
