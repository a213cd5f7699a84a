// A class (/classes/{id}): its join code in large type and as a QR code,
// with a view to project it; assignments with due dates; learners; co-
// teachers; name, archive and delete. /classes/{id}/project is the code
// alone, as big as the screen allows. Each section redraws itself after a
// change and says what happened in its own status line.
import { t, current, num } from "../i18n.js";
import * as api from "../api.js";
import { h, fill, id as newId } from "../dom.js";
import { field, handle, errorBox, submit } from "../forms.js";
import { message, showFormError, clearFormErrors } from "../errors.js";
import { langQuery } from "../labels.js";
import { confirmAction } from "../confirm.js";
import {
  gate, crumbs, sections, heading, joinURL, when, toLocalInput, fromLocalInput, timeZone, takeFlash, flash, styles,
} from "../educator.js";

const qr = () => import("../widgets/qr.js");

export async function render(ctx) {
  const { main, params } = ctx;
  if (!gate(main, t("class.title"))) return null;
  const cid = params[0];
  const base = `/api/v1/classes/${cid}`;
  const [clsRes, membersRes, assignRes, modulesRes, qrMod, teachersRes] = await Promise.all([
    api.get(base),
    api.get(`${base}/members`),
    api.get(`${base}/assignments?${langQuery(current())}`),
    api.get(`/api/v1/modules?${langQuery(current())}`),
    qr(),
    api.get(`${base}/teachers`),
    styles(),
  ]);
  const state = {
    cls: clsRes.data,
    members: membersRes.data || [],
    assignments: assignRes.data || [],
    modules: (modulesRes.data || []).slice().sort((a, b) => a.position - b.position),
    teachers: teachersRes.data || [],
  };
  const me = api.currentUser();
  const owner = state.cls.owner_id === me.id;

  const head = h("div", {});
  const codeBox = h("section", { class: "panel join-panel", "aria-labelledby": "code-title", id: "code-section" });
  const assignBox = h("section", { class: "panel", "aria-labelledby": "assign-title", id: "assign-section" });
  const memberBox = h("section", { class: "panel", "aria-labelledby": "members-title", id: "members-section" });
  const teacherBox = h("section", { class: "panel", "aria-labelledby": "teachers-title", id: "teachers-section" });
  const settingsBox = h("section", { class: "panel", "aria-labelledby": "settings-title", id: "settings-section" });

  const codeStatus = h("p", { role: "status", "aria-live": "polite", class: "muted", id: "code-status" });
  const drawHead = () => {
    fill(head, crumbs(state.cls), heading(state.cls, state.cls.name), sections(state.cls, "class"),
      state.cls.archived ? null : h("p", {}, h("a", { class: "button secondary", href: `/live/new?class=${state.cls.id}`, id: "host-live" }, t("live.host_button"))));
    document.title = `${state.cls.name} · READI`;
  };
  const patchClass = async (body) => {
    state.cls = (await api.patch(base, body)).data;
    codeStatus.textContent = "";
    drawHead();
    drawCode();
    drawSettings();
  };

  // Join code
  const drawCode = () => {
    const c = state.cls;
    const actions = h("div", { class: "actions" });
    const act = async (code, done) => {
      codeStatus.textContent = "";
      try {
        await patchClass({ code });
        codeStatus.textContent = done;
        codeBox.querySelector("h2").focus();
      } catch (e) {
        codeStatus.textContent = message(e);
      }
    };
    let body;
    if (c.join_code) {
      const url = joinURL(c.join_code);
      body = h("div", { class: "join-grid" },
        h("div", {},
          h("p", {}, t("class.code_text")),
          h("p", { class: "join-code", id: "join-code" }, c.join_code),
          // Text, not a link: opening it here would join the teacher to the class.
          h("p", { class: "join-url" }, h("span", { class: "muted" }, t("class.join_link")), " ", h("span", { id: "join-url", class: "url" }, url))),
        h("figure", { class: "qr-figure" },
          qrMod.qrSvg(url, t("class.qr_label", { code: c.join_code })),
          h("figcaption", { class: "muted" }, t("class.qr_caption"))));
      actions.append(
        h("a", { class: "button", href: `/classes/${c.id}/project`, id: "project-link" }, t("class.project")),
        h("button", { type: "button", class: "secondary", id: "code-rotate", onclick: async () => {
          const yes = await confirmAction({ title: t("class.rotate_title"), text: t("class.rotate_text"), confirm: t("class.rotate"), danger: false });
          if (yes) act("rotate", t("class.rotated"));
        } }, t("class.rotate")),
        h("button", { type: "button", class: "secondary", id: "code-close", onclick: () => act("close", t("class.closed_done")) }, t("class.close_code")));
    } else if (c.archived) {
      body = h("p", {}, t("class.code_archived"));
    } else {
      body = h("p", {}, t("class.code_closed"));
      actions.append(h("button", { type: "button", class: "primary", id: "code-open", onclick: () => act("open", t("class.opened_done")) }, t("class.open_code")));
    }
    fill(codeBox, h("h2", { id: "code-title", tabindex: "-1" }, t("class.code_title")), body, actions, codeStatus);
  };

  // Assignments
  const assignStatus = h("p", { role: "status", "aria-live": "polite", class: "muted", id: "assign-status" });
  const titleOf = (slug) => {
    const m = state.modules.find((x) => x.slug === slug);
    return m ? m.title : slug;
  };
  const reloadAssignments = async () => {
    state.assignments = (await api.get(`${base}/assignments?${langQuery(current())}`)).data || [];
  };
  const drawAssignments = (focusSel) => {
    const due = (a) => (a.due_at ? Date.parse(a.due_at) : Infinity);
    const list = state.assignments.slice().sort((a, b) => (due(a) - due(b)) || titleOf(a.module_slug).localeCompare(titleOf(b.module_slug)));
    const assigned = new Set(list.map((a) => a.module_slug));
    const free = state.modules.filter((m) => !assigned.has(m.slug));
    const add = h("form", { class: "stack", novalidate: true, "aria-labelledby": "assign-add-title", id: "assign-form" },
      h("h3", { id: "assign-add-title" }, t("class.assign_add")),
      errorBox(),
      field({ name: "module_slug", label: t("class.assign_module"), options: free.map((m) => [m.slug, m.title]) }),
      field({ name: "due_at", type: "datetime-local", label: t("class.assign_due"), hint: t("class.due_hint", { tz: timeZone() }) }),
      submit(t("class.assign_button")));
    handle(add, async (v) => {
      const due = fromLocalInput(v.due_at);
      if (due === undefined) throw new api.ApiError("validation", 422, "validation.failed", { due_at: "date.invalid" });
      await api.post(`${base}/assignments`, { module_slug: v.module_slug, due_at: due });
      await reloadAssignments();
      drawAssignments("#assign-form select");
      assignStatus.textContent = t("class.assigned", { title: titleOf(v.module_slug) });
    });
    fill(assignBox,
      h("h2", { id: "assign-title", tabindex: "-1" }, t("class.assign_title")),
      list.length ? h("ul", { class: "item-list", id: "assign-list" }, list.map(assignmentItem))
        : h("p", { class: "muted" }, t("class.assign_none")),
      assignStatus,
      free.length ? add : h("p", { class: "muted" }, t("class.assign_all")));
    if (focusSel) assignBox.querySelector(focusSel)?.focus();
  };
  const assignmentItem = (a) => {
    const title = titleOf(a.module_slug);
    const li = h("li", { class: "item", "data-assignment": a.id, "data-module": a.module_slug });
    const path = `${base}/assignments/${a.id}`;
    const setDue = async (due, done) => {
      assignStatus.textContent = "";
      await api.patch(path, { due_at: due });
      await reloadAssignments();
      drawAssignments(`[data-assignment="${a.id}"] .edit-due`);
      assignStatus.textContent = done;
    };
    const view = () => fill(li,
      h("div", { class: "item-main" },
        h("h3", {}, h("a", { href: `/modules/${a.module_slug}` }, title)),
        h("p", { class: "muted due" }, a.due_at ? t("class.due", { date: when(a.due_at) }) : t("class.no_due"))),
      h("div", { class: "item-actions" },
        h("button", { type: "button", class: "secondary small edit-due", "aria-label": t("class.change_due_for", { title }), onclick: edit }, t("class.change_due")),
        a.due_at ? h("button", { type: "button", class: "secondary small clear-due", "aria-label": t("class.clear_due_for", { title }), onclick: async () => {
          try { await setDue(null, t("class.due_cleared", { title })); } catch (e) { assignStatus.textContent = message(e); }
        } }, t("class.clear_due")) : null,
        h("button", { type: "button", class: "secondary small remove", "aria-label": t("class.unassign_for", { title }), onclick: async () => {
          const yes = await confirmAction({ title: t("class.unassign_title"), text: t("class.unassign_text", { title }), confirm: t("class.unassign") });
          if (!yes) return;
          try {
            await api.del(path);
            await reloadAssignments();
            drawAssignments("#assign-title");
            assignStatus.textContent = t("class.unassigned", { title });
          } catch (e) {
            assignStatus.textContent = message(e);
          }
        } }, t("class.unassign"))));
    const edit = () => {
      const fid = newId("due");
      const input = h("input", { type: "datetime-local", id: fid, name: "due_at", value: toLocalInput(a.due_at) });
      const form = h("form", { class: "due-form", novalidate: true },
        errorBox(),
        h("div", { class: "field" }, h("label", { for: fid }, t("class.new_due", { title })), input),
        h("div", { class: "actions" },
          h("button", { type: "submit", class: "primary small" }, t("class.save_due")),
          h("button", { type: "button", class: "secondary small", onclick: () => { view(); li.querySelector(".edit-due").focus(); } }, t("confirm.cancel"))));
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        clearFormErrors(form);
        const due = fromLocalInput(input.value);
        try {
          if (due === undefined) throw new api.ApiError("validation", 422, "validation.failed", { due_at: "date.invalid" });
          await setDue(due, due ? t("class.due_set", { title, date: when(due) }) : t("class.due_cleared", { title }));
        } catch (err) {
          showFormError(form, err);
        }
      });
      fill(li, h("div", { class: "item-main" }, h("h3", {}, title), form));
      input.focus();
    };
    view();
    return li;
  };

  // Learners
  const memberStatus = h("p", { role: "status", "aria-live": "polite", class: "muted", id: "members-status" });
  const drawMembers = () => {
    const list = state.members.slice().sort((a, b) => a.nickname.localeCompare(b.nickname, current()));
    fill(memberBox,
      h("h2", { id: "members-title", tabindex: "-1" }, t("class.members_title"), " ", h("span", { class: "count" }, `(${num(list.length)})`)),
      list.length ? h("div", { class: "table-wrap" }, h("table", { class: "data members", id: "members-table" },
        h("caption", { class: "visually-hidden" }, t("class.members_caption")),
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, t("class.col_nickname")),
          h("th", { scope: "col" }, t("class.col_last_active")),
          h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("class.col_actions"))))),
        h("tbody", {}, list.map((m) => h("tr", { "data-member": m.user_id },
          h("th", { scope: "row" }, m.nickname),
          h("td", {}, m.last_active ? when(m.last_active) : t("class.never")),
          h("td", {}, h("button", { type: "button", class: "secondary small remove-member", "aria-label": t("class.remove_member_for", { name: m.nickname }), onclick: async () => {
            const yes = await confirmAction({ title: t("class.remove_member_title", { name: m.nickname }), text: t("class.remove_member_text"), confirm: t("class.remove_member") });
            if (!yes) return;
            try {
              await api.del(`${base}/members/${m.user_id}`);
              state.members = state.members.filter((x) => x.user_id !== m.user_id);
              drawMembers();
              memberStatus.textContent = t("class.member_removed", { name: m.nickname });
              memberBox.querySelector("h2").focus();
            } catch (e) {
              memberStatus.textContent = message(e);
            }
          } }, t("class.remove_member")))))))) : h("p", { class: "muted" }, t("class.members_none")),
      memberStatus);
  };

  // Co-teachers: the owner removes them; a co-teacher can leave.
  const teacherStatus = h("p", { role: "status", "aria-live": "polite", class: "muted", id: "teacher-status" });
  const removeTeacher = async (tc) => {
    const leaving = tc.user_id === me.id;
    const yes = await confirmAction(leaving
      ? { title: t("class.leave_title", { name: state.cls.name }), text: t("class.leave_text"), confirm: t("class.leave") }
      : { title: t("class.remove_teacher_title", { name: tc.display_name }), text: t("class.remove_teacher_text"), confirm: t("class.remove_teacher") });
    if (!yes) return;
    try {
      await api.del(`${base}/teachers/${tc.user_id}`);
      if (leaving) {
        flash(t("class.left", { name: state.cls.name }));
        ctx.navigate("/classes", { replace: true });
        return;
      }
      state.teachers = state.teachers.filter((x) => x.user_id !== tc.user_id);
      drawTeachers();
      teacherBox.querySelector("#teacher-status").textContent = t("class.teacher_removed", { name: tc.display_name });
      teacherBox.querySelector("h2").focus();
    } catch (e) {
      teacherBox.querySelector("#teacher-status").textContent = message(e);
    }
  };
  const teacherAction = (tc) => {
    if (tc.owner) return null;
    if (tc.user_id === me.id) {
      return h("button", { type: "button", class: "secondary small leave-class", onclick: () => removeTeacher(tc) }, t("class.leave"));
    }
    if (!owner) return null;
    return h("button", { type: "button", class: "secondary small remove-teacher", "aria-label": t("class.remove_teacher_for", { name: tc.display_name }),
      onclick: () => removeTeacher(tc) }, t("class.remove_teacher"));
  };
  const drawTeachers = () => {
    const form = h("form", { class: "stack", novalidate: true, "aria-labelledby": "teachers-title" },
      errorBox(),
      field({ name: "email", type: "email", label: t("class.teacher_email"), hint: t("class.teacher_hint"), autocomplete: "off", required: true }),
      submit(t("class.teacher_button")));
    handle(form, async (v) => {
      teacherStatus.textContent = "";
      await api.post(`${base}/teachers`, { email: v.email });
      state.teachers = (await api.get(`${base}/teachers`)).data || [];
      drawTeachers();
      teacherStatus.textContent = t("class.teacher_added", { email: v.email.trim() });
      teacherBox.querySelector('[name="email"]').focus();
    });
    fill(teacherBox,
      h("h2", { id: "teachers-title", tabindex: "-1" }, t("class.teachers_title")),
      h("p", {}, owner ? t("class.you_own") : t("class.you_coteach")),
      h("div", { class: "table-wrap" }, h("table", { class: "data teachers", id: "teachers-table" },
        h("caption", { class: "visually-hidden" }, t("class.teachers_caption")),
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, t("class.col_teacher")),
          h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("class.col_actions"))))),
        h("tbody", {}, state.teachers.map((tc) => h("tr", { "data-teacher": tc.user_id },
          h("th", { scope: "row" }, tc.display_name, tc.owner ? [" ", h("span", { class: "tag" }, t("class.teacher_owner"))] : null,
            h("span", { class: "teacher-email muted" }, tc.email)),
          h("td", {}, teacherAction(tc))))))),
      form,
      teacherStatus);
  };

  // Name, archive, delete
  const drawSettings = () => {
    const c = state.cls;
    const saved = h("p", { role: "status", "aria-live": "polite", class: "muted", id: "settings-status" });
    const rename = h("form", { class: "stack", novalidate: true, "aria-labelledby": "rename-title", id: "rename-form" },
      h("h3", { id: "rename-title" }, t("class.rename_title")),
      errorBox(),
      field({ name: "name", label: t("classes.name"), value: c.name, required: true, maxlength: 80, autocomplete: "off" }),
      submit(t("class.rename_button")));
    handle(rename, async (v) => {
      await patchClass({ name: v.name });
      settingsBox.querySelector("#settings-status").textContent = t("class.renamed");
      settingsBox.querySelector("#rename-form input").focus();
    });
    const archiveBtn = h("button", { type: "button", class: "secondary", id: "archive", onclick: async () => {
      try {
        await patchClass({ archived: !c.archived });
        settingsBox.querySelector("#settings-status").textContent = c.archived ? t("class.unarchived") : t("class.archived_done");
        settingsBox.querySelector("#archive").focus();
      } catch (e) {
        saved.textContent = message(e);
      }
    } }, c.archived ? t("class.unarchive") : t("class.archive"));
    const deleteBtn = h("button", { type: "button", class: "danger", id: "delete-class", onclick: async () => {
      const yes = await confirmAction({ title: t("class.delete_title", { name: c.name }), text: t("class.delete_text"), confirm: t("class.delete") });
      if (!yes) return;
      try {
        await api.del(base);
        flash(t("class.deleted", { name: c.name }));
        ctx.navigate("/classes", { replace: true });
      } catch (e) {
        saved.textContent = message(e);
      }
    } }, t("class.delete"));
    fill(settingsBox,
      h("h2", { id: "settings-title" }, t("class.settings_title")),
      rename,
      h("h3", {}, c.archived ? t("class.unarchive") : t("class.archive")),
      h("p", {}, c.archived ? t("class.unarchive_text") : t("class.archive_text")),
      h("div", { class: "actions" }, archiveBtn),
      h("h3", {}, t("class.delete")),
      owner ? [h("p", {}, t("class.delete_hint")), h("div", { class: "actions" }, deleteBtn)]
        : h("p", {}, t("class.owner_only_delete")),
      saved);
  };

  drawHead();
  drawCode();
  drawAssignments();
  drawMembers();
  drawTeachers();
  drawSettings();
  fill(main, head, takeFlash(), codeBox, assignBox, memberBox, teacherBox, settingsBox);
  return null;
}

