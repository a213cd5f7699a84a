package auth

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckPasswordPolicy(t *testing.T) {
	tests := []struct {
		pw   string
		want string
	}{
		{"", KeyPasswordTooShort},
		{"abc1234", KeyPasswordTooShort},
		{"รักเธอ", KeyPasswordTooShort}, // 6 runes but 18 bytes: runes are what count
		{"สวัสดี12", ""},                // 8 runes: exactly the minimum
		{strings.Repeat("ก", 128), ""},  // 384 bytes, 128 runes: at the limit
		{strings.Repeat("ก", 129), KeyPasswordTooLong},
		{strings.Repeat("a", 129), KeyPasswordTooLong},
		{"correct horse battery staple", ""},
		{"แมวของฉันชอบกินปลาทู", ""},
		{"Tôi yêu Hà Nội lắm", ""},
		{"password", KeyPasswordCommon},
		{"Password123", KeyPasswordCommon},
		{"PASSWORD1", KeyPasswordCommon},
		{" password1 ", KeyPasswordCommon},
		{"12345678", KeyPasswordCommon},
		{"123456789", KeyPasswordCommon},
		{"qwertyuiop", KeyPasswordCommon},
		{"1q2w3e4r", KeyPasswordCommon},
		{"iloveyou1", KeyPasswordCommon},
		{"sunshine1", KeyPasswordCommon},
		{"football", KeyPasswordCommon},
		{"SayangKu", KeyPasswordCommon},
		{"sayangku123", KeyPasswordCommon},
		{"matkhau123", KeyPasswordCommon},
		{"anhyeuem123", KeyPasswordCommon},
		{"iloveyou143", KeyPasswordCommon},
		{"MahalKita143", KeyPasswordCommon},
		{"bismillah", KeyPasswordCommon},
		{"ประเทศไทย", KeyPasswordCommon},
		{"รักเธอตลอดไป", KeyPasswordCommon},
	}
	for _, tt := range tests {
		if got := CheckPasswordPolicy(tt.pw); got != tt.want {
			t.Errorf("CheckPasswordPolicy(%q) = %q, want %q", tt.pw, got, tt.want)
		}
	}
}

// TestCommonPasswordsFile keeps the embedded list in the shape its header
// promises, so that a careless edit is caught here rather than in review.
func TestCommonPasswordsFile(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(commonPasswordsFile, "\n"), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "#") {
		t.Fatalf("common-passwords.txt starts with %q, want a '#' header line", lines[0])
	}
	var entries []string
	for i, line := range lines[1:] {
		n := i + 2
		switch {
		case strings.HasPrefix(line, "#"):
			continue
		case line != strings.TrimSpace(line) || line == "":
			t.Errorf("line %d %q: blank or surrounded by white space", n, line)
		case line != strings.ToLower(line):
			t.Errorf("line %d %q: not lower case", n, line)
		case utf8.RuneCountInString(line) < MinPasswordRunes:
			t.Errorf("line %d %q: shorter than %d runes, the policy refuses it anyway", n, line, MinPasswordRunes)
		}
		entries = append(entries, line)
	}
	if !slices.IsSorted(entries) {
		t.Errorf("common-passwords.txt is not sorted (byte order, as LC_ALL=C sort)")
	}
	if c := slices.Compact(slices.Clone(entries)); len(c) != len(entries) {
		t.Errorf("common-passwords.txt has %d duplicate lines", len(entries)-len(c))
	}
	if len(entries) < 1000 {
		t.Errorf("common-passwords.txt has %d entries, want at least 1000", len(entries))
	}
	if got := len(commonPasswords()); got != len(entries) {
		t.Errorf("commonPasswords() has %d entries, the file %d", got, len(entries))
	}
}
