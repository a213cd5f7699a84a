package admin

import (
	"context"
	"encoding/json"
	"io/fs"
	"reflect"
	"sort"

	"github.com/readi-platform/readi/internal/catalog"
	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// ImportOptions tune an import. DryRun reports without writing. Replace
// makes the pack the whole curriculum: its tracks and order win, and
// published modules it leaves out are unpublished (kept as drafts).
// Otherwise only the pack's modules change, existing ones keep their place
// and new ones go to the end of the curriculum.
type ImportOptions struct {
	DryRun  bool
	Replace bool
}

// ImportReport is what an import would do (dry run) or did, by module.
type ImportReport struct {
	DryRun    bool            `json:"dry_run"`
	Created   []string        `json:"created"`
	Changed   []ModuleChanges `json:"changed"`
	Unchanged []string        `json:"unchanged"`
	Removed   []string        `json:"removed"`
}

// ModuleChanges details how a module differs from what learners see now.
type ModuleChanges struct {
	Slug         string   `json:"slug"`
	Fields       []string `json:"fields"`
	Lessons      Changes  `json:"lessons"`
	Questions    Changes  `json:"questions"`
	Translations Changes  `json:"translations"`
}

// Changes lists the slugs or ids added, changed and removed.
type Changes struct {
	Added   []string `json:"added"`
	Changed []string `json:"changed"`
	Removed []string `json:"removed"`
}

// Import reads a content pack (refused whole, with every file:line
// problem, if anything is wrong) and publishes each of its modules that
// differs from what learners see, as a new revision by actor, in one
// transaction. The same path serves the admin API and `readi content
// import`, whose actor is the command line (id 0).
func (s *Service) Import(ctx context.Context, actor model.User, fsys fs.FS, o ImportOptions) (ImportReport, error) {
	rep := ImportReport{DryRun: o.DryRun, Created: []string{}, Changed: []ModuleChanges{}, Unchanged: []string{}, Removed: []string{}}
	pack, err := loadPack(fsys)
	if err != nil {
		return rep, err
	}
	cur, err := s.current(ctx)
	if err != nil {
		return rep, err
	}
	last := cur.last
	plan := store.PackImport{ActorID: actor.ID}
	inPack := map[string]bool{}
	for _, pm := range pack.Modules {
		inPack[pm.Slug] = true
	}
	var problems []Problem
	for _, pm := range pack.Modules {
		doc := store.WithoutHTML(pm)
		head, hasHead := cur.heads[doc.Slug]
		pub := cur.published[doc.Slug]
		switch {
		case !o.Replace && hasHead:
			doc.Track, doc.TrackTitle, doc.Position = head.Track, head.TrackTitle, head.Position
		case !o.Replace:
			last++
			doc.Position = last
		}
		if pub != nil && sameContent(doc, *pub) {
			rep.Unchanged = append(rep.Unchanged, doc.Slug)
			continue
		}
		st, edited := cur.states[doc.Slug]
		plan.Modules = append(plan.Modules, store.ImportedModule{Doc: doc, Rendered: Render(doc), Publish: true,
			Revise: !hasHead || !sameContent(doc, head) || edited && st.Deleted})
		switch {
		case pub != nil:
			rep.Changed = append(rep.Changed, changesOf(*pub, doc))
		case hasHead:
			rep.Changed = append(rep.Changed, changesOf(head, doc))
		default:
			rep.Created = append(rep.Created, doc.Slug)
		}
		owners, err := s.store.QuestionOwners(ctx, questionIDs(doc), doc.Slug)
		if err != nil {
			return rep, err
		}
		for _, id := range sortedKeys(owners) {
			if owner := owners[id]; !inPack[owner] {
				problems = append(problems, Problem{File: doc.Slug + "/quiz.yaml",
					Message: "question id " + id + " is already used by module " + owner + "; ids are unique across the curriculum"})
			}
		}
	}
	if len(problems) > 0 {
		return rep, &Invalid{Msg: "the content pack clashes with other modules", Problems: problems}
	}
	if o.Replace {
		for slug := range cur.published {
			if !inPack[slug] {
				rep.Removed = append(rep.Removed, slug)
			}
		}
		sort.Strings(rep.Removed)
		plan.Unpublish = rep.Removed
	}
	if o.DryRun {
		return rep, nil
	}
	plan.Report = rep
	if err := s.store.ImportModules(ctx, plan); err != nil {
		return rep, storeError(err)
	}
	return rep, s.reload(ctx)
}

// editorView is every module as the editor sees it.
type editorView struct {
	states    map[string]store.ModuleState
	heads     map[string]model.Module // a pack module nobody edited: its published content
	published map[string]*model.Module
	last      int // the last curriculum position in use
}

// current loads the editor's view of every module, in five queries.
func (s *Service) current(ctx context.Context) (editorView, error) {
	v := editorView{states: map[string]store.ModuleState{}, published: map[string]*model.Module{}}
	list, err := s.store.ModuleStates(ctx)
	if err != nil {
		return v, err
	}
	if v.heads, err = s.store.HeadDocuments(ctx); err != nil {
		return v, err
	}
	pubs, err := s.store.PublishedModules(ctx)
	if err != nil {
		return v, err
	}
	for _, st := range list {
		v.states[st.Slug] = st
		if _, ok := v.heads[st.Slug]; !ok { // cannot happen: a state always has its head revision
			v.heads[st.Slug] = model.Module{Slug: st.Slug}
		}
	}
	for i := range pubs {
		m := store.WithoutHTML(pubs[i].Module)
		v.published[m.Slug] = &m
		if _, ok := v.heads[m.Slug]; !ok {
			v.heads[m.Slug] = m
		}
	}
	for _, h := range v.heads {
		v.last = max(v.last, h.Position)
	}
	return v, nil
}

// trackTitle is the title the modules of a track carry, or one made from
// its slug for a new track. Track titles come from curriculum.yaml; the
// editor gives a module the title of the track it joins.
func (v editorView) trackTitle(track string) string {
	for _, h := range v.heads {
		if h.Track == track && h.TrackTitle != "" {
			return h.TrackTitle
		}
	}
	return titleOf(track)
}

// changesOf lists what differs between the module learners see (or the
// draft) and the imported one.
func changesOf(old, now model.Module) ModuleChanges {
	c := ModuleChanges{Slug: now.Slug, Fields: []string{}}
	for _, e := range diffModules(header(old), header(now)) {
		c.Fields = append(c.Fields, e.Path)
	}
	if !reflect.DeepEqual(lessonSlugs(old), lessonSlugs(now)) {
		c.Fields = append(c.Fields, "lessons.order")
	}
	lessons := func(m model.Module) map[string]any {
		out := map[string]any{}
		for _, l := range m.Lessons {
			out[l.Slug] = l
		}
		return out
	}
	questions := func(m model.Module) map[string]any {
		out := map[string]any{}
		if m.Quiz != nil {
			for _, q := range m.Quiz.Questions {
				out[q.ID] = q
			}
		}
		return out
	}
	translations := func(m model.Module) map[string]any {
		out := map[string]any{}
		for lang, tr := range m.Translations {
			out[lang] = tr
		}
		return out
	}
	c.Lessons = compareByKey(lessons(old), lessons(now))
	c.Questions = compareByKey(questions(old), questions(now))
	c.Translations = compareByKey(translations(old), translations(now))
	return c
}

func compareByKey(a, b map[string]any) Changes {
	c := Changes{Added: []string{}, Changed: []string{}, Removed: []string{}}
	for _, k := range sortedKeys(a) {
		nb, ok := b[k]
		switch {
		case !ok:
			c.Removed = append(c.Removed, k)
		case !equalContent(a[k], nb):
			c.Changed = append(c.Changed, k)
		}
	}
	for _, k := range sortedKeys(b) {
		if _, ok := a[k]; !ok {
			c.Added = append(c.Added, k)
		}
	}
	return c
}

// equalContent compares two values as JSON with zero values left out.
func equalContent(a, b any) bool {
	canon := func(v any) any {
		raw, _ := json.Marshal(v)
		var t any
		_ = json.Unmarshal(raw, &t)
		t, _ = catalog.PruneZero(t)
		return t
	}
	return reflect.DeepEqual(canon(a), canon(b))
}

func questionIDs(m model.Module) []string {
	if m.Quiz == nil {
		return nil
	}
	ids := make([]string, len(m.Quiz.Questions))
	for i, q := range m.Quiz.Questions {
		ids[i] = q.ID
	}
	return ids
}
