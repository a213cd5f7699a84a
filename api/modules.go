package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/readi-platform/readi/internal/learning"
	"github.com/readi-platform/readi/internal/model"
)

func (a *App) listModules(c *fiber.Ctx) error {
	f := learning.Filter{Category: model.Category(c.Query("category")), Readi: model.Value(c.Query("readi")),
		Cluster: model.Cluster(c.Query("cluster")), Lang: c.Query("lang")}
	if u, signedIn := currentUser(c); signedIn {
		c.Set(fiber.HeaderCacheControl, "private, no-cache")
		list, err := a.Learning.ModulesFor(ctx(c), u, f)
		if err != nil {
			return err
		}
		return okList(c, list)
	}
	if notModified(c, a.Learning.ETag(ctx(c))+c.Request().URI().QueryArgs().String()) {
		return nil
	}
	list, err := a.Learning.Modules(ctx(c), f)
	if err != nil {
		return err
	}
	return okList(c, list)
}

func (a *App) getModule(c *fiber.Ctx) error {
	if notModified(c, a.Learning.ModuleETag(ctx(c), c.Params("slug"))+c.Query("lang")) {
		return nil
	}
	m, err := a.Learning.Module(ctx(c), c.Params("slug"), c.Query("lang"))
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusOK, m)
}

// getLesson serves the most requested reply from the learning service's
// cache: the encoded body and its ETag are computed once per publish.
func (a *App) getLesson(c *fiber.Ctx) error {
	r, err := a.Learning.LessonReply(ctx(c), c.Params("slug"), c.Params("lesson"), c.Query("lang"), jsonMarshal)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderETag, r.ETag)
	c.Set(fiber.HeaderCacheControl, "public, no-cache")
	c.Vary(fiber.HeaderAuthorization)
	if c.Get(fiber.HeaderIfNoneMatch) == r.ETag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(r.Body)
}

func (a *App) completeLesson(c *fiber.Ctx) error {
	created, err := a.Learning.CompleteLesson(ctx(c), user(c), c.Params("slug"), c.Params("lesson"))
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if created {
		status = fiber.StatusCreated
	}
	return ok(c, status, fiber.Map{"module_slug": c.Params("slug"), "lesson_slug": c.Params("lesson"), "completed": true})
}

// notModified sets a strong ETag derived from the published content (and
// the request's variant) and answers 304 when the client already has it.
// Content changes only on publish, so no body is built to compute it.
func notModified(c *fiber.Ctx, version string) bool {
	if version == "" {
		return false
	}
	etag := etagOf(version)
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, "public, no-cache")
	c.Vary(fiber.HeaderAuthorization)
	if match := c.Get(fiber.HeaderIfNoneMatch); match != "" && match == etag {
		c.Status(fiber.StatusNotModified)
		return true
	}
	return false
}
