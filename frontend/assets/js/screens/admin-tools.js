// /admin/content, /admin/users, /admin/audit: content packs (export the
// zip; import one, checked with a dry run first), users (search, role,
// disable) and the audit log (filter by actor, action and date).
import * as api from "../api.js";
import { t } from "../i18n.js";
import { h, fill } from "../dom.js";
import { message } from "../errors.js";
import { adminNav, upload, styles, problemList, when, statusLine, BASE } from "../widgets/editor-kit.js";

function shell(main, current, title, ...kids) {
  fill(main, h("div", { class: "admin" }, h("h1", {}, title), adminNav(current), kids));
}

// ---- Content packs ----------------------------------------------------

export async function content({ main }) {
  await styles();
  const exportStatus = statusLine();
  const exportButton = h("button", { type: "button", class: "primary", id: "export-pack" }, t("admin.content.export"));
  exportButton.addEventListener("click", async () => {
    exportButton.disabled = true;
    try {
      await api.downloadFile(`${BASE}/content/export`, "readi-content.zip");
      exportStatus.textContent = t("admin.content.exported");
    } catch (e) {
      exportStatus.textContent = message(e);
    } finally {
      exportButton.disabled = false;
    }
  });

  const file = h("input", { type: "file", id: "pack-file", name: "file", accept: ".zip,application/zip" });
  const replace = h("input", { type: "checkbox", id: "pack-replace", name: "replace" });
  const report = h("div", { id: "import-report", tabindex: "-1" });
  const importStatus = statusLine();
  const check = h("button", { type: "submit", class: "primary", id: "pack-check" }, t("admin.content.check"));
  const apply = h("button", { type: "button", class: "secondary", id: "pack-apply", disabled: true }, t("admin.content.apply"));
  let checked = null;
  const send = async (dry) => {
    const f = file.files[0];
    if (!f) {
      importStatus.textContent = t("admin.content.pick");
      return null;
    }
    const q = new URLSearchParams({ dry_run: String(dry), replace: String(replace.checked) });
    const res = await upload(`${BASE}/content/import?${q}`, f, "application/zip");
    if (!res) {
      importStatus.textContent = t("error.offline");
      return null;
    }
    if (!res.ok) {
      const err = res.error;
      fill(report, h("p", { role: "alert" }, t("admin.content.refused")),
        problemList(err.problems, {}) || h("p", {}, t(err.code || "error.generic")));
      report.focus();
      return null;
    }
    return res.data;
  };
  const form = h("form", { class: "admin-form" },
    h("div", { class: "field" }, h("label", { for: "pack-file" }, t("admin.content.file")), file),
    h("div", { class: "check" }, replace, h("label", { for: "pack-replace" }, t("admin.content.replace"))),
    h("div", { class: "actions" }, check, apply, importStatus));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    check.disabled = true;
    apply.disabled = true;
    importStatus.textContent = "";
    try {
      const r = await send(true);
      if (r) {
        checked = { file: file.files[0], replace: replace.checked };
        fill(report, importReport(r));
        apply.disabled = false;
        report.focus();
      }
    } finally {
      check.disabled = false;
    }
  });
  const reset = () => { apply.disabled = true; checked = null; };
  file.addEventListener("change", reset);
  replace.addEventListener("change", reset);
  apply.addEventListener("click", async () => {
    if (!checked) return;
    apply.disabled = true;
    const r = await send(false);
    if (r) {
      fill(report, importReport(r));
      importStatus.textContent = t("admin.content.imported");
      checked = null;
    }
  });

  shell(main, "/admin/content", t("admin.content.title"),
    h("section", { class: "panel", "aria-labelledby": "export-title" },
      h("h2", { id: "export-title" }, t("admin.content.export_title")),
      h("p", {}, t("admin.content.export_hint")),
      h("div", { class: "actions" }, exportButton, exportStatus)),
    h("section", { class: "panel", "aria-labelledby": "import-title" },
      h("h2", { id: "import-title" }, t("admin.content.import_title")),
      h("p", {}, t("admin.content.import_hint")),
      form, report));
}

