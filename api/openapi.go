package api

import (
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
)

// The OpenAPI 3.1 document is built once from the declarations below. A
// test checks that every route in routes.go has an operation here and
// validates API replies against these schemas, so the two cannot drift.

type obj = map[string]any

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }
func arr(items obj) obj   { return obj{"type": "array", "items": items} }
func str() obj            { return obj{"type": "string"} }
func num() obj            { return obj{"type": "number"} }
func integer() obj        { return obj{"type": "integer"} }
func boolean() obj        { return obj{"type": "boolean"} }
func nullable(t string) obj {
	return obj{"type": []string{t, "null"}}
}
func enum(vals ...string) obj { return obj{"type": "string", "enum": vals} }

// object is a JSON object schema whose listed properties are all required.
func object(props obj, optional ...string) obj {
	var req []string
	for k := range props {
		if !contains(optional, k) {
			req = append(req, k)
		}
	}
	sortStrings(req)
	return obj{"type": "object", "properties": props, "required": req}
}

func data(schema obj) obj { return object(obj{"data": schema}) }
func list(item obj) obj   { return object(obj{"data": arr(item), "next": nullable("string")}) }

var readiEnum = enum("responsibility", "empathy", "authenticity", "discernment", "integrity")

var schemas = obj{
	"Error": object(obj{"error": object(obj{
		"code": str(), "message": str(), "request_id": str(),
		"fields": obj{"type": "object", "additionalProperties": str()},
		"problems": obj{"type": "array", "description": "422 content.invalid: every problem found, by field path (a module) or file and line (a content pack)",
			"items": ref("Problem")},
	}, "fields", "request_id", "problems")}),
	"User": object(obj{
		"id": integer(), "email": nullable("string"), "display_name": str(),
		"role": enum("learner", "educator", "admin"), "locale": str(), "country": str(),
		"disabled": boolean(), "created_at": str(), "updated_at": str(),
	}),
	"Session": object(obj{
		"user": ref("User"), "access_token": str(), "expires_at": str(), "refresh_token": str(),
		"recovery_code": str(),
	}, "recovery_code"),
	"RegisterRequest": object(obj{"email": str(), "password": str(), "display_name": str()}),
	"LoginRequest":    object(obj{"email": str(), "password": str()}),
	"RefreshRequest":  object(obj{"refresh_token": str()}, "refresh_token"),
	"ProfilePatch": object(obj{"display_name": str(), "locale": str(), "country": str()},
		"display_name", "locale", "country"),
	"ModuleProgress": object(obj{"lessons_completed": integer(), "attempts": integer(),
		"best_percent": num(), "passed": boolean(), "status": enum("not_started", "in_progress", "completed")}),
	"ModuleSummary": object(obj{
		"slug": str(), "title": str(), "summary": str(),
		"category": enum("data", "computer", "content", "cross"), "cluster": enum("prevention", "law", "innovation"),
		"readi": arr(readiEnum), "level": str(), "minutes": integer(), "lesson_count": integer(),
		"question_count": integer(), "track": str(), "track_title": str(), "position": integer(), "content_warning": str(),
		"lang": str(), "progress": ref("ModuleProgress"),
	}, "content_warning", "progress"),
	"ModuleDetail": obj{"allOf": []any{ref("ModuleSummary"), object(obj{
		"objectives": arr(str()),
		"sources":    arr(object(obj{"title": str(), "publisher": str(), "year": integer(), "url": str()})),
		"lessons":    arr(object(obj{"slug": str(), "title": str(), "minutes": integer(), "readi": arr(readiEnum)})),
		"quiz_id":    str(), "pass_percent": integer(), "languages": arr(str()),
	})}},
	"Lesson": object(obj{
		"module_slug": str(), "slug": str(), "title": str(), "html": str(), "readi": arr(readiEnum),
		"minutes": integer(), "position": integer(), "prev": nullable("string"), "next": nullable("string"), "lang": str(),
	}),
	"PublicItem": object(obj{"id": str(), "text": str()}),
	"PublicQuestion": object(obj{
		"id": str(), "readi": arr(readiEnum), "prompt": str(),
		"type":    enum("single", "multiple", "true_false", "ordering", "matching", "red_flags", "scenario"),
		"options": arr(ref("PublicItem")), "items": arr(ref("PublicItem")),
		"left": arr(ref("PublicItem")), "right": arr(ref("PublicItem")),
		"message": object(obj{"channel": enum("sms", "email", "chat", "social"), "sender": str(), "subject": str(),
			"segments": arr(ref("PublicItem"))}, "subject"),
		"steps": arr(object(obj{"id": str(), "text": str(), "choices": arr(object(obj{"id": str(), "text": str(), "next": str()}, "next"))})),
		"start": str(),
	}, "options", "items", "left", "right", "message", "steps", "start"),
	"PublicQuiz": object(obj{"id": str(), "module_slug": str(), "title": str(), "pass_percent": integer(),
		"questions": arr(ref("PublicQuestion"))}),
	"AttemptRequest": object(obj{"answers": obj{"type": "object",
		"description": "question id → answer; the shape depends on the question type (see docs/content-format.md)"}}),
	"QuestionResult": object(obj{"question_id": str(), "correct": boolean(), "points": num(), "max_points": num(),
		"answered": boolean(), "explanation": str(),
		"feedback": arr(object(obj{"id": str(), "correct": boolean(), "text": str(), "code": str(),
			"params": obj{"type": "object", "additionalProperties": integer()}}, "code", "params"))}),
	"AttemptResult": object(obj{"attempt_id": integer(), "quiz_id": str(), "score": num(), "max_score": num(),
		"percent": num(), "passed": boolean(), "results": arr(ref("QuestionResult")), "created_at": str()}),
	"Progress": object(obj{
		"modules": arr(object(obj{"slug": str(), "title": str(), "lessons_completed": integer(), "lessons_done": arr(str()), "lesson_count": integer(),
			"attempts": integer(), "best_percent": num(), "last_percent": num(), "passed": boolean(),
			"status": enum("not_started", "in_progress", "completed")})),
		"readi":      arr(object(obj{"value": readiEnum, "mastery": num(), "questions": integer()})),
		"categories": arr(object(obj{"category": str(), "modules": integer(), "completed": integer(), "mastery": num()})),
		"resume": obj{"oneOf": []any{obj{"type": "null"}, object(obj{"module_slug": str(), "lesson_slug": str(),
			"kind": enum("lesson", "quiz")}, "lesson_slug")}},
		"days_active": integer(), "totals": obj{"type": "object"}, "review": arr(obj{"type": "object"}),
	}),
	"Export": object(obj{"user": ref("User"), "lesson_completions": arr(obj{"type": "object"}),
		"attempts": arr(obj{"type": "object"}), "module_progress": arr(obj{"type": "object"})}),
	"Status": object(obj{"status": str()}),
	"Class": object(obj{"id": integer(), "name": str(), "join_code": str(), "archived": boolean(), "owner_id": integer(),
		"member_count": integer(), "created_at": str(), "updated_at": str()}),
	"ClassRequest":      object(obj{"name": str()}),
	"ClassPatch":        object(obj{"name": str(), "archived": boolean(), "code": enum("rotate", "close", "open")}, "name", "archived", "code"),
	"JoinRequest":       object(obj{"code": str(), "nickname": str()}),
	"JoinClassRequest":  object(obj{"code": str()}),
	"RecoverRequest":    object(obj{"recovery_code": str()}),
	"TeacherRequest":    object(obj{"email": str()}),
	"AssignmentRequest": object(obj{"module_slug": str(), "due_at": obj{"type": []string{"string", "null"}, "format": "date-time"}}, "due_at"),
	"AssignmentPatch":   object(obj{"due_at": obj{"type": []string{"string", "null"}, "format": "date-time"}}, "due_at"),
	"Member":            object(obj{"user_id": integer(), "nickname": str(), "joined_at": str(), "last_active": nullable("string")}),
	"Teacher":           object(obj{"user_id": integer(), "display_name": str(), "email": str(), "owner": boolean(), "added_at": str()}),
	"Assignment": object(obj{"id": integer(), "class_id": integer(), "module_slug": str(), "module_title": str(),
		"due_at": nullable("string"), "created_at": str()}),
	"LearnerAssignment": object(obj{"id": integer(), "class_id": integer(), "class_name": str(), "module_slug": str(),
		"module_title": str(), "due_at": nullable("string"), "status": enum("not_started", "in_progress", "completed", "overdue")}),
	"Report": object(obj{
		"class":   ref("Class"),
		"modules": arr(object(obj{"slug": str(), "title": str(), "assignment_id": integer(), "due_at": nullable("string"), "lesson_count": integer()})),
		"learners": arr(object(obj{"user_id": integer(), "nickname": str(), "last_active": nullable("string"),
			"modules": arr(object(obj{"status": enum("not_started", "in_progress", "completed", "overdue"), "best_percent": num(),
				"attempts": integer(), "failed_attempts": integer(), "lessons_completed": integer()}))})),
		"needs_help": arr(object(obj{"user_id": integer(), "nickname": str(),
			"reasons": arr(object(obj{"kind": enum("overdue", "failed_twice"), "module_slug": str()}))})),
	}),
	"QuestionStat": object(obj{"question_id": str(), "type": str(), "prompt": str(), "readi": arr(readiEnum),
		"answers": integer(), "percent_correct": num(),
		"most_chosen_wrong": obj{"oneOf": []any{obj{"type": "null"}, object(obj{"answer": obj{}, "label": str(), "count": integer()})}},
		"choices":           arr(object(obj{"id": str(), "text": str(), "correct": boolean(), "count": integer()}))}, "choices"),
	"ClassValue": object(obj{"value": readiEnum, "mastery": num(), "learners": integer(), "questions": integer()}),
	"Completion": object(obj{"module_slug": str(), "lesson_slug": str(), "completed": boolean()}),
}

