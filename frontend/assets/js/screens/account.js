// My account (/account): name, language and country; export my data as a
// JSON file; sign out; delete my account after a confirmation.
import { t, current, LANGS } from "../i18n.js";
import * as api from "../api.js";
import * as outbox from "../outbox.js";
import { h, fill } from "../dom.js";
import { field, handle, errorBox, submit } from "../forms.js";
import { signInInvite, COUNTRIES } from "../labels.js";
import { message } from "../errors.js";
import { forget } from "../done.js";

export async function render(ctx) {
  const { main } = ctx;
  if (!api.signedIn()) {
    fill(main, h("h1", {}, t("account.title")), signInInvite("account.sign_in"));
    return null;
  }
  const me = (await api.get("/api/v1/me")).data;
  api.setUser(me);

  const saved = h("p", { role: "status", "aria-live": "polite", class: "muted" });
  const profile = h("form", { class: "stack", novalidate: true, "aria-labelledby": "profile-title" },
    errorBox(),
    field({ name: "display_name", label: t("auth.display_name"), value: me.display_name, autocomplete: "nickname", maxlength: 60 }),
    field({ name: "locale", label: t("lang.label"), value: LANGS.includes(me.locale) ? me.locale : current(), options: LANGS.map((l) => [l, t(`lang.${l}`)]) }),
    field({ name: "country", label: t("account.country"), hint: t("account.country_hint"), value: me.country || "",
      options: [["", t("account.country_none")], ...COUNTRIES.map((c) => [c, t(`country.${c}`)])] }),
    submit(t("account.save")), saved);
  handle(profile, async (v) => {
    saved.textContent = "";
    const res = await api.patch("/api/v1/me", { display_name: v.display_name, locale: v.locale, country: v.country });
    api.setUser(res.data);
    saved.textContent = t("account.saved");
    if (v.locale !== current()) {
      const sel = document.getElementById("lang-select");
      sel.value = v.locale;
      sel.dispatchEvent(new Event("change"));
    }
  });

  const exportStatus = h("p", { role: "status", "aria-live": "polite" });
  const exportBtn = h("button", { type: "button", class: "secondary", id: "export-data", onclick: async () => {
    exportStatus.textContent = "";
    try {
      await api.download("/api/v1/me/export", "readi-my-data.json");
      exportStatus.textContent = t("account.exported");
    } catch (e) {
      exportStatus.textContent = message(e);
    }
  } }, t("account.export_button"));

  const logoutBtn = h("button", { type: "button", class: "secondary", id: "logout", onclick: async () => {
    await api.logout();
    ctx.navigate("/");
  } }, t("account.logout"));

  const confirmBox = h("input", { type: "checkbox", id: "delete-confirm", name: "confirm" });
  const deleteStatus = h("div", { class: "form-error", role: "alert" });
  const deleteForm = h("form", { novalidate: true },
    h("p", {}, t("account.delete_text")),
    h("div", { class: "field check" }, confirmBox, h("label", { for: "delete-confirm" }, t("account.delete_confirm"))),
    deleteStatus,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "danger", id: "delete-account" }, t("account.delete_button"))));
  deleteForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    deleteStatus.textContent = "";
    if (!confirmBox.checked) {
      deleteStatus.textContent = t("account.delete_need_confirm");
      confirmBox.focus();
      return;
    }
    try {
      await api.del("/api/v1/me");
    } catch (err) {
      deleteStatus.textContent = message(err);
      return;
    }
    await outbox.clearFor(me.id);
    forget(me);
    api.clearSession();
    if ("caches" in window) caches.delete("readi-api").catch(() => {});
    fill(main,
      h("h1", { tabindex: "-1" }, t("account.deleted_title")),
      h("p", {}, t("account.deleted_text")),
      h("div", { class: "actions" }, h("a", { class: "button", href: "/" }, t("nav.modules"))));
    main.querySelector("h1").focus();
  });

  fill(main,
    h("h1", {}, t("account.title")),
    h("p", { class: "lead" }, t("account.hello", { name: me.display_name })),
    me.email ? h("p", { class: "muted" }, t("account.signed_in_as", { email: me.email })) : null,
    h("div", { class: "actions" }, logoutBtn),
    h("section", { class: "panel", "aria-labelledby": "profile-title" },
      h("h2", { id: "profile-title" }, t("account.profile")), profile),
    h("section", { class: "panel", "aria-labelledby": "export-title" },
      h("h2", { id: "export-title" }, t("account.export_title")),
      h("p", {}, t("account.export_text")),
      h("div", { class: "actions" }, exportBtn), exportStatus),
    h("section", { class: "panel danger-zone", "aria-labelledby": "delete-title" },
      h("h2", { id: "delete-title" }, t("account.delete_title")), deleteForm));
  return null;
}
