// What a class has learned. /classes/{id}/progress: who needs help, the
// matrix of learners × assigned modules (each cell a symbol and words, the
// best score and attempts) with a CSV download, and the class's READI
// chart. /classes/{id}/questions?module=SLUG: per question, the share
// answered right, the most chosen wrong answer and how often each choice
// was picked.
import { t, num, current } from "../i18n.js";
import * as api from "../api.js";
import { h, fill } from "../dom.js";
import { message } from "../errors.js";
import { VALUES, langQuery } from "../labels.js";
import { readiChart } from "../widgets/chart.js";
import { gate, crumbs, sections, heading, when, statusLabel, csvDownload, styles } from "../educator.js";

export async function progress(ctx) {
  const { main, params } = ctx;
  if (!gate(main, t("report.title_plain"))) return null;
  const base = `/api/v1/classes/${params[0]}`;
  const [repRes, readiRes] = await Promise.all([api.get(`${base}/report?${langQuery(current())}`), api.get(`${base}/readi`), styles()]);
  const rep = repRes.data;
  const c = rep.class;
  const modules = rep.modules || [];
  const learners = (rep.learners || []).slice().sort((a, b) => a.nickname.localeCompare(b.nickname));
  const titleOf = (slug) => (modules.find((m) => m.slug === slug) || { title: slug }).title;

  const help = rep.needs_help || [];
  const helpBox = h("section", { class: "panel needs-help", "aria-labelledby": "help-title", id: "needs-help" },
    h("h2", { id: "help-title" }, t("report.help_title")),
    help.length ? [
      h("p", {}, t("report.help_text")),
      h("ul", { class: "help-list" }, help.map((n) => h("li", { "data-learner": n.user_id },
        h("span", { class: "status-icon", "aria-hidden": "true" }, "!"),
        h("div", {},
          h("strong", {}, n.nickname),
          h("ul", { class: "reasons" }, (n.reasons || []).map((r) => h("li", {},
            r.kind === "overdue" ? t("report.reason_overdue", { title: titleOf(r.module_slug) })
              : t("report.reason_failed_twice", { title: titleOf(r.module_slug) }))))))))]
      : h("p", { class: "muted" }, t("report.help_none")));

  const { button: csvBtn, status: csvStatus } = csvDownload(() => `${base}/report.csv?${langQuery(current())}`, `class-${c.id}-report.csv`);

  let matrix;
  if (!modules.length) {
    matrix = h("p", {}, t("report.no_assignments"), " ", h("a", { href: `/classes/${c.id}` }, t("report.assign_link")));
  } else if (!learners.length) {
    matrix = h("p", {}, t("report.no_learners"), " ", h("a", { href: `/classes/${c.id}` }, t("report.code_link")));
  } else {
    matrix = h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": "matrix-title" },
      h("table", { class: "data matrix", id: "matrix" },
        h("caption", { class: "visually-hidden" }, t("report.matrix_caption")),
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, t("report.col_learner")),
          modules.map((m) => h("th", { scope: "col", "data-module": m.slug },
            h("span", { class: "col-title" }, m.title),
            h("span", { class: "col-due" }, m.due_at ? t("report.due_short", { date: when(m.due_at, false) }) : t("class.no_due")))))),
        h("tbody", {}, learners.map((l) => h("tr", { "data-learner": l.user_id },
          h("th", { scope: "row" }, h("span", { class: "nick" }, l.nickname),
            h("span", { class: "col-due" }, l.last_active ? t("report.last_active", { date: when(l.last_active, false) }) : t("report.never_active"))),
          modules.map((m, j) => cell(l.modules[j] || { status: "not_started" }, m)))))));
  }

  const readi = readiRes.data || [];
  const byValue = Object.fromEntries(readi.map((r) => [r.value, r]));
  fill(main,
    crumbs(c, t("class.tab_progress")),
    heading(c, t("report.title", { name: c.name })),
    sections(c, "progress"),
    helpBox,
    h("section", { class: "panel", "aria-labelledby": "matrix-title" },
      h("h2", { id: "matrix-title" }, t("report.matrix_title")),
      modules.length && learners.length ? [
        h("ul", { class: "legend", "aria-label": t("report.legend") },
          ["completed", "in_progress", "not_started", "overdue"].map((s) => h("li", {}, statusLabel(s)))),
        matrix,
        h("div", { class: "actions" }, csvBtn), csvStatus] : matrix),
    h("section", { class: "panel readi-chart", "aria-labelledby": "readi-title" },
      h("h2", { id: "readi-title" }, t("report.readi_title")),
      h("p", { class: "muted" }, t("report.readi_text")),
      readiChart(readi),
      h("ul", { class: "visually-hidden" }, VALUES.map((v) => {
        const r = byValue[v];
        return h("li", {}, `${t(`readi.${v}`)}: ${r && r.questions ? `${num(r.mastery)}%` : t("progress.no_answers")}`);
      }))));
  return null;
}

function cell(x, m) {
  const lessons = t("report.lessons", { n: num(x.lessons_completed || 0), total: num(m.lesson_count || 0) });
  const quiz = x.attempts ? t("report.best", { pct: num(x.best_percent), n: num(x.attempts) }) : t("report.no_attempts");
  return h("td", { class: `cell c-${x.status}`, "data-status": x.status, "data-module": m.slug },
    statusLabel(x.status),
    h("span", { class: "cell-meta" }, quiz),
    h("span", { class: "cell-meta" }, lessons));
}

