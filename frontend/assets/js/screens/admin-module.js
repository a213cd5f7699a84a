// /admin/modules/{slug}: the module editor. Fields, lessons (add, edit,
// delete, reorder; Markdown with a preview the server renders), the quiz,
// questions imported from Moodle's GIFT format (checked first), and
// publishing with every problem shown next to its part. Every write names
// the revision it edited (If-Match); a 409 offers a reload.
import * as api from "../api.js";
import { t } from "../i18n.js";
import { h, fill } from "../dom.js";
import { message, showFormError, clearFormErrors } from "../errors.js";
import { errorBox } from "../forms.js";
import {
  Revision, BASE, mpath, styles, stateTag, input, readiBoxes, problemList, under, statusLine, upload,
} from "../widgets/editor-kit.js";
import { flash, takeFlash } from "../educator.js";
import { moduleFieldset, fromModule, cleanModule } from "../widgets/editor-module.js";
import { quizEditor, prepare, savedIDsOf } from "../widgets/editor-quiz.js";

export async function render({ main, params, rerender, navigate }) {
  const slug = params[0];
  let mod = (await Promise.all([api.get(mpath(slug)), styles()]))[0].data;
  let timer = null;

  const conflict = h("div", { class: "notice conflict", role: "alert", hidden: true });
  const head = h("div", { class: "module-head" });
  const rev = new Revision(slug, mod.head_revision, (m) => update(m), () => {
    fill(conflict,
      h("p", {}, t("admin.conflict")),
      h("div", { class: "actions" }, h("button", { type: "button", class: "primary", onclick: () => rerender(true) }, t("admin.reload"))));
    conflict.hidden = false;
    conflict.querySelector("button").focus();
  });

  // Publish panel: what publishing would refuse, and the button.
  const publishProblems = h("div", { id: "publish-problems", tabindex: "-1" });
  const publishStatus = statusLine();
  const publishButton = h("button", { type: "button", class: "primary", id: "publish" }, t("admin.publish.button"));
  publishButton.addEventListener("click", async () => {
    const unsaved = [...dirty].map((f) => f.dataset.part);
    if (unsaved.length) {
      publishStatus.textContent = t("admin.publish.unsaved", { parts: unsaved.join(", ") });
      return;
    }
    publishButton.disabled = true;
    publishStatus.textContent = "";
    try {
      await rev.write("POST", "/publish");
      publishStatus.textContent = t("admin.publish.done");
    } catch (e) {
      if (e.code === "content.invalid") {
        try { update((await api.get(mpath(slug))).data); } catch { /* the list stays as it was */ }
        publishStatus.textContent = t("admin.publish.refused", { n: mod.problems.length });
        publishProblems.focus();
      } else if (e.status !== 409) {
        publishStatus.textContent = message(e);
      }
    } finally {
      publishButton.disabled = false;
    }
  });

  // Module fields.
  const fields = fromModule(mod.module);
  const fieldProblems = h("div", {});
  const fieldsStatus = statusLine();
  const fieldsForm = h("form", { class: "admin-form", novalidate: true },
    fieldProblems,
    moduleFieldset(fields),
    errorBox(),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, t("admin.module.save")), fieldsStatus));
  track(fieldsForm, t("admin.module.fields"));
  fieldsForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    await saving(fieldsForm, fieldsStatus, () => rev.write("PATCH", "", cleanModule(fields, false)));
  });

  // Lessons.
  const lessonList = h("ol", { class: "item-list lesson-list" });
  const lessonEditor = h("div", { id: "lesson-editor" });
  const drawLessons = (focus) => {
    const lessons = mod.module.lessons || [];
    fill(lessonList, lessons.map((l, i) => h("li", { class: "item" },
      h("div", { class: "item-main" },
        h("h3", {}, l.title || l.slug),
        h("p", { class: "muted mono" }, l.slug),
        problemList(under(mod.problems, `lessons[${i}]`), { title: t("admin.problems.here") })),
      h("div", { class: "item-actions" },
        h("button", { type: "button", class: "secondary", "data-focus": `les-${i}-edit`, onclick: () => editLesson(l) },
          t("admin.lesson.edit"), h("span", { class: "visually-hidden" }, ` ${l.title || l.slug}`)),
        h("button", { type: "button", class: "secondary small", "data-focus": `les-${i}-up`, disabled: i === 0 || null,
          "aria-label": t("admin.move_up", { what: l.title || l.slug }), onclick: () => moveLesson(i, -1) }, "↑"),
        h("button", { type: "button", class: "secondary small", "data-focus": `les-${i}-down`, disabled: i === lessons.length - 1 || null,
          "aria-label": t("admin.move_down", { what: l.title || l.slug }), onclick: () => moveLesson(i, 1) }, "↓"),
        deleteButton(l)))));
    if (lessons.length === 0) lessonList.append(h("li", { class: "empty" }, t("admin.lesson.none")));
    if (focus) {
      // A lesson moved to the top or bottom: its other arrow keeps the focus.
      let el = lessonList.querySelector(`[data-focus="${focus}"]`);
      if (el && el.disabled) el = lessonList.querySelector(`[data-focus="${focus.replace(/-(up|down)$/, (m, d) => (d === "up" ? "-down" : "-up"))}"]`);
      if (el && !el.disabled) el.focus();
    }
  };
  const moveLesson = async (i, d) => {
    const order = (mod.module.lessons || []).map((l) => l.slug);
    [order[i], order[i + d]] = [order[i + d], order[i]];
    try {
      await rev.write("PUT", "/lessons/order", { lessons: order });
      drawLessons(`les-${i + d}-${d < 0 ? "up" : "down"}`);
    } catch (e) {
      if (e.status !== 409) lessonsStatus.textContent = message(e);
    }
  };
  const deleteButton = (l) => {
    const b = h("button", { type: "button", class: "secondary" }, t("admin.lesson.delete"), h("span", { class: "visually-hidden" }, ` ${l.title || l.slug}`));
    let armed = false;
    b.addEventListener("click", async () => {
      if (!armed) {
        armed = true;
        fill(b, t("admin.lesson.delete_confirm", { title: l.title || l.slug }));
        b.classList.add("danger");
        return;
      }
      try {
        await rev.write("DELETE", `/lessons/${encodeURIComponent(l.slug)}`);
        if (lessonEditor.dataset.slug === l.slug) fill(lessonEditor);
        drawLessons();
        lessonsStatus.textContent = t("admin.lesson.deleted");
        addLessonButton.focus();
      } catch (e) {
        if (e.status !== 409) lessonsStatus.textContent = message(e);
      }
    });
    return b;
  };
  const lessonsStatus = statusLine();
  const addLessonButton = h("button", { type: "button", class: "secondary", id: "add-lesson", onclick: () => editLesson(null) }, t("admin.lesson.add"));

  function editLesson(l) {
    clearTimeout(timer);
    for (const f of dirty) if (f.classList.contains("lesson-form")) dirty.delete(f);
    const isNew = !l;
    const d = l
      ? { slug: l.slug, title: l.title || "", minutes: l.minutes || 0, readi: [...(l.readi || [])], markdown: l.markdown || "" }
      : { slug: "", title: "", minutes: 5, readi: [...(mod.module.readi || [])], markdown: "## \n\n" };
    lessonEditor.dataset.slug = isNew ? "" : l.slug;
    const preview = h("div", { class: "prose preview", id: "lesson-preview" });
    const previewStatus = h("p", { class: "muted", role: "status", "aria-live": "polite" });
    const runPreview = async () => {
      try {
        const r = await api.post(`${BASE}/preview`, { markdown: d.markdown, module: slug });
        preview.innerHTML = r.data.html; // sanitised by the server (catalog.RenderLesson)
        previewStatus.textContent = t("admin.lesson.preview_updated");
      } catch (e) {
        previewStatus.textContent = message(e);
      }
    };
    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(runPreview, 400);
    };
    const status = statusLine();
    const form = h("form", { class: "admin-form lesson-form", novalidate: true },
      h("h3", { id: "lesson-editor-title", tabindex: "-1" }, isNew ? t("admin.lesson.new") : t("admin.lesson.editing", { title: l.title || l.slug })),
      h("div", { class: "grid-2" },
        input(d, "slug", t("admin.lesson.slug"), { hint: t("admin.lesson.slug_hint") }),
        input(d, "title", t("admin.lesson.title")),
        input(d, "minutes", t("admin.lesson.minutes"), { type: "number", min: 0, inputmode: "numeric" })),
      readiBoxes(d, "readi"),
      h("div", { class: "md-split" },
        input(d, "markdown", t("admin.lesson.markdown"), { multiline: true, rows: 16, hint: t("admin.lesson.markdown_hint"), oninput: schedule, cls: "md-source" }),
        h("section", { class: "md-preview", "aria-labelledby": "preview-title" },
          h("h4", { id: "preview-title" }, t("admin.lesson.preview")), previewStatus, preview)),
      errorBox(),
      h("div", { class: "actions" },
        h("button", { type: "submit", class: "primary" }, isNew ? t("admin.lesson.create") : t("admin.lesson.save")),
        h("button", { type: "button", class: "secondary", onclick: () => { clearTimeout(timer); dirty.delete(form); fill(lessonEditor); addLessonButton.focus(); } }, t("admin.lesson.close")),
        status));
    track(form, t("admin.lesson.title_list"));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = { slug: d.slug.trim(), title: d.title.trim(), minutes: Number(d.minutes) || 0, readi: d.readi, markdown: d.markdown };
      const ok = await saving(form, status, () => (isNew
        ? rev.write("POST", "/lessons", body)
        : rev.write("PATCH", `/lessons/${encodeURIComponent(lessonEditor.dataset.slug)}`, body)));
      if (ok) {
        lessonEditor.dataset.slug = body.slug;
        drawLessons();
        if (isNew) editLesson(mod.module.lessons.find((x) => x.slug === body.slug) || null);
      }
    });
    fill(lessonEditor, h("div", { class: "panel" }, form));
    runPreview();
    form.querySelector("h3").focus();
  }

  // Quiz.
  const quiz = structuredClone(mod.module.quiz || { pass_percent: 70, questions: [] });
  let saved = savedIDsOf(mod.module.quiz);
  const savedQuestions = () => new Set(((mod.module.quiz && mod.module.quiz.questions) || []).map((q) => q.id));
  let qSaved = savedQuestions();
  const quizBox = h("div", {});
  const quizStatus = statusLine();
  const editor = quizEditor(quizBox, quiz, {
    problems: () => mod.problems, idPrefix: slug.split("-").map((w) => w[0]).join("").slice(0, 6) || "q",
    readi: mod.module.readi, saved: { has: (qid) => qSaved.has(qid) },
  });
  const quizForm = h("form", { class: "admin-form", novalidate: true },
    quizBox, errorBox(),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary", id: "save-quiz" }, t("admin.quiz.save")), quizStatus));
  track(quizForm, t("admin.quiz.title"));
  quizForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const ok = await saving(quizForm, quizStatus, () => rev.write("PUT", "/quiz", prepare(quiz, saved)));
    if (ok) {
      saved = savedIDsOf(mod.module.quiz);
      qSaved = savedQuestions();
      editor.redraw();
    }
  });

  // GIFT: check what a text would add, then add it to the draft quiz. The
  // import is a revision of its own, so the editor reloads afterwards.
  const giftText = h("textarea", { id: "gift-text", name: "gift", rows: 8, spellcheck: "false", "aria-describedby": "gift-hint" });
  const giftFile = h("input", { type: "file", id: "gift-file", accept: ".gift,.txt,text/plain" });
  const giftReport = h("div", { id: "gift-report", tabindex: "-1" });
  const giftStatus = statusLine();
  const giftAdd = h("button", { type: "button", class: "secondary", id: "gift-add", disabled: true }, t("admin.gift.add"));
  let giftChecked = null;
  giftFile.addEventListener("change", async () => {
    const f = giftFile.files[0];
    if (f) giftText.value = await f.text();
    giftChecked = null;
    giftAdd.disabled = true;
  });
  giftText.addEventListener("input", () => { giftChecked = null; giftAdd.disabled = true; });
  const sendGIFT = async (dry) => {
    const text = giftText.value;
    if (!text.trim()) {
      giftStatus.textContent = t("admin.gift.empty");
      return null;
    }
    const res = await upload(`${mpath(slug, "/gift")}?dry_run=${dry}`, text, "text/plain; charset=utf-8", { "If-Match": `"${rev.head}"` });
    if (!res) {
      giftStatus.textContent = t("error.offline");
      return null;
    }
    if (!res.ok) {
      if (res.status === 409) rev.onConflict();
      giftStatus.textContent = res.error.code ? t(res.error.code) : t("error.generic");
      return null;
    }
    return res.data;
  };
  const giftResult = (r) => h("div", { class: "import-report" },
    r.questions.length
      ? [h("p", {}, t("admin.gift.found", { n: r.questions.length })),
        h("ol", { class: "gift-questions" }, r.questions.map((q) => h("li", {}, h("code", {}, q.id), ` (${q.type}) `, q.prompt)))]
      : h("p", {}, t("admin.gift.none")),
    r.issues.length
      ? [h("p", {}, t("admin.gift.issues", { n: r.issues.length })),
        h("ul", { class: "gift-issues" }, r.issues.map((x) => h("li", {},
          t("admin.gift.issue", { line: x.line, outcome: t(`admin.gift.outcome.${x.outcome}`) }), " ", x.message)))]
      : null);
  const giftForm = h("form", { class: "admin-form", novalidate: true, "aria-labelledby": "gift-title" },
    h("p", { id: "gift-hint" }, t("admin.gift.hint")),
    h("div", { class: "field" }, h("label", { for: "gift-text" }, t("admin.gift.text")), giftText),
    h("div", { class: "field" }, h("label", { for: "gift-file" }, t("admin.gift.file")), giftFile),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary", id: "gift-check" }, t("admin.gift.check")), giftAdd, giftStatus),
    giftReport);
  giftForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    giftStatus.textContent = "";
    giftAdd.disabled = true;
    const r = await sendGIFT(true);
    if (!r) return;
    fill(giftReport, giftResult(r));
    giftChecked = r.questions.length ? giftText.value : null;
    giftAdd.disabled = !giftChecked;
    giftReport.focus();
  });
  giftAdd.addEventListener("click", async () => {
    if (giftChecked === null || giftChecked !== giftText.value) return;
    const unsaved = [...dirty].map((f) => f.dataset.part);
    if (unsaved.length) {
      giftStatus.textContent = t("admin.gift.unsaved", { parts: unsaved.join(", ") });
      return;
    }
    giftAdd.disabled = true;
    const r = await sendGIFT(false);
    if (!r) return;
    flash(t("admin.gift.added", { n: r.questions.length }));
    rerender(true);
  });

  // Deleting: learners lose the module; records and revisions stay.
  const deleteStatus = statusLine();
  const deleteModule = h("button", { type: "button", class: "secondary", id: "delete-module" }, t("admin.module.delete"));
  let armed = false;
  deleteModule.addEventListener("click", async () => {
    if (!armed) {
      armed = true;
      fill(deleteModule, t("admin.module.delete_confirm", { title: mod.module.title || slug }));
      deleteModule.classList.replace("secondary", "danger");
      return;
    }
    try {
      await rev.write("DELETE", "");
      navigate("/admin");
    } catch (e) {
      if (e.status !== 409) deleteStatus.textContent = message(e);
    }
  });

  // A write's reply is the whole module: the state, the problems and the
  // lists drawn from it follow.
  function update(m) {
    mod = m;
    rev.head = m.head_revision;
    drawHead();
    fill(publishProblems, m.problems && m.problems.length
      ? problemList(m.problems, { title: t("admin.publish.problems", { n: m.problems.length }) })
      : h("p", { class: "ok-line" }, t("admin.publish.ready")));
    fill(fieldProblems, problemList(m.problems.filter((p) => !/^(lessons|quiz)\b/.test(p.path || "")), { title: t("admin.problems.here") }));
  }
  function drawHead() {
    fill(head,
      h("p", { class: "meta" }, stateTag(mod.state), " ",
        h("span", { class: "muted" }, t("admin.module.revision", { n: mod.head_revision }))),
      h("ul", { class: "link-row" },
        h("li", {}, h("a", { href: `/admin/modules/${slug}/history` }, t("admin.history.link"))),
        mod.published_revision ? h("li", {}, h("a", { href: `/modules/${slug}` }, t("admin.module.view"))) : null));
  }

  fill(main, h("div", { class: "admin" },
    h("p", { class: "crumbs" }, h("a", { href: "/admin" }, t("admin.title"))),
    h("h1", {}, mod.module.title || slug),
    takeFlash(),
    head,
    conflict,
    h("section", { class: "panel", "aria-labelledby": "publish-title" },
      h("h2", { id: "publish-title" }, t("admin.publish.title")),
      publishProblems,
      h("div", { class: "actions" }, publishButton, publishStatus)),
    h("section", { "aria-labelledby": "fields-title" },
      h("h2", { id: "fields-title" }, t("admin.module.fields")),
      fieldsForm),
    h("section", { "aria-labelledby": "lessons-title" },
      h("h2", { id: "lessons-title" }, t("admin.lesson.title_list")),
      lessonList,
      h("div", { class: "actions" }, addLessonButton, lessonsStatus),
      lessonEditor),
    h("section", { "aria-labelledby": "quiz-title" },
      h("h2", { id: "quiz-title" }, t("admin.quiz.title")),
      quizForm),
    mod.state === "deleted" ? null : h("section", { class: "panel", "aria-labelledby": "gift-title", id: "gift-section" },
      h("h2", { id: "gift-title" }, t("admin.gift.title")),
      giftForm),
    mod.state === "deleted" ? null : h("section", { class: "panel danger-zone", "aria-labelledby": "delete-title" },
      h("h2", { id: "delete-title" }, t("admin.module.delete_title")),
      h("p", {}, t("admin.module.delete_hint")),
      h("div", { class: "actions" }, deleteModule, deleteStatus))));
  update(mod);
  drawLessons();
  return () => { clearTimeout(timer); dirty.clear(); };
}

/** dirty are the forms with changes not saved yet (publishing sends the
 * saved head, so it asks for them to be saved first). */
const dirty = new Set();

/** track marks a form dirty on any edit or row button. */
function track(form, part) {
  form.dataset.part = part;
  const mark = (e) => {
    if (!form.isConnected) return;
    if (e.type === "click" && !(e.target.closest("button") && e.target.closest("button").type === "button")) return;
    dirty.add(form);
  };
  form.addEventListener("input", mark);
  form.addEventListener("change", mark);
  form.addEventListener("click", mark);
}

/** saving runs a write for a form: errors next to the form's fields (or
 * in its alert box), "Saved" in its status line. A 409 leaves the form as
 * it is (the conflict notice says what to do). */
async function saving(form, status, write) {
  clearFormErrors(form);
  dirty.delete(form);
  status.textContent = "";
  const button = form.querySelector('[type="submit"]');
  button.disabled = true;
  try {
    await write();
    status.textContent = t("admin.saved");
    return true;
  } catch (e) {
    dirty.add(form);
    if (e.status === 409) status.textContent = t("admin.conflict_short");
    else showFormError(form, e);
    return false;
  } finally {
    button.disabled = false;
  }
}

