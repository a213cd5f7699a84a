// What the live game's player and host screens share: the answer marks (a shape AND a letter on a colour, so colour is never the
// only signal), the countdown, the podium and the leaderboard, and a
// polite live region that speaks only when it matters.
import { t, num } from "../i18n.js";
import { h, s } from "../dom.js";

// Drawn as SVG rather than as characters: cheap phones lack some of the
// symbol glyphs, and a path looks the same on a projector and a phone.
const SHAPES = [
  "M12 2.5 22.5 21h-21Z", // triangle
  "M12 1.5 22.5 12 12 22.5 1.5 12Z", // diamond
  "M1.5 12a10.5 10.5 0 1 0 21 0a10.5 10.5 0 1 0-21 0Z", // circle
  "M2.5 2.5h19v19h-19Z", // square
  "M12 1.5l3 7.1 7.6.6-5.8 5 1.8 7.4L12 17.6l-6.6 4 1.8-7.4-5.8-5 7.6-.6Z", // star
  "M7 2.5h10l5.5 9.5-5.5 9.5H7L1.5 12Z", // hexagon
  "M8.5 1.5h7v7h7v7h-7v7h-7v-7h-7v-7h7Z", // cross
  "M12 1.5l10.5 7.7-4 12.3h-13l-4-12.3Z", // pentagon
];

export const letter = (i) => String.fromCharCode(65 + i);

/** mark is the badge of answer i: its colour, its shape and its letter. */
export function mark(i) {
  const k = i % SHAPES.length;
  return h("span", { class: `live-mark m${k}`, "aria-hidden": "true" },
    s("svg", { viewBox: "0 0 24 24", focusable: "false" }, s("path", { d: SHAPES[k] })),
    h("span", { class: "live-letter" }, letter(i)));
}

/** choicesOf lists the tappable answers of a single, multiple or true/false question. */
export function choicesOf(q) {
  if (q.type === "true_false") return [{ id: "true", text: t("quiz.true") }, { id: "false", text: t("quiz.false") }];
  return q.options || [];
}

/** answerText describes an answer in words (for "your answer" and the key). */
export function answerParts(q, answer) {
  if (answer == null) return [];
  if (q.type === "single" || q.type === "multiple" || q.type === "true_false") {
    const list = choicesOf(q);
    const ids = [answer].flat().map(String);
    return list.map((c, i) => (ids.includes(String(c.id)) ? { i, text: c.text } : null)).filter(Boolean);
  }
  const items = q.type === "ordering" ? q.items : q.message ? q.message.segments : [];
  const byId = Object.fromEntries((items || []).map((x) => [x.id, x.text]));
  return [answer].flat().map((id) => ({ i: -1, text: byId[id] || String(id) }));
}

/** answerList shows answerParts: marked choices, or an ordered list for an order. */
export function answerList(q, answer, cls = "") {
  const parts = answerParts(q, answer);
  const tag = q.type === "ordering" ? "ol" : "ul";
  return h(tag, { class: `live-answer-list ${cls}` }, parts.map((p) => h("li", {},
    p.i >= 0 ? [mark(p.i), h("span", { class: "visually-hidden" }, `${letter(p.i)}: `)] : null,
    h("span", {}, p.text))));
}

/** announcer is a polite live region; say() replaces what it holds. */
export function announcer() {
  const el = h("p", { class: "visually-hidden", "aria-live": "polite", "aria-atomic": "true" });
  return {
    el,
    say(text) {
      // Emptied first, so the same words said twice are read twice.
      el.textContent = "";
      setTimeout(() => { el.textContent = text; }, 60);
    },
  };
}

/**
 * countdown draws the seconds left as a number and a shrinking bar, from
 * remaining_ms as the server last gave it (the phone's clock is only used
 * to count down from there). It speaks at 10 s, 5 s and time up, never
 * every second. onEnd runs once when it reaches zero.
 */