export async function questions(ctx) {
  const { main, params, query } = ctx;
  if (!gate(main, t("questions.title_plain"))) return null;
  const base = `/api/v1/classes/${params[0]}`;
  const [clsRes, assignRes] = await Promise.all([api.get(base), api.get(`${base}/assignments?${langQuery(current())}`), styles()]);
  const c = clsRes.data;
  const assigned = (assignRes.data || []).filter((a) => a.module_slug);
  const slug = query.get("module") || (assigned[0] && assigned[0].module_slug) || "";
  const choices = assigned.map((a) => [a.module_slug, a.module_title || a.module_slug]);
  if (slug && !choices.some(([s]) => s === slug)) choices.push([slug, slug]);

  let stats = null;
  let problem = null;
  if (slug) {
    try {
      stats = (await api.get(`${base}/questions?module=${encodeURIComponent(slug)}&${langQuery(current())}`)).data || [];
    } catch (e) {
      if (e.kind !== "validation") throw e;
      problem = message(e);
    }
  }
  const title = (choices.find(([s]) => s === slug) || [slug, slug])[1];

  const select = h("select", { id: "q-module", name: "module" }, choices.map(([s, label]) => h("option", { value: s }, label)));
  select.value = slug;
  const picker = h("form", { class: "picker", id: "q-picker", "aria-label": t("questions.pick") },
    h("div", { class: "field" }, h("label", { for: "q-module" }, t("questions.module")), select),
    h("button", { type: "submit", class: "primary" }, t("questions.show")));
  picker.addEventListener("submit", (e) => {
    e.preventDefault();
    ctx.navigate(`/classes/${c.id}/questions?module=${encodeURIComponent(select.value)}`);
  });

  let body;
  if (!choices.length) {
    body = h("p", {}, t("report.no_assignments"), " ", h("a", { href: `/classes/${c.id}` }, t("report.assign_link")));
  } else if (problem) {
    body = h("p", { class: "form-error", role: "alert" }, problem);
  } else {
    const answered = stats.reduce((n, s) => Math.max(n, s.answers), 0);
    body = h("section", { "aria-labelledby": "stats-title" },
      h("h2", { id: "stats-title" }, t("questions.of_module", { title })),
      h("p", { class: "muted" }, answered ? t("questions.text") : t("questions.none_yet")),
      h("ol", { class: "qstats", id: "qstats" }, stats.map((q, i) => stat(q, i + 1, stats.length))));
  }

  fill(main,
    crumbs(c, t("class.tab_questions")),
    heading(c, t("questions.title", { name: c.name })),
    sections(c, "questions"),
    choices.length ? h("div", { class: "panel" }, picker) : null,
    body);
  for (const bar of main.querySelectorAll(".bar-fill")) bar.style.width = `${bar.dataset.pct}%`;
  return null;
}

function choiceText(q, text) {
  if (q.type === "true_false") return text === "true" ? t("quiz.true") : text === "false" ? t("quiz.false") : text;
  return text;
}

function stat(q, n, total) {
  const pct = Math.round(q.percent_correct || 0);
  const wrong = q.most_chosen_wrong;
  const wrongLabel = wrong ? choiceText(q, wrong.label) : "";
  return h("li", { class: "panel qstat", "data-question": q.question_id },
    h("h3", {}, t("quiz.question_n", { n, total })),
    h("p", { class: "prompt" }, q.prompt),
    q.answers ? [
      h("div", { class: "progress-line" },
        h("div", { class: "bar-track", "aria-hidden": "true" }, h("div", { class: `bar-fill${pct < 50 ? " low" : ""}`, "data-pct": pct })),
        h("span", { class: "pct-text" }, t("questions.correct", { pct: num(q.percent_correct, 1), n: num(q.answers) }))),
      wrong ? h("p", { class: "wrong" }, h("strong", {}, t("questions.most_wrong")), " ", wrongLabel,
        " ", h("span", { class: "muted" }, t("questions.chosen_by", { n: num(wrong.count) }))) : null,
      q.choices && q.choices.length ? choiceTable(q, n) : null,
    ] : h("p", { class: "muted" }, t("questions.no_answers")));
}

// choiceTable: how often each choice was picked (for red flags: each part
// of the message marked), the right ones marked in words.
function choiceTable(q, n) {
  const flags = q.type === "red_flags";
  return h("table", { class: "data choices" },
    h("caption", { class: "visually-hidden" }, t("questions.choices_caption", { n })),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, flags ? t("questions.col_part") : t("questions.col_answer")),
      h("th", { scope: "col" }, flags ? t("questions.col_marked") : t("questions.col_count")))),
    h("tbody", {}, q.choices.map((ch) => h("tr", {},
      h("th", { scope: "row" }, choiceText(q, ch.text),
        ch.correct ? [" ", h("span", { class: "right-mark" }, flags ? t("questions.is_flag") : t("questions.right_answer"))] : null),
      h("td", {}, num(ch.count))))));
}
