// The host's screen of a live game (/live/host/{id}), made for a projector:
// the lobby with the PIN, the join address and a QR code, the nicknames as
// they arrive; each question with its answers (shape, letter and colour),
// the countdown and how many have answered; the reveal as a bar chart with
// counts in words; the leaderboard; the podium. The host stream sends the
// game on every change (and each second while players or answers move):
// the stage is rebuilt only when the state or question changes, counters
// are updated in place, and the controls are made once, so the focus stays
// on the button the facilitator is using.
import { t, num, current } from "../i18n.js";
import * as api from "../api.js";
import { h, fill, stylesheet } from "../dom.js";
import { message, renderError } from "../errors.js";
import { confirmAction } from "../confirm.js";
import { langQuery } from "../labels.js";
import { gate, styles as classStyles } from "../educator.js";
import * as stream from "../live/stream.js";
import { mark, letter, choicesOf, answerList, countdown, podium, board, teamBoard, announcer } from "../live/kit.js";

// Time's up or everyone has answered: wait this long before the reveal, so
// an answer sent in the last instant still counts and the last count shows.
const GRACE_MS = 1200;

export async function host(ctx) {
  const { main, params } = ctx;
  if (!gate(main, t("live.host_title"))) return null;
  const id = params[0];
  const base = `/api/v1/live/games/${id}`;
  // Prompts and answers come in the host's language (English otherwise).
  const lang = langQuery(current());
  const [res, qr] = await Promise.all([api.get(`${base}?${lang}`), import("../widgets/qr.js"), stylesheet("/assets/live.css"), stylesheet("/assets/live-host.css"), classStyles()]);
  let g = res.data;
  document.body.classList.add("live-projecting");

  const say = announcer();
  const conn = h("p", { class: "live-conn", role: "status" });
  const status = h("p", { class: "live-host-status", role: "status", id: "live-host-status" });
  const meta = h("ul", { class: "live-host-meta" });
  const top = h("div", { class: "live-host-top" }, h("h1", {}, t("live.host_heading", { title: g.module_title })), meta);
  const stage = h("div", { class: "live-stage", id: "live-stage" });
  const paused = h("p", { class: "live-paused", hidden: true }, h("span", { "aria-hidden": "true" }, "⏸ "), t("live.paused"));
  const answered = h("p", { class: "live-answered", id: "live-answered" });
  const wall = h("ul", { class: "live-wall", id: "live-wall" });
  const wallCount = h("span", {});
  const wallEmpty = h("p", { class: "muted live-wall-empty" }, t("live.waiting_players"));
  const wallItems = new Map();

  let key = "";
  let sub = "dist"; // the reveal first shows the answers, then the leaderboard
  let autoSeq = 0;
  let autoTimer = null;
  let stop = null; // ends the host stream
  const timer = countdown(say.say, () => advanceSoon());

  // Controls: made once; each state shows the ones that apply.
  const btn = (idName, cls, onclick) => h("button", { type: "button", class: cls, id: idName, onclick });
  const next = btn("live-next", "primary", () => onNext());
  const pause = btn("live-pause", "secondary", () => act(g.paused ? "resume" : "pause"));
  const skip = btn("live-skip", "secondary", () => act("skip"));
  const lock = btn("live-lock", "secondary", () => act(g.locked ? "unlock" : "lock"));
  const end = btn("live-end", "danger", async () => {
    const yes = await confirmAction({ title: t("live.end_title"), text: t("live.end_text"), confirm: t("live.end") });
    if (yes) act("end");
  });
  const full = btn("live-full", "secondary small", async () => {
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await document.documentElement.requestFullscreen();
    } catch { /* not allowed here: the view is large anyway */ }
  });
  const report = h("a", { class: "button", id: "live-report", href: `/live/host/${id}/report` }, t("live.report"));
  const csv = btn("live-csv", "secondary", async () => {
    status.textContent = "";
    try {
      await api.downloadFile(`${base}/report.csv?${lang}`, `live-${id}-report.csv`);
      status.textContent = t("report.csv_done");
    } catch (e) {
      status.textContent = message(e);
    }
  });
  csv.textContent = t("report.csv");
  const leave = h("a", { class: "button secondary small", id: "live-leave", href: "/live/new" }, t("live.all_games"));
  const controls = h("div", { class: "live-controls", role: "group", "aria-label": t("live.controls") },
    next, report, pause, skip, csv, lock, end, full, leave);
  const onFull = () => { full.textContent = document.fullscreenElement ? t("project.exit_fullscreen") : t("project.fullscreen"); };
  document.addEventListener("fullscreenchange", onFull);
  onFull();

  fill(main, h("div", { class: "live live-host" }, top, conn, stage, controls, status, say.el));

  function apply(nextGame) {
    const moved = nextGame.state !== g.state || nextGame.seq !== g.seq;
    g = nextGame;
    if (moved) sub = "dist";
    const k = `${g.state}:${g.seq}:${sub}`;
    if (k !== key) {
      const first = key === "";
      key = k;
      drawStage();
      if (!first) say.say(stateWords());
    }
    Object.assign(stage.dataset, { state: g.state, seq: g.seq, sub });
    update();
    // Nothing more will happen in a finished game: no need to keep listening.
    if (g.state === "ended" && stop) stop();
  }

  function stateWords() {
    if (g.state === "question") return t("quiz.question_n", { n: num(g.seq), total: num(g.question_count) });
    if (g.state === "reveal") return sub === "board" ? t("live.leaderboard") : t("live.answer_shown");
    if (g.state === "ended") return t("live.final_title");
    return t("live.lobby_host");
  }

  // update: everything that moves without a new stage.
  function update() {
    fill(meta,
      h("li", {}, t("live.pin_short"), " ", h("strong", { class: "mono", id: "live-pin-small" }, g.pin)),
      h("li", { id: "live-count" }, t("live.players_in", { n: num(g.players) })),
      g.locked ? h("li", { class: "locked" }, t("live.locked_note")) : null);
    wallCount.textContent = t("live.players_in", { n: num(g.players) });
    drawWall();
    answered.textContent = t("live.answered_of", { n: num(g.answered), total: num(g.players) });
    const inQuestion = g.state === "question";
    paused.hidden = !(inQuestion && g.paused);
    if (inQuestion && g.time_limit_s > 0 && g.remaining_ms != null) {
      timer.set(g.remaining_ms, g.time_limit_ms, g.paused, g.seq);
    } else {
      timer.stop();
    }
    if (!inQuestion || g.paused) {
      clearTimeout(autoTimer);
      autoSeq = 0;
    } else if ((g.players > 0 && g.answered >= g.players) || (g.time_limit_s > 0 && g.remaining_ms === 0)) {
      advanceSoon();
    }
    drawControls();
  }

  /** advanceSoon moves to the reveal once per question, a moment later. */
  function advanceSoon() {
    if (g.state !== "question" || g.paused || autoSeq === g.seq) return;
    const { seq } = g;
    autoSeq = seq;
    clearTimeout(autoTimer);
    autoTimer = setTimeout(() => {
      // The state and seq go with it: a second host tab doing the same
      // gets 409 live.moved_on instead of skipping the reveal.
      if (g.state === "question" && g.seq === seq && !g.paused) act("next", { state: "question", seq });
    }, GRACE_MS);
  }

  function onNext() {
    if (g.state === "reveal" && sub === "dist") {
      sub = "board";
      apply(g);
      return;
    }
    act("next", { state: g.state, seq: g.seq });
  }

  async function act(path, body) {
    status.textContent = "";
    try {
      const r = await api.post(`${base}/${path}?${lang}`, body);
      apply(r.data);
    } catch (e) {
      // Another tab (or the auto-advance) moved first: the stream shows where the game is.
      if (e.code === "live.moved_on") return;
      status.textContent = message(e);
    }
  }

  function drawControls() {
    const s = g.state;
    const last = g.seq >= g.question_count;
    next.hidden = s === "ended";
    next.textContent = s === "lobby" ? t("live.start")
      : s === "question" ? t("live.show_answer")
        : sub === "dist" ? t("live.show_board")
          : last ? t("live.show_podium") : t("live.next_question");
    next.disabled = s === "lobby" && g.players === 0;
    // Pause only while the clock runs (or to resume): once time is up there is nothing to stop.
    pause.hidden = !(s === "question" && g.time_limit_s > 0 && (g.paused || g.remaining_ms !== 0));
    pause.textContent = g.paused ? t("live.resume") : t("live.pause");
    skip.hidden = s !== "question";
    skip.textContent = t("live.skip");
    lock.hidden = s === "ended";
    lock.textContent = g.locked ? t("live.unlock") : t("live.lock");
    end.hidden = s === "ended";
    end.textContent = t("live.end");
    report.hidden = s !== "ended";
    csv.hidden = s !== "ended";
    // A control that just went away had the focus: give it to the next step.
    if (document.activeElement === document.body || (document.activeElement && document.activeElement.hidden)) {
      const first = [...controls.children].find((c) => !c.hidden && !c.disabled);
      if (first) first.focus();
    }
  }

  function drawStage() {
    const views = { lobby, question, reveal, ended };
    fill(stage, (views[g.state] || lobby)());
    // Next frame, so the bars grow (where motion is welcome).
    requestAnimationFrame(() => {
      for (const bar of stage.querySelectorAll(".live-bar[data-pct]")) bar.style.width = `${bar.dataset.pct}%`;
    });
    window.scrollTo(0, 0);
  }

  function lobby() {
    const url = new URL(g.join_url, location.origin).href;
    return [
      h("div", { class: "live-join-grid" },
        h("div", { class: "live-join-text" },
          h("p", { class: "step" }, t("project.go_to")),
          h("p", { class: "host" }, `${location.host}/live`),
          h("p", { class: "step" }, t("live.enter_pin")),
          h("p", { class: "live-pin", id: "live-pin" }, g.pin)),
        h("figure", { class: "live-qr" },
          qr.qrSvg(url, t("live.qr_label", { pin: g.pin })),
          h("figcaption", {}, t("project.scan")))),
      excludedNote(),
      h("section", { class: "live-wall-box", "aria-labelledby": "live-wall-title" },
        h("h2", { id: "live-wall-title", tabindex: "-1" }, wallCount),
        wallEmpty, wall),
    ];
  }

  function drawWall() {
    const list = g.recent_players || [];
    const ids = new Set(list.map((p) => p.id));
    for (const [pid, li] of wallItems) {
      if (!ids.has(pid)) { li.remove(); wallItems.delete(pid); }
    }
    // Newest first from the server; shown oldest first so names do not jump.
    for (const p of [...list].reverse()) {
      if (wallItems.has(p.id)) continue;
      const li = h("li", { "data-player": p.id },
        h("span", { class: "who" }, p.nickname),
        p.team ? h("span", { class: "team" }, t("live.team", { team: p.team })) : null,
        h("button", { type: "button", class: "remove", "aria-label": t("live.remove_for", { name: p.nickname }), onclick: () => remove(p) },
          h("span", { "aria-hidden": "true" }, "×")));
      wall.append(li);
      wallItems.set(p.id, li);
    }
    wallEmpty.hidden = wallItems.size > 0;
  }

  async function remove(p) {
    const yes = await confirmAction({ title: t("live.remove_title", { name: p.nickname }), text: t("live.remove_text"), confirm: t("live.remove") });
    if (!yes) return;
    try {
      await api.del(`${base}/players/${p.id}`);
      const li = wallItems.get(p.id);
      const after = li && (li.nextElementSibling || li.previousElementSibling);
      g.recent_players = (g.recent_players || []).filter((x) => x.id !== p.id);
      g.players = Math.max(0, g.players - 1);
      update();
      status.textContent = t("live.removed_done", { name: p.nickname });
      const target = after && after.isConnected ? after.querySelector("button") : stage.querySelector("#live-wall-title");
      if (target) target.focus();
    } catch (e) {
      status.textContent = message(e);
    }
  }

  function excludedNote() {
    const ex = g.excluded || [];
    if (!ex.length) return null;
    const kinds = [...new Set(ex.map((x) => typeName(x.type)))].join(", ");
    return h("p", { class: "notice live-excluded", id: "live-excluded" }, t("live.excluded", { n: num(ex.length), types: kinds }));
  }

  const step = () => h("p", { class: "live-step" }, t("quiz.question_n", { n: num(g.seq), total: num(g.question_count) }));

  function question() {
    const q = g.question;
    if (!q) return [step()];
    return [
      step(),
      h("h2", { class: "live-host-prompt", tabindex: "-1" }, q.prompt),
      h("div", { class: "live-host-clock" }, g.time_limit_s > 0 ? timer.el : null, paused, answered),
      questionBody(q),
    ];
  }

  function questionBody(q) {
    if (q.type === "red_flags") {
      const m = q.message || { segments: [] };
      return [h("p", { class: "instructions" }, t("live.flags_host")),
        h("div", { class: "live-message" },
          m.sender ? h("p", { class: "from" }, h("strong", {}, m.sender)) : null,
          m.subject ? h("p", { class: "from" }, m.subject) : null,
          h("p", {}, m.segments.map((sg) => sg.text).join(" ")))];
    }
    if (q.type === "ordering") {
      return [h("p", { class: "instructions" }, t("live.order_host")),
        h("ul", { class: "live-order" }, (q.items || []).map((it) => h("li", {}, it.text)))];
    }
    return [
      q.type === "multiple" ? h("p", { class: "instructions" }, t("quiz.choose_all")) : null,
      h("ul", { class: "live-choices host" }, choicesOf(q).map((c, i) => h("li", { class: `live-choice m${i % 8}` },
        mark(i), h("span", { class: "visually-hidden" }, `${letter(i)}: `), h("span", { class: "text" }, c.text))))];
  }

  function reveal() {
    const q = g.question || { type: "single", prompt: "" };
    const r = g.reveal || { distribution: [] };
    if (sub === "board") {
      return [step(),
        h("h2", { class: "live-host-title", tabindex: "-1" }, t("live.leaderboard")),
        g.leaderboard && g.leaderboard.length ? board(g.leaderboard) : h("p", { class: "muted" }, t("live.board_empty")),
        g.teams ? [h("h2", { class: "live-host-sub" }, t("live.teams_title")), teamBoard(g.team_board)] : null];
    }
    return [
      step(),
      h("h2", { class: "live-host-prompt small", tabindex: "-1" }, q.prompt),
      h("p", { class: "live-summary", id: "live-summary" }, t("live.got_it", { n: num(r.correct_count || 0), total: num(r.answered || 0) })),
      q.type === "ordering" ? [h("h3", {}, t("live.right_order")), answerList(q, r.correct, "key")] : null,
      distribution(q, r),
      r.explanation ? h("div", { class: "panel live-explain" }, h("h3", {}, t("quiz.explanation")), h("p", {}, r.explanation)) : null,
    ];
  }

  // distribution: a bar per choice with its count in words, the right
  // ones marked with ✓ and words.
  function distribution(q, r) {
    const by = Object.fromEntries((r.distribution || []).map((d) => [String(d.choice), d]));
    const key = [r.correct].flat().map(String);
    let rows;
    if (q.type === "red_flags") {
      rows = ((q.message && q.message.segments) || []).map((sg) => ({ text: sg.text, id: sg.id, right: t("questions.is_flag") }));
    } else if (q.type === "ordering") {
      rows = [{ text: t("live.order_right"), id: "right", right: "" }, { text: t("live.order_wrong"), id: "wrong", right: "" }];
    } else {
      rows = choicesOf(q).map((c, i) => ({ text: c.text, id: String(c.id), i, right: t("questions.right_answer") }));
    }
    const most = Math.max(1, ...rows.map((row) => (by[row.id] ? by[row.id].count : 0)));
    return h("ul", { class: "live-dist", id: "live-dist" }, rows.map((row) => {
      const d = by[row.id] || { count: 0 };
      const right = row.right && (d.correct || key.includes(row.id));
      return h("li", { class: right ? "right" : null, "data-choice": row.id },
        h("span", { class: "label" },
          row.i != null ? [mark(row.i), h("span", { class: "visually-hidden" }, `${letter(row.i)}: `)] : null,
          h("span", { class: "text" }, row.text),
          right ? h("span", { class: "right-mark" }, row.right) : null),
        h("span", { class: "bar-row" },
          h("span", { class: "live-bar-track", "aria-hidden": "true" },
            h("span", { class: `live-bar${row.i != null ? ` m${row.i % 8}` : ""}`, "data-pct": Math.round((100 * d.count) / most) })),
          h("span", { class: "count" }, t("live.count", { n: num(d.count) }))));
    }));
  }

  function ended() {
    const lb = g.leaderboard || [];
    return [
      h("h2", { class: "live-host-title", tabindex: "-1" }, t("live.final_title")),
      lb.length ? podium(lb) : h("p", { class: "muted" }, t("live.board_empty")),
      lb.length > 3 ? board(lb, null, 3) : null,
      g.teams ? [h("h2", { class: "live-host-sub" }, t("live.teams_title")), teamBoard(g.team_board)] : null,
    ];
  }

  // "Reconnecting…" only after a moment: a quick blip is not news on a projector.
  let connTimer = null;
  const onStatus = (s) => {
    clearTimeout(connTimer);
    if (s === "open") conn.textContent = "";
    else connTimer = setTimeout(() => { conn.textContent = t("live.reconnecting"); }, 1500);
  };
  stop = stream.open(`${base}/host-events?${lang}`, {
    auth: () => api.bearer(),
    refresh: () => api.refresh().catch(() => {}),
    onEvent: (type, data) => { if (type === "host") apply(data); },
    onStatus,
    onFatal: (e) => {
      document.body.classList.remove("live-projecting");
      renderError(main, { kind: e.status === 404 ? "notfound" : "auth", code: e.code }, () => ctx.rerender(true));
    },
  });
  apply(g);

  return () => {
    stop();
    timer.stop();
    clearTimeout(autoTimer);
    clearTimeout(connTimer);
    document.body.classList.remove("live-projecting");
    document.removeEventListener("fullscreenchange", onFull);
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  };
}

function typeName(type) {
  if (type === "matching") return t("live.type_matching");
  if (type === "scenario") return t("live.type_scenario");
  return type;
}