export function countdown(say, onEnd) {
  const n = h("span", { class: "live-timer-num" });
  const bar = h("span", { class: "live-timer-bar" });
  const el = h("div", { class: "live-timer" },
    h("p", { class: "live-timer-text", role: "timer" }, h("span", { class: "visually-hidden" }, t("live.time_left")), n),
    h("span", { class: "live-timer-track", "aria-hidden": "true" }, bar));
  let key = null;
  let deadline = 0;
  let limit = 1;
  let frozen = null;
  let tick = null;
  let said = new Set();
  let last = "";

  const left = () => (frozen != null ? frozen : Math.max(0, deadline - performance.now()));
  const draw = () => {
    const ms = left();
    const secs = Math.ceil(ms / 1000);
    n.textContent = num(secs);
    bar.style.transform = `scaleX(${Math.max(0, Math.min(1, ms / limit))})`;
    el.classList.toggle("low", secs <= 5);
    if (frozen != null) return;
    if (secs <= 10 && secs > 5 && !said.has(10)) { said.add(10); say(t("live.ten_left")); }
    if (secs <= 5 && secs > 0 && !said.has(5)) { said.add(5); say(t("live.five_left")); }
    if (ms <= 0) {
      stop();
      if (!said.has(0)) {
        said.add(0);
        say(t("live.time_up"));
        if (onEnd) onEnd();
      }
    }
  };
  const stop = () => { if (tick) clearInterval(tick); tick = null; };

  return {
    el,
    /** set restarts from the server's numbers; qkey names the question. */
    set(remainingMs, limitMs, paused, qkey) {
      // The same numbers again are the same server state drawn again (after
      // an answer, say): keep counting rather than jump back.
      const sig = `${qkey}:${remainingMs}:${limitMs}:${Boolean(paused)}`;
      if (sig === last) return;
      last = sig;
      if (qkey !== key) {
        key = qkey;
        said = new Set();
        // Marks already passed when the question is first seen (a reload
        // at 7 s left) stay silent: only what happens from now is said.
        const secs = Math.ceil(remainingMs / 1000);
        for (const m of [10, 5, 0]) if (secs <= m) said.add(m);
      }
      limit = Math.max(1, limitMs || remainingMs || 1);
      deadline = performance.now() + Math.max(0, remainingMs);
      frozen = paused ? Math.max(0, remainingMs) : null;
      el.classList.toggle("paused", Boolean(paused));
      stop();
      draw();
      if (!paused && remainingMs > 0) tick = setInterval(draw, 250);
    },
    stop() { stop(); last = ""; },
  };
}

/** podium shows the first three places, first in the middle. */
export function podium(board, meId) {
  const top = (board || []).slice(0, 3);
  if (!top.length) return null;
  return h("ol", { class: "live-podium", "aria-label": t("live.podium") },
    // Laid out by position (ties share a rank number, not a step).
    top.map((p, i) => h("li", { class: `place p${i + 1}${meId && p.player_id === meId ? " me" : ""}` },
      // The place is read first; the step is drawn under the name.
      h("span", { class: "step" }, h("span", { class: "visually-hidden" }, t("live.rank_label")), num(p.rank)),
      h("span", { class: "who" }, p.nickname),
      p.team ? h("span", { class: "team" }, t("live.team", { team: p.team })) : null,
      h("span", { class: "pts" }, t("live.points", { n: num(p.score) })))));
}

/** board is the leaderboard as an ordered list, my row marked in words. */
export function board(list, meId, from = 0) {
  return h("ol", { class: "live-board" }, (list || []).slice(from).map((p) => h("li", { class: meId && p.player_id === meId ? "me" : null },
    h("span", { class: "rank" }, h("span", { class: "visually-hidden" }, t("live.rank_label")), num(p.rank)),
    h("span", { class: "who" }, p.nickname,
      p.team ? h("span", { class: "team" }, t("live.team", { team: p.team })) : null,
      meId && p.player_id === meId ? h("span", { class: "tag" }, t("live.you")) : null),
    h("span", { class: "pts" }, t("live.points", { n: num(p.score) })))));
}

/** teamBoard lists the teams by score. */
export function teamBoard(list) {
  if (!list || !list.length) return null;
  return h("ol", { class: "live-board teams", "aria-label": t("live.teams_title") }, list.map((x, i) => h("li", {},
    h("span", { class: "rank" }, num(i + 1)),
    h("span", { class: "who" }, t("live.team", { team: x.team }), h("span", { class: "team" }, t("live.team_players", { n: num(x.players) }))),
    h("span", { class: "pts" }, t("live.points", { n: num(x.score) })))));
}