function importReport(r) {
  const names = (list) => (list && list.length ? list.join(", ") : t("admin.content.none"));
  const changes = (c) => {
    if (!c) return "";
    const parts = [];
    if (c.added && c.added.length) parts.push(t("admin.content.added", { list: c.added.join(", ") }));
    if (c.changed && c.changed.length) parts.push(t("admin.content.changed_list", { list: c.changed.join(", ") }));
    if (c.removed && c.removed.length) parts.push(t("admin.content.removed_list", { list: c.removed.join(", ") }));
    return parts.join("; ");
  };
  return h("div", { class: "import-report" },
    h("h3", {}, r.dry_run ? t("admin.content.dry_title") : t("admin.content.done_title")),
    h("dl", { class: "report" },
      h("dt", {}, t("admin.content.created")), h("dd", {}, names(r.created)),
      h("dt", {}, t("admin.content.changed")),
      h("dd", {}, r.changed && r.changed.length
        ? h("ul", {}, r.changed.map((c) => h("li", {}, h("strong", {}, c.slug),
          c.fields && c.fields.length ? ` ${t("admin.content.fields", { list: c.fields.join(", ") })}` : "",
          c.lessons ? ` ${t("admin.content.lessons")}: ${changes(c.lessons) || "—"}` : "",
          c.questions ? ` ${t("admin.content.questions")}: ${changes(c.questions) || "—"}` : "")))
        : t("admin.content.none")),
      h("dt", {}, t("admin.content.removed")), h("dd", {}, names(r.removed)),
      h("dt", {}, t("admin.content.unchanged")), h("dd", {}, names(r.unchanged))));
}

// ---- Users -------------------------------------------------------------

export async function users({ main, query, navigate }) {
  const q = query.get("q") || "";
  const cursor = query.get("cursor") || "";
  const params = new URLSearchParams({ limit: "50" });
  if (q) params.set("q", q);
  if (cursor) params.set("cursor", cursor);
  const [r] = await Promise.all([api.get(`${BASE}/users?${params}`), styles()]);
  const me = api.currentUser();
  const search = h("input", { type: "search", id: "user-q", name: "q", autocomplete: "off" });
  search.value = q;
  const form = h("form", { class: "admin-form search-form", role: "search" },
    h("div", { class: "field" }, h("label", { for: "user-q" }, t("admin.users.search")), search),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("admin.users.search_button"))));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    navigate(`/admin/users${search.value ? `?q=${encodeURIComponent(search.value)}` : ""}`);
  });
  const status = statusLine();
  const rows = (r.data || []).map((u) => {
    const self = me && me.id === u.id;
    const role = h("select", { id: `role-${u.id}`, "aria-label": t("admin.users.role_of", { name: u.display_name }), disabled: self || null },
      [["learner", t("admin.users.role.learner")], ["educator", t("admin.users.role.educator")], ["admin", t("admin.users.role.admin")]]
        .map(([v, l]) => h("option", { value: v }, l)));
    role.value = u.role;
    const state = h("span", {}, u.disabled ? t("admin.users.disabled") : t("admin.users.active"));
    const toggle = h("button", { type: "button", class: "secondary small", disabled: self || null },
      u.disabled ? t("admin.users.enable") : t("admin.users.disable"), h("span", { class: "visually-hidden" }, ` ${u.display_name}`));
    const patch = async (body) => {
      try {
        const got = (await api.patch(`${BASE}/users/${u.id}`, body)).data;
        Object.assign(u, got);
        role.value = u.role;
        state.textContent = u.disabled ? t("admin.users.disabled") : t("admin.users.active");
        fill(toggle, u.disabled ? t("admin.users.enable") : t("admin.users.disable"), h("span", { class: "visually-hidden" }, ` ${u.display_name}`));
        status.textContent = t("admin.users.saved", { name: u.display_name });
      } catch (e) {
        role.value = u.role;
        status.textContent = message(e);
      }
    };
    role.addEventListener("change", () => patch({ role: role.value }));
    toggle.addEventListener("click", () => patch({ disabled: !u.disabled }));
    return h("tr", {},
      h("td", {}, `#${u.id}`),
      h("th", { scope: "row" }, u.display_name, self ? h("span", { class: "muted" }, ` ${t("admin.users.you")}`) : ""),
      h("td", { class: "wrap" }, u.email || "—"),
      h("td", {}, role),
      h("td", {}, state, " ", toggle),
      h("td", {}, when(u.created_at)));
  });
  shell(main, "/admin/users", t("admin.users.title"),
    form, status,
    rows.length
      ? h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("admin.users.title") },
        h("table", { class: "data admin-table" },
          h("thead", {}, h("tr", {},
            h("th", { scope: "col" }, t("admin.users.col_id")),
            h("th", { scope: "col" }, t("admin.users.col_name")),
            h("th", { scope: "col" }, t("admin.users.col_email")),
            h("th", { scope: "col" }, t("admin.users.col_role")),
            h("th", { scope: "col" }, t("admin.users.col_state")),
            h("th", { scope: "col" }, t("admin.users.col_created")))),
          h("tbody", {}, rows)))
      : h("p", { class: "empty" }, t("admin.users.none")),
    r.next ? h("p", { class: "pager" }, h("a", { class: "button secondary", href: `/admin/users?${new URLSearchParams({ q, cursor: r.next })}` }, t("admin.more"))) : null);
}

