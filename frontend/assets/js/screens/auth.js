// Sign in (/login), create an account (/register), join a class with a
// code (/join) and come back with a recovery code (/recover). The session
// goes to memory; the refresh cookie to the browser.
import { t, current } from "../i18n.js";
import * as api from "../api.js";
import * as outbox from "../outbox.js";
import { h, fill } from "../dom.js";
import { field, handle, errorBox, submit, safeNext } from "../forms.js";
import { ApiError } from "../api.js";

function afterSignIn(session, ctx) {
  api.setSession(session);
  outbox.flush();
  ctx.navigate(safeNext(ctx.query), { replace: true });
}

function signedInAlready(ctx) {
  const u = api.currentUser();
  fill(ctx.main,
    h("h1", {}, t("auth.already_title")),
    h("p", {}, t("auth.already_text", { name: u.display_name })),
    h("div", { class: "actions" },
      h("a", { class: "button", href: "/" }, t("nav.modules")),
      h("a", { class: "button secondary", href: "/account" }, t("nav.account"))));
}

function keepNext(ctx, path) {
  const next = ctx.query.get("next");
  return next ? `${path}?next=${encodeURIComponent(safeNext(ctx.query))}` : path;
}

export async function login(ctx) {
  if (api.signedIn()) return signedInAlready(ctx);
  const form = h("form", { class: "stack", novalidate: true, "aria-labelledby": "login-title" },
    errorBox(),
    field({ name: "email", label: t("auth.email"), type: "email", autocomplete: "email", required: true }),
    field({ name: "password", label: t("auth.password"), type: "password", autocomplete: "current-password", required: true }),
    submit(t("auth.login_button")));
  handle(form, async (v) => {
    const res = await api.post("/api/v1/auth/login", { email: v.email, password: v.password }, { auth: false, retry: false });
    afterSignIn(res.data, ctx);
  });
  fill(ctx.main,
    h("h1", { id: "login-title" }, t("auth.login_title")),
    ctx.query.get("next") ? h("p", { class: "lead" }, t("auth.login_to_continue")) : null,
    form,
    h("p", {}, t("auth.no_account"), " ", h("a", { href: keepNext(ctx, "/register") }, t("nav.register"))),
    h("p", {}, t("auth.have_code"), " ", h("a", { href: "/join" }, t("nav.join"))),
    h("p", {}, t("join.been_here"), " ", h("a", { href: "/recover" }, t("recover.link"))));
  return null;
}

export async function register(ctx) {
  if (api.signedIn()) return signedInAlready(ctx);
  const form = h("form", { class: "stack", novalidate: true, "aria-labelledby": "register-title" },
    errorBox(),
    field({ name: "display_name", label: t("auth.display_name"), hint: t("auth.display_name_hint"), autocomplete: "nickname", required: true, maxlength: 60 }),
    field({ name: "email", label: t("auth.email"), type: "email", autocomplete: "email", required: true }),
    field({ name: "password", label: t("auth.password"), hint: t("auth.password_hint"), type: "password", autocomplete: "new-password", required: true }),
    submit(t("auth.register_button")));
  handle(form, async (v) => {
    const res = await api.post("/api/v1/auth/register", { email: v.email, password: v.password, display_name: v.display_name }, { auth: false, retry: false });
    const lang = current();
    afterSignIn(res.data, ctx);
    if (res.data.user.locale !== lang) {
      api.patch("/api/v1/me", { locale: lang }).then((r) => api.setUser(r.data)).catch(() => {});
    }
  });
  fill(ctx.main,
    h("h1", { id: "register-title" }, t("auth.register_title")),
    h("p", { class: "lead" }, t("auth.register_lead")),
    form,
    h("p", {}, t("auth.have_account"), " ", h("a", { href: keepNext(ctx, "/login") }, t("nav.login"))));
  return null;
}

/** recoveryPanel shows a one-time recovery code with the warning to keep it. */
function recoveryPanel(code) {
  return h("div", { class: "panel recovery-panel", id: "recovery" },
    h("p", {}, h("strong", {}, t("join.recovery_label"))),
    h("p", { class: "recovery", id: "recovery-code" }, code),
    h("p", {}, t("join.recovery_text")));
}

