package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/readi-platform/readi/internal/model"
)

// getQuiz returns the questions without any answer key or feedback.
func (a *App) getQuiz(c *fiber.Ctx) error {
	q, err := a.Learning.Quiz(ctx(c), c.Params("id"), c.Query("lang"))
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusOK, q)
}

// submitAttempt grades on the server and stores the attempt once per
// Idempotency-Key: a retry returns the same attempt with
// Idempotent-Replayed: true and the same 201.
func (a *App) submitAttempt(c *fiber.Ctx) error {
	var req model.AttemptRequest
	if err := parseJSON(c, &req); err != nil {
		return err
	}
	res, replayed, err := a.Learning.Submit(ctx(c), user(c), c.Params("id"), c.Get("Idempotency-Key"), c.Query("lang"), req)
	if err != nil {
		return err
	}
	if replayed {
		c.Set("Idempotent-Replayed", "true")
	}
	body, err := res.Reply(jsonMarshal)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Status(fiber.StatusCreated).Send(body)
}
