package api

import (
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/readi-platform/readi/internal/admin"
	"github.com/readi-platform/readi/internal/model"
)

// The admin routes: authoring, publishing, revisions, content packs,
// users and the audit log. Every reply that carries a module in the editor
// has ETag "<head revision>"; a write sent with If-Match: "<revision>" is
// refused with 409 revision.conflict when someone saved after it.

// change is who makes a change and which revision they edited.
func change(c *fiber.Ctx) (admin.Change, error) {
	ch := admin.Change{Actor: user(c)}
	v := strings.TrimSpace(c.Get(fiber.HeaderIfMatch))
	if v == "" || v == "*" {
		return ch, nil
	}
	n, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(v, "W/"), `"`))
	if err != nil || n < 0 {
		return ch, &model.ValidationError{Fields: map[string]string{"If-Match": "revision.invalid"}}
	}
	ch.Base = &n
	return ch, nil
}

// none is the body type of a write that takes no body.
type none struct{}

// onModule is the shape every write to a module in the editor shares:
// read If-Match, decode the JSON body into T (unless T is none), make one
// service call, and reply with the module and its head revision as ETag.
func onModule[T any](c *fiber.Ctx, status int, call func(ch admin.Change, req T) (admin.ModuleView, error)) error {
	ch, err := change(c)
	if err != nil {
		return err
	}
	var req T
	if _, empty := any(req).(none); !empty {
		if err := parseJSON(c, &req); err != nil {
			return err
		}
	}
	v, err := call(ch, req)
	return moduleReply(c, status, v, err)
}

func moduleReply(c *fiber.Ctx, status int, v admin.ModuleView, err error) error {
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderETag, `"`+strconv.Itoa(v.HeadRevision)+`"`)
	return ok(c, status, v)
}

// page is a list reply with the cursor of the next page.
func page(c *fiber.Ctx, data any, next *string, err error) error {
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusOK).JSON(listEnvelope{Data: data, Next: next})
}

// flag reads a boolean query parameter: absent, true or false.
func flag(c *fiber.Ctx, name string) (bool, error) {
	switch c.Query(name) {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, &model.ValidationError{Fields: map[string]string{name: "field.invalid"}}
}

func (a *App) listAdminModules(c *fiber.Ctx) error {
	list, err := a.Admin.Modules(ctx(c), c.Query("state"))
	return page(c, list, nil, err)
}

func (a *App) createAdminModule(c *fiber.Ctx) error {
	return onModule(c, fiber.StatusCreated, func(ch admin.Change, req admin.ModuleFields) (admin.ModuleView, error) {
		return a.Admin.CreateModule(ctx(c), ch, req)
	})
}

func (a *App) getAdminModule(c *fiber.Ctx) error {
	v, err := a.Admin.Module(ctx(c), c.Params("slug"))
	return moduleReply(c, fiber.StatusOK, v, err)
}

func (a *App) patchAdminModule(c *fiber.Ctx) error {
	return onModule(c, fiber.StatusOK, func(ch admin.Change, p admin.ModulePatch) (admin.ModuleView, error) {
		return a.Admin.PatchModule(ctx(c), ch, c.Params("slug"), p)
	})
}

func (a *App) deleteAdminModule(c *fiber.Ctx) error {
	ch, err := change(c)
	if err != nil {
		return err
	}
	if err := a.Admin.DeleteModule(ctx(c), ch, c.Params("slug")); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *App) createAdminLesson(c *fiber.Ctx) error {
	return onModule(c, fiber.StatusCreated, func(ch admin.Change, req admin.LessonRequest) (admin.ModuleView, error) {
		return a.Admin.AddLesson(ctx(c), ch, c.Params("slug"), req)
	})
}

func (a *App) patchAdminLesson(c *fiber.Ctx) error {
	return onModule(c, fiber.StatusOK, func(ch admin.Change, p admin.LessonPatch) (admin.ModuleView, error) {
		return a.Admin.PatchLesson(ctx(c), ch, c.Params("slug"), c.Params("lesson"), p)
	})
}

// deleteAdminLesson answers with the module, not 204: the client needs
// the new head revision for its next If-Match.
func (a *App) deleteAdminLesson(c *fiber.Ctx) error {
	return onModule(c, fiber.StatusOK, func(ch admin.Change, _ none) (admin.ModuleView, error) {
		return a.Admin.DeleteLesson(ctx(c), ch, c.Params("slug"), c.Params("lesson"))
	})
}

func (a *App) orderAdminLessons(c *fiber.Ctx) error {
	return onModule(c, fiber.StatusOK, func(ch admin.Change, req admin.LessonOrder) (admin.ModuleView, error) {
		return a.Admin.OrderLessons(ctx(c), ch, c.Params("slug"), req)
	})
}

func (a *App) putAdminQuiz(c *fiber.Ctx) error {
	return onModule(c, fiber.StatusOK, func(ch admin.Change, quiz model.Quiz) (admin.ModuleView, error) {
		return a.Admin.PutQuiz(ctx(c), ch, c.Params("slug"), quiz)
	})
}

func (a *App) importAdminGIFT(c *fiber.Ctx) error {
	ch, err := change(c)
	if err != nil {
		return err
	}
	dry, err := flag(c, "dry_run")
	if err != nil {
		return err
	}
	if !utf8.Valid(c.Body()) {
		return &model.ValidationError{Fields: map[string]string{"body": "text.not_utf8"}}
	}
	res, created, err := a.Admin.ImportGIFT(ctx(c), ch, c.Params("slug"), string(c.Body()), dry)
	if err != nil {
		return err
	}
	if created {
		c.Set(fiber.HeaderETag, `"`+strconv.Itoa(res.HeadRevision)+`"`)
		return ok(c, fiber.StatusCreated, res)
	}
	return ok(c, fiber.StatusOK, res)
}

func (a *App) publishAdminModule(c *fiber.Ctx) error {
	return onModule(c, fiber.StatusOK, func(ch admin.Change, _ none) (admin.ModuleView, error) {
		return a.Admin.Publish(ctx(c), ch, c.Params("slug"))
	})
}

// revisionNumber reads the :id of a revision; a malformed one is a 404.
func revisionNumber(c *fiber.Ctx) (int, error) {
	n, err := strconv.Atoi(c.Params("id"))
	if err != nil || n < 1 {
		return 0, errNotFound
	}
	return n, nil
}

func (a *App) listAdminRevisions(c *fiber.Ctx) error {
	limit, err := admin.Limit(c.Query("limit"))
	if err != nil {
		return err
	}
	list, next, err := a.Admin.Revisions(ctx(c), c.Params("slug"), c.Query("cursor"), limit)
	return page(c, list, next, err)
}

func (a *App) getAdminRevision(c *fiber.Ctx) error {
	n, err := revisionNumber(c)
	if err != nil {
		return err
	}
	rev, err := a.Admin.Revision(ctx(c), c.Params("slug"), n)
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusOK, rev)
}

