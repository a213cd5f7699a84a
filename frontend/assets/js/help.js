// Get help: what to do first, and where to report in the learner's country
// (the profile's country, else the one picked here). The channels come from
// /assets/data/help.json, each with its source.
import { t } from "./i18n.js";
import * as api from "./api.js";
import { h, fill } from "./dom.js";
import { COUNTRIES } from "./labels.js";

let data = null;

function savedCountry() {
  const u = api.currentUser();
  if (u && u.country) return u.country;
  try { return localStorage.getItem("readi.country") || ""; } catch { return ""; }
}

export async function open() {
  const dialog = document.getElementById("help-dialog");
  const opener = document.activeElement;
  if (!data) {
    try {
      data = await (await fetch("/assets/data/help.json")).json();
    } catch {
      data = { countries: {} };
    }
  }
  const where = h("div", { id: "help-where" });
  const picker = h("select", { id: "help-country" },
    h("option", { value: "" }, t("help.pick_country")),
    COUNTRIES.map((c) => h("option", { value: c }, t(`country.${c}`))));
  picker.value = savedCountry();
  picker.addEventListener("change", () => {
    try { localStorage.setItem("readi.country", picker.value); } catch { /* private mode */ }
    channels(where, picker.value);
  });
  const close = h("button", { type: "button", class: "secondary", id: "help-close", onclick: () => dialog.close() }, t("help.close"));
  fill(dialog, h("div", { class: "inner" },
    h("div", { class: "top" }, h("h2", { id: "help-title" }, t("help.title")), close),
    h("p", {}, t("help.intro")),
    h("h3", {}, t("help.first_title")),
    h("ol", {},
      h("li", {}, h("strong", {}, t("help.first_stop")), " ", t("help.first_stop_text")),
      h("li", {}, h("strong", {}, t("help.first_pay")), " ", t("help.first_pay_text")),
      h("li", {}, h("strong", {}, t("help.first_evidence")), " ", t("help.first_evidence_text")),
      h("li", {}, h("strong", {}, t("help.first_adult")), " ", t("help.first_adult_text"))),
    h("h3", {}, t("help.report_title")),
    h("div", { class: "field" }, h("label", { for: "help-country" }, t("help.country")), picker),
    where,
    h("p", { class: "muted" }, t("help.danger"))));
  channels(where, picker.value);
  dialog.addEventListener("close", () => { if (opener && opener.focus) opener.focus(); }, { once: true });
  dialog.showModal();
  close.focus();
}

function channels(box, country) {
  if (!country) {
    fill(box, h("p", {}, t("help.pick_country_text")));
    return;
  }
  const list = ((data.countries || {})[country] || {}).channels || [];
  if (list.length === 0) {
    fill(box, h("p", {}, t("help.generic")));
    return;
  }
  fill(box, h("ul", { class: "channels" }, list.map((c) => {
    const contact = c.tel ? h("a", { href: `tel:${c.tel}` }, c.contact)
      : c.url ? h("a", { href: c.url, target: "_blank", rel: "noopener noreferrer" }, c.contact)
        : h("strong", {}, c.contact);
    return h("li", { class: "channel" },
      h("span", { class: "name" }, c.name),
      contact, " — ", t(c.desc),
      h("span", { class: "src" }, t("help.source"), " ", c.source.url
        ? h("a", { href: c.source.url, target: "_blank", rel: "noopener noreferrer" }, c.source.title)
        : c.source.title));
  })), h("p", { class: "muted" }, t("help.also_police")));
}