/** project shows the join code alone, for a projector or a big screen. */
export async function project(ctx) {
  const { main, params } = ctx;
  if (!gate(main, t("class.title"))) return null;
  const [res, qrMod] = await Promise.all([api.get(`/api/v1/classes/${params[0]}`), qr(), styles()]);
  const c = res.data;
  document.body.classList.add("projecting");
  const back = h("a", { class: "button secondary", href: `/classes/${c.id}`, id: "project-back" }, t("project.back"));
  const full = h("button", { type: "button", class: "primary", id: "project-full", onclick: async () => {
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await document.documentElement.requestFullscreen();
    } catch { /* not allowed here: the view is large anyway */ }
  } }, t("project.fullscreen"));
  const onFull = () => { full.textContent = document.fullscreenElement ? t("project.exit_fullscreen") : t("project.fullscreen"); };
  document.addEventListener("fullscreenchange", onFull);
  let body;
  if (c.join_code) {
    const url = joinURL(c.join_code);
    body = h("div", { class: "project-grid" },
      h("div", { class: "project-text" },
        h("p", { class: "project-step" }, t("project.go_to")),
        h("p", { class: "project-host" }, `${location.host}/join`),
        h("p", { class: "project-step" }, t("project.enter_code")),
        h("p", { class: "project-code", id: "project-code" }, c.join_code)),
      h("figure", { class: "project-qr" },
        qrMod.qrSvg(url, t("class.qr_label", { code: c.join_code })),
        h("figcaption", {}, t("project.scan"))));
    body = [body, h("p", { class: "project-url" }, url)];
  } else {
    body = h("p", { class: "lead" }, c.archived ? t("class.code_archived") : t("class.code_closed"));
  }
  fill(main, h("div", { class: "project" },
    h("h1", {}, t("project.title", { name: c.name })),
    body,
    h("div", { class: "actions" }, full, back)));
  return () => {
    document.body.classList.remove("projecting");
    document.removeEventListener("fullscreenchange", onFull);
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  };
}
