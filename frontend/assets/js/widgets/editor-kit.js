// Building blocks of the admin screens: the admin API with its revision
// (ETag) bookkeeping, labelled inputs bound to a plain object, READI value
// checkboxes, state tags, problem lists and up/down/remove row buttons.
import * as api from "../api.js";
import { t } from "../i18n.js";
import { h, id } from "../dom.js";

export const VALUES = ["responsibility", "empathy", "authenticity", "discernment", "integrity"];
export const BASE = "/api/v1/admin";

let sheet = null;
/** styles loads admin.css once; the screens wait for it so nothing shows unstyled. */
export function styles() {
  if (!sheet) {
    sheet = new Promise((resolve) => {
      const link = h("link", { rel: "stylesheet", href: "/assets/admin.css" });
      link.addEventListener("load", resolve);
      link.addEventListener("error", resolve); // unstyled beats blank
      document.head.append(link);
    });
  }
  return sheet;
}

/** mpath is the API path of a module (and what follows). */
export function mpath(slug, rest = "") {
  return `${BASE}/modules/${encodeURIComponent(slug)}${rest}`;
}

/**
 * Revision tracks a module's head revision: every write sends it as
 * If-Match and every reply carrying the module moves it on. A 409 calls
 * onConflict (someone saved a newer version).
 */
export class Revision {
  constructor(slug, head, onChange, onConflict) {
    this.slug = slug;
    this.head = head;
    this.onChange = onChange;
    this.onConflict = onConflict;
  }

  async write(method, rest, body) {
    try {
      const r = await api.request(method, mpath(this.slug, rest), {
        body, headers: { "If-Match": `"${this.head}"` },
      });
      if (r && r.data && typeof r.data.head_revision === "number") {
        this.head = r.data.head_revision;
        this.onChange(r.data);
      }
      return r;
    } catch (e) {
      if (e.status === 409 && e.code === "revision.conflict") this.onConflict();
      throw e;
    }
  }
}

/** token returns an access token for upload (a request api.js cannot make:
 * a zip, plain text): a fresh session from the refresh cookie. */
async function token() {
  const s = await api.refresh();
  return s.access_token;
}

/**
 * upload POSTs a body api.js cannot send (a zip, a GIFT text) with a fresh
 * access token, and returns { ok, status, data, error } (error is {} when
 * the reply has none), or null when READI cannot be reached.
 */
export async function upload(path, body, contentType, headers = {}) {
  let res;
  try {
    res = await fetch(path, {
      method: "POST", credentials: "same-origin", body,
      headers: { Authorization: `Bearer ${await token()}`, "Content-Type": contentType, Accept: "application/json", ...headers },
    });
  } catch {
    return null;
  }
  const parsed = await res.json().catch(() => ({}));
  return { ok: res.ok, status: res.status, data: parsed.data, error: parsed.error || {} };
}

/** stateTag shows a module's state in words (and colour). */
export function stateTag(state) {
  const label = {
    draft: t("admin.state.draft"),
    published: t("admin.state.published"),
    changed: t("admin.state.changed"),
    deleted: t("admin.state.deleted"),
  }[state] || state;
  return h("span", { class: `tag state-${state}` }, label);
}

/** input is a labelled text (or other) input bound to obj[key]. */
export function input(obj, key, label, opts = {}) {
  const fid = id("ed");
  const hintId = opts.hint ? `${fid}-hint` : null;
  const attrs = {
    id: fid, name: opts.name || key, type: opts.type || "text", "aria-describedby": hintId,
    required: opts.required || null, readonly: opts.readonly || null, min: opts.min, max: opts.max,
    inputmode: opts.inputmode || null, autocomplete: "off",
  };
  const el = opts.multiline ? h("textarea", { ...attrs, type: null, rows: opts.rows || 3 }) : h("input", attrs);
  const v = obj[key];
  el.value = v == null ? "" : String(v);
  el.addEventListener("input", () => {
    obj[key] = opts.type === "number" ? (el.value === "" ? 0 : Number(el.value)) : el.value;
    if (opts.oninput) opts.oninput(el.value);
  });
  return h("div", { class: `field${opts.cls ? ` ${opts.cls}` : ""}` },
    h("label", { for: fid }, label),
    opts.hint ? h("p", { class: "hint", id: hintId }, opts.hint) : null,
    el);
}

/** select is a labelled select bound to obj[key]; options are [value, label]. */
export function select(obj, key, label, options, opts = {}) {
  const fid = id("ed");
  const el = h("select", { id: fid, name: opts.name || key },
    options.map(([v, l]) => h("option", { value: v }, l)));
  el.value = obj[key] == null ? "" : String(obj[key]);
  el.addEventListener("change", () => {
    obj[key] = el.value;
    if (opts.onchange) opts.onchange(el.value);
  });
  return h("div", { class: "field" }, h("label", { for: fid }, label), el);
}