// operation describes one route for the document.
type operation struct {
	method, path, summary, access string
	request                       string         // schema name of the JSON body, if any
	responses                     map[int]string // status → schema name ("" = no body)
	params                        []string       // query parameters
	headers                       []string       // required request headers
	optHeaders                    []string       // optional request headers (If-Match)
	bodyType                      string         // a request body other than JSON: application/zip, text/plain
}

var operations = []operation{
	{method: "GET", path: "/healthz", access: "anyone", summary: "Liveness", responses: map[int]string{200: "data:Status"}},
	{method: "GET", path: "/readyz", access: "anyone", summary: "Readiness: database reachable and not shutting down", responses: map[int]string{200: "data:Status", 503: "Error"}},
	{method: "GET", path: "/api/openapi.json", access: "anyone", summary: "This document", responses: map[int]string{200: ""}},
	{method: "POST", path: "/api/v1/auth/register", access: "anyone", summary: "Create a learner account", request: "RegisterRequest", responses: map[int]string{201: "data:Session", 400: "Error", 409: "Error", 422: "Error"}},
	{method: "POST", path: "/api/v1/auth/login", access: "anyone", summary: "Sign in (rate limited per client and per account)", request: "LoginRequest", responses: map[int]string{200: "data:Session", 400: "Error", 401: "Error", 422: "Error", 429: "Error"}},
	{method: "POST", path: "/api/v1/auth/refresh", access: "refresh token holder", summary: "Rotate the refresh token (cookie or body)", request: "RefreshRequest", responses: map[int]string{200: "data:Session", 400: "Error", 401: "Error", 422: "Error"}},
	{method: "POST", path: "/api/v1/auth/logout", access: "refresh token holder", summary: "Revoke the refresh token", request: "RefreshRequest", responses: map[int]string{204: "", 400: "Error", 401: "Error", 422: "Error"}},
	{method: "POST", path: "/api/v1/auth/join", access: "anyone", summary: "Join a class with its code and a nickname as a new pseudonymous learner; returns a one-time recovery code", request: "JoinRequest", responses: map[int]string{201: "data:Session", 400: "Error", 404: "Error", 422: "Error", 429: "Error"}},
	{method: "POST", path: "/api/v1/auth/recover", access: "anyone", summary: "Sign in with a recovery code (which is replaced by a new one)", request: "RecoverRequest", responses: map[int]string{200: "data:Session", 400: "Error", 401: "Error", 422: "Error", 429: "Error"}},
	{method: "GET", path: "/api/v1/modules", access: "anyone", summary: "Published modules (with my progress when signed in)", params: []string{"category", "readi", "cluster", "lang"}, responses: map[int]string{200: "list:ModuleSummary", 304: "", 422: "Error"}},
	{method: "GET", path: "/api/v1/modules/{slug}", access: "anyone", summary: "A module with its lessons and quiz id", params: []string{"lang"}, responses: map[int]string{200: "data:ModuleDetail", 304: "", 404: "Error"}},
	{method: "GET", path: "/api/v1/modules/{slug}/lessons/{lesson}", access: "anyone", summary: "A lesson as sanitised HTML", params: []string{"lang"}, responses: map[int]string{200: "data:Lesson", 304: "", 404: "Error"}},
	{method: "POST", path: "/api/v1/modules/{slug}/lessons/{lesson}/complete", access: "learner", summary: "Record that I read a lesson (idempotent)", responses: map[int]string{200: "data:Completion", 201: "data:Completion", 401: "Error", 404: "Error"}},
	{method: "GET", path: "/api/v1/me", access: "learner", summary: "My profile", responses: map[int]string{200: "data:User", 401: "Error"}},
	{method: "PATCH", path: "/api/v1/me", access: "learner", summary: "Change display name, locale or country", request: "ProfilePatch", responses: map[int]string{200: "data:User", 400: "Error", 401: "Error", 422: "Error"}},
	{method: "DELETE", path: "/api/v1/me", access: "learner", summary: "Erase my account and all my data", responses: map[int]string{204: "", 401: "Error"}},
	{method: "GET", path: "/api/v1/me/export", access: "learner", summary: "All my data as JSON", responses: map[int]string{200: "data:Export", 401: "Error"}},
	{method: "GET", path: "/api/v1/me/progress", access: "learner", summary: "Progress per module, READI value and category; resume point; review list", responses: map[int]string{200: "data:Progress", 401: "Error"}},
	{method: "GET", path: "/api/v1/quizzes/{id}", access: "learner", summary: "A quiz without answer keys or feedback", params: []string{"lang"}, responses: map[int]string{200: "data:PublicQuiz", 401: "Error", 404: "Error"}},
	{method: "POST", path: "/api/v1/quizzes/{id}/attempts", access: "learner", summary: "Submit answers; graded on the server, stored once per Idempotency-Key", request: "AttemptRequest", headers: []string{"Idempotency-Key"}, params: []string{"lang"}, responses: map[int]string{201: "data:AttemptResult", 400: "Error", 401: "Error", 404: "Error", 413: "Error", 422: "Error"}},
	{method: "POST", path: "/api/v1/classes/join", access: "learner", summary: "Join a class with its code (signed in)", request: "JoinClassRequest", responses: map[int]string{200: "data:Class", 400: "Error", 401: "Error", 404: "Error", 422: "Error", 429: "Error"}},
	{method: "POST", path: "/api/v1/classes", access: "educator", summary: "Create a class with a join code", request: "ClassRequest", responses: map[int]string{201: "data:Class", 400: "Error", 401: "Error", 403: "Error", 422: "Error"}},
	{method: "GET", path: "/api/v1/classes", access: "educator", summary: "The classes I teach", responses: map[int]string{200: "list:Class", 401: "Error", 403: "Error"}},
	{method: "GET", path: "/api/v1/classes/{id}", access: "educator", summary: "A class I teach", responses: map[int]string{200: "data:Class", 401: "Error", 403: "Error", 404: "Error"}},
	{method: "PATCH", path: "/api/v1/classes/{id}", access: "educator", summary: "Rename, archive, rotate/close/open the join code", request: "ClassPatch", responses: map[int]string{200: "data:Class", 400: "Error", 401: "Error", 403: "Error", 404: "Error", 422: "Error"}},
	{method: "DELETE", path: "/api/v1/classes/{id}", access: "educator (owner)", summary: "Delete a class", responses: map[int]string{204: "", 401: "Error", 403: "Error", 404: "Error"}},
	{method: "GET", path: "/api/v1/classes/{id}/members", access: "educator", summary: "Learners in the class: nicknames, never e-mail addresses", responses: map[int]string{200: "list:Member", 401: "Error", 403: "Error", 404: "Error"}},
	{method: "DELETE", path: "/api/v1/classes/{id}/members/{user_id}", access: "educator", summary: "Remove a learner from the class", responses: map[int]string{204: "", 401: "Error", 403: "Error", 404: "Error"}},
	{method: "POST", path: "/api/v1/classes/{id}/teachers", access: "educator", summary: "Add a co-teacher by e-mail", request: "TeacherRequest", responses: map[int]string{201: "data:Class", 400: "Error", 401: "Error", 403: "Error", 404: "Error", 422: "Error"}},
	{method: "GET", path: "/api/v1/classes/{id}/teachers", access: "educator", summary: "The class's teachers, its owner first", responses: map[int]string{200: "list:Teacher", 401: "Error", 403: "Error", 404: "Error"}},
	{method: "DELETE", path: "/api/v1/classes/{id}/teachers/{user_id}", access: "educator", summary: "Remove a co-teacher (the owner), or leave the class (a co-teacher, themselves); the owner stays", responses: map[int]string{204: "", 401: "Error", 403: "Error", 404: "Error", 409: "Error"}},
	{method: "POST", path: "/api/v1/classes/{id}/assignments", access: "educator", summary: "Assign a module, optionally with a due date (RFC 3339)", request: "AssignmentRequest", params: []string{"lang"}, responses: map[int]string{201: "data:Assignment", 400: "Error", 401: "Error", 403: "Error", 404: "Error", 409: "Error", 422: "Error"}},
	{method: "GET", path: "/api/v1/classes/{id}/assignments", access: "educator", summary: "The class assignments", params: []string{"lang"}, responses: map[int]string{200: "list:Assignment", 401: "Error", 403: "Error", 404: "Error"}},
	{method: "GET", path: "/api/v1/classes/{id}/assignments/{assignment_id}", access: "educator", summary: "One assignment", params: []string{"lang"}, responses: map[int]string{200: "data:Assignment", 401: "Error", 403: "Error", 404: "Error"}},
	{method: "PATCH", path: "/api/v1/classes/{id}/assignments/{assignment_id}", access: "educator", summary: "Change or clear the due date", request: "AssignmentPatch", params: []string{"lang"}, responses: map[int]string{200: "data:Assignment", 400: "Error", 401: "Error", 403: "Error", 404: "Error", 422: "Error"}},
	{method: "DELETE", path: "/api/v1/classes/{id}/assignments/{assignment_id}", access: "educator", summary: "Remove an assignment", responses: map[int]string{204: "", 401: "Error", 403: "Error", 404: "Error"}},
	{method: "GET", path: "/api/v1/classes/{id}/report", access: "educator", summary: "Learners × assigned modules: status, best percent, attempts, last active; who needs help", params: []string{"lang"}, responses: map[int]string{200: "data:Report", 401: "Error", 403: "Error", 404: "Error"}},
	{method: "GET", path: "/api/v1/classes/{id}/report.csv", access: "educator", summary: "The report as CSV (UTF-8 with BOM, formula cells neutralised)", params: []string{"lang"}, responses: map[int]string{200: "", 401: "Error", 403: "Error", 404: "Error"}},
	{method: "GET", path: "/api/v1/classes/{id}/questions", access: "educator", summary: "Per question of a module: percent correct, most chosen wrong answer, answers", params: []string{"module", "lang"}, responses: map[int]string{200: "list:QuestionStat", 401: "Error", 403: "Error", 404: "Error", 422: "Error"}},
	{method: "GET", path: "/api/v1/classes/{id}/readi", access: "educator", summary: "Class mastery per READI value", responses: map[int]string{200: "list:ClassValue", 401: "Error", 403: "Error", 404: "Error"}},
	{method: "GET", path: "/api/v1/me/assignments", access: "learner", summary: "What my classes assigned me, with due dates and status", params: []string{"lang"}, responses: map[int]string{200: "list:LearnerAssignment", 401: "Error"}},
}

