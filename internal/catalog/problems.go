package catalog

import (
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Problem is one thing wrong with a content pack or a module.
type Problem struct {
	// File is the slash-separated path inside the pack. It is empty for a
	// module built in memory (ValidateModule), whose Message then starts
	// with a field path such as quiz.questions[3].options.
	File string
	// Line is 1-based; 0 when the problem concerns the whole file.
	Line    int
	Message string
}

// String formats p the way compilers do, so editors can jump to it.
func (p Problem) String() string {
	switch {
	case p.File == "":
		return p.Message
	case p.Line <= 0:
		return p.File + ": " + p.Message
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
}

// Problems is the error Load returns when a pack breaks any rule. It holds
// every problem found, not only the first, so an author can fix a pack in
// one pass.
type Problems struct {
	List []Problem
}

// Error prints one "file:line: message" per line, sorted by file and line.
func (p *Problems) Error() string {
	lines := make([]string, len(p.List))
	for i, pr := range p.List {
		lines[i] = pr.String()
	}
	return strings.Join(lines, "\n")
}

// sortProblems orders problems by file, line and message and drops exact
// duplicates, so the output is stable whatever order the checks ran in.
func sortProblems(list []Problem) []Problem {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Message < b.Message
	})
	out := list[:0]
	for _, p := range list {
		if len(out) > 0 && p == out[len(out)-1] {
			continue
		}
		out = append(out, p)
	}
	return out
}

// location is a place in the pack.
type location struct {
	file string
	line int
}

// collector gathers the problems of one Load. It also remembers which files
// could not be parsed and which lines failed to decode, so that validation
// does not pile follow-on complaints ("minutes must be greater than 0") on
// top of the real cause ("minutes: expected a whole number").
type collector struct {
	list     []Problem
	broken   map[string]bool
	badLines map[location]bool
}

func newCollector() *collector {
	return &collector{broken: map[string]bool{}, badLines: map[location]bool{}}
}

// add records a problem at file:line.
func (c *collector) add(file string, line int, format string, args ...any) {
	c.list = append(c.list, Problem{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// fail records a problem that makes the whole file unusable.
func (c *collector) fail(file string, line int, format string, args ...any) {
	c.add(file, line, format, args...)
	c.broken[file] = true
}

// addDecode records a problem with one value of a file.
func (c *collector) addDecode(file string, line int, msg string) {
	c.add(file, line, "%s", msg)
	c.badLines[location{file, line}] = true
}

// addValidation records a validation problem unless its cause has already
// been reported as a parse or decode problem.
func (c *collector) addValidation(loc location, msg string) {
	if c.broken[loc.file] || c.badLines[loc] {
		return
	}
	c.add(loc.file, loc.line, "%s", msg)
}

// err returns the collected problems as an error, or nil if there are none.
func (c *collector) err() error {
	if len(c.list) == 0 {
		return nil
	}
	return &Problems{List: sortProblems(c.list)}
}

// pathIndex maps the field paths that validation speaks in
// (quiz.questions[2].options[0].feedback, lessons[1].minutes) to where each
// field was written, so that ValidateModule can stay unaware of files and
// Load can still report file:line.
type pathIndex map[string]location

// set records loc for path unless the path is already known: when a file
// repeats an id, the first occurrence is the one validation talks about.
func (ix pathIndex) set(path string, loc location) {
	if _, ok := ix[path]; !ok {
		ix[path] = loc
	}
}

// addNode records the position of every field and list item below n, with
// paths starting at prefix. Aliases are not followed: they would repeat
// positions and can grow exponentially.
func (ix pathIndex) addNode(prefix string, n *yaml.Node, file string, offset int) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if prefix != "" {
				p = prefix + "." + k.Value
			}
			ix.set(p, location{file, k.Line + offset})
			ix.addNode(p, v, file, offset)
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			p := fmt.Sprintf("%s[%d]", prefix, i)
			ix.set(p, location{file, item.Line + offset})
			ix.addNode(p, item, file, offset)
		}
	}
}

// resolve finds the place of path, or of its nearest recorded parent when
// the field itself was not written (a missing explanation is reported on
// the question's first line).
func (ix pathIndex) resolve(path string) location {
	for {
		if loc, ok := ix[path]; ok {
			return loc
		}
		if path == "" {
			return location{}
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			i = 0
		}
		path = path[:i]
	}
}