/** check is a labelled checkbox (or radio) bound to obj[key]. */
export function check(obj, key, label, opts = {}) {
  const fid = id("ed");
  const el = h("input", { id: fid, type: opts.radio ? "radio" : "checkbox", name: opts.name || key });
  el.checked = Boolean(obj[key]);
  el.addEventListener("change", () => {
    if (opts.onchange) opts.onchange(el.checked);
    else obj[key] = el.checked;
  });
  return h("div", { class: "check" }, el, h("label", { for: fid }, label));
}

/** readiBoxes is a fieldset of the five READI values, bound to obj[key] (a list). */
export function readiBoxes(obj, key, legend = t("readi.values")) {
  if (!Array.isArray(obj[key])) obj[key] = [];
  const boxes = VALUES.map((v) => {
    const fid = id("rv");
    const el = h("input", { id: fid, type: "checkbox", value: v });
    el.checked = obj[key].includes(v);
    el.addEventListener("change", () => {
      obj[key] = VALUES.filter((x) => (x === v ? el.checked : obj[key].includes(x)));
    });
    return h("div", { class: "check" }, el, h("label", { for: fid }, t(`readi.${v}`)));
  });
  return h("fieldset", { class: "readi-boxes" }, h("legend", {}, legend), h("div", { class: "box-row" }, boxes));
}

/** rowTools are the move up, move down and remove buttons of list[i];
 * redraw(focusKey) draws the list again and focuses what focusKey names. */
export function rowTools(list, i, what, redraw, opts = {}) {
  const move = (d) => {
    const j = i + d;
    [list[i], list[j]] = [list[j], list[i]];
    redraw(`${opts.key || "row"}-${j}-${d < 0 ? "up" : "down"}`);
  };
  const k = opts.key || "row";
  return h("div", { class: "row-tools" },
    h("button", { type: "button", class: "secondary small", "data-focus": `${k}-${i}-up`, disabled: i === 0 || null,
      "aria-label": t("admin.move_up", { what }), onclick: () => move(-1) }, "↑"),
    h("button", { type: "button", class: "secondary small", "data-focus": `${k}-${i}-down`, disabled: i === list.length - 1 || null,
      "aria-label": t("admin.move_down", { what }), onclick: () => move(1) }, "↓"),
    opts.noRemove ? null : h("button", { type: "button", class: "secondary small", "data-focus": `${k}-${i}-remove`,
      disabled: list.length <= (opts.min || 0) || null,
      "aria-label": t("admin.remove", { what }), onclick: () => { list.splice(i, 1); redraw(`${k}-add`); } }, "✕"));
}

/** refocus focuses the element with data-focus=key under root (a moved
 * row's button, or the add button after a removal); a disabled one gives
 * the focus to its row's first input. */
export function refocus(root, key) {
  if (!key) return;
  const first = key.endsWith(":input");
  const k = first ? key.slice(0, -6) : key;
  let el = root.querySelector(`[data-focus="${CSS.escape(k)}"]`);
  if (el && (first || el.disabled)) el = el.closest(".row, fieldset, li")?.querySelector("input, textarea, select") || el;
  if (el) el.focus();
}

/** rid is a short random id (letters only, so any order of them is as
 * likely as the correct one). */
export function rid() {
  const b = crypto.getRandomValues(new Uint8Array(4));
  return [...b].map((x) => "abcdefghjkmnpqrstuvwxyz"[x % 23]).join("");
}

/** sorted tells whether ids already sort into their order (which would give
 * an ordering or matching answer away). */
export function sorted(ids) {
  for (let i = 1; i < ids.length; i++) if (ids[i - 1] > ids[i]) return false;
  return true;
}

/** problemList shows problems ({path, message}) as a list, or nothing. */
export function problemList(problems, opts = {}) {
  if (!problems || problems.length === 0) return null;
  return h("div", { class: "problems", role: opts.alert ? "alert" : null },
    opts.title ? h("p", { class: "problems-title" }, opts.title) : null,
    h("ul", {}, problems.map((p) => h("li", {},
      opts.paths === false ? null : h("code", {}, p.path || p.file || ""), opts.paths === false ? null : " ",
      p.message, p.line ? ` (${p.file || ""}:${p.line})` : ""))));
}

/** under picks the problems whose path starts with prefix (a whole segment). */
export function under(problems, prefix) {
  return (problems || []).filter((p) => {
    const path = p.path || "";
    return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
  });
}

/** when formats an ISO date and time for the current language. */
export function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(document.documentElement.lang || "en", { dateStyle: "medium", timeStyle: "short" });
}

/** status is a polite live region for "saved" and the like. */
export function statusLine() {
  return h("p", { class: "save-status", role: "status", "aria-live": "polite" });
}

/** adminNav is the admin screens' sub-navigation. */
export function adminNav(current) {
  const items = [
    ["/admin", t("admin.nav.modules")],
    ["/admin/content", t("admin.nav.content")],
    ["/admin/users", t("admin.nav.users")],
    ["/admin/audit", t("admin.nav.audit")],
  ];
  return h("nav", { class: "subnav", "aria-label": t("admin.nav.label") },
    h("ul", {}, items.map(([href, label]) => h("li", {},
      h("a", { href, "aria-current": href === current ? "page" : null }, label)))));
}
