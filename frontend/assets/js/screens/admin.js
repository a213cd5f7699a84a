// /admin: every module in the editor with its state, and a form to start a
// new one (module.yaml's fields).
import * as api from "../api.js";
import { t } from "../i18n.js";
import { h, fill } from "../dom.js";
import { showFormError, clearFormErrors } from "../errors.js";
import { errorBox } from "../forms.js";
import { adminNav, stateTag, when, styles, BASE } from "../widgets/editor-kit.js";
import { moduleFieldset, blankModule, cleanModule } from "../widgets/editor-module.js";

export async function render({ main, navigate }) {
  const [r] = await Promise.all([api.get(`${BASE}/modules?state=all`), styles()]);
  const list = r.data || [];
  const rows = list.map((m) => h("tr", {},
    h("th", { scope: "row" }, h("a", { href: `/admin/modules/${m.slug}` }, m.title || m.slug),
      h("div", { class: "muted mono" }, m.slug)),
    h("td", {}, stateTag(m.state)),
    h("td", {}, String(m.lesson_count)),
    h("td", {}, String(m.question_count)),
    h("td", {}, m.updated_at ? when(m.updated_at) : "—")));
  const table = list.length
    ? h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("admin.modules.title") },
      h("table", { class: "data admin-table" },
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, t("admin.modules.col_title")),
          h("th", { scope: "col" }, t("admin.modules.col_state")),
          h("th", { scope: "col" }, t("admin.modules.col_lessons")),
          h("th", { scope: "col" }, t("admin.modules.col_questions")),
          h("th", { scope: "col" }, t("admin.modules.col_updated")))),
        h("tbody", {}, rows)))
    : h("p", { class: "empty" }, t("admin.modules.none"));

  const draft = blankModule();
  const form = h("form", { class: "admin-form", novalidate: true },
    moduleFieldset(draft, { create: true }),
    errorBox(),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("admin.modules.create"))));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearFormErrors(form);
    const button = form.querySelector('[type="submit"]');
    button.disabled = true;
    try {
      await api.post(`${BASE}/modules`, cleanModule(draft, true));
      navigate(`/admin/modules/${draft.slug.trim()}`);
    } catch (err) {
      showFormError(form, err);
    } finally {
      button.disabled = false;
    }
  });

  fill(main, h("div", { class: "admin" },
    h("h1", {}, t("admin.title")),
    adminNav("/admin"),
    h("p", {}, h("a", { class: "button secondary", href: "#new-module" }, t("admin.modules.new"))),
    h("h2", {}, t("admin.modules.title")),
    table,
    h("section", { class: "panel", "aria-labelledby": "new-module" },
      h("h2", { id: "new-module", tabindex: "-1" }, t("admin.modules.new")),
      h("p", { class: "muted" }, t("admin.modules.new_hint")),
      form)));
}
