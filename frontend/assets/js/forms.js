// Form building blocks: a labelled field with its hint, and the handling
// every form shares (busy state, API errors next to their fields).
import { t } from "./i18n.js";
import { h } from "./dom.js";
import { showFormError, clearFormErrors } from "./errors.js";

/** field: {name, label, type, autocomplete, hint, required, value, options} */
export function field(f) {
  const fid = `f-${f.name}`;
  const hintId = f.hint ? `${fid}-hint` : null;
  const control = f.options
    ? h("select", { id: fid, name: f.name, "aria-describedby": hintId }, f.options.map(([v, label]) => h("option", { value: v }, label)))
    : h("input", {
      id: fid, name: f.name, type: f.type || "text", autocomplete: f.autocomplete || null,
      required: f.required || null, "aria-describedby": hintId, maxlength: f.maxlength || null,
      inputmode: f.inputmode || null, autocapitalize: f.autocapitalize || null, spellcheck: f.type === "password" ? "false" : null,
    });
  if (f.value != null) control.value = f.value;
  return h("div", { class: "field" },
    h("label", { for: fid }, f.label),
    f.hint ? h("p", { class: "hint", id: hintId }, f.hint) : null,
    control);
}

/** handle wires a form: onSubmit(values) runs with the button disabled, and
 * an ApiError it throws is shown on the form. */
export function handle(form, onSubmit) {
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const button = form.querySelector('[type="submit"]');
    const values = Object.fromEntries(new FormData(form).entries());
    button.disabled = true;
    try {
      await onSubmit(values);
    } catch (err) {
      showFormError(form, err);
    } finally {
      button.disabled = false;
    }
  });
}

export function errorBox() {
  return h("div", { class: "form-error", role: "alert", "aria-live": "assertive" });
}

export function submit(label) {
  return h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, label));
}

/** safeNext keeps ?next= on this site. */
export function safeNext(query) {
  const next = query.get("next") || "/";
  return next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}

export { t };
