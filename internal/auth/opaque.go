package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
)

// opaqueTokenLen is the number of random bytes in a refresh token: 256 bits,
// far beyond guessing, so a fast unsalted hash is enough to store it.
const opaqueTokenLen = 32

// NewOpaqueToken returns a random token for the client (43 characters of
// base64url) and its hash for the database. Refresh tokens are opaque rather
// than JWTs because they must be revocable and rotated on every use, which
// needs a database row anyway; storing only the hash means a leaked database
// does not hand out sessions.
func NewOpaqueToken() (plain, hash string, err error) {
	b := make([]byte, opaqueTokenLen)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("auth: reading token: %w", err)
	}
	plain = base64.RawURLEncoding.EncodeToString(b)
	return plain, HashOpaque(plain), nil
}

// HashOpaque returns the lower-case hex SHA-256 of a token, the form in which
// refresh tokens are stored and looked up. A slow password hash is not needed:
// the token has full entropy, so there is nothing to brute-force.
func HashOpaque(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// recoveryAlphabet has no 0/O, 1/I/L, so a code copied from paper or read
// aloud survives. 31 symbols, 16 of them per code: about 79 bits.
const recoveryAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

const (
	recoveryGroups    = 4
	recoveryGroupSize = 4
)

// NewRecoveryCode returns a one-time code such as "K7QM-X3TP-9RWD-FH2B" for a
// pseudonymous learner who joined with a class code and has no e-mail to
// reset a password by, together with the hash to store (HashRecoveryCode of
// the code). Show the code once; it is the only way back into the account.
func NewRecoveryCode() (code, hash string, err error) {
	n := recoveryGroups * recoveryGroupSize
	chars := make([]byte, 0, n)
	buf := make([]byte, 2*n)
	// Rejection sampling keeps every symbol equally likely: bytes at or
	// above the largest multiple of 31 below 256 are thrown away.
	limit := byte(256 - 256%len(recoveryAlphabet))
	for len(chars) < n {
		if _, err := rand.Read(buf); err != nil {
			return "", "", fmt.Errorf("auth: reading recovery code: %w", err)
		}
		for _, b := range buf {
			if b < limit && len(chars) < n {
				chars = append(chars, recoveryAlphabet[int(b)%len(recoveryAlphabet)])
			}
		}
	}
	var sb strings.Builder
	for i, c := range chars {
		if i > 0 && i%recoveryGroupSize == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(c)
	}
	code = sb.String()
	return code, HashRecoveryCode(code), nil
}

// NormalizeRecoveryCode returns the canonical form of a code as typed:
// upper case, without spaces or dashes, so "k7qm x3tp-9rwd fh2b" matches
// (phone keyboards like to turn a typed hyphen into an en dash).
func NormalizeRecoveryCode(input string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Pd, r) || unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, input)
}

// HashRecoveryCode returns the hash to store for a recovery code, or to look
// one up by: HashOpaque of its normalised form.
func HashRecoveryCode(input string) string {
	return HashOpaque(NormalizeRecoveryCode(input))
}
