package api

import (
	"errors"

	"log/slog"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/readi-platform/readi/internal/accounts"
	"github.com/readi-platform/readi/internal/admin"
	"github.com/readi-platform/readi/internal/auth"
	"github.com/readi-platform/readi/internal/classes"
	"github.com/readi-platform/readi/internal/learning"
	"github.com/readi-platform/readi/internal/live"
	"github.com/readi-platform/readi/internal/model"
	"github.com/readi-platform/readi/internal/store"
)

// apiError is the body of every error reply. Code is a dotted translation
// key the frontend shows in the learner's language; Message is English for
// developers; Fields maps request fields to their own keys.
type apiError struct {
	Status  int               `json:"-"`
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
	// Problems lists every problem of content that cannot be published or
	// imported (422 content.invalid), so an author can fix all in one pass.
	Problems  []admin.Problem `json:"problems,omitempty"`
	RequestID string          `json:"request_id,omitempty"`
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func newError(status int, code, msg string) *apiError {
	return &apiError{Status: status, Code: code, Message: msg}
}

func errMalformed(msg string) *apiError { return newError(400, "request.malformed", msg) }

var (
	errUnauthenticated = newError(401, "auth.required", "sign in to do this")
	errForbidden       = newError(403, "auth.forbidden", "your role does not allow this")
	errNotFound        = newError(404, "not_found", "no such resource")
)

// handleError is Fiber's single error handler: it maps every error a
// handler returns to a status and the error envelope. Anything it does not
// recognise is a 500 whose details are logged, never sent.
func (a *App) handleError(c *fiber.Ctx, err error) error {
	e := a.classify(err)
	if e.Status == fiber.StatusTooManyRequests {
		var (
			rl   *accounts.RateLimited
			le   *live.Error
			wait time.Duration
		)
		switch {
		case errors.As(err, &rl):
			wait = rl.RetryAfter
		case errors.As(err, &le):
			wait = le.RetryAfter
		}
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(max(int(wait.Seconds()+0.999), 1)))
	}
	if e.Status == fiber.StatusUnauthorized {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="readi"`)
	}
	e.RequestID = requestID(c)
	if e.RequestID == "" { // refused by the HTTP server before any middleware ran
		e.RequestID = newRequestID()
		c.Set(fiber.HeaderXRequestID, e.RequestID)
	}
	if e.Status >= 500 {
		logger(c).Error("request failed", slog.String("error", err.Error()), slog.String("path", c.Path()))
	}
	return c.Status(e.Status).JSON(fiber.Map{"error": e})
}

func (a *App) classify(err error) *apiError {
	var (
		ae       *apiError
		ve       *model.ValidationError
		accErr   *accounts.Error
		classErr *classes.Error
		adminErr *admin.Error
		liveErr  *live.Error
		invalid  *admin.Invalid
		rl       *accounts.RateLimited
		fiberErr *fiber.Error
	)
	switch {
	case errors.As(err, &ae):
		return &apiError{Status: ae.Status, Code: ae.Code, Message: ae.Message, Fields: ae.Fields, Problems: ae.Problems}
	case errors.As(err, &ve):
		return &apiError{Status: 422, Code: "validation.failed", Message: "some fields are not valid", Fields: ve.Fields}
	case errors.As(err, &accErr):
		return newError(accErr.Status, accErr.Code, accErr.Msg)
	case errors.As(err, &classErr):
		return newError(classErr.Status, classErr.Code, classErr.Msg)
	case errors.As(err, &adminErr):
		return newError(adminErr.Status, adminErr.Code, adminErr.Msg)
	case errors.As(err, &liveErr):
		return newError(liveErr.Status, liveErr.Code, liveErr.Msg)
	case errors.As(err, &invalid):
		return &apiError{Status: 422, Code: "content.invalid", Message: invalid.Msg, Problems: invalid.Problems}
	case errors.As(err, &rl):
		return newError(429, "rate_limited", "too many attempts; wait and try again")
	case errors.Is(err, auth.ErrTokenExpired):
		return newError(401, "auth.token_expired", "the access token has expired; refresh it")
	case errors.Is(err, auth.ErrTokenInvalid):
		return newError(401, "auth.token_invalid", "the access token is not valid")
	case errors.Is(err, store.ErrNotFound):
		return errNotFound
	case errors.Is(err, store.ErrIdempotencyMismatch):
		return newError(422, "attempt.idempotency_mismatch", "this Idempotency-Key was used for a different submission")
	case errors.Is(err, store.ErrConflict):
		return newError(409, "conflict", "this conflicts with existing data")
	}
	if answerErr, ok := learning.IsAnswerError(err); ok {
		return &apiError{Status: 422, Code: answerErr.Code, Message: answerErr.Error(),
			Fields: map[string]string{"answers." + answerErr.QuestionID: answerErr.Code}}
	}
	if errors.As(err, &fiberErr) {
		switch fiberErr.Code {
		case fiber.StatusNotFound:
			return errNotFound
		case fiber.StatusMethodNotAllowed:
			return newError(405, "method_not_allowed", "this method is not allowed here")
		case fiber.StatusRequestEntityTooLarge:
			return newError(413, "request.too_large", "the request body is too large")
		case fiber.StatusBadRequest:
			return errMalformed("the request could not be read")
		case fiber.StatusRequestTimeout:
			return newError(408, "request.timeout", "the request took too long")
		}
		if fiberErr.Code >= 400 && fiberErr.Code < 500 {
			return newError(fiberErr.Code, "request.invalid", fiberErr.Message)
		}
	}
	return newError(500, "internal", "something went wrong on our side; try again")
}
