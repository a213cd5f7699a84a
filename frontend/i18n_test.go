package frontend_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/readi-platform/readi/frontend"
)

// catalogue reads one i18n file of the embedded app.
func catalogue(t *testing.T, lang string) map[string]string {
	t.Helper()
	b, err := fs.ReadFile(frontend.FS, "i18n/"+lang+".json")
	if err != nil {
		t.Fatalf("read i18n/%s.json: %v", lang, err)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("i18n/%s.json is not a flat JSON object of strings: %v", lang, err)
	}
	return m
}

func keysOf(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestCataloguesHaveTheSameKeys(t *testing.T) {
	en, th := catalogue(t, "en"), catalogue(t, "th")
	for _, k := range keysOf(en) {
		if _, ok := th[k]; !ok {
			t.Errorf("th.json lacks %q (en: %q)", k, en[k])
		}
		if strings.TrimSpace(en[k]) == "" {
			t.Errorf("en.json %q is empty", k)
		}
	}
	for _, k := range keysOf(th) {
		if _, ok := en[k]; !ok {
			t.Errorf("th.json has %q, which en.json does not", k)
		}
		if strings.TrimSpace(th[k]) == "" {
			t.Errorf("th.json %q is empty", k)
		}
	}
	// Placeholders must match, or a translation would print "{n}".
	ph := regexp.MustCompile(`\{\w+\}`)
	for k, v := range en {
		a, b := ph.FindAllString(v, -1), ph.FindAllString(th[k], -1)
		sort.Strings(a)
		sort.Strings(b)
		if !slices.Equal(a, b) {
			t.Errorf("%q placeholders: en %v, th %v", k, a, b)
		}
	}
}

var (
	// t("key") and t("key", {...}) in the scripts; errors built in the app.
	reT        = regexp.MustCompile(`\bt\("([^"]+)"`)
	reInvite   = regexp.MustCompile(`signInInvite\("([^"]+)"\)`)
	reAppError = regexp.MustCompile(`new ApiError\("[a-z]+", \d+, "([^"]+)"`)
	// data-i18n="key" and data-i18n-attr="attr:key;attr:key" in the HTML.
	reDataI18n = regexp.MustCompile(`data-i18n="([^"]+)"`)
	reDataAttr = regexp.MustCompile(`data-i18n-attr="([^"]+)"`)
	// Keys built from a prefix and a value: t(`readi.${v}`).
	reDynamic = regexp.MustCompile("\\bt\\(`([a-z_]+)\\.\\$\\{")
)

// usedKeys collects every literal key in the app's scripts and HTML, and
// the prefixes of keys built at run time.
func usedKeys(t *testing.T) (keys map[string]string, prefixes map[string]string) {
	t.Helper()
	keys, prefixes = map[string]string{}, map[string]string{}
	err := fs.WalkDir(frontend.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(frontend.FS, p)
		if err != nil {
			return err
		}
		src := string(b)
		switch {
		case strings.HasSuffix(p, ".js"):
			for _, re := range []*regexp.Regexp{reT, reInvite, reAppError} {
				for _, m := range re.FindAllStringSubmatch(src, -1) {
					keys[m[1]] = p
				}
			}
			for _, m := range reDynamic.FindAllStringSubmatch(src, -1) {
				prefixes[m[1]] = p
			}
		case strings.HasSuffix(p, ".html"):
			for _, m := range reDataI18n.FindAllStringSubmatch(src, -1) {
				keys[m[1]] = p
			}
			for _, m := range reDataAttr.FindAllStringSubmatch(src, -1) {
				for _, pair := range strings.Split(m[1], ";") {
					if _, key, ok := strings.Cut(pair, ":"); ok {
						keys[strings.TrimSpace(key)] = p
					}
				}
			}
		case p == "assets/data/help.json":
			for _, m := range regexp.MustCompile(`"desc": "([^"]+)"`).FindAllStringSubmatch(src, -1) {
				keys[m[1]] = p
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys, prefixes
}

func TestEveryUsedKeyIsInTheCatalogue(t *testing.T) {
	en := catalogue(t, "en")
	keys, prefixes := usedKeys(t)
	if len(keys) < 100 {
		t.Fatalf("found only %d keys in the app; the scan is broken", len(keys))
	}
	for k, file := range keys {
		if _, ok := en[k]; !ok {
			t.Errorf("%s uses %q, which is not in en.json", file, k)
		}
	}
	// Keys built at run time: every value the app can pass must be there.
	dynamic := map[string][]string{
		"readi":    {"responsibility", "empathy", "authenticity", "discernment", "integrity"},
		"category": {"data", "computer", "content", "cross"},
		"country":  {"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"},
		"status":   {"not_started", "in_progress", "completed", "overdue"},
		"level":    {"beginner", "intermediate", "advanced"},
		"lang":     {"en", "th"},
		"channel":  {"sms", "email", "chat", "social"},
		"quiz":     {"true", "false"},
		"track":    nil, // falls back to the slug; titles checked below
	}
	for prefix, file := range prefixes {
		values, known := dynamic[prefix]
		if !known {
			t.Errorf("%s builds keys %s.* at run time; list its values in this test", file, prefix)
		}
		for _, v := range values {
			if _, ok := en[prefix+"."+v]; !ok {
				t.Errorf("en.json lacks %s.%s (built in %s)", prefix, v, file)
			}
		}
	}
}

// repoRoot is the module root, one level above this package.
func repoRoot(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(wd)
}

// apiErrorCodes scans the server's Go sources for the error codes it can
// send: codes given to newError, Code fields and constants, field keys of
// validation errors, and AnswerError codes. internal/catalog is left out:
// its messages are for content authors and never reach the API.
func apiErrorCodes(t *testing.T) map[string]string {
	t.Helper()
	patterns := []*regexp.Regexp{
		regexp.MustCompile(`newError\(\d+, "([^"]+)"`),
		regexp.MustCompile(`Code:\s*"([^"]+)"`),
		regexp.MustCompile(`\b(?:Key|Code)[A-Z]\w*\s*=\s*"([a-z_]+\.[a-z_.]+)"`),
		regexp.MustCompile(`\.add\([^,]+, "([^"]+)"\)`),
		regexp.MustCompile(`fields\[[^\]]+\]\s*=\s*"([^"]+)"`),
		regexp.MustCompile(`Fields: map\[string\]string\{[^}]*?: "([^"]+)"\}`),
		regexp.MustCompile(`map\[string\]string\{\w+: "([^"]+)"\}`),
	}
	codes := map[string]string{}
	for _, dir := range []string{"api", "internal"} {
		root := filepath.Join(repoRoot(t), dir)
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "catalog" {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, re := range patterns {
				for _, m := range re.FindAllStringSubmatch(string(b), -1) {
					codes[m[1]] = p
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return codes
}

// knownCodes are the API's codes as of this test; the scan keeps it honest.
var knownCodes = []string{
	"request.malformed", "request.too_large", "request.timeout", "request.invalid", "validation.failed",
	"not_found", "conflict", "rate_limited", "internal", "method_not_allowed",
	"unavailable.shutting_down", "unavailable.database",
	"auth.required", "auth.forbidden", "auth.token_expired", "auth.token_invalid", "auth.refresh_invalid",
	"auth.invalid_credentials", "auth.email_taken", "auth.disabled",
	"attempt.idempotency_mismatch", "attempt.question_unknown", "attempt.answer_shape", "attempt.answer_invalid",
	"field.required", "field.too_long", "field.invalid", "field.wrong_type", "field.unknown",
	"email.invalid", "password.too_short", "password.too_long", "password.common",
	"locale.unknown", "country.unknown", "role.unknown", "idempotency_key.invalid",
	"category.unknown", "readi.unknown", "cluster.unknown", "lang.unknown",
	"class.code_invalid", "class.code_unknown", "class.code_action", "class.owner_only", "class.owner_stays",
	"nickname.too_short", "nickname.invalid", "nickname.email", "nickname.not_allowed",
	"auth.recovery_invalid", "module.unknown", "user.not_found", "user.not_educator", "assignment.exists",
	"content.invalid", "text.not_utf8", "lessons.not_a_permutation", "level.unknown", "cursor.invalid",
	"module.exists", "lesson.exists", "revision.invalid", "revision.conflict", "user.self_demote",
	"user.self_disable", "field.too_small", "field.negative", "slug.invalid", "limit.invalid", "date.invalid",
	"date.out_of_range",
	"live.moved_on", "live.ended", "live.not_question", "live.module_unknown", "live.time_limit",
	"live.question_unknown", "live.question_unplayable", "live.no_questions", "live.class_unknown",
	"live.player_cap", "live.team_count", "live.not_found", "live.locked", "live.full", "live.nickname_taken",
	"live.class_only", "live.lang", "live.token_invalid", "live.removed", "live.too_late", "live.not_current",
	"live.joined_late", "live.already_answered", "live.pin_invalid", "live.question_repeated",
}

func TestEveryAPIErrorCodeIsInTheCatalogue(t *testing.T) {
	en := catalogue(t, "en")
	for _, c := range knownCodes {
		if _, ok := en[c]; !ok {
			t.Errorf("API error code %q is not in en.json", c)
		}
	}
	scanned := apiErrorCodes(t)
	for _, must := range []string{"auth.required", "attempt.answer_shape", "password.common", "field.required", "not_found"} {
		if _, ok := scanned[must]; !ok {
			t.Fatalf("the scan of api/ and internal/ did not find %q; the patterns are broken", must)
		}
	}
	for code, file := range scanned {
		if _, ok := en[code]; !ok {
			t.Errorf("%s can send the error code %q, which is not in en.json (add it to both catalogues and to knownCodes)", file, code)
		}
	}
}

// swList returns a list of files in sw.js (FILES: precached when the
// worker installs; LAZY: cached on first use), in its order.
func swList(t *testing.T, name string) []string {
	t.Helper()
	sw, err := fs.ReadFile(frontend.FS, "sw.js")
	if err != nil {
		t.Fatal(err)
	}
	body := regexp.MustCompile(`(?s)const ` + name + ` = \[\n(.*?)\n\];`).FindSubmatch(sw)
	if body == nil {
		t.Fatalf("sw.js has no list %s", name)
	}
	var files []string
	for _, m := range regexp.MustCompile(`"(/[^"]+)"`).FindAllSubmatch(body[1], -1) {
		files = append(files, string(m[1]))
	}
	return files
}

// shellFiles are the files the service worker precaches.
func shellFiles(t *testing.T) []string { return swList(t, "FILES") }

// hashOf is sw.js's hash: SHA-256 over each path, a newline and the file.
func hashOf(t *testing.T, files []string) string {
	t.Helper()
	h := sha256.New()
	for _, f := range files {
		b, err := fs.ReadFile(frontend.FS, strings.TrimPrefix(f, "/"))
		if err != nil {
			t.Fatalf("sw.js lists %s: %v", f, err)
		}
		h.Write([]byte(f + "\n"))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// TestServiceWorkerShell keeps sw.js in step with the app: between them its
// lists name every file the app is made of, and VERSION is the hash of them
// all, so a changed file reaches learners as a new cache; SHELL_HASH (of the
// precached files) lets the worker check it did not cache a stale copy.
func TestServiceWorkerShell(t *testing.T) {
	files, lazy := shellFiles(t), swList(t, "LAZY")
	var want []string
	err := fs.WalkDir(frontend.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == "sw.js" {
			return err
		}
		want = append(want, "/"+p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got := append(slices.Clone(files), lazy...)
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("sw.js FILES and LAZY = %v\nwant every embedded file but sw.js, once: %v", got, want)
	}
	sw, _ := fs.ReadFile(frontend.FS, "sw.js")
	for name, v := range map[string]string{"SHELL_HASH": hashOf(t, files), "VERSION": hashOf(t, append(slices.Clone(files), lazy...))} {
		if !strings.Contains(string(sw), `const `+name+` = "`+v+`";`) {
			t.Errorf(`sw.js %s is stale: set it to const %s = "%s";`, name, name, v)
		}
	}
}

// TestNoInlineScriptOrStyle: the CSP allows only this origin's files.
func TestNoInlineScriptOrStyle(t *testing.T) {
	bad := []*regexp.Regexp{
		regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`),    // inline script
		regexp.MustCompile(`<style`),                           // inline style element
		regexp.MustCompile(`\sstyle="`),                        // style attribute
		regexp.MustCompile(`\son[a-z]+="`),                     // inline event handler
		regexp.MustCompile(`(?i)(?:src|href)="(?:https?:)?//`), // third-party origin
		regexp.MustCompile(`setAttribute\("style"`),            // style attribute from script
	}
	// Only the lesson body, sanitised by the server, is inserted as HTML.
	innerHTML := regexp.MustCompile(`\.(?:innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write`)
	err := fs.WalkDir(frontend.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".js")) {
			return err
		}
		b, _ := fs.ReadFile(frontend.FS, p)
		for _, re := range bad {
			if loc := re.FindIndex(b); loc != nil {
				t.Errorf("%s: %q is not allowed under the CSP", p, b[loc[0]:min(loc[1]+20, len(b))])
			}
		}
		for _, loc := range innerHTML.FindAllIndex(b, -1) {
			lesson := p == "assets/js/screens/lesson.js" && strings.HasPrefix(string(b[loc[0]:]), ".innerHTML = l.html;")
			// The editor's preview: POST /admin/preview's HTML, from the same renderer and sanitiser.
			preview := p == "assets/js/screens/admin-module.js" && strings.HasPrefix(string(b[loc[0]:]), ".innerHTML = r.data.html;")
			if !lesson && !preview {
				t.Errorf("%s: %q: insert text with textContent; only the server-sanitised lesson HTML may be HTML", p, b[loc[0]:min(loc[1]+20, len(b))])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
