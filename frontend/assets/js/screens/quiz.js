// A quiz (/modules/{slug}/quiz): every question type, answered by pointer
// or keyboard; submitted with an Idempotency-Key, queued in the outbox when
// offline; then the score, pass or fail, feedback per question, what to
// review and a retry. Signed-out learners are invited to sign in first.
import { t, current, num, has } from "../i18n.js";
import * as api from "../api.js";
import * as outbox from "../outbox.js";
import { h, fill, uuid } from "../dom.js";
import { chips, langQuery, signInInvite } from "../labels.js";
import { message } from "../errors.js";
import { build } from "../widgets/questions.js";

export async function render(ctx) {
  const { main, params } = ctx;
  const [slug] = params;
  const q = langQuery(current());
  if (!api.signedIn()) {
    const mod = await api.get(`/api/v1/modules/${slug}?${q}`, { auth: false });
    fill(main, crumbs(slug, mod.data.title),
      h("h1", {}, t("quiz.title", { title: mod.data.title })),
      signInInvite("quiz.sign_in"));
    return null;
  }
  const quiz = (await api.get(`/api/v1/quizzes/${slug}?${q}`)).data;
  const path = `/api/v1/quizzes/${slug}/attempts?${q}`;
  const total = quiz.questions.length;
  const widgets = [];
  const sections = [];
  const counter = h("span", {});
  const live = h("p", { class: "visually-hidden", role: "status", "aria-live": "polite", id: "quiz-live" });
  const alertBox = h("div", { class: "form-error", role: "alert" });
  const waiting = h("div", { id: "quiz-waiting", hidden: true });
  const results = h("div", { id: "quiz-results" });
  const intro = h("p", { class: "lead" }, t("quiz.intro", { n: total, pct: quiz.pass_percent }));
  const progressLine = h("p", { class: "quiz-progress" }, counter);
  const submitBtn = h("button", { type: "submit", class: "primary", id: "quiz-submit" }, t("quiz.submit"));

  const onChange = () => {
    let n = 0;
    widgets.forEach((w, i) => {
      const a = w.answered();
      if (a) n += 1;
      sections[i].classList.toggle("answered", a);
    });
    counter.textContent = t("quiz.answered", { n, total });
  };
  quiz.questions.forEach((question, i) => {
    const w = build(question, onChange);
    widgets.push(w);
    sections.push(h("section", { class: "question", id: `q-${question.id}`, "aria-labelledby": `q-${question.id}-h` },
      h("h2", { id: `q-${question.id}-h` }, t("quiz.question_n", { n: i + 1, total })),
      w.el,
      h("div", { class: "q-error" })));
  });

  let key = null;
  let lastBody = "";
  let pendingKey = null;
  const form = h("form", { id: "quiz-form", novalidate: true },
    sections,
    alertBox,
    h("div", { class: "actions" }, submitBtn, h("span", { class: "muted" }, t("quiz.unanswered_note"))));

  const showResult = (data) => {
    pendingKey = null;
    waiting.hidden = true;
    form.hidden = true;
    intro.hidden = true;
    progressLine.hidden = true;
    renderResult(results, quiz, widgets, data, slug, () => ctx.rerender(true));
    live.textContent = t(data.passed ? "quiz.live_passed" : "quiz.live_failed", { pct: num(data.percent) });
    const head = results.querySelector("h2");
    head.setAttribute("tabindex", "-1");
    head.focus();
  };

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    for (const el of form.querySelectorAll(".q-error")) el.replaceChildren();
    alertBox.textContent = "";
    const answers = {};
    quiz.questions.forEach((question, i) => {
      const v = widgets[i].value();
      if (v !== undefined) answers[question.id] = v;
    });
    const body = { answers };
    const sig = JSON.stringify(body);
    if (sig !== lastBody || !key) {
      key = uuid();
      lastBody = sig;
    }
    submitBtn.disabled = true;
    live.textContent = t("quiz.sending");
    try {
      const res = await api.post(path, body, { headers: { "Idempotency-Key": key } });
      showResult(res.data);
    } catch (err) {
      if (err.kind === "network") {
        pendingKey = key;
        await outbox.add({ kind: "attempt", method: "POST", path, body, key, user: api.currentUser().id, label: t("outbox.quiz", { title: quiz.title }) });
        form.hidden = true;
        waiting.hidden = false;
        fill(waiting, h("div", { class: "panel", role: "status" },
          h("h2", { tabindex: "-1" }, t("quiz.queued_title")),
          h("p", {}, t("quiz.queued_text"))));
        waiting.querySelector("h2").focus();
      } else {
        showSubmitError(err, form, alertBox);
      }
    } finally {
      submitBtn.disabled = false;
    }
  });

  const stop = outbox.onChange((ev) => {
    if (ev.sent && pendingKey && ev.sent.item.key === pendingKey) showResult(ev.sent.data);
  });

  fill(main, crumbs(slug, quiz.title),
    h("h1", {}, t("quiz.title", { title: quiz.title })),
    intro, progressLine,
    live, form, waiting, results);
  onChange();
  return stop;
}

