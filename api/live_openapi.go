package api

// The OpenAPI declarations of the live-game routes (live.go), merged into
// the document by buildDocument.

// eventStreamDoc describes the event streams (response kind "events").
const eventStreamDoc = "Server-Sent Events. The first event is sent at once and is the whole state, so a " +
	"reconnect is a full resync; then one event per change. Player streams send `event: state` (data: PlayerState " +
	"as GET .../state returns it) and `event: removed` (then close); the host stream sends `event: host` (data: " +
	"HostGame) on every change and when the counts of players or answers move. `: ping` comments every 15 s; " +
	"a stream closes after the game ends or after 5 minutes (reconnect). Send the token in the Authorization " +
	"header (read the stream with fetch: EventSource cannot set headers)."

var (
	nullObj   = obj{"type": []string{"object", "null"}}
	anyJSON   = obj{"description": "an answer in the shape of its question type (see AttemptRequest)"}
	liveState = enum("lobby", "question", "reveal", "ended")
)

var liveSchemas = obj{
	"LiveGameRequest": object(obj{"module": str(), "questions": arr(str()), "time_limit_s": integer(),
		"teams": boolean(), "team_count": integer(), "class_id": nullable("integer"), "player_cap": integer()},
		"questions", "teams", "team_count", "class_id", "player_cap"),
	"LiveNextRequest":   object(obj{"state": liveState, "seq": integer()}),
	"LiveJoinRequest":   object(obj{"pin": str(), "nickname": str(), "lang": str()}, "lang"),
	"LiveAnswerRequest": object(obj{"question": str(), "answer": anyJSON}),
	"LivePlayerRef":     object(obj{"id": integer(), "nickname": str(), "team": str(), "lang": str()}, "lang"),
	"LiveLeader": object(obj{"player_id": integer(), "nickname": str(), "team": str(), "score": integer(),
		"rank": integer()}),
	"LiveTeamScore": object(obj{"team": str(), "score": integer(), "players": integer()}),
	"LiveChoice":    object(obj{"choice": str(), "count": integer(), "correct": boolean()}),
	"LiveReveal": object(obj{"question_id": str(), "correct": obj{"description": "the answer key, in the answer's shape"},
		"explanation": str(), "distribution": arr(ref("LiveChoice")), "answered": integer(), "correct_count": integer()}),
	"LiveGameInfo": object(obj{"id": integer(), "pin": str(), "state": liveState, "module": str(), "module_title": str(),
		"question_count": integer(), "time_limit_s": integer(), "teams": boolean()}),
	"HostGame": object(obj{"id": integer(), "pin": str(), "join_url": str(), "state": liveState, "module": str(),
		"module_title": str(), "time_limit_s": integer(), "teams": boolean(), "team_count": integer(),
		"class_id": nullable("integer"), "player_cap": integer(), "locked": boolean(), "paused": boolean(),
		"question_count": integer(), "seq": integer(),
		"question":     obj{"anyOf": []any{ref("PublicQuestion"), obj{"type": "null"}}},
		"remaining_ms": nullable("integer"), "time_limit_ms": integer(), "players": integer(), "answered": integer(),
		"recent_players": arr(ref("LivePlayerRef")),
		"reveal":         obj{"anyOf": []any{ref("LiveReveal"), obj{"type": "null"}}},
		"leaderboard":    arr(ref("LiveLeader")), "team_board": arr(ref("LiveTeamScore")),
		"excluded": arr(object(obj{"id": str(), "type": str()})), "version": integer(), "created_at": str()}),
	"LiveJoined": object(obj{"player_token": str(),
		"player": object(obj{"id": integer(), "nickname": str(), "score": integer(), "team": str()}),
		"game":   ref("LiveGameInfo")}),
	"PlayerState": object(obj{"game": ref("LiveGameInfo"), "me": ref("LivePlayerRef"), "phase": liveState,
		"paused": boolean(), "seq": integer(),
		"question":     obj{"anyOf": []any{ref("PublicQuestion"), obj{"type": "null"}}},
		"remaining_ms": nullable("integer"), "time_limit_ms": integer(), "can_answer": boolean(),
		"answered": boolean(), "my_answer": anyJSON, "score": integer(), "streak": integer(), "rank": integer(),
		"players": integer(), "correct": nullable("boolean"), "points": nullable("integer"),
		"reveal":      obj{"anyOf": []any{ref("LiveReveal"), obj{"type": "null"}}},
		"leaderboard": arr(ref("LiveLeader")),
		"review": obj{"type": []string{"array", "null"}, "items": object(obj{"question_id": str(), "prompt": str(),
			"module": str(), "lesson": str(), "lesson_title": str()}, "lesson", "lesson_title")}}),
	"LiveReceipt": object(obj{"question": str(), "seq": integer(), "received": boolean(), "elapsed_ms": integer()}),
	"LivePlayerRow": object(obj{"id": integer(), "nickname": str(), "team": str(), "score": integer(),
		"rank": integer(), "removed": boolean()}),
	"LiveReport": object(obj{"game": ref("HostGame"),
		"players": arr(object(obj{"id": integer(), "nickname": str(), "team": str(), "score": integer(),
			"rank": integer(), "correct": integer(), "answered": integer(), "removed": boolean(),
			"answers": obj{"type": "object", "additionalProperties": object(obj{"answer": anyJSON,
				"correct": boolean(), "points": integer(), "elapsed_ms": integer()})}})),
		"questions": arr(object(obj{"id": str(), "seq": integer(), "type": str(), "prompt": str(),
			"answered": integer(), "correct_count": integer(), "distribution": arr(ref("LiveChoice"))}))}),
}

