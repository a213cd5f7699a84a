// The catalogue (/): modules grouped by track, filters by offence category
// and READI value, search, progress on each card, and "continue where you
// left off" for signed-in learners.
import { t, current, num } from "../i18n.js";
import * as api from "../api.js";
import { h, fill } from "../dom.js";
import { chips, trackTitle, CATEGORIES, VALUES, langQuery } from "../labels.js";

export async function render({ main }) {
  const lang = current();
  const signed = api.signedIn();
  const [list, prog, mine] = await Promise.all([
    api.get(`/api/v1/modules?${langQuery(lang)}`, { auth: signed }),
    signed ? api.get("/api/v1/me/progress").catch(() => null) : null,
    signed ? api.get(`/api/v1/me/assignments?${langQuery(lang)}`).catch(() => null) : null,
  ]);
  const modules = list.data || [];

  const search = h("input", { type: "search", id: "f-search", name: "q", autocomplete: "off" });
  const cat = h("select", { id: "f-category", name: "category" },
    h("option", { value: "" }, t("catalogue.all_categories")),
    CATEGORIES.map((c) => h("option", { value: c }, t(`category.${c}`))));
  const val = h("select", { id: "f-readi", name: "readi" },
    h("option", { value: "" }, t("catalogue.all_values")),
    VALUES.map((v) => h("option", { value: v }, t(`readi.${v}`))));
  const count = h("p", { class: "muted", role: "status", "aria-live": "polite" });
  const results = h("div", { id: "catalogue-results" });

  const filters = h("form", { class: "filters panel", role: "search", "aria-label": t("catalogue.filters"), onsubmit: (e) => e.preventDefault() },
    h("div", { class: "field" }, h("label", { for: "f-search" }, t("catalogue.search")), search),
    h("div", { class: "field" }, h("label", { for: "f-category" }, t("catalogue.category")), cat),
    h("div", { class: "field" }, h("label", { for: "f-readi" }, t("catalogue.value")), val));

  const update = () => {
    const q = search.value.trim().toLowerCase();
    const shown = modules.filter((m) =>
      (!cat.value || m.category === cat.value) &&
      (!val.value || (m.readi || []).includes(val.value)) &&
      (!q || `${m.title} ${m.summary}`.toLowerCase().includes(q)));
    count.textContent = t("catalogue.count", { n: shown.length });
    fill(results, shown.length ? groups(shown) : h("p", { class: "empty" }, t("catalogue.none")));
  };
  search.addEventListener("input", update);
  cat.addEventListener("change", update);
  val.addEventListener("change", update);

  fill(main,
    h("div", { class: "hero" },
      h("h1", {}, t("catalogue.title")),
      h("p", { class: "lead" }, t("catalogue.lead"))),
    resume(prog && prog.data, modules),
    assignments((mine && mine.data) || []),
    signed ? null : h("div", { class: "panel" },
      h("p", {}, t("catalogue.guest")),
      h("div", { class: "actions" },
        h("a", { class: "button", href: "/register" }, t("nav.register")),
        h("a", { class: "button secondary", href: "/join" }, t("nav.join")))),
    h("h2", { class: "visually-hidden" }, t("catalogue.filters")),
    filters, count, results);
  update();
}

const MARKS = { completed: "✓", in_progress: "◐", not_started: "○", overdue: "!" };

/** assignments lists what the learner's classes assigned, soonest due first. */
function assignments(list) {
  const due = (a) => (a.due_at ? Date.parse(a.due_at) : Infinity);
  const sorted = list.slice().sort((a, b) => (due(a) - due(b)) || a.module_title.localeCompare(b.module_title));
  const date = new Intl.DateTimeFormat(current(), { dateStyle: "medium", timeStyle: "short" });
  return h("section", { id: "assignments", class: "panel", hidden: !list.length, "aria-labelledby": "assignments-title" },
    h("h2", { id: "assignments-title" }, t("catalogue.assignments")),
    h("ul", { class: "assignments" }, sorted.map((a) => h("li", { class: `assignment s-${a.status}`, "data-module": a.module_slug },
      h("a", { href: `/modules/${a.module_slug}` }, a.module_title || a.module_slug),
      h("span", { class: "muted" }, a.class_name),
      h("span", {}, a.due_at ? t("catalogue.due", { date: date.format(new Date(a.due_at)) }) : t("catalogue.no_due")),
      h("span", { class: "status-label" }, h("span", { class: "status-icon", "aria-hidden": "true" }, MARKS[a.status] || ""), t(`status.${a.status}`))))));
}

function resume(report, modules) {
  if (!report || !report.resume) return null;
  const r = report.resume;
  const m = modules.find((x) => x.slug === r.module_slug);
  const title = m ? m.title : r.module_slug;
  const href = r.kind === "quiz" ? `/modules/${r.module_slug}/quiz` : `/modules/${r.module_slug}/lessons/${r.lesson_slug}`;
  return h("section", { class: "panel resume", "aria-labelledby": "resume-title" },
    h("div", {},
      h("h2", { id: "resume-title", class: "muted" }, t("catalogue.resume")),
      h("p", {}, h("strong", {}, title), " · ", r.kind === "quiz" ? t("catalogue.resume_quiz") : t("catalogue.resume_lesson"))),
    h("a", { class: "button", href }, t("catalogue.continue")));
}

function groups(modules) {
  const byTrack = new Map();
  for (const m of [...modules].sort((a, b) => a.position - b.position)) {
    if (!byTrack.has(m.track)) byTrack.set(m.track, []);
    byTrack.get(m.track).push(m);
  }
  return [...byTrack].map(([track, ms]) => {
    const hid = `track-${track}`;
    return h("section", { class: "track", "aria-labelledby": hid },
      h("h2", { id: hid }, trackTitle(track)),
      h("ul", { class: "cards" }, ms.map(card)));
  });
}

function card(m) {
  const p = m.progress;
  let progress = null;
  if (p) {
    const parts = (m.lesson_count || 0) + 1;
    const done = Math.min(p.lessons_completed, m.lesson_count) + (p.passed ? 1 : 0);
    const pct = Math.round((done / parts) * 100);
    const label = p.status === "completed" ? t("status.completed")
      : t("catalogue.card_progress", { done: p.lessons_completed, total: m.lesson_count });
    progress = h("div", { class: "progress-line" },
      h("div", { class: "bar-track", role: "img", "aria-label": t("catalogue.percent_done", { pct }) },
        h("div", { class: "bar-fill", "data-pct": pct })),
      h("span", { class: p.status === "completed" ? "status-done" : null }, label));
  }
  const el = h("li", { class: "card" },
    h("h3", {}, h("a", { href: `/modules/${m.slug}` }, m.title)),
    h("ul", { class: "meta" },
      h("li", {}, h("span", { class: "tag" }, t(`category.${m.category}`))),
      h("li", {}, t("module.minutes", { n: num(m.minutes) })),
      h("li", {}, t("module.lessons", { n: m.lesson_count })),
      m.content_warning ? h("li", {}, h("span", { class: "tag cw" }, t("module.sensitive"))) : null),
    h("p", { class: "summary" }, m.summary),
    chips(m.readi),
    progress);
  // Widths through the CSSOM: the CSP allows no inline style attributes.
  for (const bar of el.querySelectorAll(".bar-fill")) bar.style.width = `${bar.dataset.pct}%`;
  return el;
}
