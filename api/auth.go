package api

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/readi-platform/readi/internal/accounts"
	"github.com/readi-platform/readi/internal/model"
)

// refreshCookie carries the refresh token for browsers: httpOnly so
// scripts cannot read it, SameSite=Strict so other sites cannot send it,
// and scoped to the auth routes.
const refreshCookie = "readi_refresh"

func (a *App) register(c *fiber.Ctx) error {
	var req model.RegisterRequest
	if err := parseJSON(c, &req); err != nil {
		return err
	}
	s, err := a.Accounts.Register(ctx(c), req)
	if err != nil {
		return err
	}
	return a.sendSession(c, fiber.StatusCreated, s)
}

func (a *App) login(c *fiber.Ctx) error {
	var req model.LoginRequest
	if err := parseJSON(c, &req); err != nil {
		return err
	}
	s, err := a.Accounts.Login(ctx(c), req, strings.Clone(c.IP()))
	if err != nil {
		return err
	}
	return a.sendSession(c, fiber.StatusOK, s)
}

func (a *App) refresh(c *fiber.Ctx) error {
	token, err := refreshToken(c)
	if err != nil {
		return err
	}
	s, err := a.Accounts.Refresh(ctx(c), token)
	if err != nil {
		a.clearRefreshCookie(c)
		return err
	}
	return a.sendSession(c, fiber.StatusOK, s)
}

func (a *App) logout(c *fiber.Ctx) error {
	token, err := refreshToken(c)
	if err != nil {
		return err
	}
	if err := a.Accounts.Logout(ctx(c), token); err != nil {
		return err
	}
	a.clearRefreshCookie(c)
	return c.SendStatus(fiber.StatusNoContent)
}

// refreshToken reads the token from the JSON body (non-browser clients)
// or else from the cookie.
func refreshToken(c *fiber.Ctx) (string, error) {
	var req model.RefreshRequest
	if len(strings.TrimSpace(string(c.Body()))) > 0 {
		if err := parseJSON(c, &req); err != nil {
			return "", err
		}
	}
	if req.RefreshToken == "" {
		req.RefreshToken = c.Cookies(refreshCookie)
	}
	if req.RefreshToken == "" {
		return "", newError(401, "auth.refresh_invalid", "no refresh token was sent")
	}
	return strings.Clone(req.RefreshToken), nil
}

func (a *App) sendSession(c *fiber.Ctx, status int, s accounts.Session) error {
	c.Cookie(&fiber.Cookie{Name: refreshCookie, Value: s.RefreshToken, Path: "/api/v1/auth",
		HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode, Secure: c.Protocol() == "https",
		Expires: time.Now().Add(a.RefreshTTL)})
	return ok(c, status, s)
}

func (a *App) clearRefreshCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: refreshCookie, Value: "", Path: "/api/v1/auth", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteStrictMode, Secure: c.Protocol() == "https", Expires: time.Unix(0, 0), MaxAge: -1})
}

func (a *App) join(c *fiber.Ctx) error {
	var req model.JoinRequest
	if err := parseJSON(c, &req); err != nil {
		return err
	}
	s, err := a.Accounts.Join(ctx(c), req, strings.Clone(c.IP()))
	if err != nil {
		return err
	}
	return a.sendSession(c, fiber.StatusCreated, s)
}

func (a *App) recoverAccount(c *fiber.Ctx) error {
	var req model.RecoverRequest
	if err := parseJSON(c, &req); err != nil {
		return err
	}
	s, err := a.Accounts.Recover(ctx(c), req, strings.Clone(c.IP()))
	if err != nil {
		return err
	}
	return a.sendSession(c, fiber.StatusOK, s)
}
