package api

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/readi-platform/readi/internal/model"
)

// routes is READI's whole route table, grouped by who may call it.
func (a *App) routes(app *fiber.App) {
	app.Use(a.withRequestContext, recover.New(), securityHeaders,
		compress.New(compress.Config{Level: compress.LevelBestSpeed}))

	// Operations: anyone.
	app.Get("/healthz", a.healthz)
	app.Get("/readyz", a.readyz)
	app.Get("/api/openapi.json", a.openAPI)

	v1 := app.Group("/api/v1", a.authenticate)

	// Public: anyone, signed in or not.
	v1.Post("/auth/register", noStore, a.register)
	v1.Post("/auth/login", noStore, a.login)
	v1.Post("/auth/refresh", noStore, a.refresh)
	v1.Post("/auth/logout", noStore, a.logout)
	v1.Get("/modules", a.listModules)
	v1.Get("/modules/:slug", a.getModule)
	v1.Get("/modules/:slug/lessons/:lesson", a.getLesson)

	// Learner: any signed-in user. Role checks are per route, not a group
	// Use, so an unknown path stays a 404 rather than a 401.
	learner := require(model.RoleLearner)
	v1.Get("/me", learner, noStore, a.getMe)
	v1.Patch("/me", learner, noStore, a.patchMe)
	v1.Delete("/me", learner, noStore, a.deleteMe)
	v1.Get("/me/export", learner, noStore, a.exportMe)
	v1.Get("/me/progress", learner, noStore, a.getProgress)
	v1.Post("/modules/:slug/lessons/:lesson/complete", learner, noStore, a.completeLesson)
	v1.Get("/quizzes/:id", learner, noStore, a.getQuiz)
	v1.Post("/quizzes/:id/attempts", learner, noStore, a.submitAttempt)

	// Anything else under /api is a JSON 404, never the web app.
	app.All("/api/*", func(*fiber.Ctx) error { return errNotFound })
	a.mountFrontend(app)
}
