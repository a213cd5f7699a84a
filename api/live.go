package api

import (
	"bufio"
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/readi-platform/readi/internal/live"
	"github.com/readi-platform/readi/internal/model"
)

// Live games: hosts act with their access token on /live/games/{id}/...;
// players with their player token on /live/games/{pin}/... (see
// playerToken). Event streams are Server-Sent Events (streamEvents).

// playerToken is the bearer player token of a live player route (those
// routes skip the access-token middleware); a missing one is a 401.
func playerToken(c *fiber.Ctx) (string, error) {
	token, _ := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
	if !live.IsPlayerToken(token) {
		return "", live.ErrTokenInvalid
	}
	return strings.Clone(token), nil
}

// onLiveHost is the shape every host route shares: the game id, one call.
func onLiveHost(c *fiber.Ctx, call func(id int64) (any, error)) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	out, err := call(id)
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusOK, out)
}

func (a *App) createLiveGame(c *fiber.Ctx) error {
	req, err := body[model.LiveGameRequest](c)
	if err != nil {
		return err
	}
	g, err := a.Live.Create(ctx(c), user(c), req, c.Query("lang"))
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusCreated, g)
}

func (a *App) listLiveGames(c *fiber.Ctx) error {
	list, err := a.Live.List(ctx(c), user(c), c.Query("lang"))
	if err != nil {
		return err
	}
	return okList(c, list)
}

func (a *App) getLiveGame(c *fiber.Ctx) error {
	return onLiveHost(c, func(id int64) (any, error) { return a.Live.Host(ctx(c), user(c), id, c.Query("lang")) })
}

// stepLiveGame returns the handler of one host action. Only next takes a
// body: the optional state the host screen saw.
func (a *App) stepLiveGame(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return onLiveHost(c, func(id int64) (any, error) {
			var expect *model.LiveNextRequest
			if action == live.ActNext && len(c.Body()) > 0 {
				req, err := body[model.LiveNextRequest](c)
				if err != nil {
					return nil, err
				}
				expect = &req
			}
			return a.Live.Step(ctx(c), user(c), id, action, expect, c.Query("lang"))
		})
	}
}

func (a *App) listLivePlayers(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	list, err := a.Live.Players(ctx(c), user(c), id)
	if err != nil {
		return err
	}
	return okList(c, list)
}

func (a *App) removeLivePlayer(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	pid, err := pathID(c, "player_id")
	if err != nil {
		return err
	}
	if err := a.Live.RemovePlayer(ctx(c), user(c), id, pid); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *App) liveReport(c *fiber.Ctx) error {
	return onLiveHost(c, func(id int64) (any, error) { return a.Live.Report(ctx(c), user(c), id, c.Query("lang")) })
}

func (a *App) liveReportCSV(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	csv, err := a.Live.ReportCSV(ctx(c), user(c), id, c.Query("lang"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="live-`+strconv.FormatInt(id, 10)+`-report.csv"`)
	return c.Send(csv)
}

func (a *App) joinLiveGame(c *fiber.Ctx) error {
	req, err := body[model.LiveJoinRequest](c)
	if err != nil {
		return err
	}
	var u *model.User
	if me, ok := currentUser(c); ok {
		u = &me
	}
	j, err := a.Live.Join(ctx(c), req, u, strings.Clone(c.IP()))
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusCreated, j)
}

func (a *App) liveState(c *fiber.Ctx) error {
	token, err := playerToken(c)
	if err != nil {
		return err
	}
	st, err := a.Live.State(ctx(c), token, c.Params("pin"))
	if err != nil {
		return err
	}
	return ok(c, fiber.StatusOK, st)
}

func (a *App) answerLive(c *fiber.Ctx) error {
	token, err := playerToken(c)
	if err != nil {
		return err
	}
	req, err := body[model.LiveAnswerRequest](c)
	if err != nil {
		return err
	}
	// The time the request arrived, not when it was handled: points depend
	// on it, and queueing on the server is not the player's fault.
	r, replayed, err := a.Live.Answer(ctx(c), token, c.Params("pin"), req, c.Context().Time())
	if err != nil {
		return err
	}
	if replayed {
		c.Set("Idempotent-Replayed", "true")
	}
	return ok(c, fiber.StatusCreated, r)
}

func (a *App) livePlayerEvents(c *fiber.Ctx) error {
	token, err := playerToken(c)
	if err != nil {
		return err
	}
	st, err := a.Live.PlayerStream(ctx(c), token, strings.Clone(c.Params("pin")))
	if err != nil {
		return err
	}
	return a.streamEvents(c, st)
}

func (a *App) liveHostEvents(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	st, err := a.Live.HostStream(ctx(c), user(c), id, strings.Clone(c.Query("lang")))
	if err != nil {
		return err
	}
	return a.streamEvents(c, st)
}

// Event streams. Server-Sent Events rather than WebSocket: the traffic is
// one way (answers are ordinary POSTs, which are idempotent and get a
// status), SSE is plain HTTP through every proxy, and reconnecting needs
// no protocol of its own because the first event is always the full state.
const (
	streamHeartbeat = 15 * time.Second
	// streamMaxAge ends a stream so that connections a phone abandoned
	// without a FIN are reclaimed; the client reconnects at once.
	streamMaxAge = 5 * time.Minute
	// streamWriteTimeout bounds each write: a phone that stops reading is
	// dropped instead of holding a goroutine.
	streamWriteTimeout = 10 * time.Second
)

// streamEvents answers with an event stream fed by st. The body is written
// after the handler returns, so nothing of c is used in the writer.
func (a *App) streamEvents(c *fiber.Ctx, st *live.Stream) error {
	c.Set(fiber.HeaderContentType, "text/event-stream; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Accel-Buffering", "no") // nginx: pass events on at once
	conn := c.Context().Conn()
	log := logger(c)
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer st.Close()
		sctx, cancel := context.WithTimeout(context.Background(), streamMaxAge)
		defer cancel()
		write := func(parts ...string) bool {
			// fasthttp set one write deadline for the whole response; a
			// stream lives longer, so each write gets its own.
			_ = conn.SetWriteDeadline(time.Now().Add(streamWriteTimeout))
			for _, p := range parts {
				w.WriteString(p)
			}
			return w.Flush() == nil
		}
		if !write("retry: 1000\n\n") {
			return
		}
		for {
			ev, err := st.Next(sctx, streamHeartbeat)
			if err != nil {
				if sctx.Err() == nil && err != live.ErrStreamClosed {
					log.Warn("live stream ended", "err", err)
				}
				return
			}
			ok := false
			if ev.Kind == "ping" {
				ok = write(": ping\n\n")
			} else {
				ok = write("event: ", ev.Kind, "\ndata: ", string(ev.Data), "\n\n")
			}
			if !ok || ev.Last {
				return
			}
		}
	})
	return nil
}
