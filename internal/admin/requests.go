package admin

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/readi-platform/readi/internal/model"
)

// slugRE is the shape of module, lesson and track slugs (catalog's rule):
// they end up in URLs and file names.
var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// Drafts may be incomplete; the checks below are only those that keep a
// draft addressable and well-typed. Everything else (required text,
// feedback, sources, ...) is the publish validation's job, and every draft
// reply lists what it would say.

// ModuleFields are module.yaml's fields (docs/content-format.md), plus
// the curriculum track the module belongs to (default: the last track).
type ModuleFields struct {
	Slug           string         `json:"slug"`
	Title          string         `json:"title"`
	Summary        string         `json:"summary"`
	Category       model.Category `json:"category"`
	Cluster        model.Cluster  `json:"cluster"`
	Readi          []model.Value  `json:"readi"`
	Level          string         `json:"level"`
	Minutes        int            `json:"minutes"`
	Objectives     []string       `json:"objectives"`
	ContentWarning string         `json:"content_warning"`
	Sources        []model.Source `json:"sources"`
	Track          string         `json:"track"`
}

// Validate checks the fields that need no lookup.
func (r *ModuleFields) Validate() error {
	f := fields{}
	r.Slug, r.Title = strings.TrimSpace(r.Slug), strings.TrimSpace(r.Title)
	f.slug("slug", r.Slug, true)
	f.text("title", r.Title, true)
	p := r.patch()
	p.check(f)
	return f.err()
}

func (r ModuleFields) patch() ModulePatch {
	return ModulePatch{Title: &r.Title, Summary: &r.Summary, Category: &r.Category, Cluster: &r.Cluster, Readi: &r.Readi,
		Level: &r.Level, Minutes: &r.Minutes, Objectives: &r.Objectives, ContentWarning: &r.ContentWarning,
		Sources: &r.Sources, Track: &r.Track}
}

// ModulePatch is PATCH /admin/modules/{slug}: nil fields stay unchanged.
// The slug cannot change: learners' records and URLs hang off it.
type ModulePatch struct {
	Title          *string         `json:"title"`
	Summary        *string         `json:"summary"`
	Category       *model.Category `json:"category"`
	Cluster        *model.Cluster  `json:"cluster"`
	Readi          *[]model.Value  `json:"readi"`
	Level          *string         `json:"level"`
	Minutes        *int            `json:"minutes"`
	Objectives     *[]string       `json:"objectives"`
	ContentWarning *string         `json:"content_warning"`
	Sources        *[]model.Source `json:"sources"`
	Track          *string         `json:"track"`
	Position       *int            `json:"position"`
}

// Validate checks every field that is present.
func (p *ModulePatch) Validate() error {
	f := fields{}
	p.check(f)
	return f.err()
}

func (p *ModulePatch) check(f fields) {
	if p.Title != nil {
		f.text("title", *p.Title, true)
	}
	if p.Category != nil && *p.Category != "" && !p.Category.Valid() {
		f.add("category", "category.unknown")
	}
	if p.Cluster != nil && *p.Cluster != "" && !p.Cluster.Valid() {
		f.add("cluster", "cluster.unknown")
	}
	if p.Level != nil && *p.Level != "" && !contains(model.Levels, *p.Level) {
		f.add("level", "level.unknown")
	}
	if p.Readi != nil {
		f.values("readi", *p.Readi)
	}
	if p.Minutes != nil && *p.Minutes < 0 {
		f.add("minutes", "field.negative")
	}
	if p.Track != nil && *p.Track != "" {
		f.slug("track", *p.Track, false)
	}
	if p.Position != nil && *p.Position < 1 {
		f.add("position", "field.too_small")
	}
}

// apply copies the present fields onto m.
func (p ModulePatch) apply(m *model.Module) {
	set(&m.Title, p.Title)
	set(&m.Summary, p.Summary)
	set(&m.Category, p.Category)
	set(&m.Cluster, p.Cluster)
	set(&m.Readi, p.Readi)
	set(&m.Level, p.Level)
	set(&m.Minutes, p.Minutes)
	set(&m.Objectives, p.Objectives)
	set(&m.ContentWarning, p.ContentWarning)
	set(&m.Sources, p.Sources)
	if p.Track != nil && *p.Track != "" {
		m.Track = *p.Track
	}
	set(&m.Position, p.Position)
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// LessonRequest is a lesson as POST .../lessons takes it.
type LessonRequest struct {
	Slug     string        `json:"slug"`
	Title    string        `json:"title"`
	Markdown string        `json:"markdown"`
	Readi    []model.Value `json:"readi"`
	Minutes  int           `json:"minutes"`
}

// Validate checks the fields that need no lookup.
func (r *LessonRequest) Validate() error {
	p := LessonPatch{Slug: &r.Slug, Title: &r.Title, Readi: &r.Readi, Minutes: &r.Minutes}
	return p.Validate()
}

// LessonPatch is PATCH .../lessons/{lesson}: nil fields stay unchanged.
type LessonPatch struct {
	Slug     *string        `json:"slug"`
	Title    *string        `json:"title"`
	Markdown *string        `json:"markdown"`
	Readi    *[]model.Value `json:"readi"`
	Minutes  *int           `json:"minutes"`
}

// Validate checks every field that is present.
func (p *LessonPatch) Validate() error {
	f := fields{}
	if p.Slug != nil {
		f.slug("slug", *p.Slug, true)
	}
	if p.Title != nil {
		f.text("title", *p.Title, true)
	}
	if p.Readi != nil {
		f.values("readi", *p.Readi)
	}
	if p.Minutes != nil && *p.Minutes < 0 {
		f.add("minutes", "field.negative")
	}
	return f.err()
}

// LessonOrder is PUT .../lessons/order: every lesson slug, in the new order.
type LessonOrder struct {
	Lessons []string `json:"lessons"`
}

// PreviewRequest is POST /admin/preview. Module, when given, resolves
// lesson: links the way the module's lessons will.
type PreviewRequest struct {
	Markdown string `json:"markdown"`
	Module   string `json:"module"`
}

// UserPatch is PATCH /admin/users/{id}.
type UserPatch struct {
	Role     *model.Role `json:"role"`
	Disabled *bool       `json:"disabled"`
}

// Validate checks the role and that something is to change.
func (p *UserPatch) Validate() error {
	f := fields{}
	if p.Role == nil && p.Disabled == nil {
		f.add("role", "field.required")
	}
	if p.Role != nil && !p.Role.Valid() {
		f.add("role", "role.unknown")
	}
	return f.err()
}

// fields collects field problems as translation keys.
type fields map[string]string

func (f fields) add(field, key string) {
	if _, dup := f[field]; !dup {
		f[field] = key
	}
}

func (f fields) err() error {
	if len(f) == 0 {
		return nil
	}
	return &model.ValidationError{Fields: f}
}

func (f fields) slug(field, s string, required bool) {
	switch {
	case s == "" && required:
		f.add(field, "field.required")
	case len(s) > 64:
		f.add(field, "field.too_long")
	case s != "" && !slugRE.MatchString(s):
		f.add(field, "slug.invalid")
	}
}

func (f fields) text(field, s string, required bool) {
	switch {
	case strings.TrimSpace(s) == "" && required:
		f.add(field, "field.required")
	case utf8.RuneCountInString(s) > 200:
		f.add(field, "field.too_long")
	}
}

func (f fields) values(field string, vals []model.Value) {
	for i, v := range vals {
		if !v.Valid() {
			f.add(fmt.Sprintf("%s[%d]", field, i), "readi.unknown")
		}
	}
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
