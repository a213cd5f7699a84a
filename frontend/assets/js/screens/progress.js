// My progress (/progress): headline numbers, the READI chart of mastery per
// value, progress per category and per module, and what to review.
import { t, current, num } from "../i18n.js";
import * as api from "../api.js";
import { h, fill } from "../dom.js";
import { signInInvite, VALUES, CATEGORIES, langQuery } from "../labels.js";
import { readiChart } from "../widgets/chart.js";

export async function render({ main }) {
  if (!api.signedIn()) {
    fill(main, h("h1", {}, t("progress.title")), signInInvite("progress.sign_in"));
    return null;
  }
  const p = (await api.get("/api/v1/me/progress")).data;
  const tot = p.totals || {};
  const review = p.review || [];
  const prompts = await reviewPrompts(review);

  const readiRows = Object.fromEntries((p.readi || []).map((r) => [r.value, r]));
  const cats = (p.categories || []).filter((c) => c.modules > 0);
  fill(main,
    h("h1", {}, t("progress.title")),
    h("ul", { class: "stats", "aria-label": t("progress.summary") },
      stat(tot.modules_completed || 0, tot.modules || 0, t("progress.modules_done")),
      stat(tot.lessons_completed || 0, tot.lessons || 0, t("progress.lessons_done")),
      stat(tot.attempts || 0, null, t("progress.attempts")),
      stat(p.days_active || 0, null, t("progress.days_active"))),
    h("section", { class: "panel readi-chart", "aria-labelledby": "readi-title" },
      h("h2", { id: "readi-title" }, t("progress.readi_title")),
      h("p", { class: "muted" }, t("progress.readi_text")),
      readiChart(p.readi),
      h("ul", { class: "visually-hidden" }, VALUES.map((v) => {
        const r = readiRows[v];
        return h("li", {}, `${t(`readi.${v}`)}: ${r && r.questions ? `${num(r.mastery)}%` : t("progress.no_answers")}`);
      }))),
    h("section", { class: "panel", "aria-labelledby": "cat-title" },
      h("h2", { id: "cat-title" }, t("progress.categories_title")),
      h("div", { class: "table-wrap" }, h("table", { class: "data" },
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, t("catalogue.category")),
          h("th", { scope: "col" }, t("progress.col_modules")),
          h("th", { scope: "col" }, t("progress.col_mastery")))),
        h("tbody", {}, cats.map((c) => h("tr", {},
          h("th", { scope: "row" }, CATEGORIES.includes(c.category) ? t(`category.${c.category}`) : c.category),
          h("td", {}, t("progress.of", { n: c.completed, total: c.modules })),
          h("td", {}, c.questions ? `${num(c.mastery)}%` : "–"))))))),
    h("section", { class: "panel", "aria-labelledby": "mod-title" },
      h("h2", { id: "mod-title" }, t("progress.modules_title")),
      h("div", { class: "table-wrap" }, h("table", { class: "data" },
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, t("progress.col_module")),
          h("th", { scope: "col" }, t("progress.col_lessons")),
          h("th", { scope: "col" }, t("progress.col_best")),
          h("th", { scope: "col" }, t("progress.col_status")))),
        h("tbody", {}, (p.modules || []).map((m) => h("tr", { "data-module": m.slug },
          h("th", { scope: "row" }, h("a", { href: `/modules/${m.slug}` }, m.title)),
          h("td", {}, t("progress.of", { n: m.lessons_completed, total: m.lesson_count })),
          h("td", { class: "best" }, m.attempts ? `${num(m.best_percent)}%` : "–"),
          h("td", { class: m.status === "completed" ? "status-done" : null }, t(`status.${m.status}`)))))))),
    h("section", { class: "panel", "aria-labelledby": "review-title" },
      h("h2", { id: "review-title" }, t("progress.review_title")),
      review.length === 0 ? h("p", {}, t("progress.review_empty")) : h("ul", { class: "review" }, review.map((r) => h("li", {},
        h("a", { href: `/modules/${r.module_slug}/quiz` }, short(prompts[r.question_id] || r.question_id)),
        h("span", { class: "muted" }, ` · ${t("progress.review_score", { pct: num(r.fraction * 100) })}`))))));
  return null;
}

function stat(n, total, label) {
  return h("li", {},
    h("span", { class: "num" }, num(n), total != null ? h("span", { class: "of" }, ` / ${num(total)}`) : null),
    h("span", {}, label));
}

/** reviewPrompts fetches the quizzes named in the review list for their prompts. */
async function reviewPrompts(review) {
  const slugs = [...new Set(review.map((r) => r.module_slug))].slice(0, 5);
  const out = {};
  await Promise.all(slugs.map(async (slug) => {
    try {
      const quiz = (await api.get(`/api/v1/quizzes/${slug}?${langQuery(current())}`)).data;
      for (const q of quiz.questions) out[q.id] = q.prompt;
    } catch { /* the id is shown instead */ }
  }));
  return out;
}

function short(s) {
  return s.length > 140 ? `${s.slice(0, 137).trimEnd()}…` : s;
}
