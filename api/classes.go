package api

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/readi-platform/readi/internal/model"
)

// pathID reads a numeric path parameter; a malformed id is a 404 like an
// unknown one.
func pathID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// replyKind is how a class handler answers: an object with a status, a list,
// or 204 when the call returns nothing.
type replyKind int

const (
	asObject replyKind = iota
	asList
	asNoContent
)

// onClass is the shape every class route shares: read the class id (and
// the assignment id when the route has one), make one service call, answer.
func onClass(c *fiber.Ctx, status int, how replyKind, call func(classID, itemID int64) (any, error)) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var item int64
	for _, name := range []string{"assignment_id", "user_id"} {
		if c.Params(name) != "" {
			if item, err = pathID(c, name); err != nil {
				return err
			}
		}
	}
	out, err := call(id, item)
	switch {
	case err != nil:
		return err
	case how == asList:
		return okList(c, out)
	case how == asNoContent:
		return c.SendStatus(fiber.StatusNoContent)
	}
	return ok(c, status, out)
}

// body decodes the JSON body into a new T.
func body[T any](c *fiber.Ctx) (T, error) {
	var v T
	return v, parseJSON(c, &v)
}

func (a *App) createClass(c *fiber.Ctx) error {
	req, err := body[model.ClassRequest](c)
	if err != nil {
		return err
	}
	class, err := a.Classes.Create(ctx(c), user(c), req)
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusCreated, class)
}

func (a *App) listClasses(c *fiber.Ctx) error {
	list, err := a.Classes.List(ctx(c), user(c))
	if err != nil {
		return err
	}
	return okList(c, list)
}

func (a *App) joinClass(c *fiber.Ctx) error {
	req, err := body[model.JoinClassRequest](c)
	if err != nil {
		return err
	}
	class, err := a.Accounts.JoinClass(ctx(c), user(c), req)
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusOK, class)
}

func (a *App) myAssignments(c *fiber.Ctx) error {
	list, err := a.Classes.ForLearner(ctx(c), user(c), c.Query("lang"))
	if err != nil {
		return err
	}
	return okList(c, list)
}

func (a *App) getClass(c *fiber.Ctx) error {
	return onClass(c, fiber.StatusOK, asObject, func(id, _ int64) (any, error) { return a.Classes.Get(ctx(c), user(c), id) })
}

func (a *App) patchClass(c *fiber.Ctx) error {
	return onClass(c, fiber.StatusOK, asObject, func(id, _ int64) (any, error) {
		patch, err := body[model.ClassPatch](c)
		if err != nil {
			return nil, err
		}
		return a.Classes.Update(ctx(c), user(c), id, patch)
	})
}

func (a *App) deleteClass(c *fiber.Ctx) error {
	return onClass(c, 0, asNoContent, func(id, _ int64) (any, error) { return nil, a.Classes.Delete(ctx(c), user(c), id) })
}

func (a *App) listMembers(c *fiber.Ctx) error {
	return onClass(c, 0, asList, func(id, _ int64) (any, error) { return a.Classes.Members(ctx(c), user(c), id) })
}

func (a *App) removeMember(c *fiber.Ctx) error {
	return onClass(c, 0, asNoContent, func(id, member int64) (any, error) {
		return nil, a.Classes.RemoveMember(ctx(c), user(c), id, member)
	})
}

func (a *App) addTeacher(c *fiber.Ctx) error {
	return onClass(c, fiber.StatusCreated, asObject, func(id, _ int64) (any, error) {
		req, err := body[model.TeacherRequest](c)
		if err != nil {
			return nil, err
		}
		return a.Classes.AddTeacher(ctx(c), user(c), id, req)
	})
}

func (a *App) listTeachers(c *fiber.Ctx) error {
	return onClass(c, 0, asList, func(id, _ int64) (any, error) { return a.Classes.Teachers(ctx(c), user(c), id) })
}

func (a *App) removeTeacher(c *fiber.Ctx) error {
	return onClass(c, 0, asNoContent, func(id, teacher int64) (any, error) {
		return nil, a.Classes.RemoveTeacher(ctx(c), user(c), id, teacher)
	})
}

func (a *App) createAssignment(c *fiber.Ctx) error {
	return onClass(c, fiber.StatusCreated, asObject, func(id, _ int64) (any, error) {
		req, err := body[model.AssignmentRequest](c)
		if err != nil {
			return nil, err
		}
		return a.Classes.Assign(ctx(c), user(c), id, req, c.Query("lang"))
	})
}

func (a *App) listAssignments(c *fiber.Ctx) error {
	return onClass(c, 0, asList, func(id, _ int64) (any, error) {
		return a.Classes.Assignments(ctx(c), user(c), id, c.Query("lang"))
	})
}

func (a *App) getAssignment(c *fiber.Ctx) error {
	return onClass(c, fiber.StatusOK, asObject, func(id, aid int64) (any, error) {
		return a.Classes.Assignment(ctx(c), user(c), id, aid, c.Query("lang"))
	})
}

func (a *App) patchAssignment(c *fiber.Ctx) error {
	return onClass(c, fiber.StatusOK, asObject, func(id, aid int64) (any, error) {
		patch, err := body[model.AssignmentPatch](c)
		if err != nil {
			return nil, err
		}
		return a.Classes.SetDue(ctx(c), user(c), id, aid, patch, c.Query("lang"))
	})
}

func (a *App) deleteAssignment(c *fiber.Ctx) error {
	return onClass(c, 0, asNoContent, func(id, aid int64) (any, error) {
		return nil, a.Classes.Unassign(ctx(c), user(c), id, aid)
	})
}

func (a *App) classReport(c *fiber.Ctx) error {
	return onClass(c, fiber.StatusOK, asObject, func(id, _ int64) (any, error) {
		return a.Classes.Report(ctx(c), user(c), id, c.Query("lang"))
	})
}

func (a *App) classQuestions(c *fiber.Ctx) error {
	return onClass(c, 0, asList, func(id, _ int64) (any, error) {
		module := strings.Clone(c.Query("module"))
		if module == "" {
			return nil, &model.ValidationError{Fields: map[string]string{"module": "field.required"}}
		}
		return a.Classes.Questions(ctx(c), user(c), id, module, c.Query("lang"))
	})
}

func (a *App) classReadi(c *fiber.Ctx) error {
	return onClass(c, 0, asList, func(id, _ int64) (any, error) { return a.Classes.Readi(ctx(c), user(c), id) })
}

// classReportCSV answers with a file, not JSON, so it does not use onClass.
func (a *App) classReportCSV(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	csv, err := a.Classes.ReportCSV(ctx(c), user(c), id, c.Query("lang"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="class-`+strconv.FormatInt(id, 10)+`-report.csv"`)
	return c.Send(csv)
}
