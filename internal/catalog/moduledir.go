package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"

	"gopkg.in/yaml.v3"

	"github.com/readi-platform/readi/internal/model"
)

// lessonFileRE is the name of a lesson file: a two-digit prefix that orders
// the lessons, then the lesson slug.
var lessonFileRE = regexp.MustCompile(`^(\d\d)-(.*)\.md$`)

// loadedModule is one module directory as read, with the index that places
// its fields in files and the lesson file names its translations must mirror.
type loadedModule struct {
	dir     string
	module  model.Module
	index   pathIndex
	lessons map[string]string // lesson file name -> slug from the file name
}

// loadModule reads the module in directory dir, checks what only the files
// can tell (names, front matter, translations) and validates the result
// with the same rules as ValidateModule.
func loadModule(fsys fs.FS, dir string, c *collector) *loadedModule {
	lm := &loadedModule{dir: dir, index: pathIndex{}, lessons: map[string]string{}}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		c.fail(dir, 0, "cannot read module directory: %v", err)
		return lm
	}
	m := &lm.module
	moduleFile, quizFile := path.Join(dir, "module.yaml"), path.Join(dir, "quiz.yaml")
	lm.index.set("lessons", location{dir, 0})
	lm.index.set("quiz", location{quizFile, 0})
	lm.index.set("", location{moduleFile, 0})

	if root := readYAML(fsys, c, moduleFile, "module", m, false); root != nil {
		lm.index.addNode("", root, moduleFile, 0)
		if m.Slug != "" && m.Slug != dir {
			c.add(moduleFile, lm.index.resolve("slug").line, "slug %q does not match the directory name %q", m.Slug, dir)
		}
	}
	var quiz model.Quiz
	if root := readYAML(fsys, c, quizFile, "module", &quiz, false); root != nil {
		lm.index.addNode("quiz", root, quizFile, 0)
		m.Quiz = &quiz
	}

	prefixes := map[string]string{}
	var langs []string
	for _, e := range entries {
		name, file := e.Name(), path.Join(dir, e.Name())
		match := lessonFileRE.FindStringSubmatch(name)
		switch {
		case hidden(name) || name == "module.yaml" || name == "quiz.yaml":
		case e.IsDir():
			langs = append(langs, name)
		case match != nil:
			if other, dup := prefixes[match[1]]; dup {
				c.add(file, 0, "lesson number %s is also used by %s", match[1], other)
			}
			prefixes[match[1]] = name
			lm.lessons[name] = match[2]
			lm.loadLesson(fsys, c, file, match[2])
		case path.Ext(name) == ".md":
			c.add(file, 0, "lesson file name must be NN-slug.md, with a two-digit number")
		default:
			c.add(file, 0, "unexpected file: a module holds module.yaml, quiz.yaml, NN-slug.md lessons and language folders")
		}
	}
	for _, lang := range langs {
		lm.loadTranslation(fsys, c, lang)
	}
	for _, is := range validateModule(*m) {
		loc := lm.index.resolve(is.path)
		if is.mdLine > 0 {
			loc.line += is.mdLine - 1
		}
		c.addValidation(loc, is.msg)
	}
	return lm
}

// loadLesson reads one lesson file and appends it to the module, even when
// its front matter is broken, so that lesson numbering and links to it stay
// right for the rest of the checks.
func (lm *loadedModule) loadLesson(fsys fs.FS, c *collector, file, fileSlug string) {
	i := len(lm.module.Lessons)
	p := fmt.Sprintf("lessons[%d]", i)
	l := model.Lesson{Slug: fileSlug}
	lm.index.set(p, location{file, 1})
	front, body, bodyLine, ok := readLessonFile(fsys, c, file)
	if ok {
		var fm model.Lesson
		if root := decodeYAML(c, file, front, 1, "front matter", &fm, false); root != nil {
			lm.index.addNode(p, root, file, 1)
			if fm.Slug != "" && fm.Slug != fileSlug {
				c.add(file, lm.index.resolve(p+".slug").line, "front matter slug %q does not match the file name slug %q", fm.Slug, fileSlug)
				fm.Slug = fileSlug // reported; keep checking links against the file name
			}
			l = fm
		}
	}
	lm.index.set(p+".markdown", location{file, bodyLine})
	l.Markdown = body
	l.HTML = RenderLesson(lm.dir, body)
	lm.module.Lessons = append(lm.module.Lessons, l)
}

// readLessonFile splits a lesson file into its front matter and Markdown
// body. bodyLine is the file line the body starts on. ok is false when the
// file has no usable front matter (the problem is then recorded).
func readLessonFile(fsys fs.FS, c *collector, file string) (front []byte, body string, bodyLine int, ok bool) {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		c.fail(file, 0, "cannot read file: %v", err)
		return nil, "", 1, false
	}
	data = normalize(data)
	if !bytes.HasPrefix(data, []byte("---\n")) {
		c.fail(file, 1, "lesson must start with front matter: a line ---, slug, title, readi and minutes, then ---")
		return nil, string(data), 1, false
	}
	rest := data[len("---\n"):]
	for line := 2; ; line++ {
		end := bytes.IndexByte(rest, '\n')
		text := rest
		if end >= 0 {
			text = rest[:end]
		}
		if string(bytes.TrimRight(text, " \t")) == "---" {
			front = data[len("---\n") : len(data)-len(rest)]
			if end < 0 {
				return front, "", line + 1, true
			}
			return front, string(rest[end+1:]), line + 1, true
		}
		if end < 0 {
			break
		}
		rest = rest[end+1:]
	}
	c.fail(file, 1, "front matter is not closed by a --- line")
	return nil, "", 1, false
}

// normalize drops a UTF-8 byte order mark and turns CRLF into LF, so files
// saved by any editor read the same; line numbers do not change.
func normalize(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	return bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
}

// readYAML reads and decodes a YAML file; a missing file is a problem.
// owner names what needs the file, for the message.
func readYAML(fsys fs.FS, c *collector, file, owner string, out any, translation bool) *yaml.Node {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			c.fail(file, 0, "file not found: every %s needs one", owner)
		} else {
			c.fail(file, 0, "cannot read file: %v", err)
		}
		return nil
	}
	return decodeYAML(c, file, normalize(data), 0, "file", out, translation)
}

// hidden names are skipped, as go:embed skips them.
func hidden(name string) bool { return name[0] == '.' || name[0] == '_' }
