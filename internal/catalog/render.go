package catalog

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// lessonScheme marks links between lessons of a module: [next](lesson:slug).
const lessonScheme = "lesson:"

// The renderer and the sanitiser are built once and only read afterwards;
// both are safe for concurrent use.
var (
	moduleKey = parser.NewContextKey()
	markdown  = goldmark.New(
		// No html.WithUnsafe: goldmark replaces raw HTML with a comment and
		// drops javascript:/vbscript:/file:/data: link targets. bluemonday
		// below is the real guarantee; this is a first layer.
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(linkTransformer{}, 100))),
	)
	// scanner parses like markdown but leaves links as written, for validation.
	scanner   = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify)).Parser()
	sanitizer = newSanitizer()
)

// newSanitizer is bluemonday's UGC policy, tightened: only http, https,
// mailto and relative URLs (UGC's own list, kept explicit), and every link
// gets rel="noopener noreferrer" instead of UGC's nofollow, because our
// links are curated and should not leak the learner's page to other sites.
// The transformer writes rel="noopener"; the policy lets exactly that value
// through and appends noreferrer.
func newSanitizer() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(true)
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(false)
	p.RequireNoReferrerOnLinks(true)
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^noopener$`)).OnElements("a")
	return p
}

// RenderMarkdown turns Markdown into sanitised HTML. Raw HTML is dropped,
// and so are lesson: links (their text stays) because there is no module to
// resolve them against; use RenderLesson for lesson bodies.
func RenderMarkdown(md string) string {
	return RenderLesson("", md)
}

// RenderLesson renders a lesson body of module moduleSlug: like
// RenderMarkdown, but [text](lesson:slug) becomes a link to
// /modules/{moduleSlug}/lessons/{slug}.
func RenderLesson(moduleSlug, md string) string {
	ctx := parser.NewContext()
	ctx.Set(moduleKey, moduleSlug)
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(md), &buf, parser.WithContext(ctx)); err != nil {
		return "" // a bytes.Buffer never fails to write; nothing unsanitised escapes either way
	}
	return sanitizer.Sanitize(buf.String())
}

// linkTransformer rewrites lesson: links of the module being rendered,
// marks every link rel="noopener" and unwraps links whose URL the sanitiser
// would drop anyway, so that no empty <a> is left behind.
type linkTransformer struct{}

func (linkTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	module, _ := pc.Get(moduleKey).(string)
	source := reader.Source()
	// Collect first, change after: the walk must not see a changing tree.
	var links []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n.(type) {
		case *ast.Link, *ast.AutoLink, *ast.Image:
			if entering {
				links = append(links, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range links {
		parent := n.Parent()
		switch n := n.(type) {
		case *ast.Link:
			if dest, ok := lessonURL(module, string(n.Destination)); ok {
				n.Destination = []byte(dest)
			}
			if !safeURL(string(n.Destination)) {
				unwrap(n)
				continue
			}
			n.SetAttributeString("rel", []byte("noopener"))
		case *ast.Image:
			if !safeURL(string(n.Destination)) {
				unwrap(n) // keep the alt text
			}
		case *ast.AutoLink:
			// An autolink's URL cannot be changed in place: replace the node.
			label := n.Label(source)
			if dest, ok := lessonURL(module, string(n.URL(source))); ok {
				link := ast.NewLink()
				link.Destination = []byte(dest)
				link.SetAttributeString("rel", []byte("noopener"))
				link.AppendChild(link, ast.NewString(label))
				parent.ReplaceChild(parent, n, link)
			} else if n.AutoLinkType != ast.AutoLinkEmail && !safeURL(string(n.URL(source))) {
				parent.ReplaceChild(parent, n, ast.NewString(label))
			} else {
				n.SetAttributeString("rel", []byte("noopener"))
			}
		}
	}
}

// unwrap replaces n by its children.
func unwrap(n ast.Node) {
	parent := n.Parent()
	for c := n.FirstChild(); c != nil; c = n.FirstChild() {
		parent.InsertBefore(parent, n, c) // moves c out of n
	}
	parent.RemoveChild(parent, n)
}

// safeURL reports whether a link target is relative or http, https or
// mailto: the same list the sanitiser enforces. It judges the URL as the
// renderer will write it, entities resolved and escaped, since
// "&#106;avascript:" is javascript: by then.
func safeURL(s string) bool {
	u, err := url.Parse(string(util.URLEscape([]byte(s), true)))
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "", "http", "https", "mailto":
		return true
	}
	return false
}

// lessonURL resolves a lesson:slug link, if dest is one and module is known.
func lessonURL(module, dest string) (string, bool) {
	slug, ok := strings.CutPrefix(dest, lessonScheme)
	if !ok || module == "" || !slugRE.MatchString(slug) {
		return "", false
	}
	return "/modules/" + url.PathEscape(module) + "/lessons/" + slug, true
}

// mdLink is a lesson: link found in a Markdown body.
type mdLink struct {
	slug string
	line int
}

// scanMarkdown parses a lesson body the way RenderLesson does and returns
// the lines of its level-1 headings and its lesson: links, for validation.
func scanMarkdown(md string) (h1 []int, links []mdLink) {
	src := []byte(md)
	doc := scanner.Parse(text.NewReader(src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if n.Level == 1 {
				h1 = append(h1, lineOf(src, blockStart(n)))
			}
		case *ast.Link:
			if slug, ok := strings.CutPrefix(string(n.Destination), lessonScheme); ok {
				links = append(links, mdLink{slug, lineOf(src, inlineStart(n))})
			}
		case *ast.AutoLink:
			if u := string(n.URL(src)); strings.HasPrefix(u, lessonScheme) {
				start := blockStart(n)
				if i := bytes.Index(src[max(start, 0):], []byte(u)); i >= 0 && start >= 0 {
					start += i
				}
				links = append(links, mdLink{strings.TrimPrefix(u, lessonScheme), lineOf(src, start)})
			}
		}
		return ast.WalkContinue, nil
	})
	return h1, links
}

// inlineStart is the offset of the first text inside an inline node, or of
// its block when it has none.
func inlineStart(n ast.Node) int {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			return t.Segment.Start
		}
		if s := inlineStart(c); s >= 0 {
			return s
		}
	}
	return blockStart(n)
}

// blockStart is the offset of the first line of the block holding n, or -1.
func blockStart(n ast.Node) int {
	for ; n != nil; n = n.Parent() {
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			return n.Lines().At(0).Start
		}
	}
	return -1
}

// lineOf is the 1-based line of a byte offset, or 0 when it is unknown.
func lineOf(src []byte, offset int) int {
	if offset < 0 || offset > len(src) {
		return 0
	}
	return bytes.Count(src[:offset], []byte("\n")) + 1
}
