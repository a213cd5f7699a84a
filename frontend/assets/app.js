// READI web app entry: language, session, router, and the shell around every
// screen (navigation, Get help, offline and outbox status). Each screen is
// its own module under js/screens, loaded with import() when first shown.
import * as i18n from "./js/i18n.js";
import * as api from "./js/api.js";
import * as outbox from "./js/outbox.js";
import { h, fill } from "./js/dom.js";
import { renderError } from "./js/errors.js";

const { t } = i18n;
const main = document.getElementById("main");
const status = document.getElementById("status");

const routes = [
  [/^\/$/, "catalogue", "render"],
  [/^\/modules\/([a-z0-9-]+)\/?$/, "module", "render"],
  [/^\/modules\/([a-z0-9-]+)\/lessons\/([a-z0-9-]+)\/?$/, "lesson", "render"],
  [/^\/modules\/([a-z0-9-]+)\/quiz\/?$/, "quiz", "render"],
  [/^\/progress\/?$/, "progress", "render"],
  [/^\/login\/?$/, "auth", "login"],
  [/^\/register\/?$/, "auth", "register"],
  [/^\/join\/?$/, "auth", "join"],
  [/^\/recover\/?$/, "auth", "recover"],
  [/^\/account\/?$/, "account", "render"],
  [/^\/live\/?$/, "live", "render"],
  [/^\/live\/new\/?$/, "live-setup", "create"],
  [/^\/live\/host\/(\d+)\/?$/, "live-host", "host"],
  [/^\/live\/host\/(\d+)\/report\/?$/, "live-setup", "report"],
  [/^\/classes\/?$/, "classes", "list"],
  [/^\/classes\/(\d+)\/?$/, "class", "render"],
  [/^\/classes\/(\d+)\/project\/?$/, "class", "project"],
  [/^\/classes\/(\d+)\/progress\/?$/, "class-report", "progress"],
  [/^\/classes\/(\d+)\/questions\/?$/, "class-report", "questions"],
  [/^\/admin\/?$/, "admin", "render"],
  [/^\/admin\/modules\/([a-z0-9-]+)\/?$/, "admin-module", "render"],
  [/^\/admin\/modules\/([a-z0-9-]+)\/history\/?$/, "admin-history", "render"],
  [/^\/admin\/content\/?$/, "admin-tools", "content"],
  [/^\/admin\/users\/?$/, "admin-tools", "users"],
  [/^\/admin\/audit\/?$/, "admin-tools", "audit"],
];

let seq = 0;
let cleanup = null;
let updateReady = false;

/** navigate shows the screen of path and records it in the history. */
export function navigate(path, { replace = false } = {}) {
  if (updateReady) {
    location.assign(path); // a new version is installed: load it whole
    return;
  }
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  show(true);
}

async function show(focus) {
  const mine = ++seq;
  if (cleanup) {
    try { cleanup(); } catch { /* a screen's cleanup must not block the next */ }
    cleanup = null;
  }
  const path = location.pathname;
  let match = null;
  for (const [re, file, fn] of routes) {
    const m = path.match(re);
    if (m) { match = { file, fn, params: m.slice(1) }; break; }
  }
  main.setAttribute("aria-busy", "true");
  fill(main, h("p", { class: "loading" }, t("app.loading")));
  const ctx = {
    main, params: match ? match.params : [], query: new URLSearchParams(location.search), navigate,
    rerender: (focus = false) => show(focus),
    // setLang switches the interface language as the footer does (the live
    // game's player picks one when joining); the screen is drawn again.
    setLang: async (l) => { if (!(await chooseLang(l))) show(true); },
  };
  try {
    if (!match) {
      notFound();
    } else {
      const mod = await import(`./js/screens/${match.file}.js`);
      if (mine !== seq) return;
      cleanup = (await mod[match.fn](ctx)) || null;
    }
  } catch (e) {
    if (mine !== seq) return;
    renderError(main, e, () => show(true));
  }
  if (mine !== seq) return;
  main.removeAttribute("aria-busy");
  markNav(path);
  const h1 = main.querySelector("h1");
  document.title = h1 ? `${h1.textContent} · READI` : "READI";
  if (focus && h1) {
    h1.setAttribute("tabindex", "-1");
    h1.focus();
    window.scrollTo(0, 0);
  }
}

function notFound() {
  fill(main,
    h("h1", {}, t("notfound.title")),
    h("p", {}, t("notfound.text")),
    h("p", {}, h("a", { class: "button", href: "/" }, t("notfound.home"))));
}

