// /admin/modules/{slug}/history: the module's revisions, what changed
// between two of them (GET .../diff) and restoring an old one.
import * as api from "../api.js";
import { t } from "../i18n.js";
import { h, fill } from "../dom.js";
import { message } from "../errors.js";
import { Revision, mpath, styles, stateTag, when, statusLine } from "../widgets/editor-kit.js";

export async function render({ main, params, query, rerender, navigate }) {
  const slug = params[0];
  const [mr, rr] = await Promise.all([api.get(mpath(slug)), api.get(mpath(slug, "/revisions?limit=100")), styles()]);
  const mod = mr.data;
  const revs = rr.data || [];
  const status = statusLine();
  const conflict = h("div", { class: "notice conflict", role: "alert", hidden: true });
  const rev = new Revision(slug, mod.head_revision, () => {}, () => {
    fill(conflict, h("p", {}, t("admin.conflict")),
      h("div", { class: "actions" }, h("button", { type: "button", class: "primary", onclick: () => rerender(true) }, t("admin.reload"))));
    conflict.hidden = false;
    conflict.querySelector("button").focus();
  });

  const restore = async (n) => {
    try {
      await rev.write("POST", `/revisions/${n}/restore`);
      status.textContent = t("admin.history.restored", { n });
      navigate(`/admin/modules/${slug}/history`, { replace: true });
    } catch (e) {
      if (e.status !== 409) status.textContent = message(e);
    }
  };

  const rows = revs.map((r) => h("tr", {},
    h("th", { scope: "row" }, String(r.number)),
    h("td", {}, when(r.created_at)),
    h("td", {}, r.author_name || t("admin.history.no_author")),
    h("td", { class: "wrap" }, r.note || ""),
    h("td", {}, r.published ? h("span", { class: "tag state-published" }, t("admin.history.live")) : ""),
    h("td", {}, r.number === mod.head_revision ? h("span", { class: "muted" }, t("admin.history.head"))
      : h("button", { type: "button", class: "secondary small", onclick: () => restore(r.number) },
        t("admin.history.restore"), h("span", { class: "visually-hidden" }, ` ${t("admin.history.revision_n", { n: r.number })}`)))));

  const opts = [["published", t("admin.history.published")], ["head", t("admin.history.newest")],
    ...revs.map((r) => [String(r.number), t("admin.history.revision_n", { n: r.number })])];
  const pick = (name, label, value) => {
    const sel = h("select", { id: `diff-${name}`, name }, opts.map(([v, l]) => h("option", { value: v }, l)));
    sel.value = value;
    return h("div", { class: "field" }, h("label", { for: `diff-${name}` }, label), sel);
  };
  const from = query.get("from") || (mod.published_revision ? "published" : (revs.length > 1 ? String(revs[revs.length - 1].number) : "head"));
  const to = query.get("to") || "head";
  const out = h("div", { id: "diff-out" });
  const form = h("form", { class: "admin-form diff-form" },
    h("div", { class: "grid-2" }, pick("from", t("admin.history.from"), from), pick("to", t("admin.history.to"), to)),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("admin.history.compare"))));
  const showDiff = async (a, b) => {
    fill(out, h("p", { class: "loading" }, t("app.loading")));
    try {
      const d = (await api.get(mpath(slug, `/diff?from=${encodeURIComponent(a)}&to=${encodeURIComponent(b)}`))).data;
      fill(out, diffView(d));
    } catch (e) {
      fill(out, h("p", { role: "alert" }, message(e)));
    }
  };
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    showDiff(form.elements.from.value, form.elements.to.value);
  });

  fill(main, h("div", { class: "admin" },
    h("p", { class: "crumbs" }, h("a", { href: "/admin" }, t("admin.title")), " › ",
      h("a", { href: `/admin/modules/${slug}` }, mod.module.title || slug)),
    h("h1", {}, t("admin.history.title", { title: mod.module.title || slug })),
    h("p", { class: "meta" }, stateTag(mod.state)),
    conflict, status,
    h("section", { "aria-labelledby": "revs-title" },
      h("h2", { id: "revs-title" }, t("admin.history.revisions")),
      h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": "revs-title" },
        h("table", { class: "data admin-table" },
          h("thead", {}, h("tr", {},
            h("th", { scope: "col" }, t("admin.history.col_number")),
            h("th", { scope: "col" }, t("admin.history.col_when")),
            h("th", { scope: "col" }, t("admin.history.col_author")),
            h("th", { scope: "col" }, t("admin.history.col_note")),
            h("th", { scope: "col" }, t("admin.history.col_live")),
            h("th", { scope: "col" }, t("admin.history.col_action")))),
          h("tbody", {}, rows)))),
    h("section", { "aria-labelledby": "diff-title" },
      h("h2", { id: "diff-title" }, t("admin.history.diff")),
      form, out)));
  showDiff(from, to);
}

/** diffView lists the changes by field path; changed text as a line diff. */
function diffView(d) {
  if (!d.changes || d.changes.length === 0) return h("p", { class: "empty" }, t("admin.history.same"));
  const kind = (k) => ({
    added: t("admin.diff.added"), removed: t("admin.diff.removed"), changed: t("admin.diff.changed"), moved: t("admin.diff.moved"),
  }[k] || k);
  const val = (v) => (v == null ? "" : typeof v === "string" ? v : JSON.stringify(v, null, 1));
  return h("ul", { class: "diff-list" }, d.changes.map((c) => h("li", { class: `diff-${c.kind}` },
    h("p", { class: "diff-head" }, h("span", { class: "tag" }, kind(c.kind)), " ", h("code", {}, c.path)),
    c.lines && c.lines.length
      ? h("pre", { class: "diff-lines" }, c.lines.map((l) => h("span", {
        class: l.startsWith("+") ? "ins" : l.startsWith("-") ? "del" : l.startsWith("@@") ? "gap" : null,
      }, `${l}\n`)))
      : h("dl", { class: "diff-values" },
        c.kind !== "added" ? [h("dt", {}, t("admin.diff.before")), h("dd", {}, h("pre", {}, val(c.before)))] : null,
        c.kind !== "removed" ? [h("dt", {}, t("admin.diff.after")), h("dd", {}, h("pre", {}, val(c.after)))] : null))));
}
