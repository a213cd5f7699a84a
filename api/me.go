package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/readi-platform/readi/internal/model"
)

func (a *App) getMe(c *fiber.Ctx) error {
	return ok(c, fiber.StatusOK, user(c))
}

func (a *App) patchMe(c *fiber.Ctx) error {
	var patch model.ProfilePatch
	if err := parseJSON(c, &patch); err != nil {
		return err
	}
	u, err := a.Accounts.UpdateProfile(ctx(c), user(c), patch)
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusOK, u)
}

func (a *App) exportMe(c *fiber.Ctx) error {
	data, err := a.Accounts.Export(ctx(c), user(c))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="readi-my-data.json"`)
	return ok(c, fiber.StatusOK, data)
}

func (a *App) deleteMe(c *fiber.Ctx) error {
	if err := a.Accounts.Delete(ctx(c), user(c)); err != nil {
		return err
	}
	a.clearRefreshCookie(c)
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *App) getProgress(c *fiber.Ctx) error {
	report, err := a.Learning.Progress(ctx(c), user(c))
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusOK, report)
}