function markNav(path) {
  for (const a of document.querySelectorAll(".main-nav a")) {
    const href = a.getAttribute("href");
    const on = href === "/" ? path === "/" || path.startsWith("/modules")
      : href === "/live/new" ? path.startsWith("/live/") : path.startsWith(href);
    if (on) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

function accountNav(user) {
  // Classes and live games: for educators and admins (the server checks the role too).
  const teaches = Boolean(user && (user.role === "educator" || user.role === "admin"));
  document.getElementById("nav-classes").hidden = !teaches;
  document.getElementById("nav-live").hidden = !teaches;
  // Admin: for admins only (the server checks the role too).
  document.getElementById("nav-admin").hidden = !(user && user.role === "admin");
  const li = document.getElementById("nav-account");
  const a = user
    ? h("a", { href: "/account" }, t("nav.account"))
    : h("a", { href: "/login" }, t("nav.login"));
  fill(li, a);
  markNav(location.pathname);
}

// Same-origin links are handled here, so screens change without a reload.
document.addEventListener("click", (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest("a[href]");
  if (!a || a.target || a.hasAttribute("download") || a.origin !== location.origin) return;
  if (a.pathname.startsWith("/api/") || (a.pathname === location.pathname && a.hash)) return;
  e.preventDefault();
  navigate(a.pathname + a.search + a.hash);
});
window.addEventListener("popstate", () => show(true));

// Status bar: offline, what waits in the outbox, what was just sent.
let lastEvent = {};
function renderStatus(pending) {
  const parts = [];
  if (!navigator.onLine) {
    parts.push(h("div", { class: "notice" }, h("p", {}, t("status.offline"))));
  }
  if (pending.length > 0) {
    const labels = pending.map((p) => p.label).filter(Boolean);
    parts.push(h("div", { class: "notice", id: "outbox-status" },
      h("p", {}, t("status.waiting", { n: pending.length }), labels.length ? ` ${labels.join(", ")}` : ""),
      h("button", { type: "button", class: "secondary", onclick: () => outbox.flush() }, t("status.send_now"))));
  }
  if (lastEvent.sent) {
    parts.push(h("div", { class: "notice ok" }, h("p", {}, t("status.sent", { label: lastEvent.sent.item.label || "" }))));
  }
  if (lastEvent.failed) {
    parts.push(h("div", { class: "notice" }, h("p", {}, t("status.failed", { label: lastEvent.failed.item.label || "" }))));
  }
  fill(status, parts);
}
outbox.onChange((ev) => {
  lastEvent = ev;
  renderStatus(ev.pending);
});
async function refreshStatus() {
  renderStatus(await outbox.list());
}
window.addEventListener("online", async () => {
  lastEvent = {};
  refreshStatus();
  // Started offline? The session could not be restored then; try now.
  if (!api.currentUser()) await api.restore();
  outbox.flush();
});
window.addEventListener("offline", () => { lastEvent = {}; refreshStatus(); });

// Get help: the dialog's code loads on first use.
document.getElementById("help-open").addEventListener("click", async () => {
  const help = await import("./js/help.js");
  help.open();
});

// Language switch: saved on this device and, when signed in, in the profile.
const langSelect = document.getElementById("lang-select");
langSelect.addEventListener("change", () => chooseLang(langSelect.value));

/** chooseLang switches to l, keeps the choice and, signed in, puts it in the profile. */
async function chooseLang(l) {
  i18n.remember(l);
  const ok = await switchLang(l);
  if (api.signedIn()) {
    api.patch("/api/v1/me", { locale: l }).then((r) => api.setUser(r.data)).catch(() => {});
  }
  return ok;
}

async function switchLang(l) {
  try {
    await i18n.load(l);
  } catch {
    return false;
  }
  langSelect.value = l;
  i18n.apply(document);
  accountNav(api.currentUser());
  refreshStatus();
  show(false);
  return true;
}

api.onSession((user) => accountNav(user));

async function start() {
  const lang = i18n.pickLang();
  await Promise.all([i18n.load(lang).catch(() => i18n.load("en").catch(() => {})), api.restore()]);
  const user = api.currentUser();
  let chosen = i18n.current();
  if (!i18n.hasChoice() && user && i18n.LANGS.includes(user.locale) && user.locale !== chosen) {
    await i18n.load(user.locale).catch(() => {});
    chosen = i18n.current();
  }
  langSelect.value = chosen;
  i18n.apply(document);
  accountNav(user);
  await show(false);
  refreshStatus();
  outbox.flush();
  if ("serviceWorker" in navigator) {
    const had = Boolean(navigator.serviceWorker.controller);
    navigator.serviceWorker.addEventListener("controllerchange", () => { if (had) updateReady = true; });
    navigator.serviceWorker.register("/sw.js").catch(() => {});
  }
}

start();
