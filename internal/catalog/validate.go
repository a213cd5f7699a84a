package catalog

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/readi-platform/readi/internal/model"
)

var (
	// slugRE is the shape of module, lesson and track slugs: they end up in URLs.
	slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	// idRE is the shape of question, option, item, segment, step and choice
	// ids: they are keys of answers and of stored progress, so no spaces or
	// punctuation that would need quoting.
	idRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)
)

// issue is a validation problem placed by field path, not by file: Load
// turns the path into file:line, ValidateModule prints it.
type issue struct {
	path   string
	mdLine int // 1-based line inside the Markdown at path, or 0
	msg    string
}

type issues []issue

func (is *issues) add(path, format string, args ...any) {
	*is = append(*is, issue{path: path, msg: fmt.Sprintf(format, args...)})
}

func (is *issues) addAt(path string, mdLine int, format string, args ...any) {
	*is = append(*is, issue{path: path, mdLine: mdLine, msg: fmt.Sprintf(format, args...)})
}

// ValidateModule checks a module against every module-level rule of
// docs/content-format.md: its fields, lessons, quiz and translations. It
// needs no files, so an admin API can run it on a module built in memory
// before publishing. Each Problem has an empty File and a Message that
// starts with the field path, e.g. "quiz.questions[3].options: ...".
// Rules that span modules (question ids unique across the pack, tracks) are
// checked by Load only.
func ValidateModule(m model.Module) []Problem {
	is := validateModule(m)
	if len(is) == 0 {
		return nil
	}
	out := make([]Problem, 0, len(is))
	for _, i := range is {
		msg := i.msg
		if i.mdLine > 0 {
			msg += fmt.Sprintf(" (Markdown line %d)", i.mdLine)
		}
		if i.path != "" {
			msg = i.path + ": " + msg
		}
		out = append(out, Problem{Message: msg})
	}
	return out
}

func validateModule(m model.Module) issues {
	var is issues
	validateFields(&is, m)
	validateLessons(&is, m)
	validateQuiz(&is, m.Quiz)
	validateTranslations(&is, m)
	return is
}

func validateFields(is *issues, m model.Module) {
	switch {
	case m.Slug == "":
		is.add("slug", "slug is required")
	case !slugRE.MatchString(m.Slug):
		is.add("slug", "slug %q must be lower-case letters, digits and single hyphens", m.Slug)
	}
	if blank(m.Title) {
		is.add("title", "title is required")
	}
	if blank(m.Summary) {
		is.add("summary", "summary is required")
	}
	checkEnum(is, "category", string(m.Category), m.Category.Valid(), model.Categories)
	checkEnum(is, "cluster", string(m.Cluster), m.Cluster.Valid(), model.Clusters)
	checkEnum(is, "level", m.Level, contains(model.Levels, m.Level), model.Levels)
	checkValues(is, "readi", "", m.Readi)
	if m.Minutes <= 0 {
		is.add("minutes", "minutes must be greater than 0, found %d", m.Minutes)
	}
	if len(m.Objectives) == 0 {
		is.add("objectives", "objectives needs at least one entry")
	}
	for i, o := range m.Objectives {
		if blank(o) {
			is.add(fmt.Sprintf("objectives[%d]", i), "objective %d is empty", i+1)
		}
	}
	if len(m.Sources) == 0 {
		is.add("sources", "sources needs at least one entry")
	}
	for i, s := range m.Sources {
		p := fmt.Sprintf("sources[%d]", i)
		for _, f := range []struct{ name, value string }{{"title", s.Title}, {"publisher", s.Publisher}, {"url", s.URL}} {
			if blank(f.value) {
				is.add(p+"."+f.name, "source %d: %s is required", i+1, f.name)
			}
		}
		if s.Year <= 1900 {
			is.add(p+".year", "source %d: year must be after 1900, found %d", i+1, s.Year)
		}
		if !blank(s.URL) && !isWebURL(s.URL) {
			is.add(p+".url", "source %d: url %q must be an absolute http or https URL", i+1, s.URL)
		}
	}
}

func validateLessons(is *issues, m model.Module) {
	if len(m.Lessons) == 0 {
		is.add("lessons", "module %s has no lessons", m.Slug)
		return
	}
	first := lessonSlugs(m.Lessons)
	for i, l := range m.Lessons {
		p := fmt.Sprintf("lessons[%d]", i)
		name := lessonName(i, l.Slug)
		switch {
		case l.Slug == "":
			is.add(p+".slug", "%s: slug is required", name)
		case !slugRE.MatchString(l.Slug):
			is.add(p+".slug", "%s: slug must be lower-case letters, digits and single hyphens", name)
		case first[l.Slug] != i:
			is.add(p+".slug", "%s: slug is also used by lesson %d", name, first[l.Slug]+1)
		}
		if blank(l.Title) {
			is.add(p+".title", "%s: title is required", name)
		}
		if l.Minutes <= 0 {
			is.add(p+".minutes", "%s: minutes must be greater than 0, found %d", name, l.Minutes)
		}
		checkValues(is, p+".readi", name+": ", l.Readi)
		checkMarkdown(is, p+".markdown", name+": ", l.Markdown, first)
	}
}

// lessonSlugs maps each lesson slug to the index of its first use.
func lessonSlugs(lessons []model.Lesson) map[string]int {
	first := map[string]int{}
	for i, l := range lessons {
		if _, ok := first[l.Slug]; !ok && l.Slug != "" {
			first[l.Slug] = i
		}
	}
	return first
}

// checkMarkdown checks a lesson body: not empty, no level-1 heading (the
// page shows the lesson title as the only h1) and lesson: links that name
// lessons of the module.
func checkMarkdown(is *issues, path, who, md string, slugs map[string]int) {
	if blank(md) {
		is.add(path, "%sbody is empty", who)
		return
	}
	h1, links := scanMarkdown(md)
	for _, line := range h1 {
		is.addAt(path, line, "%sheadings start at ##, found a level-1 heading", who)
	}
	for _, l := range links {
		if _, ok := slugs[l.slug]; !ok {
			is.addAt(path, l.line, "%slink lesson:%s names no lesson of this module", who, l.slug)
		}
	}
}

func lessonName(i int, slug string) string {
	if slug == "" {
		return fmt.Sprintf("lesson %d", i+1)
	}
	return "lesson " + slug
}

// checkValues checks a readi list: at least one value, all known, none twice.
func checkValues(is *issues, path, who string, vals []model.Value) {
	if len(vals) == 0 {
		is.add(path, "%sreadi needs at least one value", who)
	}
	seen := map[model.Value]bool{}
	for i, v := range vals {
		p := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case !v.Valid():
			is.add(p, "%sreadi value %q is not one of %s", who, v, join(model.Values))
		case seen[v]:
			is.add(p, "%sreadi value %q is listed twice", who, v)
		}
		seen[v] = true
	}
}

func checkEnum[T ~string](is *issues, field, value string, valid bool, known []T) {
	switch {
	case value == "":
		is.add(field, "%s is required (one of %s)", field, join(known))
	case !valid:
		is.add(field, "%s %q is not one of %s", field, value, join(known))
	}
}

func join[T ~string](list []T) string {
	s := make([]string, len(list))
	for i, v := range list {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
