package auth

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/readi-platform/readi/internal/model"
)

// DefaultAccessTTL is how long an access token lives when Config leaves it
// zero. Access tokens cannot be revoked, so they are kept short; the rotated
// refresh token is what keeps a user signed in.
const DefaultAccessTTL = 15 * time.Minute

// MinSecretLen is the shortest HMAC secret accepted: RFC 7518 asks for a key
// at least as long as the HS256 output (256 bits).
const MinSecretLen = 32

// clockLeeway absorbs small clock differences between replicas that issue and
// verify tokens. It is well under the token lifetime so expiry still means
// something.
const clockLeeway = 30 * time.Second

// maxTokenLen bounds the work done on an Authorization header before the
// signature is checked; our tokens are a few hundred bytes.
const maxTokenLen = 4096

// Errors from VerifyAccess. The API answers 401 with auth.token_expired for
// ErrTokenExpired (the client should refresh) and auth.token_invalid for
// ErrTokenInvalid (the client should sign in again). Details are wrapped for
// logs and never shown to clients.
var (
	ErrTokenExpired = errors.New("auth: token expired")
	ErrTokenInvalid = errors.New("auth: token invalid")
)

// errBadClaim marks a READI-specific claim problem found by accessClaims.Validate.
var errBadClaim = errors.New("bad claim")

// Config configures Tokens. Secret, Issuer and Audience are required.
type Config struct {
	Secret    []byte           // HMAC key, at least MinSecretLen bytes (see LoadOrCreateSecret)
	Issuer    string           // "iss", e.g. the public base URL
	Audience  string           // "aud", e.g. "readi-api"
	AccessTTL time.Duration    // lifetime of access tokens; 0 means DefaultAccessTTL
	Now       func() time.Time // clock; nil means time.Now (tests pass a fake)
}

// Claims is what a verified access token says about its holder.
type Claims struct {
	UserID    int64
	Role      model.Role
	ExpiresAt time.Time
}

// Tokens issues and verifies HS256 access tokens. It is safe for concurrent
// use; build one at start-up and share it.
type Tokens struct {
	cfg      Config
	parser   *jwt.Parser
	verified verifiedTokens
}

// accessClaims is the JWT payload: the registered claims plus the role.
type accessClaims struct {
	Role model.Role `json:"role"`
	jwt.RegisteredClaims
}

// Validate adds READI's own rules to the library's checks. It runs after the
// signature is verified: iat and jti must be present (the library only checks
// iat when it is there), sub must be a positive user id and role a known role.
func (c accessClaims) Validate() error {
	var errs []error
	if c.IssuedAt == nil {
		errs = append(errs, fmt.Errorf("%w: iat missing", jwt.ErrTokenRequiredClaimMissing))
	}
	if c.ID == "" {
		errs = append(errs, fmt.Errorf("%w: jti missing", jwt.ErrTokenRequiredClaimMissing))
	}
	if id, err := strconv.ParseInt(c.Subject, 10, 64); err != nil || id <= 0 || strconv.FormatInt(id, 10) != c.Subject {
		errs = append(errs, fmt.Errorf("%w: sub %q is not a user id", errBadClaim, c.Subject))
	}
	if !c.Role.Valid() {
		errs = append(errs, fmt.Errorf("%w: unknown role %q", errBadClaim, c.Role))
	}
	return errors.Join(errs...)
}

// NewTokens checks cfg and returns a Tokens. A short secret or a missing
// issuer or audience is a configuration error, reported at start-up rather
// than on the first login.
func NewTokens(cfg Config) (*Tokens, error) {
	switch {
	case len(cfg.Secret) < MinSecretLen:
		return nil, fmt.Errorf("auth: JWT secret is %d bytes, need at least %d", len(cfg.Secret), MinSecretLen)
	case cfg.Issuer == "":
		return nil, errors.New("auth: JWT issuer is empty")
	case cfg.Audience == "":
		return nil, errors.New("auth: JWT audience is empty")
	case cfg.AccessTTL < 0:
		return nil, fmt.Errorf("auth: negative access token lifetime %s", cfg.AccessTTL)
	}
	if cfg.AccessTTL == 0 {
		cfg.AccessTTL = DefaultAccessTTL
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	// Copy the secret so a caller reusing its slice cannot change our key.
	cfg.Secret = append([]byte(nil), cfg.Secret...)
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithAudience(cfg.Audience),
		jwt.WithLeeway(clockLeeway),
		jwt.WithTimeFunc(cfg.Now),
		jwt.WithStrictDecoding(),
	)
	return &Tokens{cfg: cfg, parser: parser, verified: verifiedTokens{m: map[string]verifiedToken{}}}, nil
}

// IssueAccess returns a signed access token for the user and the moment it
// expires (whole seconds, as in the token).
func (t *Tokens) IssueAccess(userID int64, role model.Role) (token string, expiresAt time.Time, err error) {
	if userID <= 0 {
		return "", time.Time{}, fmt.Errorf("auth: user id %d is not positive", userID)
	}
	if !role.Valid() {
		return "", time.Time{}, fmt.Errorf("auth: unknown role %q", role)
	}
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return "", time.Time{}, fmt.Errorf("auth: reading token id: %w", err)
	}
	now := t.cfg.Now().Truncate(time.Second)
	expiresAt = now.Add(t.cfg.AccessTTL)
	claims := accessClaims{
		Role: role,
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   strconv.FormatInt(userID, 10),
			Issuer:    t.cfg.Issuer,
			Audience:  jwt.ClaimStrings{t.cfg.Audience},
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(expiresAt),
			ID:        base64.RawURLEncoding.EncodeToString(jti),
		},
	}
	token, err = jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.cfg.Secret)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("auth: signing token: %w", err)
	}
	return token, expiresAt, nil
}

