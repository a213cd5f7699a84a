package auth

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

// Password policy limits, in runes (not bytes) so that a Thai, Vietnamese or
// Burmese password is measured by the characters its owner typed. The policy
// follows NIST SP 800-63B: a minimum length and a blocklist of known-leaked
// passwords instead of composition rules, which mostly produce "Password1!".
const (
	MinPasswordRunes = 8
	MaxPasswordRunes = 128
)

// Translation keys returned by CheckPasswordPolicy.
const (
	KeyPasswordTooShort = "password.too_short"
	KeyPasswordTooLong  = "password.too_long"
	KeyPasswordCommon   = "password.common"
)

// commonPasswordsFile is the blocklist: one lower-case password per line,
// sorted and deduplicated, lines starting with '#' are comments. It only
// lists passwords of MinPasswordRunes or more; shorter ones fail anyway.
//
//go:embed common-passwords.txt
var commonPasswordsFile string

// commonPasswords is the blocklist as a set, built on first use so that
// programs which never check a password do not pay for it. It is never
// modified after it is built.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 2048)
	for line := range strings.Lines(commonPasswordsFile) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		set[strings.ToLower(line)] = struct{}{}
	}
	return set
})

// CheckPasswordPolicy returns "" if pw is acceptable as a new password, or the
// translation key of the first rule it breaks: KeyPasswordTooShort,
// KeyPasswordTooLong or KeyPasswordCommon. The upper bound keeps hashing
// cost predictable; the blocklist comparison ignores case because
// "PASSWORD123" is guessed as early as "password123".
func CheckPasswordPolicy(pw string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordRunes:
		return KeyPasswordTooShort
	case n > MaxPasswordRunes:
		return KeyPasswordTooLong
	case IsCommonPassword(pw):
		return KeyPasswordCommon
	}
	return ""
}

// IsCommonPassword reports whether pw, ignoring case and surrounding spaces,
// is on the embedded list of commonly leaked passwords.
func IsCommonPassword(pw string) bool {
	_, found := commonPasswords()[strings.ToLower(strings.TrimSpace(pw))]
	return found
}
