// My classes (/classes): the classes I teach with their learner counts and
// whether they can be joined, and a form to create one.
import { t, num } from "../i18n.js";
import * as api from "../api.js";
import { h, fill } from "../dom.js";
import { field, handle, errorBox, submit } from "../forms.js";
import { gate, takeFlash, flash, styles } from "../educator.js";

export async function list(ctx) {
  const { main } = ctx;
  if (!gate(main, t("classes.title"))) return null;
  const [res] = await Promise.all([api.get("/api/v1/classes"), styles()]);
  const classes = res.data || [];
  const active = classes.filter((c) => !c.archived);
  const archived = classes.filter((c) => c.archived);

  const form = h("form", { class: "stack", novalidate: true, "aria-labelledby": "create-title" },
    errorBox(),
    field({ name: "name", label: t("classes.name"), hint: t("classes.name_hint"), required: true, maxlength: 80, autocomplete: "off" }),
    submit(t("classes.create_button")));
  handle(form, async (v) => {
    const res = await api.post("/api/v1/classes", { name: v.name });
    flash(t("classes.created", { name: res.data.name }));
    ctx.navigate(`/classes/${res.data.id}`);
  });

  fill(main,
    h("h1", {}, t("classes.title")),
    h("p", { class: "lead" }, t("classes.lead")),
    takeFlash(),
    h("section", { "aria-labelledby": "mine-title" },
      h("h2", { id: "mine-title" }, t("classes.mine")),
      active.length ? h("ul", { class: "class-list", id: "class-list" }, active.map(item))
        : h("p", { class: "empty" }, t("classes.none"))),
    h("section", { class: "panel", "aria-labelledby": "create-title" },
      h("h2", { id: "create-title" }, t("classes.create_title")),
      form),
    archived.length ? h("section", { "aria-labelledby": "archived-title" },
      h("h2", { id: "archived-title" }, t("classes.archived")),
      h("ul", { class: "class-list" }, archived.map(item))) : null);
  return null;
}

function item(c) {
  return h("li", { class: "class-item", "data-class": c.id },
    h("h3", {}, h("a", { href: `/classes/${c.id}` }, c.name)),
    h("ul", { class: "meta" },
      h("li", {}, t("classes.learners", { n: num(c.member_count) })),
      h("li", {}, c.archived ? t("class.archived_tag")
        : c.join_code ? [t("classes.code"), " ", h("strong", { class: "mono" }, c.join_code)] : t("classes.closed"))));
}
