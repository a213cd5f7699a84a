// Package catalog reads and checks content packs: the curriculum as plain
// files (docs/content-format.md), parsed from any fs.FS so the same code
// serves the embedded pack, a directory on disk and an uploaded archive.
// A pack that breaks any rule is refused whole, with every problem listed
// as file:line: message; Load never returns half a pack.
package catalog

import (
	"fmt"
	"io/fs"
	"sort"

	"github.com/readi-platform/readi/internal/model"
)

// Pack is a content pack that passed every check.
type Pack struct {
	Tracks []Track
	// Modules are in curriculum order: track by track, in the order each
	// track lists them.
	Modules []model.Module
}

// Track is an ordered group of modules from curriculum.yaml.
type Track struct {
	Slug    string   `yaml:"slug"`
	Title   string   `yaml:"title"`
	Modules []string `yaml:"modules"` // module slugs, in order
}

const curriculumFile = "curriculum.yaml"

// Load reads the pack at the root of fsys: curriculum.yaml and one directory
// per module. It returns either the whole pack or nil and a *Problems
// holding every problem found.
//
// Each module's Track is the slug of its track and Position its 1-based
// place in the whole curriculum, so sorting by Position alone gives the
// curriculum order.
func Load(fsys fs.FS) (*Pack, error) {
	c := newCollector()
	tracks, listed := loadCurriculum(fsys, c)

	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		c.fail(".", 0, "cannot read the pack: %v", err)
	}
	modules := map[string]*loadedModule{}
	var dirs []string
	for _, e := range entries {
		if !e.IsDir() || hidden(e.Name()) {
			continue
		}
		dirs = append(dirs, e.Name())
		modules[e.Name()] = loadModule(fsys, e.Name(), c)
	}
	for _, slug := range sortedKeys(listed) {
		if modules[slug] == nil {
			c.add(curriculumFile, listed[slug].line, "module %s has no directory", slug)
		}
	}
	for _, dir := range dirs {
		if _, ok := listed[dir]; !ok && !c.broken[curriculumFile] {
			c.add(curriculumFile, 0, "module %s is in no track", dir)
		}
	}
	checkQuestionIDs(dirs, modules, c)
	if err := c.err(); err != nil {
		return nil, err
	}

	pack := &Pack{Tracks: tracks}
	for _, t := range tracks {
		for _, slug := range t.Modules {
			m := modules[slug].module
			m.Track, m.TrackTitle, m.Position = t.Slug, t.Title, len(pack.Modules)+1
			pack.Modules = append(pack.Modules, m)
		}
	}
	return pack, nil
}

// curriculum is curriculum.yaml.
type curriculum struct {
	Tracks []Track `yaml:"tracks"`
}

// loadCurriculum reads and checks curriculum.yaml. listed maps every listed
// module slug to where it was listed.
func loadCurriculum(fsys fs.FS, c *collector) (tracks []Track, listed map[string]location) {
	listed = map[string]location{}
	var cur curriculum
	root := readYAML(fsys, c, curriculumFile, "pack", &cur, false)
	if root == nil {
		return nil, listed
	}
	ix := pathIndex{}
	ix.addNode("", root, curriculumFile, 0)
	ix.set("", location{curriculumFile, 1})
	if len(cur.Tracks) == 0 {
		c.addValidation(ix.resolve("tracks"), "curriculum needs at least one track")
	}
	trackOf := map[string]string{}
	seen := map[string]bool{}
	for i, t := range cur.Tracks {
		p := fmt.Sprintf("tracks[%d]", i)
		name := "track " + t.Slug
		switch {
		case t.Slug == "":
			name = fmt.Sprintf("track %d", i+1)
			c.addValidation(ix.resolve(p+".slug"), name+": slug is required")
		case !slugRE.MatchString(t.Slug):
			c.addValidation(ix.resolve(p+".slug"), name+": slug must be lower-case letters, digits and single hyphens")
		case seen[t.Slug]:
			c.addValidation(ix.resolve(p+".slug"), name+": slug is used twice")
		}
		seen[t.Slug] = true
		if blank(t.Title) {
			c.addValidation(ix.resolve(p+".title"), name+": title is required")
		}
		if len(t.Modules) == 0 {
			c.addValidation(ix.resolve(p+".modules"), name+": modules needs at least one module")
		}
		for j, slug := range t.Modules {
			loc := ix.resolve(fmt.Sprintf("%s.modules[%d]", p, j))
			if other, dup := trackOf[slug]; dup {
				c.addValidation(loc, fmt.Sprintf("%s: module %s is already listed in track %s", name, slug, other))
				continue
			}
			trackOf[slug] = t.Slug
			listed[slug] = loc
		}
	}
	return cur.Tracks, listed
}

// checkQuestionIDs reports question ids used by more than one module:
// progress and review are keyed on ids alone. Repeats within a module are
// ValidateModule's job.
func checkQuestionIDs(dirs []string, modules map[string]*loadedModule, c *collector) {
	sort.Strings(dirs)
	type use struct {
		dir string
		loc location
	}
	first := map[string]use{}
	for _, dir := range dirs {
		lm := modules[dir]
		if lm.module.Quiz == nil {
			continue
		}
		for i, q := range lm.module.Quiz.Questions {
			if q.ID == "" {
				continue
			}
			loc := lm.index.resolve(fmt.Sprintf("quiz.questions[%d].id", i))
			prev, ok := first[q.ID]
			switch {
			case !ok:
				first[q.ID] = use{dir, loc}
			case prev.dir != dir:
				c.add(loc.file, loc.line, "question id %s is already used in %s:%d; ids are unique across the pack", q.ID, prev.loc.file, prev.loc.line)
			}
		}
	}
}