function welcome(ctx, title, session, extra) {
  fill(ctx.main,
    h("h1", {}, title),
    extra,
    recoveryPanel(session.recovery_code),
    h("div", { class: "actions" }, h("a", { class: "button", href: "/" }, t("join.continue"))));
  const h1 = ctx.main.querySelector("h1");
  h1.tabIndex = -1;
  h1.focus();
}

export async function join(ctx) {
  const prefilled = (ctx.query.get("code") || "").trim().toUpperCase().slice(0, 32);
  if (api.signedIn()) return joinSignedIn(ctx, prefilled);
  const form = h("form", { class: "stack", novalidate: true, "aria-labelledby": "join-title" },
    errorBox(),
    field({ name: "code", label: t("join.code"), hint: t("join.code_hint"), autocomplete: "off", required: true, autocapitalize: "characters", maxlength: 32, value: prefilled || null }),
    field({ name: "nickname", label: t("join.nickname"), hint: t("join.nickname_hint"), autocomplete: "nickname", required: true, maxlength: 30 }),
    submit(t("join.button")));
  handle(form, async (v) => {
    let res;
    try {
      res = await api.post("/api/v1/auth/join", { code: v.code.trim(), nickname: v.nickname.trim() }, { auth: false, retry: false });
    } catch (e) {
      if (e.kind === "notfound" && e.code === "not_found") throw new ApiError("client", 404, "join.unavailable");
      throw e;
    }
    api.setSession(res.data);
    if (res.data.recovery_code) {
      welcome(ctx, t("join.welcome", { name: res.data.user.display_name }), res.data, null);
      return;
    }
    ctx.navigate("/", { replace: true });
  });
  fill(ctx.main,
    h("h1", { id: "join-title" }, t("join.title")),
    h("p", { class: "lead" }, t("join.lead")),
    prefilled ? h("p", { class: "muted" }, t("join.prefilled")) : null,
    form,
    h("p", {}, t("join.no_code"), " ", h("a", { href: "/register" }, t("nav.register"))),
    h("p", {}, t("join.been_here"), " ", h("a", { href: "/recover" }, t("recover.link"))));
  return null;
}

// A signed-in learner joins with the code alone: no second account.
function joinSignedIn(ctx, prefilled) {
  const u = api.currentUser();
  const form = h("form", { class: "stack", novalidate: true, "aria-labelledby": "join-title" },
    errorBox(),
    field({ name: "code", label: t("join.code"), hint: t("join.code_hint"), autocomplete: "off", required: true, autocapitalize: "characters", maxlength: 32, value: prefilled || null }),
    submit(t("join.button")));
  handle(form, async (v) => {
    const res = await api.post("/api/v1/classes/join", { code: v.code.trim() });
    fill(ctx.main,
      h("h1", { tabindex: "-1" }, t("join.joined_title", { name: res.data.name })),
      h("p", { class: "lead" }, t("join.joined_text")),
      h("div", { class: "actions" }, h("a", { class: "button", href: "/" }, t("nav.modules"))));
    ctx.main.querySelector("h1").focus();
  });
  fill(ctx.main,
    h("h1", { id: "join-title" }, t("join.title")),
    h("p", { class: "lead" }, t("join.signed_in_lead", { name: u.display_name })),
    form);
  return null;
}

/** recover (/recover): a learner who joined with a class code signs in on
 * another device with the recovery code, and gets a new one. */
export async function recover(ctx) {
  const form = h("form", { class: "stack", novalidate: true, "aria-labelledby": "recover-title" },
    errorBox(),
    field({ name: "recovery_code", label: t("recover.code"), hint: t("recover.code_hint"), autocomplete: "off", required: true, autocapitalize: "characters", maxlength: 64 }),
    submit(t("recover.button")));
  handle(form, async (v) => {
    const res = await api.post("/api/v1/auth/recover", { recovery_code: v.recovery_code.trim() }, { auth: false, retry: false });
    api.setSession(res.data);
    outbox.flush();
    welcome(ctx, t("recover.welcome", { name: res.data.user.display_name }), res.data, h("p", { class: "lead" }, t("recover.old_code_gone")));
  });
  fill(ctx.main,
    h("h1", { id: "recover-title" }, t("recover.title")),
    h("p", { class: "lead" }, t("recover.lead")),
    form,
    h("p", {}, t("recover.have_account"), " ", h("a", { href: "/login" }, t("nav.login"))));
  return null;
}
