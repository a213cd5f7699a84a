package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Every YAML file is parsed twice: once into a yaml.Node tree, which keeps
// the line of every field, and once into the typed value with KnownFields,
// which rejects misspelt fields. yaml.v3 offers KnownFields only on a
// Decoder, not on Node.Decode, hence the second pass.

// decodeYAML parses data into out and returns the root mapping node, or nil
// when the file cannot be used at all (the problem is then recorded and the
// file marked broken). Decode problems of single values are recorded but the
// rest of the file is still used. offset is added to every line number, for
// front matter that starts on the second line of its file; what names the
// data in messages ("file", "front matter").
func decodeYAML(c *collector, file string, data []byte, offset int, what string, out any, translation bool) *yaml.Node {
	root, err := parseNode(data)
	if err != nil {
		line, msg := splitYAMLError(err.Error())
		if parserProblems[msg] {
			line++ // see parserProblems
		}
		if line > 0 {
			line += offset
		}
		c.fail(file, line, "invalid YAML: %s", msg)
		return nil
	}
	if root == nil {
		c.fail(file, offset, "%s is empty", what)
		return nil
	}
	if root.Kind != yaml.MappingNode {
		c.fail(file, root.Line+offset, "%s must be a mapping of field: value lines", what)
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := decodeTyped(dec, out); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			c.fail(file, 0, "invalid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
			return nil
		}
		fields := fieldsByLine(root)
		for _, s := range te.Errors {
			line, msg := describeTypeError(s, fields, translation)
			c.addDecode(file, line+offset, msg)
		}
	}
	return root
}

// parseNode returns the root node of the single document in data, or nil for
// an empty document. yaml.v3 reports most failures by panicking internally and
// recovering; the recover here is a last guard so that no input can crash Load.
func parseNode(data []byte) (root *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, fmt.Errorf("yaml: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return nil, nil
		}
		return nil, err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("yaml: line %d: found a second YAML document; a file holds only one", extra.Line)
	}
	if len(doc.Content) == 0 || (doc.Content[0].Kind == yaml.ScalarNode && doc.Content[0].Tag == "!!null") {
		return nil, nil
	}
	return doc.Content[0], nil
}

func decodeTyped(dec *yaml.Decoder, out any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	return dec.Decode(out)
}

// parserProblems are the messages of yaml.v3's parser (as opposed to its
// scanner). yaml.v3 prints their line 0-based, while scanner lines are
// corrected to 1-based; the line is also that of the enclosing construct
// (the list or mapping being parsed), which is as close as it tells.
var parserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

var yamlLineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// splitYAMLError turns "yaml: line 3: did not find expected key" into (3,
// "did not find expected key").
func splitYAMLError(s string) (int, string) {
	if m := yamlLineRE.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n, m[2]
	}
	return 0, strings.TrimPrefix(s, "yaml: ")
}

// fieldAt is a value written on a line, with the name of its field.
type fieldAt struct {
	field, value string
}

// fieldsByLine lists, per line, the fields whose values are written there,
// so that a decode error, which yaml.v3 reports by line and value only, can
// name its field.
func fieldsByLine(root *yaml.Node) map[int][]fieldAt {
	out := map[int][]fieldAt{}
	var walk func(n *yaml.Node, field string)
	walk = func(n *yaml.Node, field string) {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				out[v.Line] = append(out[v.Line], fieldAt{k.Value, v.Value})
				walk(v, k.Value)
			}
		case yaml.SequenceNode:
			for _, item := range n.Content {
				out[item.Line] = append(out[item.Line], fieldAt{field, item.Value})
				walk(item, field)
			}
		}
	}
	walk(root, "")
	return out
}

var (
	unmarshalRE = regexp.MustCompile("^line (\\d+): cannot unmarshal !!(\\w+)(?: `(.*)`)? into (.+)$")
	unknownRE   = regexp.MustCompile(`^line (\d+): field (.+) not found in type .+$`)
)

// describeTypeError rewrites one of yaml.v3's type errors into our message
// style, naming the field and using words instead of Go type names.
func describeTypeError(s string, fields map[int][]fieldAt, translation bool) (int, string) {
	if m := unknownRE.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		if translation {
			return n, fmt.Sprintf("unknown field %q (a translation carries only text)", m[2])
		}
		return n, fmt.Sprintf("unknown field %q", m[2])
	}
	if m := unmarshalRE.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		found := yamlTagWords[m[2]]
		if found == "" {
			found = "!!" + m[2]
		}
		if m[3] != "" {
			found += fmt.Sprintf(" %q", strings.TrimSuffix(m[3], "..."))
		}
		msg := fmt.Sprintf("expected %s, found %s", goTypeWords(m[4]), found)
		if f := fieldOn(fields[n], m[3]); f != "" {
			msg = f + ": " + msg
		}
		return n, msg
	}
	return splitYAMLError(s)
}

var yamlTagWords = map[string]string{
	"str": "text", "int": "the number", "float": "the number", "bool": "the boolean",
	"seq": "a list", "map": "a mapping", "null": "nothing", "timestamp": "the date", "binary": "binary data",
}

// goTypeWords says in words what a Go type expects from YAML.
func goTypeWords(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case t == "int":
		return "a whole number"
	case t == "float64":
		return "a number"
	case t == "bool" || t == "*bool":
		return "true or false"
	case t == "string" || t == "model.Category" || t == "model.Cluster" ||
		t == "model.Value" || t == "model.QuestionType":
		return "text"
	}
	return "a mapping"
}

// fieldOn picks the field of a line whose value matches the one yaml.v3
// quoted (it truncates long values to seven characters and "...").
func fieldOn(list []fieldAt, value string) string {
	prefix := strings.TrimSuffix(value, "...")
	for _, f := range list {
		if f.value == value || (prefix != value && strings.HasPrefix(f.value, prefix)) {
			return f.field
		}
	}
	if len(list) > 0 {
		return list[0].field
	}
	return ""
}