var (
	docOnce sync.Once
	docJSON []byte
)

// OpenAPIDocument returns the document as JSON.
func OpenAPIDocument() []byte {
	docOnce.Do(func() { docJSON, _ = jsonMarshal(buildDocument()) })
	return docJSON
}

func buildDocument() obj {
	paths := obj{}
	for _, op := range append(append(operations, adminOperations...), liveOperations...) {
		item, _ := paths[op.path].(obj)
		if item == nil {
			item = obj{}
			paths[op.path] = item
		}
		o := obj{"summary": op.summary, "description": "Who may call it: " + op.access + ".",
			"responses": responsesOf(op)}
		if op.access != "anyone" && !strings.Contains(op.access, "refresh") {
			o["security"] = []any{obj{"bearer": []string{}}}
		}
		var params []any
		for _, seg := range strings.Split(op.path, "/") {
			if strings.HasPrefix(seg, "{") {
				params = append(params, obj{"name": strings.Trim(seg, "{}"), "in": "path", "required": true, "schema": str()})
			}
		}
		for _, q := range op.params {
			params = append(params, obj{"name": q, "in": "query", "required": false, "schema": str()})
		}
		for _, h := range op.headers {
			params = append(params, obj{"name": h, "in": "header", "required": true, "schema": str()})
		}
		for _, h := range op.optHeaders {
			params = append(params, obj{"name": h, "in": "header", "required": false, "schema": str(), "description": headerDocs[h]})
		}
		if params != nil {
			o["parameters"] = params
		}
		switch {
		case op.bodyType == "text/plain":
			o["requestBody"] = obj{"required": true, "content": obj{op.bodyType: obj{"schema": str()}}}
		case op.bodyType != "":
			o["requestBody"] = obj{"required": true, "content": obj{op.bodyType: obj{"schema": obj{"type": "string", "format": "binary"}}}}
		case op.request != "":
			o["requestBody"] = obj{"required": true, "content": obj{"application/json": obj{"schema": ref(op.request)}}}
		}
		item[strings.ToLower(op.method)] = o
	}
	return obj{
		"openapi": "3.1.0",
		"info": obj{"title": "READI API", "version": "1.0.0",
			"description": "Cybercrime-awareness and digital-literacy learning for ASEAN youth. Success replies are {\"data\": ...}; errors are {\"error\": {code, message, fields}} where code is a translation key."},
		"paths": paths,
		"components": obj{"schemas": allSchemas(),
			"securitySchemes": obj{"bearer": obj{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
	}
}

func responsesOf(op operation) obj {
	out := obj{}
	for status, schema := range op.responses {
		r := obj{"description": httpStatusText(status)}
		switch {
		case schema == "":
		case schema == "events":
			r["content"] = obj{"text/event-stream": obj{"schema": obj{"type": "string", "description": eventStreamDoc}}}
		case schema == "zip":
			r["content"] = obj{"application/zip": obj{"schema": obj{"type": "string", "format": "binary"}}}
		case strings.HasPrefix(schema, "data:"):
			r["content"] = obj{"application/json": obj{"schema": data(ref(strings.TrimPrefix(schema, "data:")))}}
		case strings.HasPrefix(schema, "list:"):
			r["content"] = obj{"application/json": obj{"schema": list(ref(strings.TrimPrefix(schema, "list:")))}}
		default:
			r["content"] = obj{"application/json": obj{"schema": ref(schema)}}
		}
		out[itoa(status)] = r
	}
	return out
}

func (a *App) openAPI(c *fiber.Ctx) error {
	c.Type("json")
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	return c.Send(OpenAPIDocument())
}
