package api

// The OpenAPI declarations of the admin routes (admin.go), merged into the
// document by buildDocument.

func nullArr(items obj) obj { return obj{"type": []string{"array", "null"}, "items": items} }

var headerDocs = map[string]string{
	"If-Match": `The head revision the client edited, as the module's ETag gives it ("12"). If another revision ` +
		`was saved since, the write is refused with 409 revision.conflict and nothing changes. Without the header ` +
		`the write applies to the newest revision.`,
}

// allSchemas is every component schema, the admin and live ones included.
func allSchemas() obj {
	out := obj{}
	for _, set := range []obj{schemas, adminSchemas, liveSchemas} {
		for k, v := range set {
			out[k] = v
		}
	}
	return out
}

var adminSchemas = obj{
	"Problem": object(obj{"path": str(), "file": str(), "line": integer(), "message": str()}, "path", "file", "line"),
	"AuthoredQuestion": object(obj{
		"id": str(), "type": str(), "readi": nullArr(str()), "prompt": str(), "explanation": str(), "points": num(),
		"options": arr(object(obj{"id": str(), "text": str(), "correct": boolean(), "feedback": str()}, "correct", "feedback")),
		"answer":  boolean(), "feedback_true": str(), "feedback_false": str(),
		"items":   arr(ref("PublicItem")),
		"pairs":   arr(object(obj{"left": ref("PublicItem"), "right": ref("PublicItem"), "feedback": str()}, "feedback")),
		"message": obj{"type": "object", "description": "red_flags: channel, sender, subject, segments[{id, text, flag, why}]"},
		"steps":   arr(obj{"type": "object", "description": "scenario: {id, text, choices[{id, text, next, points, feedback}]}"}),
	}, "points", "options", "answer", "feedback_true", "feedback_false", "items", "pairs", "message", "steps"),
	"AuthoredQuiz": object(obj{"pass_percent": integer(), "questions": nullArr(ref("AuthoredQuestion"))}),
	"AuthoredLesson": object(obj{"slug": str(), "title": str(), "readi": nullArr(str()), "minutes": integer(),
		"markdown": str()}, "markdown"),
	"AuthoredModule": object(obj{
		"slug": str(), "title": str(), "summary": str(), "category": str(), "cluster": str(), "readi": nullArr(str()),
		"level": str(), "minutes": integer(), "objectives": nullArr(str()), "content_warning": str(),
		"sources": nullArr(object(obj{"title": str(), "publisher": str(), "year": integer(), "url": str()})),
		"track":   str(), "position": integer(), "lessons": arr(ref("AuthoredLesson")), "quiz": ref("AuthoredQuiz"),
		"translations": obj{"type": "object", "description": "by language: title, summary, objectives, content_warning, lessons by slug, questions by id (text only)"},
	}, "content_warning", "track", "lessons", "quiz", "translations"),
	"AdminModule": object(obj{
		"slug": str(), "state": enum("draft", "published", "changed", "deleted"),
		"source":        obj{"type": "string", "description": "pack, admin, or empty for a module never published"},
		"head_revision": integer(), "published_revision": nullable("integer"),
		"updated_at": nullable("string"), "updated_by": nullable("integer"),
		"module":   ref("AuthoredModule"),
		"problems": obj{"type": "array", "items": ref("Problem"), "description": "what publishing the head now would refuse"},
	}),
	"AdminModuleItem": object(obj{
		"slug": str(), "title": str(), "state": enum("draft", "published", "changed", "deleted"), "source": str(),
		"category": str(), "cluster": str(), "track": str(), "position": integer(), "lesson_count": integer(),
		"question_count": integer(), "head_revision": integer(), "published_revision": nullable("integer"),
		"updated_at": nullable("string"),
	}),
	"ModuleFields": object(obj{
		"slug": str(), "title": str(), "summary": str(), "category": enum("data", "computer", "content", "cross"),
		"cluster": enum("prevention", "law", "innovation"), "readi": arr(readiEnum),
		"level": enum("beginner", "intermediate", "advanced"), "minutes": integer(), "objectives": arr(str()),
		"content_warning": str(), "sources": arr(object(obj{"title": str(), "publisher": str(), "year": integer(), "url": str()})),
		"track": str(),
	}, "summary", "category", "cluster", "readi", "level", "minutes", "objectives", "content_warning", "sources", "track"),
	"ModulePatch": object(obj{
		"title": str(), "summary": str(), "category": str(), "cluster": str(), "readi": arr(readiEnum), "level": str(),
		"minutes": integer(), "objectives": arr(str()), "content_warning": str(), "sources": arr(obj{"type": "object"}),
		"track": str(), "position": integer(),
	}, "title", "summary", "category", "cluster", "readi", "level", "minutes", "objectives", "content_warning", "sources", "track", "position"),
	"LessonRequest": object(obj{"slug": str(), "title": str(), "markdown": str(), "readi": arr(readiEnum), "minutes": integer()},
		"markdown", "readi", "minutes"),
	"LessonPatch": object(obj{"slug": str(), "title": str(), "markdown": str(), "readi": arr(readiEnum), "minutes": integer()},
		"slug", "title", "markdown", "readi", "minutes"),
	"LessonOrder":    object(obj{"lessons": arr(str())}),
	"PreviewRequest": object(obj{"markdown": str(), "module": str()}, "module"),
	"Preview":        object(obj{"html": str()}),
	"Revision": object(obj{"id": integer(), "module_slug": str(), "number": integer(), "author_id": nullable("integer"),
		"author_name": nullable("string"), "note": str(), "created_at": str(), "published": boolean()}),
	"RevisionDetail": obj{"allOf": []any{ref("Revision"), object(obj{"module": ref("AuthoredModule")})}},
	"Diff": object(obj{"from": str(), "to": str(), "changes": arr(object(obj{
		"path": str(), "kind": enum("added", "removed", "changed", "moved"), "before": obj{}, "after": obj{},
		"lines": obj{"type": "array", "items": str(), "description": `a line diff of changed text: " ", "-" or "+" before each line; "@@" for unchanged lines left out`},
	}, "before", "after", "lines"))}),
	"Changes": object(obj{"added": arr(str()), "changed": arr(str()), "removed": arr(str())}),
	"ImportReport": object(obj{"dry_run": boolean(), "created": arr(str()), "unchanged": arr(str()), "removed": arr(str()),
		"changed": arr(object(obj{"slug": str(), "fields": arr(str()), "lessons": ref("Changes"), "questions": ref("Changes"),
			"translations": ref("Changes")}))}),
	"GIFTResult": object(obj{"dry_run": boolean(), "head_revision": integer(), "questions": arr(ref("AuthoredQuestion")),
		"issues": arr(object(obj{"line": integer(), "construct": str(), "message": str(),
			"outcome": enum("skipped", "approximated", "ignored")}))}),
	"UserPatch": object(obj{"role": enum("learner", "educator", "admin"), "disabled": boolean()}, "role", "disabled"),
	"AuditEntry": object(obj{"id": integer(), "actor_id": nullable("integer"), "actor_name": nullable("string"),
		"action": str(), "target": str(), "before": obj{}, "after": obj{}, "created_at": str()}),
}

