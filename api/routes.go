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

	// Learner: any signed-in user.
	learner := v1.Group("", require(model.RoleLearner), noStore)
	learner.Get("/me", a.getMe)
	learner.Patch("/me", a.patchMe)
	learner.Delete("/me", a.deleteMe)
	learner.Get("/me/export", a.exportMe)
	learner.Get("/me/progress", a.getProgress)
	learner.Post("/modules/:slug/lessons/:lesson/complete", a.completeLesson)
	learner.Get("/quizzes/:id", a.getQuiz)
	learner.Post("/quizzes/:id/attempts", a.submitAttempt)

	// Anything else under /api is a JSON 404, never the web app.
	app.All("/api/*", func(*fiber.Ctx) error { return errNotFound })
	a.mountFrontend(app)
}
