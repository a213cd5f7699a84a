// The UI's strings: one flat JSON catalogue per language (frontend/i18n),
// keys shared with the API's error codes. Only the chosen language is loaded.

export const LANGS = ["en", "th"];
let dict = {};
let lang = "en";

function stored(key) {
  try { return localStorage.getItem(key); } catch { return null; }
}

/** pickLang: the saved choice, else the first supported browser language. */
export function pickLang() {
  const saved = stored("readi.lang");
  if (LANGS.includes(saved)) return saved;
  for (const l of navigator.languages || [navigator.language || "en"]) {
    const base = String(l).toLowerCase().split("-")[0];
    if (LANGS.includes(base)) return base;
  }
  return "en";
}

/** hasChoice tells whether the learner picked a language themselves. */
export function hasChoice() {
  return LANGS.includes(stored("readi.lang"));
}

export async function load(l) {
  const res = await fetch(`/i18n/${l}.json`);
  if (!res.ok) throw new Error(`i18n ${l}: ${res.status}`);
  dict = await res.json();
  lang = l;
  document.documentElement.lang = l;
}

export function remember(l) {
  try { localStorage.setItem("readi.lang", l); } catch { /* private mode */ }
}

export function current() {
  return lang;
}

/** t translates key, filling {name} placeholders from params. */
export function t(key, params) {
  let s = Object.hasOwn(dict, key) ? dict[key] : key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
  return s;
}

/** has tells whether key is in the catalogue. */
export function has(key) {
  return Object.hasOwn(dict, key);
}

/** apply fills data-i18n (text) and data-i18n-attr ("attr:key;attr:key") under root. */
export function apply(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of el.dataset.i18nAttr.split(";")) {
      const [attr, key] = pair.split(":");
      if (attr && key) el.setAttribute(attr.trim(), t(key.trim()));
    }
  }
}

/** num formats a number for the current language. */
export function num(n, digits = 0) {
  return new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(n);
}