// ---- Audit log ---------------------------------------------------------

export async function audit({ main, query, navigate }) {
  const f = { actor: query.get("actor") || "", action: query.get("action") || "", since: query.get("since") || "" };
  const params = new URLSearchParams({ limit: "50" });
  if (f.actor) params.set("actor", f.actor);
  if (f.action) params.set("action", f.action);
  if (f.since) params.set("since", `${f.since}T00:00:00Z`);
  if (query.get("cursor")) params.set("cursor", query.get("cursor"));
  await styles();
  let r = { data: [] };
  let failure = null;
  try {
    r = await api.get(`${BASE}/audit?${params}`);
  } catch (e) {
    if (e.kind !== "validation") throw e;
    failure = message(e);
  }
  const field = (name, label, type, hint) => {
    const el = h("input", { id: `audit-${name}`, name, type, autocomplete: "off", "aria-describedby": hint ? `audit-${name}-hint` : null,
      inputmode: name === "actor" ? "numeric" : null });
    el.value = f[name];
    return h("div", { class: "field" }, h("label", { for: `audit-${name}` }, label),
      hint ? h("p", { class: "hint", id: `audit-${name}-hint` }, hint) : null, el);
  };
  const form = h("form", { class: "admin-form filters-form" },
    h("div", { class: "grid-3" },
      field("actor", t("admin.audit.actor"), "text", t("admin.audit.actor_hint")),
      field("action", t("admin.audit.action"), "text", t("admin.audit.action_hint")),
      field("since", t("admin.audit.since"), "date", null)),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("admin.audit.filter"))));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    for (const k of ["actor", "action", "since"]) if (form.elements[k].value.trim()) p.set(k, form.elements[k].value.trim());
    navigate(`/admin/audit${p.size ? `?${p}` : ""}`);
  });
  const short = (v) => (v == null ? "" : JSON.stringify(v));
  const rows = (r.data || []).map((a) => h("tr", {},
    h("td", {}, when(a.created_at)),
    h("td", {}, a.actor_name || (a.actor_id ? `#${a.actor_id}` : t("admin.audit.system"))),
    h("th", { scope: "row" }, h("code", {}, a.action)),
    h("td", { class: "wrap" }, a.target || ""),
    h("td", { class: "wrap" }, a.before != null || a.after != null
      ? h("details", {}, h("summary", {}, t("admin.audit.details")),
        a.before != null ? h("p", {}, h("strong", {}, `${t("admin.diff.before")}: `), h("code", {}, short(a.before))) : null,
        a.after != null ? h("p", {}, h("strong", {}, `${t("admin.diff.after")}: `), h("code", {}, short(a.after))) : null)
      : "")));
  const next = new URLSearchParams(query);
  if (r.next) next.set("cursor", r.next);
  shell(main, "/admin/audit", t("admin.audit.title"),
    form,
    failure ? h("p", { class: "form-error", role: "alert" }, failure) : null,
    rows.length
      ? h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("admin.audit.title") },
        h("table", { class: "data admin-table" },
          h("thead", {}, h("tr", {},
            h("th", { scope: "col" }, t("admin.audit.col_when")),
            h("th", { scope: "col" }, t("admin.audit.col_actor")),
            h("th", { scope: "col" }, t("admin.audit.col_action")),
            h("th", { scope: "col" }, t("admin.audit.col_target")),
            h("th", { scope: "col" }, t("admin.audit.col_change")))),
          h("tbody", {}, rows)))
      : h("p", { class: "empty" }, t("admin.audit.none")),
    r.next ? h("p", { class: "pager" }, h("a", { class: "button secondary", href: `/admin/audit?${next}` }, t("admin.more"))) : null);
}