var hostErrors = map[int]string{401: "Error", 403: "Error", 404: "Error"}

// hostOp is a host action's operation: its game, its errors.
func hostOp(method, path, summary string, ok map[int]string, request string) operation {
	rs := map[int]string{}
	for k, v := range hostErrors {
		rs[k] = v
	}
	for k, v := range ok {
		rs[k] = v
	}
	return operation{method: method, path: "/api/v1/live/games/{id}" + path, access: "educator (the game's host)",
		summary: summary, request: request, params: []string{"lang"}, responses: rs}
}

var liveOperations = []operation{
	{method: "POST", path: "/api/v1/live/games", access: "educator", summary: "Open a live game of a published module's quiz (its live-playable questions, or those listed): a 6-digit PIN and a join URL", request: "LiveGameRequest", params: []string{"lang"}, responses: map[int]string{201: "data:HostGame", 400: "Error", 401: "Error", 403: "Error", 422: "Error"}},
	{method: "GET", path: "/api/v1/live/games", access: "educator", summary: "My games, newest first", params: []string{"lang"}, responses: map[int]string{200: "list:HostGame", 401: "Error", 403: "Error"}},
	hostOp("GET", "", "The host's view of a game", map[int]string{200: "data:HostGame"}, ""),
	hostOp("POST", "/next", "Lobby → question 1 → reveal → question 2 … → ended. An optional body names the state the host saw; if the game moved on, 409 live.moved_on", map[int]string{200: "data:HostGame", 400: "Error", 409: "Error", 422: "Error"}, "LiveNextRequest"),
	hostOp("POST", "/skip", "Close the open question without a reveal and open the next (answers given count)", map[int]string{200: "data:HostGame", 409: "Error"}, ""),
	hostOp("POST", "/pause", "Stop the clock of the open question", map[int]string{200: "data:HostGame", 409: "Error"}, ""),
	hostOp("POST", "/resume", "Start the clock again", map[int]string{200: "data:HostGame", 409: "Error"}, ""),
	hostOp("POST", "/lock", "Lock the game: no new players (players already in can always come back)", map[int]string{200: "data:HostGame", 409: "Error"}, ""),
	hostOp("POST", "/unlock", "Let new players join again", map[int]string{200: "data:HostGame", 409: "Error"}, ""),
	hostOp("POST", "/end", "End the game; signed-in players' answers become quiz attempts (progress, class analytics)", map[int]string{200: "data:HostGame", 409: "Error"}, ""),
	hostOp("GET", "/players", "Every player with score and rank", map[int]string{200: "list:LivePlayerRow"}, ""),
	hostOp("DELETE", "/players/{player_id}", "Remove a player: their token stops working", map[int]string{204: ""}, ""),
	hostOp("GET", "/report", "Per player and per question, with each question's answer distribution", map[int]string{200: "data:LiveReport"}, ""),
	hostOp("GET", "/report.csv", "The report as CSV (UTF-8 with BOM, formula cells neutralised), one row per player", map[int]string{200: ""}, ""),
	hostOp("GET", "/host-events", "The host's event stream. "+eventStreamDoc, map[int]string{200: "events"}, ""),
	{method: "POST", path: "/api/v1/live/join", access: "anyone (a signed-in user joins as themself)", summary: "Join the open game with a PIN and a nickname; returns the player token to keep (rate limited per client address across replicas)", request: "LiveJoinRequest", responses: map[int]string{201: "data:LiveJoined", 400: "Error", 403: "Error", 404: "Error", 409: "Error", 422: "Error", 429: "Error"}},
	{method: "GET", path: "/api/v1/live/games/{pin}/state", access: "player (Authorization: Bearer <player token>)", summary: "My whole view of the game: phase, the question without its key in my language, remaining_ms, score, streak, rank; after a reveal whether I was right", responses: map[int]string{200: "data:PlayerState", 401: "Error", 403: "Error", 404: "Error"}},
	{method: "POST", path: "/api/v1/live/games/{pin}/answers", access: "player (Authorization: Bearer <player token>)", summary: "Answer the open question once; the same request again gets the same reply (Idempotent-Replayed: true); after time is up 409 live.too_late. Points come from the time the server received it", request: "LiveAnswerRequest", responses: map[int]string{201: "data:LiveReceipt", 400: "Error", 401: "Error", 403: "Error", 404: "Error", 409: "Error", 422: "Error"}},
	{method: "GET", path: "/api/v1/live/games/{pin}/events", access: "player (Authorization: Bearer <player token>)", summary: "My event stream. " + eventStreamDoc, responses: map[int]string{200: "events", 401: "Error", 403: "Error", 404: "Error"}},
}
