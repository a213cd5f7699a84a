package api_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/readi-platform/readi/internal/model"
)

// xssVectors are lesson bodies an author (or a stolen admin session) might
// write to run script in a learner's browser, to restyle the page or to
// frame another site.
var xssVectors = []string{
	`<script>alert(1)</script>`,
	`<SCRIPT SRC=https://evil.example/x.js></SCRIPT>`,
	`<img src=x onerror=alert(1)>`,
	`<IMG SRC=JaVaScRiPt:alert('XSS')>`,
	`<img src=x:alert(alt) onerror=eval(src) alt=0>`,
	`<svg/onload=alert(1)>`,
	`<svg><script>alert(1)</script></svg>`,
	`<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
	`<iframe src="https://evil.example"></iframe>`,
	`<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
	`<object data="javascript:alert(1)"></object>`,
	`<embed src="https://evil.example/x.swf">`,
	`<a href="javascript:alert(1)">x</a>`,
	`<a href="jav&#x09;ascript:alert(1)">x</a>`,
	`<a href=" javascript:alert(1)">x</a>`,
	`<a href="https://example.org" onclick="alert(1)">x</a>`,
	`<a href="https://example.org" style="position:fixed;top:0">x</a>`,
	`<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`,
	`<a href="vbscript:msgbox(1)">x</a>`,
	`[click](javascript:alert(1))`,
	`[click](JaVaScRiPt:alert(1))`,
	`[click](<javascript:alert(1)>)`,
	`[click](java&#x09;script:alert(1))`,
	`[click](&#106;avascript:alert(1))`,
	`[click](javascript&colon;alert(1))`,
	`[click](javascript://%0aalert(1))`,
	`[click](data:text/html,<script>alert(1)</script>)`,
	`[click](vbscript:msgbox(1))`,
	`![x](javascript:alert(1))`,
	`![x](data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+)`,
	`![x" onerror="alert(1)](https://example.org/a.png)`,
	"[x]: javascript:alert(1)\n\n[y][x]",
	`<javascript:alert(1)>`,
	`[x](https://example.org "t\" onmouseover=\"alert(1)")`,
	`[x](lesson:b"onmouseover="alert(1))`,
	`<style>body{display:none}</style>`,
	`<div style="background:url(javascript:alert(1))">x</div>`,
	`<p style="x:expression(alert(1))">x</p>`,
	`<link rel=stylesheet href="https://evil.example/x.css">`,
	`<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
	`<base href="https://evil.example/">`,
	`<form action="https://evil.example"><input name=p autofocus onfocus=alert(1)></form>`,
	`<button formaction=javascript:alert(1)>x</button>`,
	`<details open ontoggle=alert(1)>`,
	`<body onload=alert(1)>`,
	`<video><source onerror=alert(1)></video>`,
	`<audio src=x onerror=alert(1)>`,
	`<table background="javascript:alert(1)"><tr><td>x</td></tr></table>`,
	`<marquee onstart=alert(1)>x</marquee>`,
	`<template><script>alert(1)</script></template>`,
	`<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>`,
	`<<script>script>alert(1)<</script>/script>`,
	`<scr<script>ipt>alert(1)</script>`,
	`<!-- --><script>alert(1)</script>`,
	"- <script>alert(1)</script>\n- item",
	"> <img src=x onerror=alert(1)>",
	"```\n</code><script>alert(1)</script>\n```",
	"`<script>alert(1)</script>`",
	`<a href="https://example.org" target="_blank" rel="opener">x</a>`,
}

// allowed is everything sanitised lesson HTML may contain: what Markdown
// renders to, and nothing else.
var (
	allowedTags = map[string]bool{
		"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "a": true, "img": true,
		"strong": true, "em": true, "del": true, "code": true, "pre": true, "blockquote": true, "ul": true, "ol": true,
		"li": true, "hr": true, "br": true, "table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
	}
	allowedAttrs = map[string]bool{"href": true, "src": true, "alt": true, "title": true, "rel": true}
)

// unsafeHTML lists what in out could run script, restyle or frame: it
// parses the HTML as a browser tokenizer would (entities resolved) and
// checks every tag, attribute and URL against an allowlist, so a vector
// nobody thought of fails too.
func unsafeHTML(out string) []string {
	var bad []string
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		switch z.Next() {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				bad = append(bad, "unparsable HTML")
			}
			return bad
		case html.CommentToken, html.DoctypeToken:
			bad = append(bad, "comment or doctype")
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			tok := z.Token()
			if !allowedTags[tok.Data] {
				bad = append(bad, "tag <"+tok.Data+">")
			}
			for _, a := range tok.Attr {
				if !allowedAttrs[a.Key] || a.Namespace != "" {
					bad = append(bad, "attribute "+a.Key)
				}
				if (a.Key == "href" || a.Key == "src") && !safeLink(a.Val) {
					bad = append(bad, a.Key+"="+a.Val)
				}
				if a.Key == "rel" && a.Val != "noopener noreferrer" {
					bad = append(bad, "rel="+a.Val)
				}
			}
		}
	}
}

// safeLink accepts http, https, mailto and relative URLs, judged after
// removing what browsers ignore inside a URL (spaces, tabs, newlines and
// control characters).
func safeLink(v string) bool {
	clean := strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, v)
	u, err := url.Parse(clean)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "", "http", "https", "mailto":
		return !strings.Contains(strings.ToLower(clean), "javascript:")
	}
	return false
}

func TestUnsafeHTMLCatchesVectors(t *testing.T) {
	for _, bad := range []string{`<script>x</script>`, `<p onclick="x">a</p>`, `<a href="jav&#x09;ascript:x">a</a>`,
		`<img src="data:image/png;base64,x">`, `<p style="x">a</p>`, `<iframe src="/x"></iframe>`, `<!-- x -->`} {
		if len(unsafeHTML(bad)) == 0 {
			t.Errorf("unsafeHTML(%q) found nothing: the checker is broken", bad)
		}
	}
	if got := unsafeHTML(`<p><a href="https://example.org" rel="noopener noreferrer">x</a> <img src="/a.png" alt="a"></p>`); len(got) != 0 {
		t.Errorf("unsafeHTML(safe) = %v", got)
	}
}

// TestNoScriptReachesLearners renders every vector through the preview
// and publishes them all as lessons: neither the preview nor any lesson a
// learner receives carries script, event handlers, script or data URLs,
// frames or styles.
func TestNoScriptReachesLearners(t *testing.T) {
	if len(xssVectors) < 30 {
		t.Fatalf("only %d vectors, want at least 30", len(xssVectors))
	}
	forEachEngine(t, func(t *testing.T, h *harness) {
		admin := h.userWithRole("Ada", model.RoleAdmin).Access
		learner := h.register("Lee").Access
		for _, v := range xssVectors {
			got := data(h.expect(200, req{Method: "POST", Path: "/api/v1/admin/preview", Token: admin,
				Body: map[string]any{"markdown": v, "module": "xss-lab"}}))["html"].(string)
			if bad := unsafeHTML(got); len(bad) > 0 {
				t.Errorf("preview of %q = %q: %v", v, got, bad)
			}
		}
		var lessons []string
		for i := range xssVectors {
			lessons = append(lessons, fmt.Sprintf("v%02d", i+1))
		}
		h.authorModule(admin, "xss-lab", append(lessons, "b")...)
		for i, v := range xssVectors {
			h.expect(200, req{Method: "PATCH", Path: "/api/v1/admin/modules/xss-lab/lessons/" + lessons[i], Token: admin,
				Body: map[string]any{"markdown": "## Vector\n\n" + v + "\n"}})
		}
		// The publish validation may refuse a vector outright (a lesson: link
		// to no lesson); that lesson is then replaced, and the rest published.
		refused := map[int]bool{}
		if pub := h.do(req{Method: "POST", Path: "/api/v1/admin/modules/xss-lab/publish", Token: admin}); pub.Status == 422 {
			for _, p := range pub.JSON["error"].(map[string]any)["problems"].([]any) {
				var i int
				if _, err := fmt.Sscanf(p.(map[string]any)["path"].(string), "lessons[%d].markdown", &i); err != nil || i >= len(xssVectors) {
					t.Fatalf("publish refused for another reason than a vector: %v", p)
				}
				refused[i] = true
				t.Logf("publish refuses vector %q: %v", xssVectors[i], p.(map[string]any)["message"])
				h.expect(200, req{Method: "PATCH", Path: "/api/v1/admin/modules/xss-lab/lessons/" + lessons[i], Token: admin,
					Body: map[string]any{"markdown": "## Refused\n\nText.\n"}})
			}
		}
		h.expect(200, req{Method: "POST", Path: "/api/v1/admin/modules/xss-lab/publish", Token: admin})
		if len(refused) > 2 {
			t.Errorf("publish refused %d vectors; want them rendered safely, not refused", len(refused))
		}
		for i, v := range xssVectors {
			got := data(h.expect(200, req{Method: "GET", Path: "/api/v1/modules/xss-lab/lessons/" + lessons[i], Token: learner}))["html"].(string)
			if bad := unsafeHTML(got); len(bad) > 0 {
				t.Errorf("published lesson of %q = %q: %v", v, got, bad)
			}
		}
	})
}

// zipOf reads an archive into files by name.
func zipOf(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		out[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return out
}

func zipBytes(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range files {
		w, _ := zw.Create(name)
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestContentExportAndImport(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		admin := h.userWithRole("Ada", model.RoleAdmin).Access
		all := h.expect(200, req{Method: "GET", Path: "/api/v1/admin/content/export", Token: admin})
		if ct := all.Header.Get("Content-Type"); ct != "application/zip" || !strings.Contains(all.Header.Get("Content-Disposition"), "readi-content.zip") {
			t.Fatalf("export = %s, %s", ct, all.Header.Get("Content-Disposition"))
		}
		files := zipOf(t, all.Body)
		for _, want := range []string{"curriculum.yaml", "spot-the-scam/module.yaml", "spot-the-scam/quiz.yaml", "spot-the-scam/th/quiz.yaml", "spot-the-scam/01-" + firstLesson + ".md"} {
			if _, ok := files[want]; !ok {
				t.Errorf("export has no %s", want)
			}
		}
		h.expect(404, req{Method: "GET", Path: "/api/v1/admin/content/export?module=nope", Token: admin})

		// The export imports as unchanged; an edit of it as one change.
		path := "/api/v1/admin/content/import?dry_run=true"
		rep := data(h.expect(200, req{Method: "POST", Path: path, Token: admin, Body: all.Body, Header: map[string]string{"Content-Type": "application/zip"}}))
		if len(rep["changed"].([]any))+len(rep["created"].([]any)) != 0 || len(rep["unchanged"].([]any)) == 0 {
			t.Fatalf("import of the export = %v, want all unchanged", rep)
		}
		files["spot-the-scam/module.yaml"] = bytes.Replace(files["spot-the-scam/module.yaml"], []byte("title: Spot the scam"), []byte("title: Spot the scam!"), 1)
		// Inside a folder, as a zip of the content directory would be.
		nested := map[string][]byte{}
		for name, b := range files {
			nested["content/"+name] = b
		}
		var form bytes.Buffer
		mw := multipart.NewWriter(&form)
		fw, _ := mw.CreateFormFile("file", "content.zip")
		fw.Write(zipBytes(t, nested))
		mw.Close()
		rep = data(h.expect(200, req{Method: "POST", Path: "/api/v1/admin/content/import", Token: admin, Body: form.Bytes(),
			Header: map[string]string{"Content-Type": mw.FormDataContentType()}}))
		changed := rep["changed"].([]any)
		if len(changed) != 1 || changed[0].(map[string]any)["slug"] != "spot-the-scam" || fmt.Sprint(changed[0].(map[string]any)["fields"]) != "[title]" {
			t.Fatalf("import = %v, want spot-the-scam's title changed", rep)
		}
		if m := data(h.expect(200, req{Method: "GET", Path: "/api/v1/modules/spot-the-scam"})); m["title"] != "Spot the scam!" {
			t.Errorf("learners see %v after the import", m["title"])
		}
		if m := data(h.expect(200, req{Method: "GET", Path: "/api/v1/admin/modules/spot-the-scam", Token: admin})); m["source"] != "admin" || m["state"] != "published" {
			t.Errorf("imported module = %v %v, want published by admin", m["source"], m["state"])
		}

		// A broken pack is refused whole with file:line problems.
		files["spot-the-scam/module.yaml"] = append(files["spot-the-scam/module.yaml"], []byte("colour: red\n")...)
		files["lock-your-accounts/quiz.yaml"] = []byte("pass_percent: 500\nquestions: []\n")
		r := h.expect(422, req{Method: "POST", Path: "/api/v1/admin/content/import", Token: admin, Body: zipBytes(t, files), Header: map[string]string{"Content-Type": "application/zip"}})
		probs := strings.Join(problemPaths(r), "\n")
		if errorCode(r) != "content.invalid" || !strings.Contains(probs, "spot-the-scam/module.yaml") || !strings.Contains(probs, "lock-your-accounts/quiz.yaml") {
			t.Errorf("broken pack = %s %s, want both files' problems", errorCode(r), probs)
		}
		if m := data(h.expect(200, req{Method: "GET", Path: "/api/v1/modules/lock-your-accounts"})); m["pass_percent"] == 500.0 {
			t.Errorf("a refused pack changed a module")
		}
		h.expect(422, req{Method: "POST", Path: "/api/v1/admin/content/import", Token: admin, Body: "not a zip", Header: map[string]string{"Content-Type": "application/zip"}})
		h.expect(422, req{Method: "POST", Path: "/api/v1/admin/content/import?dry_run=maybe", Token: admin, Body: all.Body})
	})
}

func TestGIFTImport(t *testing.T) {
	forEachEngine(t, func(t *testing.T, h *harness) {
		admin := h.userWithRole("Ada", model.RoleAdmin).Access
		h.authorModule(admin, "gift-lab")
		text := "// imported from Moodle\n::Phishing:: A bank asks for your PIN by SMS. Is it a scam? {T#No: banks never ask.#Yes.####Banks never ask for a PIN.}\n\n" +
			"::Numbers:: How many? {#3}\n"
		dry := h.expect(200, req{Method: "POST", Path: "/api/v1/admin/modules/gift-lab/gift?dry_run=true", Token: admin, Body: text, Header: map[string]string{"Content-Type": "text/plain"}})
		d := data(dry)
		if len(d["questions"].([]any)) != 1 || len(d["issues"].([]any)) != 1 {
			t.Fatalf("dry run = %v, want one question and one issue", d)
		}
		if is := d["issues"].([]any)[0].(map[string]any); is["line"] != 4.0 || is["construct"] != "numerical" || is["outcome"] != "skipped" {
			t.Errorf("issue = %v, want numerical skipped at line 4", is)
		}
		if m := data(h.expect(200, req{Method: "GET", Path: "/api/v1/admin/modules/gift-lab", Token: admin})); m["head_revision"] != 4.0 {
			t.Fatalf("a dry run saved a revision: head %v", m["head_revision"])
		}
		saved := data(h.expect(201, req{Method: "POST", Path: "/api/v1/admin/modules/gift-lab/gift", Token: admin, Body: text,
			Header: map[string]string{"Content-Type": "text/plain", "If-Match": `"4"`}}))
		q := saved["questions"].([]any)[0].(map[string]any)
		if q["id"] != "gl-phishing" || q["type"] != "true_false" || fmt.Sprint(q["readi"]) != "[discernment]" || saved["head_revision"] != 5.0 {
			t.Errorf("saved = %v, want gl-phishing, true_false, the module's readi, revision 5", saved)
		}
		m := data(h.expect(200, req{Method: "GET", Path: "/api/v1/admin/modules/gift-lab", Token: admin}))
		if n := len(m["module"].(map[string]any)["quiz"].(map[string]any)["questions"].([]any)); n != 3 {
			t.Errorf("quiz after the import has %d questions, want 3", n)
		}
		h.expect(200, req{Method: "POST", Path: "/api/v1/admin/modules/gift-lab/publish", Token: admin})
		h.expect(409, req{Method: "POST", Path: "/api/v1/admin/modules/gift-lab/gift", Token: admin, Body: text,
			Header: map[string]string{"Content-Type": "text/plain", "If-Match": `"4"`}})
		h.expect(422, req{Method: "POST", Path: "/api/v1/admin/modules/gift-lab/gift", Token: admin, Body: []byte{0xff, 0xfe, '{'}, Header: map[string]string{"Content-Type": "text/plain"}})
		h.expect(404, req{Method: "POST", Path: "/api/v1/admin/modules/nope/gift", Token: admin, Body: text, Header: map[string]string{"Content-Type": "text/plain"}})
	})
}
