// A module (/modules/{slug}): a content warning first for sensitive modules,
// then objectives, lessons with completion ticks, the quiz and the sources.
import { t, current, num } from "../i18n.js";
import * as api from "../api.js";
import { h, fill } from "../dom.js";
import { chips, langQuery } from "../labels.js";
import { doneSet } from "../done.js";

function warned(slug) {
  try { return sessionStorage.getItem(`readi.cw.${slug}`) === "1"; } catch { return false; }
}

function acceptWarning(slug) {
  try { sessionStorage.setItem(`readi.cw.${slug}`, "1"); } catch { /* private mode */ }
}

export async function render(ctx) {
  const { main, params, navigate } = ctx;
  const [slug] = params;
  const signed = api.signedIn();
  const [res, prog] = await Promise.all([
    api.get(`/api/v1/modules/${slug}?${langQuery(current())}`, { auth: false }),
    signed ? api.get("/api/v1/me/progress").catch(() => null) : null,
  ]);
  const m = res.data;
  const row = prog && prog.data ? (prog.data.modules || []).find((x) => x.slug === slug) : null;

  const crumbs = h("nav", { class: "crumbs", "aria-label": t("nav.breadcrumb") },
    h("ol", {}, h("li", {}, h("a", { href: "/" }, t("nav.modules"))), h("li", {}, h("span", { "aria-current": "page" }, m.title))));

  if (m.content_warning && !warned(slug)) {
    fill(main, crumbs,
      h("h1", {}, m.title),
      h("section", { class: "panel warning-panel", "aria-labelledby": "cw-title" },
        h("h2", { id: "cw-title" }, t("module.cw_title")),
        h("p", {}, m.content_warning),
        h("p", {}, t("module.cw_help")),
        h("div", { class: "actions" },
          h("button", { type: "button", class: "primary", id: "cw-continue", onclick: () => { acceptWarning(slug); ctx.rerender(true); } }, t("module.cw_continue")),
          h("button", { type: "button", class: "secondary", onclick: () => navigate("/") }, t("module.cw_skip")))));
    return null;
  }

  const done = doneSet(api.currentUser());
  const role = signed ? api.currentUser().role : "";
  const teaches = role === "educator" || role === "admin";
  const allDone = row && row.lessons_completed >= row.lesson_count;
  const lessonItems = m.lessons.map((l, i) => {
    const isDone = signed && (allDone || done.has(`${slug}/${l.slug}`));
    return h("li", {},
      h("span", { class: `tick${isDone ? " done" : ""}`, "aria-hidden": "true" }, isDone ? "✓" : String(i + 1)),
      h("a", { href: `/modules/${slug}/lessons/${l.slug}` }, l.title),
      isDone ? h("span", { class: "visually-hidden" }, ` (${t("module.lesson_done")})`) : null,
      h("span", { class: "mins" }, t("module.minutes", { n: num(l.minutes) })));
  });

  let quizStatus = null;
  if (row && row.attempts > 0) {
    quizStatus = h("p", {}, t("module.best", { pct: num(row.best_percent) }), " ",
      row.passed ? h("strong", { class: "status-done" }, t("quiz.passed")) : t("quiz.not_yet"));
  }

  fill(main, crumbs,
    h("h1", {}, m.title),
    h("p", { class: "lead" }, m.summary),
    h("ul", { class: "meta" },
      h("li", {}, h("span", { class: "tag" }, t(`category.${m.category}`))),
      h("li", {}, t(`level.${m.level}`)),
      h("li", {}, t("module.minutes", { n: num(m.minutes) }))),
    h("p", {}, chips(m.readi)),
    m.lang !== current() ? h("p", { class: "muted" }, t("module.not_translated")) : null,
    h("section", { class: "panel", "aria-labelledby": "obj-title" },
      h("h2", { id: "obj-title" }, t("module.objectives")),
      h("ul", { class: "objectives" }, m.objectives.map((o) => h("li", {}, o)))),
    h("section", { class: "panel", "aria-labelledby": "lessons-title" },
      h("h2", { id: "lessons-title" }, t("module.lessons_title")),
      signed ? null : h("p", { class: "muted" }, t("module.sign_in_ticks")),
      row ? h("p", { class: "muted" }, t("catalogue.card_progress", { done: row.lessons_completed, total: row.lesson_count })) : null,
      h("ol", { class: "lessons" }, lessonItems)),
    h("section", { class: "panel", "aria-labelledby": "quiz-title" },
      h("h2", { id: "quiz-title" }, t("module.quiz_title")),
      h("p", {}, t("module.quiz_text", { n: m.question_count, pct: m.pass_percent })),
      quizStatus,
      h("div", { class: "actions" }, h("a", { class: "button", href: `/modules/${slug}/quiz` }, t("module.quiz_start")),
        teaches ? h("a", { class: "button secondary", id: "host-live", href: `/live/new?module=${slug}` }, t("live.host_button")) : null)),
    m.sources && m.sources.length ? h("details", { class: "sources panel" },
      h("summary", {}, t("module.sources")),
      h("ul", {}, m.sources.map((s) => h("li", {},
        h("a", { href: s.url, rel: "noopener noreferrer", target: "_blank" }, s.title),
        ` — ${s.publisher}, ${s.year}`)))) : null);
  return null;
}
