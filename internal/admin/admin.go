// Package admin is what admins do: author modules, lessons and quizzes as
// drafts, publish them through the same validation as the content pack,
// keep every save as a revision (diff, restore), move content packs in and
// out as zip files, import GIFT quizzes, manage users and read the audit
// log. Learners only ever see published versions, and publishing never
// rewrites their past results: attempts keep the question version they
// were graded against.
package admin

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/readi-platform/readi/internal/catalog"
	"github.com/readi-platform/readi/internal/learning"
	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// Service holds what admin operations need. Learning is nil in offline
// commands: replicas notice published changes through the content version.
type Service struct {
	store    *store.Store
	learning *learning.Service
}

// New builds the service.
func New(s *store.Store, l *learning.Service) *Service {
	return &Service{store: s, learning: l}
}

// Error is a domain error with its HTTP status and translation key.
type Error struct {
	Status int
	Code   string
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

// Errors the API answers with 4xx.
var (
	ErrStale    = &Error{Status: 409, Code: "revision.conflict", Msg: "the module has a newer revision than the one you edited; reload it and apply your change again"}
	ErrExists   = &Error{Status: 409, Code: "module.exists", Msg: "a module with this slug exists"}
	ErrSelfRole = &model.ValidationError{Fields: map[string]string{"role": "user.self_demote"}}
	ErrSelfOff  = &model.ValidationError{Fields: map[string]string{"disabled": "user.self_disable"}}
)

// Problem is one thing wrong with a module or a content pack. Path is the
// field path of a module (quiz.questions[2].options); File and Line place
// a problem of a pack file.
type Problem struct {
	Path    string `json:"path,omitempty"`
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

// Invalid is a refusal that lists every problem found (422
// content.invalid), so an author can fix everything in one pass.
type Invalid struct {
	Msg      string
	Problems []Problem
}

func (e *Invalid) Error() string {
	lines := []string{e.Msg}
	for _, p := range e.Problems {
		lines = append(lines, p.String())
	}
	return strings.Join(lines, "\n")
}

// String prints the problem like a compiler or a validator would.
func (p Problem) String() string {
	switch {
	case p.File != "" && p.Line > 0:
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
	case p.File != "":
		return p.File + ": " + p.Message
	case p.Path != "":
		return p.Path + ": " + p.Message
	}
	return p.Message
}

// pathRE recognises the field path ValidateModule puts before its message.
var pathRE = regexp.MustCompile(`^[a-z_]+(?:\[\d+\]|\.[A-Za-z0-9_-]+)*$`)

// moduleProblems splits ValidateModule's "path: message" into its parts.
func moduleProblems(list []catalog.Problem) []Problem {
	out := make([]Problem, 0, len(list))
	for _, p := range list {
		path, msg, ok := strings.Cut(p.Message, ": ")
		if !ok || !pathRE.MatchString(path) {
			path, msg = "", p.Message
		}
		out = append(out, Problem{Path: path, Message: msg})
	}
	return out
}

// packProblems turns a pack loader's file:line problems into Problems.
func packProblems(err error) ([]Problem, bool) {
	var ps *catalog.Problems
	if !errors.As(err, &ps) {
		return nil, false
	}
	out := make([]Problem, len(ps.List))
	for i, p := range ps.List {
		out[i] = Problem{File: p.File, Line: p.Line, Message: p.Message}
	}
	return out, true
}

// Change says who makes a change and which revision they edited.
type Change struct {
	Actor model.User
	// Base is the head revision the client edited (the If-Match header);
	// nil applies the change to the newest revision.
	Base *int
}

// storeError maps the store's authoring errors to the API's.
func storeError(err error) error {
	var taken *store.QuestionIDsTaken
	switch {
	case errors.Is(err, store.ErrStale):
		return ErrStale
	case errors.Is(err, store.ErrExists):
		return ErrExists
	case errors.As(err, &taken):
		return &Invalid{Msg: "some question ids are used by other modules", Problems: takenProblems(taken.Owners, nil)}
	}
	return err
}

// takenProblems reports question ids another module uses, placed at the
// question when its index is known.
func takenProblems(owners map[string]string, index map[string]int) []Problem {
	var out []Problem
	for _, id := range sortedKeys(owners) {
		p := Problem{Path: "quiz.questions", Message: fmt.Sprintf("question id %s is already used by module %s; ids are unique across the curriculum", id, owners[id])}
		if i, ok := index[id]; ok {
			p.Path = fmt.Sprintf("quiz.questions[%d].id", i)
		}
		out = append(out, p)
	}
	return out
}

// reload makes the learner-facing snapshot show what was just published.
func (s *Service) reload(ctx context.Context) error {
	if s.learning == nil {
		return nil
	}
	return s.learning.Reload(ctx)
}