// VerifyAccess checks an access token and returns its claims. It accepts only
// HS256 tokens signed with our secret, from our issuer for our audience,
// carrying sub, role, iat, exp and jti, and not expired (within a 30 s
// leeway). Every failure wraps ErrTokenExpired or ErrTokenInvalid.
func (t *Tokens) VerifyAccess(token string) (Claims, error) {
	if len(token) > maxTokenLen {
		return Claims{}, fmt.Errorf("%w: %d bytes long", ErrTokenInvalid, len(token))
	}
	now := t.cfg.Now()
	if claims, ok := t.verified.lookup(token, now); ok {
		return claims, nil
	}
	var c accessClaims
	_, err := t.parser.ParseWithClaims(token, &c, t.key)
	if err != nil {
		if onlyExpired(err) {
			return Claims{}, fmt.Errorf("%w: %w", ErrTokenExpired, err)
		}
		return Claims{}, fmt.Errorf("%w: %w", ErrTokenInvalid, err)
	}
	id, _ := strconv.ParseInt(c.Subject, 10, 64) // checked by accessClaims.Validate
	claims := Claims{UserID: id, Role: c.Role, ExpiresAt: c.ExpiresAt.Time}
	from := c.IssuedAt.Time // required, and checked, by the parser
	if c.NotBefore != nil && c.NotBefore.After(from) {
		from = c.NotBefore.Time
	}
	t.verified.remember(token, verifiedToken{claims: claims, from: from.Add(-clockLeeway), until: c.ExpiresAt.Add(clockLeeway)}, now)
	return claims, nil
}

// maxVerifiedTokens bounds the verified-token cache: a few hundred bytes a
// token, a few MB in all, more than the users active within one token
// lifetime on one replica.
const maxVerifiedTokens = 8192

// verifiedTokens remembers access tokens that passed every check, so that a
// client sending the same token with each request does not have it decoded
// and its HMAC computed every time (6% of the server's CPU in the quiz
// submission load of cmd/readi-load -cpuprofile). A token's signature and claims
// are fixed by its bytes, so only time can make a remembered token invalid:
// a hit counts only inside the window in which verification succeeds, and
// outside it the token is verified afresh, failing as it would have without
// the cache. A Tokens with another secret has its own cache.
type verifiedTokens struct {
	mu sync.RWMutex
	m  map[string]verifiedToken
}

// verifiedToken is a remembered token's claims and the window [from,
// until) in which it verifies, clock leeway included.
type verifiedToken struct {
	claims      Claims
	from, until time.Time
}

func (v *verifiedTokens) lookup(token string, now time.Time) (Claims, bool) {
	v.mu.RLock()
	e, ok := v.m[token]
	v.mu.RUnlock()
	if !ok || now.Before(e.from) || !now.Before(e.until) {
		return Claims{}, false
	}
	return e.claims, true
}

// remember adds a verified token. When the cache is full, expired tokens
// go first and, if that frees nothing, everything does: simpler than
// tracking use, and a forgotten token is only verified once more.
func (v *verifiedTokens) remember(token string, e verifiedToken, now time.Time) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.m) >= maxVerifiedTokens {
		for k, old := range v.m {
			if !now.Before(old.until) {
				delete(v.m, k)
			}
		}
		if len(v.m) >= maxVerifiedTokens {
			clear(v.m)
		}
	}
	// The key is copied: a caller's string may share its bytes with a
	// request buffer that is reused (Fiber's are), and a map key must not
	// change under the map.
	v.m[strings.Clone(token)] = e
}

// key hands the library our secret, checking the method once more so the
// secret can never be used as, say, an RSA public key.
func (t *Tokens) key(tok *jwt.Token) (any, error) {
	if tok.Method != jwt.SigningMethodHS256 {
		return nil, fmt.Errorf("unexpected signing method %v", tok.Header["alg"])
	}
	return t.cfg.Secret, nil
}

// onlyExpired reports whether err says the token is genuine but past its
// expiry and nothing else is wrong with it. Only then is a refresh worth
// trying; a token that is also for another audience, say, is simply invalid.
func onlyExpired(err error) bool {
	if !errors.Is(err, jwt.ErrTokenExpired) {
		return false
	}
	for _, other := range []error{
		jwt.ErrTokenMalformed, jwt.ErrTokenUnverifiable, jwt.ErrTokenSignatureInvalid,
		jwt.ErrTokenRequiredClaimMissing, jwt.ErrTokenInvalidAudience, jwt.ErrTokenInvalidIssuer,
		jwt.ErrTokenUsedBeforeIssued, jwt.ErrTokenNotValidYet, jwt.ErrInvalidType, errBadClaim,
	} {
		if errors.Is(err, other) {
			return false
		}
	}
	return true
}
