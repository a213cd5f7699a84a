// The live game on a player's phone, once joined: driven by the event
// stream (live/stream.js). Each state the server sends is drawn, and a view
// is rebuilt only when the phase, the question or what this player can do
// changes, so a resync never wipes answers being chosen; the countdown and
// the score move in place.
import { t, has, current, num } from "../i18n.js";
import { h, fill } from "../dom.js";
import { message } from "../errors.js";
import { build } from "../widgets/questions.js";
import * as stream from "./stream.js";
import { mark, letter, choicesOf, answerList, countdown, podium, announcer } from "./kit.js";
import { call, forget } from "./player.js";

const wait = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

/** play runs the game for one player until the screen is left. */
export function play(ctx, pin, token, first) {
  const { main } = ctx;
  const say = announcer();
  const conn = h("p", { class: "live-conn", role: "status" });
  const me = h("div", { class: "live-me" });
  const view = h("div", { class: "live-view" });
  const paused = h("p", { class: "live-paused", hidden: true }, h("span", { "aria-hidden": "true" }, "⏸ "), t("live.paused"));
  fill(main, h("div", { class: "live live-player" }, me, conn, view, say.el));

  let st = null;
  let key = "";
  let sent = { seq: 0, answer: null }; // what this phone sent, before the server says so
  let timeUpSeq = 0;
  let busy = false;
  let connTimer = null;

  const timer = countdown(say.say, () => {
    if (st && st.phase === "question" && mode() === "open") {
      timeUpSeq = st.seq;
      apply(st);
    }
  });

  const mode = () => {
    if (st.phase !== "question") return st.phase;
    if (st.answered || sent.seq === st.seq) return "sent";
    // Closed to me with time left (or untimed): I joined during this question.
    if (!st.can_answer) return st.remaining_ms === 0 ? "timeup" : "late";
    if (timeUpSeq === st.seq) return "timeup";
    return "open";
  };
  const qlang = () => (st.me && st.me.lang) || current();

  function apply(next) {
    st = next;
    drawMe();
    const k = `${st.phase}:${st.seq}:${mode()}`;
    if (k !== key) {
      key = k;
      drawView();
    }
    // Where the game is, for tests and styles: phase, question, what I can do.
    Object.assign(view.dataset, { phase: st.phase, seq: st.seq, mode: mode() });
    paused.hidden = !(st.phase === "question" && st.paused);
    if (st.phase === "question" && st.game.time_limit_s > 0 && st.remaining_ms != null) {
      timer.set(st.remaining_ms, st.time_limit_ms, st.paused, st.seq);
    } else {
      timer.stop();
    }
    if (st.phase === "ended") stop(); // the server closes the stream after this
  }

  function drawMe() {
    const m = st.me || {};
    fill(me,
      h("span", { class: "game" }, st.game.module_title),
      h("span", { class: "nick" }, m.nickname, m.team ? h("span", { class: "team" }, t("live.team", { team: m.team })) : null),
      h("span", { class: "score" }, t("live.points", { n: num(st.score || 0) })),
      st.streak >= 2 ? h("span", { class: "streak" }, t("live.streak", { n: num(st.streak) })) : null);
  }

  function drawView() {
    const views = { lobby, question, reveal, ended };
    const draw = views[st.phase] || lobby;
    fill(view, draw());
    const h1 = view.querySelector("h1");
    if (!h1) return;
    document.title = `${h1.textContent} · READI`;
    const a = document.activeElement;
    // Follow the game with the focus, unless the person is busy elsewhere
    // (the language switch, the help dialog).
    if (!a || a === document.body || main.contains(a) || !a.isConnected) {
      h1.setAttribute("tabindex", "-1");
      h1.focus();
      window.scrollTo(0, 0);
    }
  }

  const lobby = () => [
    h("h1", {}, t("live.lobby_title")),
    h("p", { class: "lead" }, t("live.lobby_text")),
    h("p", { class: "live-nick" }, st.me.nickname),
    st.me.team ? h("p", { class: "live-team" }, t("live.your_team", { team: st.me.team })) : null,
    h("p", { class: "muted" }, t("live.players_in", { n: num(st.players || 0) })),
  ];

  const heading = (text) => h("h1", { class: "live-qnum" }, text);
  const qnum = () => t("quiz.question_n", { n: num(st.seq), total: num(st.game.question_count) });
  const clock = () => (st.game.time_limit_s > 0 ? [timer.el, paused] : paused);

  function question() {
    const m = mode();
    if (m === "sent") {
      const answer = sent.seq === st.seq && sent.answer != null ? sent.answer : st.my_answer;
      return [
        heading(t("live.received_title")),
        h("p", { class: "live-step" }, qnum()),
        clock(),
        h("div", { class: "panel live-received" },
          h("p", { class: "live-big" }, h("span", { class: "icon", "aria-hidden": "true" }, "✔"), " ", t("live.received_text")),
          answer != null ? [h("h2", {}, t("live.your_answer")), h("div", { lang: qlang() }, answerList(st.question, answer))] : null,
          h("p", { class: "muted" }, t("live.received_wait"))),
      ];
    }
    if (m === "late" || m === "timeup") {
      return [
        heading(m === "late" ? t("live.late_title") : t("live.time_up")),
        h("p", { class: "live-step" }, qnum()),
        clock(),
        h("p", { class: "lead" }, m === "late" ? t("live.late_text") : t("live.timeup_text")),
      ];
    }
    const err = h("p", { class: "live-error", role: "alert" });
    return [heading(qnum()), clock(), answerForm(st.question, err), err];
  }

  function answerForm(q, err) {
    const lang = qlang();
    const prompt = h("p", { class: "live-prompt", id: "live-prompt", lang }, q.prompt);
    const sendBtn = (value) => h("div", { class: "actions" },
      h("button", { type: "button", class: "primary live-send", id: "live-send", onclick: () => {
        const v = value();
        if (v === undefined) { err.textContent = t("live.pick_first"); return; }
        send(v, err);
      } }, t("live.send")));
    if (q.type === "single" || q.type === "true_false") {
      return h("div", {}, prompt,
        h("div", { class: "live-choices", role: "group", "aria-labelledby": "live-prompt" }, choicesOf(q).map((c, i) => h("button", {
          type: "button", class: "live-choice", "data-choice": c.id,
          onclick: () => send(q.type === "true_false" ? c.id === "true" : c.id, err),
        }, mark(i), h("span", { class: "visually-hidden" }, `${letter(i)}: `), h("span", { class: "text", lang: q.type === "single" ? lang : null }, c.text)))));
    }
    if (q.type === "multiple") {
      const buttons = choicesOf(q).map((c, i) => h("button", {
        type: "button", class: "live-choice", "data-choice": c.id, "aria-pressed": "false",
        onclick: (e) => {
          const b = e.currentTarget;
          b.setAttribute("aria-pressed", b.getAttribute("aria-pressed") === "true" ? "false" : "true");
          err.textContent = "";
        },
      }, mark(i), h("span", { class: "visually-hidden" }, `${letter(i)}: `), h("span", { class: "text", lang }, c.text),
      h("span", { class: "tick", "aria-hidden": "true" }, "✓")));
      const picked = () => buttons.filter((b) => b.getAttribute("aria-pressed") === "true").map((b) => b.dataset.choice);
      return h("div", {}, prompt,
        h("p", { class: "instructions" }, t("quiz.choose_all")),
        h("div", { class: "live-choices", role: "group", "aria-labelledby": "live-prompt" }, buttons),
        sendBtn(() => (picked().length ? picked() : undefined)));
    }
    // Red flags and ordering: the quiz's own widgets (keyboard, drag, live
    // messages), sent with a button.
    const w = build(q, () => { err.textContent = ""; });
    return h("div", { class: "live-widget" }, h("div", { lang }, w.el), sendBtn(() => w.value()));
  }

  async function send(answer, err) {
    if (busy) return;
    busy = true;
    const { seq } = st;
    const qid = st.question.id;
    const buttons = [...view.querySelectorAll(".live-choice, .live-send")];
    for (const b of buttons) b.setAttribute("aria-disabled", "true");
    err.textContent = t("live.sending");
    try {
      // Patchy Wi-Fi: the same answer again is safe (the server replays its
      // reply), so a lost request is simply sent again while the question
      // lasts (the server says when it is too late), for two minutes at most.
      const until = Date.now() + 120000;
      for (let i = 0; ; i++) {
        try {
          await call("POST", pin, "/answers", token, { question: qid, answer });
          break;
        } catch (e) {
          if (st.seq !== seq || st.phase !== "question") return;
          // Another tab of mine answered first: that answer stands.
          if (e.code === "live.already_answered") { answer = null; break; }
          if (e.kind === "network" && Date.now() < until) {
            err.textContent = t("live.send_retry");
            await wait(Math.min(500 * 2 ** i, 4000));
            continue;
          }
          err.textContent = message(e);
          if (e.code === "live.too_late") { timeUpSeq = seq; apply(st); }
          return;
        }
      }
      if (st.seq === seq && st.phase === "question") {
        sent = { seq, answer };
        apply(st);
      }
    } finally {
      busy = false;
      for (const b of buttons) b.removeAttribute("aria-disabled");
    }
  }

  function reveal() {
    const q = st.question;
    const r = st.reveal || {};
    const res = st.correct === true ? "right" : st.correct === false ? (st.points > 0 ? "partly" : "wrong") : "none";
    const icon = { right: "✓", partly: "◐", wrong: "✗", none: "–" }[res];
    return [
      h("h1", { class: `live-verdict ${res}` }, h("span", { class: "icon", "aria-hidden": "true" }, icon), " ", verdict(res)),
      h("p", { class: "live-step" }, qnum()),
      h("ul", { class: "live-stats" },
        st.points != null ? h("li", {}, h("strong", {}, t("live.plus_points", { n: num(st.points) }))) : null,
        st.streak >= 2 ? h("li", {}, t("live.streak", { n: num(st.streak) })) : null,
        h("li", {}, t("live.total", { n: num(st.score || 0) })),
        st.rank ? h("li", {}, t("live.rank_of", { rank: num(st.rank), n: num(st.players || 0) })) : null),
      h("section", { class: "panel live-key", "aria-labelledby": "live-key-title" },
        h("h2", { id: "live-key-title" }, q.type === "red_flags" ? t("live.the_flags") : t("live.the_answer")),
        h("p", { class: "live-prompt-small", lang: qlang() }, q.prompt),
        h("div", { lang: qlang() }, answerList(q, r.correct, "key")),
        st.correct === false && st.my_answer != null ? h("div", { class: "live-mine" },
          h("h3", {}, t("live.your_answer")), h("div", { lang: qlang() }, answerList(q, st.my_answer))) : null,
        r.explanation ? [h("h3", {}, t("quiz.explanation")), h("p", { lang: qlang() }, r.explanation)] : null),
      h("p", { class: "muted" }, st.seq < st.game.question_count ? t("live.next_soon") : t("live.results_soon")),
    ];
  }

  function ended() {
    const review = st.review || [];
    return [
      h("h1", {}, t("live.final_title")),
      st.rank ? h("p", { class: "live-final-me" }, t("live.final_me", { rank: num(st.rank), n: num(st.players || 0), score: num(st.score || 0) })) : null,
      podium(st.leaderboard, st.me.id),
      h("section", { class: "panel", "aria-labelledby": "live-review-title" },
        h("h2", { id: "live-review-title" }, t("quiz.review_title")),
        review.length ? [
          h("p", {}, t("live.review_text")),
          h("ul", { class: "live-review" }, byLesson(review).map((x) => h("li", {},
            h("a", { href: `/modules/${x.module}/lessons/${x.lesson}`, lang: qlang() }, t("live.reread", { title: x.lesson_title })),
            h("ul", { lang: qlang() }, x.prompts.map((p) => h("li", {}, p))))))]
          : h("p", {}, t("live.review_none"))),
      h("div", { class: "actions" },
        h("button", { type: "button", class: "primary", id: "live-again", onclick: again }, t("live.join_another")),
        h("a", { class: "button secondary", href: "/" }, t("nav.modules"))),
    ];
  }

  function again() {
    stop();
    forget(pin);
    ctx.navigate("/live");
  }

  function verdict(res) {
    switch (res) {
      case "right": return t("live.right");
      case "partly": return t("quiz.partly");
      case "wrong": return t("live.wrong");
      default: return t("live.no_answer");
    }
  }

  function removed(text) {
    stop();
    forget(pin);
    timer.stop();
    conn.textContent = "";
    fill(view,
      h("h1", { tabindex: "-1" }, t("live.left_title")),
      h("p", { class: "lead" }, text),
      h("div", { class: "actions" }, h("button", { type: "button", class: "primary", id: "live-again", onclick: again }, t("live.join_another"))));
    view.querySelector("h1").focus();
  }

  // "Reconnecting…" only after a moment: a quick blip is not news.
  const onStatus = (s) => {
    clearTimeout(connTimer);
    if (s === "open") conn.textContent = "";
    else connTimer = setTimeout(() => { conn.textContent = t("live.reconnecting"); }, 1500);
  };

  const stop = stream.open(`/api/v1/live/games/${encodeURIComponent(pin)}/events`, {
    auth: () => `Bearer ${token}`,
    onEvent: (type, data) => {
      if (type === "state") apply(data);
      else if (type === "removed") removed(t("live.removed"));
    },
    onStatus,
    onFatal: (e) => removed(e.code === "live.removed" ? t("live.removed") : has(e.code) ? t(e.code) : t("live.token_invalid")),
  });

  if (first) apply(first);
  else fill(view, h("h1", {}, t("live.connecting")), h("p", { class: "muted" }, t("live.connecting_text")));

  return () => {
    stop();
    timer.stop();
    clearTimeout(connTimer);
  };
}

/** byLesson groups the questions to review under the lesson to reread. */
function byLesson(review) {
  const out = new Map();
  for (const x of review) {
    const k = `${x.module}/${x.lesson}`;
    if (!out.has(k)) out.set(k, { module: x.module, lesson: x.lesson, lesson_title: x.lesson_title, prompts: [] });
    out.get(k).prompts.push(x.prompt);
  }
  return [...out.values()];
}
