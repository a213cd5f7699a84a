package api

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// healthz says the process is alive; it checks nothing else, so a busy
// database never gets a healthy process restarted.
func (a *App) healthz(c *fiber.Ctx) error {
	return ok(c, 200, fiber.Map{"status": "ok"})
}

// readyz says whether to send traffic here: not while starting or shutting
// down, and not when the database does not answer.
func (a *App) readyz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if !a.ready.Load() {
		return newError(503, "unavailable.shutting_down", "the server is not accepting traffic")
	}
	pingCtx, cancel := context.WithTimeout(ctx(c), 2*time.Second)
	defer cancel()
	if err := a.Store.Ping(pingCtx); err != nil {
		logger(c).Warn("readiness check failed", "error", err.Error())
		return newError(503, "unavailable.database", "the database is unreachable")
	}
	return ok(c, 200, fiber.Map{"status": "ready"})
}