function crumbs(slug, title) {
  return h("nav", { class: "crumbs", "aria-label": t("nav.breadcrumb") },
    h("ol", {},
      h("li", {}, h("a", { href: "/" }, t("nav.modules"))),
      h("li", {}, h("a", { href: `/modules/${slug}` }, title)),
      h("li", {}, h("span", { "aria-current": "page" }, t("quiz.crumb")))));
}

function showSubmitError(err, form, alertBox) {
  let placed = false;
  for (const [field, code] of Object.entries(err.fields || {})) {
    const qid = field.replace(/^answers\./, "");
    const box = form.querySelector(`#q-${CSS.escape(qid)} .q-error`);
    if (!box) continue;
    fill(box, h("p", { class: "field-error" }, has(code) ? t(code) : t("error.generic")));
    placed = true;
  }
  alertBox.textContent = placed ? t("quiz.fix_answers") : message(err);
}

// The server writes a few generic feedback lines in English; these are
// shown in the learner's language instead.
function feedbackText(text) {
  if (text === "That is not the right match.") return t("feedback.wrong_pair");
  if (text === "This part is not a warning sign.") return t("feedback.not_a_flag");
  const m = /^Belongs in position (\d+) of (\d+)\.$/.exec(text);
  if (m) return t("feedback.wrong_position", { n: m[1], total: m[2] });
  return text;
}

function renderResult(box, quiz, widgets, data, slug, retry) {
  const byId = Object.fromEntries(quiz.questions.map((q, i) => [q.id, { q, w: widgets[i], n: i + 1 }]));
  const review = data.results.filter((r) => !r.correct);
  const items = data.results.map((r) => {
    const { q, w, n } = byId[r.question_id] || { q: { prompt: r.question_id, readi: [] }, w: { labels: {} }, n: 0 };
    const state = r.correct ? "right" : "wrong";
    const mark = r.correct ? t("quiz.correct") : !r.answered ? t("quiz.unanswered") : r.points > 0 ? t("quiz.partly") : t("quiz.incorrect");
    const about = (id) => {
      if (q.type === "true_false") return t(`quiz.${id}`);
      return w.labels[id] || "";
    };
    return h("li", { class: `panel result-item ${state}`, id: `result-${r.question_id}` },
      h("h3", {}, t("quiz.question_n", { n, total: quiz.questions.length })),
      h("p", {}, q.prompt),
      h("p", {}, h("span", { class: "mark" }, `${r.correct ? "✓" : "✗"} ${mark}`), " · ",
        t("quiz.points", { points: num(r.points, 2), max: num(r.max_points, 2) })),
      r.feedback && r.feedback.length ? h("ul", { class: "feedback" }, r.feedback.map((f) => h("li", { class: f.correct ? "good" : "bad" },
        about(f.id) ? h("span", { class: "about" }, about(f.id)) : null,
        feedbackText(f.text)))) : null,
      r.explanation ? h("div", { class: "explanation" }, h("strong", {}, t("quiz.explanation")), h("p", {}, r.explanation)) : null,
      chips(q.readi));
  });
  fill(box,
    h("section", { class: "panel result-summary", "aria-labelledby": "result-title" },
      h("h2", { id: "result-title" }, t("quiz.result_title")),
      h("p", { class: "score-big" }, `${num(data.percent)}%`),
      h("p", {}, t("quiz.score", { score: num(data.score, 2), max: num(data.max_score, 2) })),
      h("p", { class: `verdict ${data.passed ? "pass" : "fail"}` }, data.passed ? t("quiz.passed") : t("quiz.not_yet")),
      h("p", {}, data.passed ? t("quiz.pass_text") : t("quiz.fail_text", { pct: quiz.pass_percent })),
      h("div", { class: "actions", id: "result-actions" },
        h("button", { type: "button", class: "primary", id: "quiz-retry", onclick: retry }, t("quiz.retry")),
        h("a", { class: "button secondary", href: `/modules/${slug}` }, t("quiz.back_to_module")),
        h("a", { class: "button secondary", href: "/progress" }, t("nav.progress")))),
    review.length ? h("section", { class: "panel", "aria-labelledby": "review-title" },
      h("h2", { id: "review-title" }, t("quiz.review_title")),
      h("p", {}, t("quiz.review_text")),
      h("ul", { class: "review" }, review.map((r) => {
        const e = byId[r.question_id];
        return h("li", {}, h("a", { href: `#result-${r.question_id}` }, e ? `${e.n}. ${e.q.prompt}` : r.question_id));
      })),
      h("p", {}, h("a", { href: `/modules/${slug}` }, t("quiz.review_lessons")))) : null,
    h("h2", {}, t("quiz.feedback_title")),
    h("ol", { class: "results-list", role: "list" }, items));
}
