package api

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/readi-platform/readi/internal/model"
)

// classID reads the :id parameter; a malformed id is a 404 like an
// unknown one.
func classID(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

func (a *App) createClass(c *fiber.Ctx) error {
	var req model.ClassRequest
	if err := parseJSON(c, &req); err != nil {
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

func (a *App) getClass(c *fiber.Ctx) error {
	id, err := classID(c, "id")
	if err != nil {
		return err
	}
	class, err := a.Classes.Get(ctx(c), user(c), id)
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusOK, class)
}

func (a *App) patchClass(c *fiber.Ctx) error {
	id, err := classID(c, "id")
	if err != nil {
		return err
	}
	var patch model.ClassPatch
	if err := parseJSON(c, &patch); err != nil {
		return err
	}
	class, err := a.Classes.Update(ctx(c), user(c), id, patch)
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusOK, class)
}

func (a *App) deleteClass(c *fiber.Ctx) error {
	id, err := classID(c, "id")
	if err != nil {
		return err
	}
	if err := a.Classes.Delete(ctx(c), user(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *App) joinClass(c *fiber.Ctx) error {
	var req model.JoinClassRequest
	if err := parseJSON(c, &req); err != nil {
		return err
	}
	class, err := a.Accounts.JoinClass(ctx(c), user(c), req)
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusOK, class)
}

func (a *App) listMembers(c *fiber.Ctx) error {
	id, err := classID(c, "id")
	if err != nil {
		return err
	}
	members, err := a.Classes.Members(ctx(c), user(c), id)
	if err != nil {
		return err
	}
	return okList(c, members)
}

func (a *App) removeMember(c *fiber.Ctx) error {
	id, err := classID(c, "id")
	if err != nil {
		return err
	}
	member, err := classID(c, "user_id")
	if err != nil {
		return err
	}
	if err := a.Classes.RemoveMember(ctx(c), user(c), id, member); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *App) addTeacher(c *fiber.Ctx) error {
	id, err := classID(c, "id")
	if err != nil {
		return err
	}
	var req model.TeacherRequest
	if err := parseJSON(c, &req); err != nil {
		return err
	}
	class, err := a.Classes.AddTeacher(ctx(c), user(c), id, req)
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusCreated, class)
}

func (a *App) createAssignment(c *fiber.Ctx) error {
	id, err := classID(c, "id")
	if err != nil {
		return err
	}
	var req model.AssignmentRequest
	if err := parseJSON(c, &req); err != nil {
		return err
	}
	as, err := a.Classes.Assign(ctx(c), user(c), id, req)
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusCreated, as)
}

func (a *App) listAssignments(c *fiber.Ctx) error {
	id, err := classID(c, "id")
	if err != nil {
		return err
	}
	list, err := a.Classes.Assignments(ctx(c), user(c), id)
	if err != nil {
		return err
	}
	return okList(c, list)
}

func (a *App) getAssignment(c *fiber.Ctx) error {
	id, err := classID(c, "id")
	if err != nil {
		return err
	}
	aid, err := classID(c, "assignment_id")
	if err != nil {
		return err
	}
	as, err := a.Classes.Assignment(ctx(c), user(c), id, aid)
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusOK, as)
}

func (a *App) patchAssignment(c *fiber.Ctx) error {
	id, err := classID(c, "id")
	if err != nil {
		return err
	}
	aid, err := classID(c, "assignment_id")
	if err != nil {
		return err
	}
	var patch model.AssignmentPatch
	if err := parseJSON(c, &patch); err != nil {
		return err
	}
	as, err := a.Classes.SetDue(ctx(c), user(c), id, aid, patch)
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusOK, as)
}

func (a *App) deleteAssignment(c *fiber.Ctx) error {
	id, err := classID(c, "id")
	if err != nil {
		return err
	}
	aid, err := classID(c, "assignment_id")
	if err != nil {
		return err
	}
	if err := a.Classes.Unassign(ctx(c), user(c), id, aid); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *App) myAssignments(c *fiber.Ctx) error {
	list, err := a.Classes.ForLearner(ctx(c), user(c), c.Query("lang"))
	if err != nil {
		return err
	}
	return okList(c, list)
}

func (a *App) classReport(c *fiber.Ctx) error {
	id, err := classID(c, "id")
	if err != nil {
		return err
	}
	rep, err := a.Classes.Report(ctx(c), user(c), id)
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusOK, rep)
}

func (a *App) classReportCSV(c *fiber.Ctx) error {
	id, err := classID(c, "id")
	if err != nil {
		return err
	}
	body, err := a.Classes.ReportCSV(ctx(c), user(c), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="class-`+strconv.FormatInt(id, 10)+`-report.csv"`)
	return c.Send(body)
}

func (a *App) classQuestions(c *fiber.Ctx) error {
	id, err := classID(c, "id")
	if err != nil {
		return err
	}
	module := strings.Clone(c.Query("module"))
	if module == "" {
		return &model.ValidationError{Fields: map[string]string{"module": "field.required"}}
	}
	stats, err := a.Classes.Questions(ctx(c), user(c), id, module)
	if err != nil {
		return err
	}
	return okList(c, stats)
}

func (a *App) classReadi(c *fiber.Ctx) error {
	id, err := classID(c, "id")
	if err != nil {
		return err
	}
	m, err := a.Classes.Readi(ctx(c), user(c), id)
	if err != nil {
		return err
	}
	return okList(c, m)
}
