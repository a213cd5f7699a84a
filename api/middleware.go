package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/readi-platform/readi/internal/model"
)

type ctxKey int

const (
	keyLogger ctxKey = iota
	keyRequestID
)

const (
	localUser      = "readi.user"
	localRequestID = "readi.request_id"
	localLogger    = "readi.logger"
)

// requestTimeout bounds the database work of one request.
const requestTimeout = 20 * time.Second

// withRequestContext gives every request an id (the client's X-Request-ID
// when it is sane, else a new one), a logger that prints it on every line,
// and a context with a deadline; then it logs the outcome.
func (a *App) withRequestContext(c *fiber.Ctx) error {
	id := c.Get(fiber.HeaderXRequestID)
	if !saneRequestID(id) {
		id = newRequestID()
	} else {
		id = strings.Clone(id)
	}
	log := a.Log.With(slog.String("request_id", id))
	c.Locals(localRequestID, id)
	c.Locals(localLogger, log)
	c.Set(fiber.HeaderXRequestID, id)
	ctx, cancel := context.WithTimeout(context.WithValue(context.Background(), keyLogger, log), requestTimeout)
	defer cancel()
	c.SetUserContext(context.WithValue(ctx, keyRequestID, id))
	start := time.Now()
	err := c.Next()
	if err != nil {
		if herr := a.handleError(c, err); herr != nil {
			return herr
		}
	}
	status := c.Response().StatusCode()
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	log.LogAttrs(ctx, level, "request",
		slog.String("method", c.Method()), slog.String("path", c.Path()), slog.Int("status", status),
		slog.Duration("duration", time.Since(start)), slog.String("ip", c.IP()))
	return nil
}

func saneRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

func newRequestID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(localRequestID).(string)
	return id
}

func logger(c *fiber.Ctx) *slog.Logger {
	if l, ok := c.Locals(localLogger).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}

// contentSecurityPolicy allows only this origin's scripts, styles, images
// and API: no inline script, no framing, no plugins.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries.
func securityHeaders(c *fiber.Ctx) error {
	h := &c.Response().Header
	h.Set(fiber.HeaderContentSecurityPolicy, contentSecurityPolicy)
	h.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	h.Set(fiber.HeaderXFrameOptions, "DENY")
	h.Set(fiber.HeaderReferrerPolicy, "no-referrer")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if c.Protocol() == "https" {
		h.Set(fiber.HeaderStrictTransportSecurity, "max-age=31536000; includeSubDomains")
	}
	return c.Next()
}

// noStore keeps personal API replies out of shared caches.
func noStore(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

// authenticate reads an optional bearer token. A present but bad token
// is a 401 even on public routes, so a client learns to refresh.
func (a *App) authenticate(c *fiber.Ctx) error {
	h := c.Get(fiber.HeaderAuthorization)
	if h == "" {
		return c.Next()
	}
	token, found := strings.CutPrefix(h, "Bearer ")
	if !found || token == "" {
		return newError(401, "auth.token_invalid", "the Authorization header must be: Bearer <token>")
	}
	u, err := a.Accounts.Authenticate(ctx(c), token)
	if err != nil {
		return err
	}
	c.Locals(localUser, u)
	return c.Next()
}

// require lets only signed-in users of at least role through.
func require(role model.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u, ok := currentUser(c)
		if !ok {
			return errUnauthenticated
		}
		if !u.Role.AtLeast(role) {
			return errForbidden
		}
		return c.Next()
	}
}

func currentUser(c *fiber.Ctx) (model.User, bool) {
	u, ok := c.Locals(localUser).(model.User)
	return u, ok
}

// user is currentUser for routes behind require: the user is always there.
func user(c *fiber.Ctx) model.User {
	u, _ := currentUser(c)
	return u
}
