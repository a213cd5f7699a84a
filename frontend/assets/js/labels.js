// Shared pieces of the screens: READI value chips, category names,
// translated track titles, and the invitation to sign in.
import { t, has } from "./i18n.js";
import { h } from "./dom.js";

export const VALUES = ["responsibility", "empathy", "authenticity", "discernment", "integrity"];
export const CATEGORIES = ["data", "computer", "content", "cross"];
export const COUNTRIES = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"];

/** chips lists READI values, each with its colour and its name. */
export function chips(values, label) {
  return h("ul", { class: "chips", "aria-label": label || t("readi.values") },
    (values || []).map((v) => h("li", { class: `chip v-${v}` }, t(`readi.${v}`))));
}

export function trackTitle(slug) {
  const key = `track.${slug}`;
  if (has(key)) return t(key);
  const s = String(slug || "").replace(/-/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** signInInvite asks an anonymous learner to sign in and come back. */
export function signInInvite(textKey) {
  const next = encodeURIComponent(location.pathname + location.search);
  return h("div", { class: "panel" },
    h("p", {}, t(textKey)),
    h("div", { class: "actions" },
      h("a", { class: "button", href: `/register?next=${next}` }, t("nav.register")),
      h("a", { class: "button secondary", href: `/login?next=${next}` }, t("nav.login"))));
}

/** langParam is the ?lang= for content requests. */
export function langQuery(lang) {
  return `lang=${encodeURIComponent(lang)}`;
}