// rw are the statuses of a write to a module in the editor.
func rw(status int, schema string) map[int]string {
	return map[int]string{status: schema, 403: "Error", 404: "Error", 409: "Error", 422: "Error"}
}

var ifMatch = []string{"If-Match"}

var adminOperations = []operation{
	{method: "GET", path: "/api/v1/admin/modules", access: "admin", summary: "Every module in the editor with its state (draft, published, changed; deleted ones with state=deleted or state=all), in curriculum order",
		params: []string{"state"}, responses: map[int]string{200: "list:AdminModuleItem", 403: "Error", 422: "Error"}},
	{method: "POST", path: "/api/v1/admin/modules", access: "admin", summary: "Start a module as a draft (module.yaml's fields, plus its track)",
		request: "ModuleFields", responses: map[int]string{201: "data:AdminModule", 403: "Error", 409: "Error", 422: "Error"}},
	{method: "GET", path: "/api/v1/admin/modules/{slug}", access: "admin", summary: "A module's head revision whole, its state and what publishing it would refuse; ETag is the head revision",
		responses: map[int]string{200: "data:AdminModule", 403: "Error", 404: "Error"}},
	{method: "PATCH", path: "/api/v1/admin/modules/{slug}", access: "admin", summary: "Change module fields (a new revision)",
		request: "ModulePatch", optHeaders: ifMatch, responses: rw(200, "data:AdminModule")},
	{method: "DELETE", path: "/api/v1/admin/modules/{slug}", access: "admin", summary: "Take a module away from learners; learners' records and the revisions stay, and a restore brings it back",
		optHeaders: ifMatch, responses: rw(204, "")},
	{method: "POST", path: "/api/v1/admin/modules/{slug}/lessons", access: "admin", summary: "Add a lesson at the end (a new revision)",
		request: "LessonRequest", optHeaders: ifMatch, responses: rw(201, "data:AdminModule")},
	{method: "PUT", path: "/api/v1/admin/modules/{slug}/lessons/order", access: "admin", summary: "Reorder the lessons: every lesson slug once, in the new order",
		request: "LessonOrder", optHeaders: ifMatch, responses: rw(200, "data:AdminModule")},
	{method: "PATCH", path: "/api/v1/admin/modules/{slug}/lessons/{lesson}", access: "admin", summary: "Change a lesson (a new slug carries its translations along)",
		request: "LessonPatch", optHeaders: ifMatch, responses: rw(200, "data:AdminModule")},
	{method: "DELETE", path: "/api/v1/admin/modules/{slug}/lessons/{lesson}", access: "admin", summary: "Remove a lesson from the draft; answers with the module (its new head revision)",
		optHeaders: ifMatch, responses: rw(200, "data:AdminModule")},
	{method: "PUT", path: "/api/v1/admin/modules/{slug}/quiz", access: "admin", summary: "Replace the quiz, in quiz.yaml's shape as JSON; question ids are stable forever",
		request: "AuthoredQuiz", optHeaders: ifMatch, responses: rw(200, "data:AdminModule")},
	{method: "POST", path: "/api/v1/admin/modules/{slug}/gift", access: "admin", summary: "Append the questions of a GIFT text (text/plain) to the draft quiz; every construct READI does not take as written is reported with its line. 201 when saved, 200 for a dry run",
		bodyType: "text/plain", params: []string{"dry_run"}, optHeaders: ifMatch,
		responses: map[int]string{200: "data:GIFTResult", 201: "data:GIFTResult", 403: "Error", 404: "Error", 409: "Error", 422: "Error"}},
	{method: "POST", path: "/api/v1/admin/modules/{slug}/publish", access: "admin", summary: "Publish the head revision after the content pack's validation; 422 content.invalid lists every problem",
		optHeaders: ifMatch, responses: rw(200, "data:AdminModule")},
	{method: "GET", path: "/api/v1/admin/modules/{slug}/revisions", access: "admin", summary: "Revisions, newest first: who saved, when, why; which one learners see",
		params: []string{"cursor", "limit"}, responses: map[int]string{200: "list:Revision", 403: "Error", 404: "Error", 422: "Error"}},
	{method: "GET", path: "/api/v1/admin/modules/{slug}/revisions/{id}", access: "admin", summary: "One revision with its document ({id} is the revision number)",
		responses: map[int]string{200: "data:RevisionDetail", 403: "Error", 404: "Error"}},
	{method: "POST", path: "/api/v1/admin/modules/{slug}/revisions/{id}/restore", access: "admin", summary: "Save an old revision as the newest one (history is never rewritten; a deleted module comes back as a draft)",
		optHeaders: ifMatch, responses: rw(200, "data:AdminModule")},
	{method: "GET", path: "/api/v1/admin/modules/{slug}/diff", access: "admin", summary: "What changed between two versions (a revision number, head or published; default from=published to=head), by field path",
		params: []string{"from", "to"}, responses: map[int]string{200: "data:Diff", 403: "Error", 404: "Error", 422: "Error"}},
	{method: "POST", path: "/api/v1/admin/preview", access: "admin", summary: "Markdown rendered as learners would get it: sanitised HTML",
		request: "PreviewRequest", responses: map[int]string{200: "data:Preview", 403: "Error", 422: "Error"}},
	{method: "GET", path: "/api/v1/admin/content/export", access: "admin", summary: "The published curriculum (or ?module=) as a zip in the content/ format",
		params: []string{"module"}, responses: map[int]string{200: "zip", 403: "Error", 404: "Error"}},
	{method: "POST", path: "/api/v1/admin/content/import", access: "admin", summary: "Import a content pack (a zip as the body, or the file field of a multipart form): refused whole with file:line problems, else each changed module is published as a new revision. replace=true makes it the whole curriculum",
		bodyType: "application/zip", params: []string{"dry_run", "replace"}, responses: map[int]string{200: "data:ImportReport", 403: "Error", 422: "Error"}},
	{method: "GET", path: "/api/v1/admin/users", access: "admin", summary: "Users whose e-mail address or display name contains q (any case), in id order",
		params: []string{"q", "cursor", "limit"}, responses: map[int]string{200: "list:User", 403: "Error", 422: "Error"}},
	{method: "PATCH", path: "/api/v1/admin/users/{id}", access: "admin", summary: "Change a user's role or disable them (their sessions end); not oneself",
		request: "UserPatch", responses: map[int]string{200: "data:User", 403: "Error", 404: "Error", 422: "Error"}},
	{method: "GET", path: "/api/v1/admin/audit", access: "admin", summary: "Who did what, when, with before and after; newest first. action=module. matches a prefix",
		params: []string{"actor", "action", "since", "cursor", "limit"}, responses: map[int]string{200: "list:AuditEntry", 403: "Error", 422: "Error"}},
}
