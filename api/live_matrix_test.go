package api_test

import (
	"fmt"
)

// liveFixture is what the live rows of the access matrix act on: a game
// hosted by the matrix's educator for each host action, set up in the
// state where that action succeeds, and an ended game for the host stream
// (which then ends at once instead of streaming).
type liveFixture struct {
	games    map[string]int64
	playerID int64
	pin      string
}

func newLiveFixture(h *harness, educator string) liveFixture {
	lf := liveFixture{games: map[string]int64{}}
	create := func(steps ...string) (int64, string) {
		g := h.expect(201, req{Method: "POST", Path: "/api/v1/live/games", Token: educator,
			Body: map[string]any{"module": "spot-the-scam", "time_limit_s": 60}}).JSON["data"].(map[string]any)
		id := int64(g["id"].(float64))
		for _, s := range steps {
			h.expect(200, req{Method: "POST", Path: fmt.Sprintf("/api/v1/live/games/%d/%s", id, s), Token: educator})
		}
		return id, g["pin"].(string)
	}
	var pin string
	lf.games["lobby"], pin = create()
	lf.games["question"], _ = create("next")
	lf.games["paused"], _ = create("next", "pause")
	lf.games["ended"], _ = create("end")
	for _, a := range []string{"next", "lock", "unlock", "end"} {
		lf.games[a], _ = create()
	}
	lf.games["skip"], _ = create("next")
	lf.games["pause"], _ = create("next")
	lf.games["resume"], _ = create("next", "pause")
	joined := h.expect(201, req{Method: "POST", Path: "/api/v1/live/join",
		Body: map[string]string{"pin": pin, "nickname": "Matrix player"}}).JSON["data"].(map[string]any)
	lf.pin = pin
	lf.playerID = int64(joined["player"].(map[string]any)["id"].(float64))
	return lf
}

// liveMatrix is the access matrix's rows for the live routes. Player
// routes take a player token, never an access token: every role's access
// token is refused there (401), and api/live_test.go covers player tokens.
func liveMatrix(lf liveFixture) map[string]access {
	g := func(name string) string { return fmt.Sprintf("/api/v1/live/games/%d", lf.games[name]) }
	rows := map[string]access{
		"POST /api/v1/live/games": {path: "/api/v1/live/games", want: map[string]int{"anonymous": 401, "learner": 403, "other_learner": 403, "educator": 201, "admin": 201},
			body: func(string) any { return map[string]any{"module": "spot-the-scam", "time_limit_s": 0} }},
		"GET /api/v1/live/games":                           {path: "/api/v1/live/games", want: map[string]int{"anonymous": 401, "learner": 403, "other_learner": 403, "educator": 200, "admin": 200}},
		"GET /api/v1/live/games/:id":                       {path: g("lobby"), want: teacher(200)},
		"GET /api/v1/live/games/:id/players":               {path: g("lobby") + "/players", want: teacher(200)},
		"GET /api/v1/live/games/:id/report":                {path: g("lobby") + "/report", want: teacher(200)},
		"GET /api/v1/live/games/:id/report.csv":            {path: g("lobby") + "/report.csv", want: teacher(200)},
		"GET /api/v1/live/games/:id/host-events":           {path: g("ended") + "/host-events", want: teacher(200)},
		"POST /api/v1/live/games/:id/next":                 {path: g("next") + "/next", want: teacher(200)},
		"POST /api/v1/live/games/:id/skip":                 {path: g("skip") + "/skip", want: teacher(200)},
		"POST /api/v1/live/games/:id/pause":                {path: g("pause") + "/pause", want: teacher(200)},
		"POST /api/v1/live/games/:id/resume":               {path: g("resume") + "/resume", want: teacher(200)},
		"POST /api/v1/live/games/:id/lock":                 {path: g("lock") + "/lock", want: teacher(200)},
		"POST /api/v1/live/games/:id/unlock":               {path: g("unlock") + "/unlock", want: teacher(200)},
		"POST /api/v1/live/games/:id/end":                  {path: g("end") + "/end", want: teacher(200)},
		"DELETE /api/v1/live/games/:id/players/:player_id": {path: fmt.Sprintf("%s/players/%d", g("lobby"), lf.playerID), want: teacher(204)},
		"POST /api/v1/live/join": {path: "/api/v1/live/join", want: all(201), body: func(role string) any {
			return map[string]string{"pin": lf.pin, "nickname": "Joiner " + role}
		}},
		"GET /api/v1/live/games/:pin/state":  {path: "/api/v1/live/games/" + lf.pin + "/state", want: all(401)},
		"GET /api/v1/live/games/:pin/events": {path: "/api/v1/live/games/" + lf.pin + "/events", want: all(401)},
		"POST /api/v1/live/games/:pin/answers": {path: "/api/v1/live/games/" + lf.pin + "/answers", want: all(401),
			body: func(string) any { return map[string]any{"question": "sts-q01", "answer": "a"} }},
	}
	return rows
}
