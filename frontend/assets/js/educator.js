// What the educator screens share: their stylesheet, the gate (signed in,
// educator or admin), the class's breadcrumbs and section links, dates for
// <input type="datetime-local"> and RFC 3339, status cells with a symbol
// and words, a one-time notice carried to the next screen, and the CSV
// download button of the reports.
import { t, current } from "./i18n.js";
import * as api from "./api.js";
import { h, fill } from "./dom.js";
import { message } from "./errors.js";

let sheet = null;
/** styles loads classes.css once; screens wait for it so nothing shows unstyled. */
export function styles() {
  if (!sheet) {
    sheet = new Promise((resolve) => {
      const link = h("link", { rel: "stylesheet", href: "/assets/classes.css" });
      link.addEventListener("load", resolve);
      link.addEventListener("error", resolve); // unstyled beats blank
      document.head.append(link);
    });
  }
  return sheet;
}

/** isEducator: the role may use the class screens (admins teach too). */
export function isEducator(user) {
  return Boolean(user) && (user.role === "educator" || user.role === "admin");
}

/** gate shows why the screen is closed and returns false, or returns true. */
export function gate(main, title) {
  if (!api.signedIn()) {
    // Teacher accounts are made by the READI team: no "create an account".
    const next = encodeURIComponent(location.pathname + location.search);
    fill(main, h("h1", {}, title),
      h("div", { class: "panel" },
        h("p", {}, t("classes.guest_text")),
        h("div", { class: "actions" }, h("a", { class: "button", href: `/login?next=${next}` }, t("nav.login")))));
    return false;
  }
  if (!isEducator(api.currentUser())) {
    fill(main, h("h1", {}, title),
      h("p", { class: "lead" }, t("classes.teachers_only")),
      h("div", { class: "actions" }, h("a", { class: "button", href: "/" }, t("nav.modules"))));
    return false;
  }
  return true;
}

/** crumbs: Classes › class › here (here may be left out on the class page). */
export function crumbs(cls, here) {
  const items = [h("li", {}, h("a", { href: "/classes" }, t("nav.classes")))];
  if (here) {
    items.push(h("li", {}, h("a", { href: `/classes/${cls.id}` }, cls.name)),
      h("li", {}, h("span", { "aria-current": "page" }, here)));
  } else {
    items.push(h("li", {}, h("span", { "aria-current": "page" }, cls.name)));
  }
  return h("nav", { class: "crumbs", "aria-label": t("nav.breadcrumb") }, h("ol", {}, items));
}

/** sections links the class's three screens; which is the one shown. */
export function sections(cls, which) {
  const link = (key, href, label) => h("li", {},
    h("a", { href, "aria-current": which === key ? "page" : null }, label));
  return h("nav", { class: "subnav", "aria-label": t("class.sections") },
    h("ul", {},
      link("class", `/classes/${cls.id}`, t("class.tab_class")),
      link("progress", `/classes/${cls.id}/progress`, t("class.tab_progress")),
      link("questions", `/classes/${cls.id}/questions`, t("class.tab_questions"))));
}

/** heading is the class name with an "archived" tag when it is. */
export function heading(cls, text) {
  return h("h1", {}, text, cls.archived ? [" ", h("span", { class: "tag" }, t("class.archived_tag"))] : null);
}

/** joinURL is the address a learner opens to join with code. */
export function joinURL(code) {
  return `${location.origin}/join?code=${encodeURIComponent(code)}`;
}

/** when formats an RFC 3339 time for people, in their time zone. */
export function when(iso, withTime = true) {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const opts = withTime ? { dateStyle: "medium", timeStyle: "short" } : { dateStyle: "medium" };
  return new Intl.DateTimeFormat(current(), opts).format(d);
}

/** toLocalInput turns RFC 3339 into a datetime-local value (local time). */
export function toLocalInput(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** fromLocalInput turns a datetime-local value (local time) into RFC 3339 UTC, or null. */
export function fromLocalInput(v) {
  if (!v) return null;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return undefined;
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** timeZone names the browser's time zone, for the due date hint. */
export function timeZone() {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch { return ""; }
}

const ICONS = { completed: "✓", in_progress: "◐", not_started: "○", overdue: "!" };

/** statusLabel is a status as a symbol and words (never colour alone). */
export function statusLabel(status) {
  return h("span", { class: `status-label s-${status}` },
    h("span", { class: "status-icon", "aria-hidden": "true" }, ICONS[status] || "?"),
    h("span", {}, t(`status.${status}`)));
}

let notice = "";
/** flash keeps a message for the next screen; takeFlash gives it once. */
export function flash(msg) { notice = msg; }
export function takeFlash() {
  const m = notice;
  notice = "";
  return m ? h("div", { class: "notice ok", role: "status" }, h("p", {}, m)) : null;
}

/**
 * csvDownload is a "Download CSV" button and the status line that says how
 * the download went; url() is read at each click (it carries the language).
 */
export function csvDownload(url, filename) {
  const status = h("p", { role: "status", "aria-live": "polite", class: "muted", id: "csv-status" });
  const button = h("button", { type: "button", class: "secondary", id: "download-csv", onclick: async () => {
    status.textContent = "";
    button.disabled = true;
    try {
      await api.downloadFile(url(), filename);
      status.textContent = t("report.csv_done");
    } catch (e) {
      status.textContent = message(e);
    } finally {
      button.disabled = false;
    }
  } }, t("report.csv"));
  return { button, status };
}
