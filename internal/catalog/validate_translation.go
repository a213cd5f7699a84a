package catalog

import (
	"fmt"
	"maps"
	"slices"

	"github.com/readi-platform/readi/internal/model"
)

// validateTranslations checks that every translation only carries text for
// things that exist in the base module: lessons by slug, questions by id,
// and inside a question the options, items, pairs, segments, steps and
// choices by id. Untranslated parts fall back to the base, so nothing is
// required, but a translation may never change structure, keys or points.
func validateTranslations(is *issues, m model.Module) {
	lessons := lessonSlugs(m.Lessons)
	questions := map[string]model.Question{}
	if m.Quiz != nil {
		for _, q := range m.Quiz.Questions {
			if _, ok := questions[q.ID]; !ok {
				questions[q.ID] = q
			}
		}
	}
	for _, lang := range sortedKeys(m.Translations) {
		tr := m.Translations[lang]
		p, who := "translations."+lang, "translation "+lang
		if !langRE.MatchString(lang) || lang == "en" {
			is.add(p, "%s: language must be a lower-case tag other than en", who)
		}
		if len(tr.Objectives) > 0 && len(tr.Objectives) != len(m.Objectives) {
			is.add(p+".objectives", "%s: objectives has %d entries, the base module has %d", who, len(tr.Objectives), len(m.Objectives))
		}
		for _, slug := range sortedKeys(tr.Lessons) {
			l, lp, name := tr.Lessons[slug], p+".lessons."+slug, who+": lesson "+slug
			if _, ok := lessons[slug]; !ok {
				is.add(lp, "%s is not in the base module", name)
				continue
			}
			if l.Slug != slug {
				is.add(lp+".slug", "%s: front matter slug %q must be the base slug %q", name, l.Slug, slug)
			}
			if len(l.Readi) > 0 || l.Minutes != 0 {
				is.add(lp, "%s: readi and minutes come from the base lesson and cannot be translated", name)
			}
			checkMarkdown(is, lp+".markdown", name+": ", l.Markdown, lessons)
		}
		if m.Quiz == nil {
			continue // the missing quiz is reported; its translation cannot be checked
		}
		for _, id := range sortedKeys(tr.Questions) {
			qp, name := p+".questions."+id, who+": question "+id
			base, ok := questions[id]
			if !ok {
				is.add(qp, "%s is not in the base quiz", name)
				continue
			}
			validateTranslatedQuestion(is, qp, name, base, tr.Questions[id])
		}
	}
}

func validateTranslatedQuestion(is *issues, path, name string, base, q model.Question) {
	if q.ID != "" && q.ID != base.ID {
		is.add(path+".id", "%s: id %q does not match", name, q.ID)
	}
	fixed := []struct {
		field string
		set   bool
	}{
		{"type", q.Type != "" && q.Type != base.Type}, {"readi", len(q.Readi) > 0}, {"points", q.Points != 0},
		{"answer", q.Answer != nil}, {"message.channel", q.Message != nil && q.Message.Channel != ""},
	}
	for _, f := range fixed {
		if f.set {
			is.add(path+"."+f.field, "%s: %s comes from the base question and cannot be translated", name, f.field)
		}
	}
	shape := q
	shape.Type, shape.Answer = base.Type, nil
	if base.Type.Valid() {
		checkUnusedFields(is, path, name, shape)
	}
	known := func(kind string, ids ...string) map[string]bool {
		set := map[string]bool{}
		for _, id := range ids {
			set[kind+" "+id] = true
		}
		return set
	}
	opts := known("option", mapIDs(base.Options, func(o model.Option) string { return o.ID })...)
	seen := map[string]bool{}
	for j, o := range q.Options {
		checkTranslatedID(is, fmt.Sprintf("%s.options[%d]", path, j), name, "option", o.ID, opts, seen)
		if o.Correct {
			is.add(fmt.Sprintf("%s.options[%d].correct", path, j), "%s: correct comes from the base question and cannot be translated", name)
		}
	}
	items := known("item", mapIDs(base.Items, func(i model.Item) string { return i.ID })...)
	for j, it := range q.Items {
		checkTranslatedID(is, fmt.Sprintf("%s.items[%d]", path, j), name, "item", it.ID, items, seen)
	}
	rightOf := map[string]string{}
	for _, pr := range base.Pairs {
		rightOf[pr.Left.ID] = pr.Right.ID
	}
	for j, pr := range q.Pairs {
		pp := fmt.Sprintf("%s.pairs[%d]", path, j)
		right, ok := rightOf[pr.Left.ID]
		switch {
		case pr.Left.ID == "":
			is.add(pp+".left.id", "%s: pair %d: left id is required to name the pair", name, j+1)
		case !ok:
			is.add(pp+".left.id", "%s: pair with left id %s is not in the base question", name, pr.Left.ID)
		case seen["pair "+pr.Left.ID]:
			is.add(pp+".left.id", "%s: pair with left id %s is translated twice", name, pr.Left.ID)
		case pr.Right.ID != "" && pr.Right.ID != right:
			is.add(pp+".right.id", "%s: pair %s: right id %s is not the right side of that pair in the base question", name, pr.Left.ID, pr.Right.ID)
		}
		seen["pair "+pr.Left.ID] = true
	}
	if q.Message != nil {
		var segs map[string]bool
		if base.Message != nil {
			segs = known("segment", mapIDs(base.Message.Segments, func(s model.Segment) string { return s.ID })...)
		}
		for j, s := range q.Message.Segments {
			sp := fmt.Sprintf("%s.message.segments[%d]", path, j)
			checkTranslatedID(is, sp, name, "segment", s.ID, segs, seen)
			if s.Flag {
				is.add(sp+".flag", "%s: flag comes from the base question and cannot be translated", name)
			}
		}
	}
	baseSteps := map[string]model.Step{}
	for _, st := range base.Steps {
		if _, dup := baseSteps[st.ID]; !dup {
			baseSteps[st.ID] = st
		}
	}
	steps := known("step", mapIDs(base.Steps, func(s model.Step) string { return s.ID })...)
	for j, st := range q.Steps {
		sp := fmt.Sprintf("%s.steps[%d]", path, j)
		checkTranslatedID(is, sp, name, "step", st.ID, steps, seen)
		choices := known("choice", mapIDs(baseSteps[st.ID].Choices, func(c model.Choice) string { return c.ID })...)
		for k, ch := range st.Choices {
			cp := fmt.Sprintf("%s.choices[%d]", sp, k)
			checkTranslatedID(is, cp, name, "choice", ch.ID, choices, seen)
			if ch.Next != "" || ch.Points != 0 {
				is.add(cp, "%s: next and points come from the base question and cannot be translated", name)
			}
		}
	}
}

// checkTranslatedID checks that a translated part names a base part by id
// and is translated once. known and seen hold "kind id" keys.
func checkTranslatedID(is *issues, path, name, kind, id string, known, seen map[string]bool) {
	key := kind + " " + id
	switch {
	case id == "":
		is.add(path+".id", "%s: translated %s needs the id of the base %s", name, kind, kind)
	case !known[key]:
		is.add(path+".id", "%s: %s %s is not in the base question", name, kind, id)
	case seen[key]:
		is.add(path+".id", "%s: %s %s is translated twice", name, kind, id)
	}
	seen[key] = true
}

func mapIDs[T any](list []T, id func(T) string) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = id(v)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
