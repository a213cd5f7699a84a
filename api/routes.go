package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/readi-platform/readi/internal/live"
	"github.com/readi-platform/readi/internal/model"
)

// routes is READI's whole route table, grouped by who may call it.
func (a *App) routes(app *fiber.App) {
	app.Use(a.withRequestContext, recover.New(), securityHeaders,
		// Event streams are not compressed: the compressor would hold
		// events back until its buffer fills.
		compress.New(compress.Config{Level: compress.LevelBestSpeed, Next: isEventStream}))

	// Operations: anyone.
	app.Get("/healthz", a.healthz)
	app.Get("/readyz", a.readyz)
	app.Get("/api/openapi.json", a.openAPI)

	// Live players: whoever holds the player token /live/join gave. These
	// come before the /api/v1 group so that its access-token middleware
	// never sees a player token (a player needs no account).
	app.Get("/api/v1/live/games/:pin/state", noStore, a.liveState)
	app.Post("/api/v1/live/games/:pin/answers", noStore, a.answerLive)
	app.Get("/api/v1/live/games/:pin/events", noStore, a.livePlayerEvents)

	v1 := app.Group("/api/v1", a.authenticate)

	// Public: anyone, signed in or not.
	v1.Post("/auth/register", noStore, a.register)
	v1.Post("/auth/login", noStore, a.login)
	v1.Post("/auth/refresh", noStore, a.refresh)
	v1.Post("/auth/logout", noStore, a.logout)
	v1.Post("/auth/join", noStore, a.join)
	v1.Post("/auth/recover", noStore, a.recoverAccount)
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
	v1.Get("/me/assignments", learner, noStore, a.myAssignments)
	v1.Post("/classes/join", learner, noStore, a.joinClass)
	v1.Post("/live/join", noStore, a.joinLiveGame)

	// Educator: classes they teach (admins too, for classes they teach).
	educator := require(model.RoleEducator)
	v1.Post("/classes", educator, noStore, a.createClass)
	v1.Get("/classes", educator, noStore, a.listClasses)
	v1.Get("/classes/:id", educator, noStore, a.getClass)
	v1.Patch("/classes/:id", educator, noStore, a.patchClass)
	v1.Delete("/classes/:id", educator, noStore, a.deleteClass)
	v1.Get("/classes/:id/members", educator, noStore, a.listMembers)
	v1.Delete("/classes/:id/members/:user_id", educator, noStore, a.removeMember)
	v1.Post("/classes/:id/teachers", educator, noStore, a.addTeacher)
	v1.Get("/classes/:id/teachers", educator, noStore, a.listTeachers)
	v1.Delete("/classes/:id/teachers/:user_id", educator, noStore, a.removeTeacher)
	v1.Post("/classes/:id/assignments", educator, noStore, a.createAssignment)
	v1.Get("/classes/:id/assignments", educator, noStore, a.listAssignments)
	v1.Get("/classes/:id/assignments/:assignment_id", educator, noStore, a.getAssignment)
	v1.Patch("/classes/:id/assignments/:assignment_id", educator, noStore, a.patchAssignment)
	v1.Delete("/classes/:id/assignments/:assignment_id", educator, noStore, a.deleteAssignment)
	v1.Get("/classes/:id/report", educator, noStore, a.classReport)
	v1.Get("/classes/:id/report.csv", educator, noStore, a.classReportCSV)
	v1.Get("/classes/:id/questions", educator, noStore, a.classQuestions)
	v1.Get("/classes/:id/readi", educator, noStore, a.classReadi)
	v1.Post("/live/games", educator, noStore, a.createLiveGame)
	v1.Get("/live/games", educator, noStore, a.listLiveGames)
	v1.Get("/live/games/:id", educator, noStore, a.getLiveGame)
	v1.Get("/live/games/:id/players", educator, noStore, a.listLivePlayers)
	v1.Delete("/live/games/:id/players/:player_id", educator, noStore, a.removeLivePlayer)
	v1.Get("/live/games/:id/report", educator, noStore, a.liveReport)
	v1.Get("/live/games/:id/report.csv", educator, noStore, a.liveReportCSV)
	v1.Get("/live/games/:id/host-events", educator, noStore, a.liveHostEvents)
	v1.Post("/live/games/:id/next", educator, noStore, a.stepLiveGame(live.ActNext))
	v1.Post("/live/games/:id/skip", educator, noStore, a.stepLiveGame(live.ActSkip))
	v1.Post("/live/games/:id/pause", educator, noStore, a.stepLiveGame(live.ActPause))
	v1.Post("/live/games/:id/resume", educator, noStore, a.stepLiveGame(live.ActResume))
	v1.Post("/live/games/:id/lock", educator, noStore, a.stepLiveGame(live.ActLock))
	v1.Post("/live/games/:id/unlock", educator, noStore, a.stepLiveGame(live.ActUnlock))
	v1.Post("/live/games/:id/end", educator, noStore, a.stepLiveGame(live.ActEnd))

	// Admin: the content team. Writes to a module accept If-Match with the
	// revision edited (409 when it is no longer the newest).
	adm := require(model.RoleAdmin)
	v1.Get("/admin/modules", adm, noStore, a.listAdminModules)
	v1.Post("/admin/modules", adm, noStore, a.createAdminModule)
	v1.Get("/admin/modules/:slug", adm, noStore, a.getAdminModule)
	v1.Patch("/admin/modules/:slug", adm, noStore, a.patchAdminModule)
	v1.Delete("/admin/modules/:slug", adm, noStore, a.deleteAdminModule)
	v1.Post("/admin/modules/:slug/lessons", adm, noStore, a.createAdminLesson)
	v1.Put("/admin/modules/:slug/lessons/order", adm, noStore, a.orderAdminLessons)
	v1.Patch("/admin/modules/:slug/lessons/:lesson", adm, noStore, a.patchAdminLesson)
	v1.Delete("/admin/modules/:slug/lessons/:lesson", adm, noStore, a.deleteAdminLesson)
	v1.Put("/admin/modules/:slug/quiz", adm, noStore, a.putAdminQuiz)
	v1.Post("/admin/modules/:slug/gift", adm, noStore, a.importAdminGIFT)
	v1.Post("/admin/modules/:slug/publish", adm, noStore, a.publishAdminModule)
	v1.Get("/admin/modules/:slug/revisions", adm, noStore, a.listAdminRevisions)
	v1.Get("/admin/modules/:slug/revisions/:id", adm, noStore, a.getAdminRevision)
	v1.Post("/admin/modules/:slug/revisions/:id/restore", adm, noStore, a.restoreAdminRevision)
	v1.Get("/admin/modules/:slug/diff", adm, noStore, a.diffAdminModule)
	v1.Post("/admin/preview", adm, noStore, a.previewMarkdown)
	v1.Get("/admin/content/export", adm, noStore, a.exportContent)
	v1.Post("/admin/content/import", adm, noStore, a.importContent)
	v1.Get("/admin/users", adm, noStore, a.listAdminUsers)
	v1.Patch("/admin/users/:id", adm, noStore, a.patchAdminUser)
	v1.Get("/admin/audit", adm, noStore, a.listAudit)

	// Anything else under /api is a JSON 404, never the web app.
	app.All("/api/*", func(*fiber.Ctx) error { return errNotFound })
	a.mountFrontend(app)
}

// isEventStream reports whether a request is for an event stream.
func isEventStream(c *fiber.Ctx) bool {
	p := c.Path()
	return strings.HasSuffix(p, "/events") || strings.HasSuffix(p, "/host-events")
}
