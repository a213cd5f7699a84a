package api

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/etag"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
)

// mountFrontend serves the static web app after the API. Paths that are
// not files fall back to index.html so every screen's URL loads directly.
func (a *App) mountFrontend(app *fiber.App) {
	if a.Frontend == nil {
		return
	}
	index, _ := fs.ReadFile(a.Frontend, "index.html")
	// Embedded files have no modification time, so revalidation relies on
	// an ETag of the content; a repeat visit on a slow link then costs a 304.
	app.Use("/", etag.New(), manifestType)
	app.Use("/", filesystem.New(filesystem.Config{
		Root:   http.FS(a.Frontend),
		Browse: false,
		MaxAge: 300,
		Next: func(c *fiber.Ctx) bool {
			p := strings.TrimPrefix(path.Clean(c.Path()), "/")
			if p == "" || p == "." {
				return true
			}
			_, err := fs.Stat(a.Frontend, p)
			return err != nil
		},
	}))
	app.Get("/*", func(c *fiber.Ctx) error {
		if index == nil {
			return errNotFound
		}
		c.Set(fiber.HeaderCacheControl, "no-cache")
		c.Type("html", "utf-8")
		return c.Send(index)
	})
}

// manifestType gives the web app manifest its registered media type, which
// the extension table does not know.
func manifestType(c *fiber.Ctx) error {
	err := c.Next()
	if strings.HasSuffix(c.Path(), ".webmanifest") && c.Response().StatusCode() == fiber.StatusOK {
		c.Set(fiber.HeaderContentType, "application/manifest+json")
	}
	return err
}

func etagOf(version string) string {
	sum := sha256.Sum256([]byte(version))
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}