func (a *App) restoreAdminRevision(c *fiber.Ctx) error {
	n, err := revisionNumber(c)
	if err != nil {
		return err
	}
	return onModule(c, fiber.StatusOK, func(ch admin.Change, _ none) (admin.ModuleView, error) {
		return a.Admin.Restore(ctx(c), ch, c.Params("slug"), n)
	})
}

func (a *App) diffAdminModule(c *fiber.Ctx) error {
	d, err := a.Admin.Diff(ctx(c), c.Params("slug"), c.Query("from"), c.Query("to"))
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusOK, d)
}

func (a *App) previewMarkdown(c *fiber.Ctx) error {
	req, err := body[admin.PreviewRequest](c)
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusOK, fiber.Map{"html": a.Admin.Preview(req)})
}

func (a *App) exportContent(c *fiber.Ctx) error {
	module := c.Query("module")
	files, err := a.Admin.Export(ctx(c), module)
	if err != nil {
		return err
	}
	zip, err := admin.Zip(files)
	if err != nil {
		return err
	}
	name := "readi-content.zip"
	if module != "" {
		name = "readi-" + module + ".zip" // the slug was found, so it is safe in a header
	}
	c.Set(fiber.HeaderContentType, "application/zip")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Status(fiber.StatusOK).Send(zip)
}

// importContent takes a zip archive as the body, or as the "file" field
// of a multipart form (what a browser's file input sends).
func (a *App) importContent(c *fiber.Ctx) error {
	var opt admin.ImportOptions
	var err error
	if opt.DryRun, err = flag(c, "dry_run"); err != nil {
		return err
	}
	if opt.Replace, err = flag(c, "replace"); err != nil {
		return err
	}
	data := c.Body()
	if strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm) {
		fh, err := c.FormFile("file")
		if err != nil {
			return &model.ValidationError{Fields: map[string]string{"file": "field.required"}}
		}
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		if data, err = io.ReadAll(f); err != nil {
			return err
		}
	}
	fsys, err := admin.ZipFS(data)
	if err != nil {
		return err
	}
	rep, err := a.Admin.Import(ctx(c), user(c), fsys, opt)
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusOK, rep)
}

func (a *App) listAdminUsers(c *fiber.Ctx) error {
	limit, err := admin.Limit(c.Query("limit"))
	if err != nil {
		return err
	}
	list, next, err := a.Admin.Users(ctx(c), c.Query("q"), c.Query("cursor"), limit)
	return page(c, list, next, err)
}

func (a *App) patchAdminUser(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	patch, err := body[admin.UserPatch](c)
	if err != nil {
		return err
	}
	u, err := a.Admin.PatchUser(ctx(c), user(c), id, patch)
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusOK, u)
}

func (a *App) listAudit(c *fiber.Ctx) error {
	limit, err := admin.Limit(c.Query("limit"))
	if err != nil {
		return err
	}
	list, next, err := a.Admin.Audit(ctx(c), admin.AuditFilter{Actor: c.Query("actor"), Action: c.Query("action"),
		Since: c.Query("since"), Cursor: c.Query("cursor"), Limit: limit})
	return page(c, list, next, err)
}
