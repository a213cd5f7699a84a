package accounts

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"
)

// blockedNicknameWords is a short list of slurs and profanity in English
// and major ASEAN languages. Nicknames are shown to classmates and
// educators, so a name containing one is refused. It is deliberately
// small and conservative; educators can remove a learner who slips past.
//
//go:embed nickname-blocklist.txt
var blockedNicknameWords string

// nicknameFilter matches normalised nicknames against the list.
type nicknameFilter struct {
	words []string
}

func newNicknameFilter() *nicknameFilter {
	f := &nicknameFilter{}
	for _, line := range strings.Split(blockedNicknameWords, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f.words = append(f.words, normalizeNickname(line))
	}
	return f
}

func isLatin(s string) bool {
	for _, r := range s {
		if r > unicode.MaxLatin1 && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}

// blocked reports whether a nickname contains a listed word once case,
// spacing, punctuation and common digit-for-letter swaps are undone. Long
// words match anywhere; short ones (under five letters) only as a whole
// space-separated word (punctuation inside it ignored) or the whole name,
// so that "F.u_c-k" is refused but "Yoshitaka" is not.
func (f *nicknameFilter) blocked(nickname string) bool {
	joined := normalizeNickname(nickname)
	tokens := map[string]bool{joined: true}
	for _, field := range strings.Fields(nickname) {
		tokens[normalizeNickname(field)] = true
	}
	for _, w := range f.words {
		if w == "" {
			continue
		}
		// Scripts written without spaces (Thai, Khmer, Burmese) always
		// match anywhere: there are no word boundaries to rely on.
		anywhere := utf8.RuneCountInString(w) >= 5 || !isLatin(w)
		if anywhere && strings.Contains(joined, w) || tokens[w] {
			return true
		}
	}
	return false
}

var leet = strings.NewReplacer("0", "o", "1", "i", "3", "e", "4", "a", "5", "s", "7", "t", "@", "a", "$", "s", "!", "i")

// normalizeNickname lower-cases, undoes leetspeak and keeps only letters
// (of any script), so "F.u_c-k" and "fvck" style tricks are caught by the
// listed spellings.
func normalizeNickname(s string) string {
	s = leet.Replace(strings.ToLower(s))
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
