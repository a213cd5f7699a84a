// Package api is READI's HTTP layer and the only package that imports
// Fiber. routes.go is the whole route table; handlers are methods on App,
// one file per resource, each parse → validate → one call → respond.
package api

import (
	"context"
	"io/fs"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/readi-platform/readi/internal/accounts"
	"github.com/readi-platform/readi/internal/admin"
	"github.com/readi-platform/readi/internal/classes"
	"github.com/readi-platform/readi/internal/learning"
	"github.com/readi-platform/readi/internal/live"
	"github.com/readi-platform/readi/internal/store"
)

// Deps are everything the HTTP layer needs, built by the composition root.
type Deps struct {
	Log            *slog.Logger
	Store          *store.Store
	Accounts       *accounts.Service
	Learning       *learning.Service
	Classes        *classes.Service
	Admin          *admin.Service
	Live           *live.Service
	Frontend       fs.FS // the static web app (index.html at its root)
	BodyLimit      int
	TrustedProxies []string
	// RefreshTTL is how long the refresh cookie lives (the token's own
	// lifetime, enforced by the store).
	RefreshTTL time.Duration
}

// App holds the dependencies the handlers use.
type App struct {
	Deps
	// ready is false while starting and once shutdown begins, so a load
	// balancer stops sending traffic before connections close.
	ready atomic.Bool
}

// New builds the Fiber application with every route and middleware.
func New(d Deps) (*App, *fiber.App) {
	a := &App{Deps: d}
	cfg := fiber.Config{
		AppName:               "READI",
		BodyLimit:             d.BodyLimit,
		ErrorHandler:          a.handleError,
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
		// A lesson reply is about 5 KB; a write buffer that holds it whole
		// sends it in one system call instead of two.
		WriteBufferSize: 32 << 10,
		JSONEncoder:     jsonMarshal,
		StrictRouting:   false,
		CaseSensitive:   true,
	}
	if len(d.TrustedProxies) > 0 {
		cfg.EnableTrustedProxyCheck = true
		cfg.TrustedProxies = d.TrustedProxies
		cfg.ProxyHeader = fiber.HeaderXForwardedFor
	}
	app := fiber.New(cfg)
	a.routes(app)
	return a, app
}

// SetReady marks the server ready or not for /readyz.
func (a *App) SetReady(ok bool) { a.ready.Store(ok) }

// ctx is the request's context for storage calls: it carries the request
// logger and ends if the client goes away is not tracked by fasthttp, so a
// deadline bounds every request's database work instead.
func ctx(c *fiber.Ctx) context.Context { return c.UserContext() }
