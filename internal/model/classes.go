package model

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Class is a group an educator teaches. JoinCode is empty when the code is
// closed or the class archived: nobody can join then.
type Class struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	JoinCode    string    `json:"join_code"`
	Archived    bool      `json:"archived"`
	OwnerID     int64     `json:"owner_id"`
	MemberCount int       `json:"member_count"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// JoinCodeAlphabet has no characters that are easy to confuse when read
// off a projector or typed on a phone: no 0/O, 1/I/L.
const JoinCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// JoinCodeLength is the length of generated codes (6 to 8 are accepted).
const JoinCodeLength = 6

// NormalizeJoinCode upper-cases a typed code and drops spaces and hyphens.
func NormalizeJoinCode(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	return strings.NewReplacer(" ", "", "-", "").Replace(s)
}

// ValidJoinCode reports whether s could be a join code.
func ValidJoinCode(s string) bool {
	if len(s) < 6 || len(s) > 8 {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune(JoinCodeAlphabet, r) {
			return false
		}
	}
	return true
}

// ClassRequest is the body of POST /api/v1/classes.
type ClassRequest struct {
	Name string `json:"name"`
}

// Validate checks the class name.
func (r *ClassRequest) Validate() error {
	f := fieldErrors{}
	r.Name = strings.TrimSpace(r.Name)
	validateClassName(f, r.Name)
	return f.err()
}

func validateClassName(f fieldErrors, name string) {
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		f.add("name", "field.required")
	case n > 80:
		f.add("name", "field.too_long")
	case strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		f.add("name", "field.invalid")
	}
}

// Code actions of a class PATCH.
const (
	CodeRotate = "rotate" // a new code; the old one stops working
	CodeClose  = "close"  // nobody can join until opened again
	CodeOpen   = "open"   // a new code for a closed class
)

// ClassPatch is the body of PATCH /api/v1/classes/{id}.
type ClassPatch struct {
	Name     *string `json:"name"`
	Archived *bool   `json:"archived"`
	Code     *string `json:"code"`
}

// Validate checks the present fields.
func (p *ClassPatch) Validate() error {
	f := fieldErrors{}
	if p.Name != nil {
		*p.Name = strings.TrimSpace(*p.Name)
		validateClassName(f, *p.Name)
	}
	if p.Code != nil && *p.Code != CodeRotate && *p.Code != CodeClose && *p.Code != CodeOpen {
		f.add("code", "class.code_action")
	}
	if p.Name == nil && p.Archived == nil && p.Code == nil {
		f.add("name", "field.required")
	}
	return f.err()
}

// JoinRequest is the body of POST /api/v1/auth/join: a new pseudonymous
// learner joins a class with its code and a nickname, no e-mail.
type JoinRequest struct {
	Code     string `json:"code"`
	Nickname string `json:"nickname"`
}

// Validate checks the shape of both fields; the nickname's words are
// checked by the accounts service.
func (r *JoinRequest) Validate() error {
	f := fieldErrors{}
	r.Code = NormalizeJoinCode(r.Code)
	r.Nickname = strings.TrimSpace(r.Nickname)
	if r.Code == "" {
		f.add("code", "field.required")
	} else if !ValidJoinCode(r.Code) {
		f.add("code", "class.code_invalid")
	}
	checkNickname(f, r.Nickname)
	return f.err()
}

// checkNickname applies the nickname rules shared by class joining and
// live games to an already trimmed nickname.
func checkNickname(f fieldErrors, nickname string) {
	switch n := utf8.RuneCountInString(nickname); {
	case n == 0:
		f.add("nickname", "field.required")
	case n < 2:
		f.add("nickname", "nickname.too_short")
	case n > 30:
		f.add("nickname", "field.too_long")
	case strings.ContainsFunc(nickname, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		f.add("nickname", "nickname.invalid")
	case looksLikeEmail(nickname):
		// A nickname is shown to the class: keep addresses out of it.
		f.add("nickname", "nickname.email")
	}
}

// JoinClassRequest is the body of POST /api/v1/classes/join.
type JoinClassRequest struct {
	Code string `json:"code"`
}

// Validate checks the code's shape.
func (r *JoinClassRequest) Validate() error {
	r.Code = NormalizeJoinCode(r.Code)
	if r.Code == "" {
		return &ValidationError{Fields: map[string]string{"code": "field.required"}}
	}
	if !ValidJoinCode(r.Code) {
		return &ValidationError{Fields: map[string]string{"code": "class.code_invalid"}}
	}
	return nil
}

// RecoverRequest is the body of POST /api/v1/auth/recover.
type RecoverRequest struct {
	RecoveryCode string `json:"recovery_code"`
}

// TeacherRequest is the body of POST /api/v1/classes/{id}/teachers.
type TeacherRequest struct {
	Email string `json:"email"`
}

// Validate checks the address is present.
func (r *TeacherRequest) Validate() error {
	r.Email = NormalizeEmail(r.Email)
	if r.Email == "" {
		return &ValidationError{Fields: map[string]string{"email": "field.required"}}
	}
	return nil
}

// Teacher is an educator who teaches a class, as the class's other
// teachers see them: adults who added each other by e-mail address.
type Teacher struct {
	UserID      int64     `json:"user_id"`
	DisplayName string    `json:"display_name"`
	Email       string    `json:"email"`
	Owner       bool      `json:"owner"` // created the class; cannot be removed
	AddedAt     time.Time `json:"added_at"`
}

// Member is a learner in a class as an educator sees them: a nickname and
// learning data, never an e-mail address.
type Member struct {
	UserID     int64      `json:"user_id"`
	Nickname   string     `json:"nickname"`
	JoinedAt   time.Time  `json:"joined_at"`
	LastActive *time.Time `json:"last_active"`
}

// Assignment is a module a class must complete, optionally by a date.
type Assignment struct {
	ID         int64      `json:"id"`
	ClassID    int64      `json:"class_id"`
	ModuleSlug string     `json:"module_slug"`
	DueAt      *time.Time `json:"due_at"`
	CreatedAt  time.Time  `json:"created_at"`
}

// AssignmentRequest is the body of POST /api/v1/classes/{id}/assignments.
// DueAt is RFC 3339 and optional.
type AssignmentRequest struct {
	ModuleSlug string  `json:"module_slug"`
	DueAt      *string `json:"due_at"`
}

// Validate checks the fields and parses the due date.
func (r *AssignmentRequest) Validate() (*time.Time, error) {
	f := fieldErrors{}
	if strings.TrimSpace(r.ModuleSlug) == "" {
		f.add("module_slug", "field.required")
	}
	due, key := parseDue(r.DueAt)
	if key != "" {
		f.add("due_at", key)
	}
	return due, f.err()
}

// AssignmentPatch is the body of PATCH .../assignments/{id}: a new due
// date, or null to remove it.
type AssignmentPatch struct {
	DueAt *string `json:"due_at"`
}

// Validate parses the due date.
func (p *AssignmentPatch) Validate() (*time.Time, error) {
	due, key := parseDue(p.DueAt)
	if key != "" {
		return nil, &ValidationError{Fields: map[string]string{"due_at": key}}
	}
	return due, nil
}

func parseDue(s *string) (*time.Time, string) {
	if s == nil || *s == "" {
		return nil, ""
	}
	t, err := time.Parse(time.RFC3339, *s)
	if err != nil {
		return nil, "date.invalid"
	}
	if t.Year() < 2000 || t.Year() > 2100 {
		return nil, "date.out_of_range"
	}
	t = t.UTC()
	return &t, ""
}

// Assignment statuses for a learner.
const (
	StatusNotStarted = "not_started"
	StatusInProgress = "in_progress"
	StatusCompleted  = "completed"
	StatusOverdue    = "overdue"
)

func looksLikeEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	return at > 0 && strings.Contains(s[at:], ".")
}

// SafeCSVCell stops a learner-chosen text from becoming a spreadsheet formula
// (CSV injection): a cell starting with =, +, -, @, tab or carriage return
// gets a leading apostrophe, which spreadsheets show as text.
func SafeCSVCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
