// How failures look: every error becomes a sentence from the catalogue and
// a way forward (try again, sign in, go home), never a blank screen.
import { t, has } from "./i18n.js";
import { h, fill } from "./dom.js";

/** message is the learner-facing sentence for an error. */
export function message(e) {
  switch (e && e.kind) {
    case "network": return t("error.offline");
    case "rate": return t("error.rate", { seconds: e.retryAfter });
    case "server": return t("error.server");
    // A specific code says what was not found (no game with this PIN).
    case "notfound": return has(e.code) && e.code !== "not_found" ? t(e.code) : t("error.notfound");
    case "auth": return has(e.code) ? t(e.code) : t("auth.required");
    case "validation":
    case "client": return has(e.code) ? t(e.code) : t("error.generic");
    default: return t("error.generic");
  }
}

/** renderError fills main with a whole-screen error and ways forward. */
export function renderError(main, e, retry) {
  const actions = h("div", { class: "actions" });
  if (e && e.kind === "auth") {
    const next = encodeURIComponent(location.pathname + location.search);
    actions.append(h("a", { class: "button", href: `/login?next=${next}` }, t("nav.login")));
  } else if (retry && (!e || e.kind !== "notfound")) {
    actions.append(h("button", { type: "button", class: "primary", onclick: retry }, t("error.retry")));
  }
  actions.append(h("a", { class: "button secondary", href: "/" }, t("notfound.home")));
  const title = e && e.kind === "notfound" ? t("notfound.title") : e && e.kind === "network" ? t("error.offline_title") : t("error.title");
  fill(main,
    h("h1", {}, title),
    h("p", { class: "lead", role: "alert" }, message(e)),
    actions);
}

/**
 * showFormError puts an API error on a form: field codes next to their
 * fields (inputs are found by name), anything else in the form's alert box.
 */
export function showFormError(form, e) {
  clearFormErrors(form);
  const box = form.querySelector(".form-error");
  const fields = (e && e.fields) || {};
  let first = null;
  let placed = 0;
  for (const [name, code] of Object.entries(fields)) {
    const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (!input) continue;
    const err = h("p", { class: "field-error", id: `${input.id}-error` }, has(code) ? t(code) : t("error.generic"));
    input.setAttribute("aria-invalid", "true");
    const described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    described.push(err.id);
    input.setAttribute("aria-describedby", described.join(" "));
    input.closest(".field").append(err);
    first = first || input;
    placed += 1;
  }
  if (box) {
    box.textContent = placed > 0 ? t("form.fix_fields") : message(e);
  }
  if (first) first.focus();
}

export function clearFormErrors(form) {
  for (const el of form.querySelectorAll(".field-error")) {
    const input = form.querySelector(`[aria-describedby~="${el.id}"]`);
    if (input) {
      input.removeAttribute("aria-invalid");
      const rest = input.getAttribute("aria-describedby").split(" ").filter((x) => x !== el.id);
      if (rest.length) input.setAttribute("aria-describedby", rest.join(" "));
      else input.removeAttribute("aria-describedby");
    }
    el.remove();
  }
  const box = form.querySelector(".form-error");
  if (box) box.textContent = "";
}
