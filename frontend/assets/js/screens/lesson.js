// A lesson (/modules/{slug}/lessons/{lesson}): the server's sanitised HTML,
// the READI takeaway set apart, previous/next, and completion recorded when
// the end of the lesson scrolls into view (signed-in learners only).
import { t, current, num } from "../i18n.js";
import * as api from "../api.js";
import * as outbox from "../outbox.js";
import { h, fill } from "../dom.js";
import { chips, langQuery } from "../labels.js";
import { markDone, doneSet } from "../done.js";

export async function render({ main, params }) {
  const [slug, lessonSlug] = params;
  const q = langQuery(current());
  const [res, mod] = await Promise.all([
    api.get(`/api/v1/modules/${slug}/lessons/${lessonSlug}?${q}`, { auth: false }),
    api.get(`/api/v1/modules/${slug}?${q}`, { auth: false }).catch(() => null),
  ]);
  const l = res.data;
  const m = mod && mod.data;
  const titleOf = (s) => (m && (m.lessons.find((x) => x.slug === s) || {}).title) || s;
  const total = m ? m.lessons.length : 0;

  const body = h("div", { class: "prose" });
  // The lesson HTML is rendered from Markdown and sanitised by the server.
  body.innerHTML = l.html;
  markTakeaway(body);

  const state = h("p", { class: "muted", role: "status", "aria-live": "polite", id: "lesson-state" });
  const sentinel = h("div", { class: "lesson-end", id: "lesson-end" }, state);
  const user = api.currentUser();
  if (!user) {
    const next = encodeURIComponent(location.pathname);
    state.append(h("a", { href: `/login?next=${next}` }, t("lesson.sign_in_to_save")));
  } else if (doneSet(user).has(`${slug}/${lessonSlug}`)) {
    state.textContent = t("lesson.done");
  }

  const pager = h("nav", { class: "pager", "aria-label": t("lesson.pager") },
    l.prev ? h("a", { class: "prev", href: `/modules/${slug}/lessons/${l.prev}`, rel: "prev" },
      h("span", { class: "dir" }, t("lesson.prev")), titleOf(l.prev)) : null,
    l.next ? h("a", { class: "next", href: `/modules/${slug}/lessons/${l.next}`, rel: "next" },
      h("span", { class: "dir" }, t("lesson.next")), titleOf(l.next))
      : h("a", { class: "next", href: `/modules/${slug}/quiz` }, h("span", { class: "dir" }, t("lesson.finished")), t("module.quiz_start")));

  fill(main,
    h("nav", { class: "crumbs", "aria-label": t("nav.breadcrumb") },
      h("ol", {},
        h("li", {}, h("a", { href: "/" }, t("nav.modules"))),
        h("li", {}, h("a", { href: `/modules/${slug}` }, m ? m.title : slug)),
        h("li", {}, h("span", { "aria-current": "page" }, l.title)))),
    h("article", { class: "lesson", "aria-labelledby": "lesson-title" },
      h("h1", { id: "lesson-title" }, l.title),
      h("ul", { class: "meta" },
        total ? h("li", {}, t("lesson.position", { n: l.position, total })) : null,
        h("li", {}, t("module.minutes", { n: num(l.minutes) }))),
      h("p", {}, chips(l.readi)),
      l.lang !== current() ? h("p", { class: "muted" }, t("module.not_translated")) : null,
      body,
      sentinel),
    pager);

  if (!user || !("IntersectionObserver" in window)) return null;
  const seen = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    seen.disconnect();
    complete(slug, lessonSlug, l.title, state);
  });
  seen.observe(sentinel);
  return () => seen.disconnect();
}

async function complete(slug, lesson, title, state) {
  const user = api.currentUser();
  const path = `/api/v1/modules/${slug}/lessons/${lesson}/complete`;
  try {
    await api.post(path);
    markDone(user, slug, lesson);
    state.textContent = t("lesson.done");
  } catch (e) {
    if (e.kind === "network") {
      markDone(user, slug, lesson);
      await outbox.add({ kind: "complete", method: "POST", path, user: user.id, label: t("outbox.lesson", { title }) });
      state.textContent = t("lesson.done_offline");
    }
  }
}

/** markTakeaway wraps the "READI takeaway" heading and what follows it. */
function markTakeaway(body) {
  const heads = [...body.querySelectorAll("h2")];
  const last = heads[heads.length - 1];
  if (!last || !/READI/i.test(last.textContent)) return;
  const box = h("section", { class: "takeaway", "aria-labelledby": "takeaway-title" });
  last.id = "takeaway-title";
  last.before(box);
  while (box.nextSibling) box.append(box.nextSibling);
}
