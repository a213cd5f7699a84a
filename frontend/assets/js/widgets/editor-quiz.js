// The quiz editor: one fieldset per question, an editor for each of the
// seven types (options, items, pairs, message segments, scenario steps and
// choices: add, remove, reorder; the key; feedback; explanation; READI
// tags). It edits a copy of the quiz; save() sends it whole (PUT .../quiz).
import { t } from "../i18n.js";
import { h, fill } from "../dom.js";
import { input, select, check, readiBoxes, rowTools, refocus, rid, sorted, problemList, under } from "./editor-kit.js";

export const TYPES = ["single", "multiple", "true_false", "ordering", "matching", "red_flags", "scenario"];

export function typeName(type) {
  return {
    single: t("admin.qtype.single"), multiple: t("admin.qtype.multiple"), true_false: t("admin.qtype.true_false"),
    ordering: t("admin.qtype.ordering"), matching: t("admin.qtype.matching"), red_flags: t("admin.qtype.red_flags"),
    scenario: t("admin.qtype.scenario"),
  }[type] || type;
}

/** blankQuestion starts a question of a type, with the least it needs. */
export function blankQuestion(type, idPrefix, readi) {
  const q = { id: `${idPrefix}-${rid()}`, type, readi: [...(readi || [])], prompt: "", explanation: "" };
  switch (type) {
    case "single":
    case "multiple":
      q.options = [0, 1].map(() => ({ id: rid(), text: "", correct: false, feedback: "" }));
      break;
    case "true_false":
      q.answer = true; q.feedback_true = ""; q.feedback_false = "";
      break;
    case "ordering":
      q.items = [0, 1, 2].map(() => ({ id: rid(), text: "" }));
      break;
    case "matching":
      q.pairs = [0, 1].map(() => ({ left: { id: rid(), text: "" }, right: { id: rid(), text: "" }, feedback: "" }));
      break;
    case "red_flags":
      q.message = { channel: "sms", sender: "", subject: "", segments: [0, 1].map(() => ({ id: rid(), text: "", flag: false, why: "" })) };
      break;
    case "scenario":
      q.steps = [{ id: `s-${rid()}`, text: "", choices: [{ id: rid(), text: "", next: "", points: 1, feedback: "" }] }];
      break;
    default:
  }
  return q;
}

/** prepare gives the ids an ordering or matching question shows learners a
 * new draw while they would give the answer away, and drops empty fields
 * the type does not use. */
export function prepare(quiz, savedIDs) {
  for (const q of quiz.questions) {
    if (q.type === "ordering" && q.items) {
      for (let n = 0; n < 20 && q.items.length > 1 && sorted(q.items.map((x) => x.id)); n++) {
        for (const it of q.items) if (!savedIDs.has(`${q.id}/${it.id}`)) it.id = rid();
      }
    }
    if (q.type === "matching" && q.pairs) {
      const rightInLeftOrder = () => sorted([...q.pairs].sort((a, b) => (a.left.id < b.left.id ? -1 : 1)).map((p) => p.right.id));
      for (let n = 0; n < 20 && q.pairs.length > 1 && rightInLeftOrder(); n++) {
        for (const p of q.pairs) if (!savedIDs.has(`${q.id}/r/${p.right.id}`)) p.right.id = rid();
      }
    }
    if (q.type === "red_flags" && q.message && q.message.channel !== "email") q.message.subject = "";
    if (q.type === "scenario") for (const s of q.steps || []) for (const c of s.choices) c.points = Number(c.points) || 0;
  }
  return quiz;
}

/** savedIDs are the item and right ids already saved (they stay). */
export function savedIDsOf(quiz) {
  const out = new Set();
  for (const q of (quiz && quiz.questions) || []) {
    for (const it of q.items || []) out.add(`${q.id}/${it.id}`);
    for (const p of q.pairs || []) out.add(`${q.id}/r/${p.right.id}`);
  }
  return out;
}

/**
 * quizEditor draws the editor for quiz (edited in place) into root.
 * problems() gives the current publish problems; slugPrefix names new
 * question ids; readi is the module's values (new questions start with them).
 */
export function quizEditor(root, quiz, { problems, idPrefix, readi, saved }) {
  if (!Array.isArray(quiz.questions)) quiz.questions = [];
  const list = h("ol", { class: "question-list" });
  const redraw = (focus) => {
    fill(list, quiz.questions.map((q, i) => h("li", {}, questionEditor(quiz, q, i, redraw, problems(), saved))));
    refocus(root, focus);
  };
  const pick = { type: "single" };
  const adder = h("div", { class: "add-question" },
    select(pick, "type", t("admin.quiz.new_type"), TYPES.map((x) => [x, typeName(x)]), { name: "new-question-type" }),
    h("button", { type: "button", class: "secondary", "data-focus": "q-add", onclick: () => {
      quiz.questions.push(blankQuestion(pick.type, idPrefix, readi));
      redraw(`q-${quiz.questions.length - 1}-prompt`);
    } }, t("admin.quiz.add")));
  fill(root,
    h("div", { class: "grid-2" }, input(quiz, "pass_percent", t("admin.quiz.pass_percent"), { type: "number", min: 1, max: 100, inputmode: "numeric" })),
    list, adder);
  redraw();
  return { redraw };
}

function questionEditor(quiz, q, i, redraw, problems, saved) {
  const n = i + 1;
  const name = t("admin.quiz.question_n", { n });
  const isNew = !saved.has(q.id);
  const body = [
    problemList(under(problems, `quiz.questions[${i}]`), { title: t("admin.problems.here") }),
    h("div", { class: "grid-2" },
      input(q, "id", t("admin.quiz.id"), { readonly: !isNew, hint: isNew ? t("admin.quiz.id_hint") : t("admin.quiz.id_fixed") })),
    h("div", { "data-focus-wrap": `q-${i}-prompt` }, input(q, "prompt", t("admin.quiz.prompt"), { multiline: true, rows: 2 })),
    typeEditor(q, i),
    input(q, "explanation", t("admin.quiz.explanation"), { multiline: true, rows: 2 }),
    readiBoxes(q, "readi", t("admin.quiz.readi")),
  ];
  const fs = h("fieldset", { class: "question-editor", id: `q-${i}` },
    h("legend", {}, `${name} · ${typeName(q.type)}`),
    body,
    rowTools(quiz.questions, i, name, redraw, { key: "q" }));
  // The prompt textarea is where focus goes for a new question.
  const prompt = fs.querySelector(`[data-focus-wrap="q-${i}-prompt"] textarea`);
  if (prompt) prompt.setAttribute("data-focus", `q-${i}-prompt`);
  return fs;
}

/** typeEditor is the part of a question its type decides. */
function typeEditor(q, qi) {
  const box = h("div", { class: "type-editor" });
  const draw = (focus) => {
    fill(box, partsOf(q, qi, draw));
    refocus(box, focus);
  };
  draw();
  return box;
}

function partsOf(q, qi, draw) {
  const key = (k) => `q${qi}-${k}`;
  switch (q.type) {
    case "single":
    case "multiple": {
      const radio = q.type === "single";
      return [
        h("fieldset", { class: "sublist" },
          h("legend", {}, t("admin.quiz.options")),
          h("p", { class: "hint" }, radio ? t("admin.quiz.options_hint_single") : t("admin.quiz.options_hint_multiple")),
          q.options.map((o, j) => h("div", { class: "row subrow" },
            h("p", { class: "row-title" }, t("admin.quiz.option_n", { n: j + 1 })),
            input(o, "text", t("admin.quiz.option_text", { n: j + 1 })),
            check(o, "correct", t("admin.quiz.correct"), {
              radio, name: radio ? `q${qi}-correct` : `q${qi}-correct-${j}`,
              onchange: (on) => {
                if (radio) for (const x of q.options) x.correct = x === o ? on : false;
                else o.correct = on;
              },
            }),
            input(o, "feedback", t("admin.quiz.feedback_for", { n: j + 1 })),
            rowTools(q.options, j, t("admin.quiz.option_n", { n: j + 1 }), draw, { key: key("opt"), min: 2 }))),
          addButton(key("opt"), t("admin.quiz.add_option"), () => { q.options.push({ id: rid(), text: "", correct: false, feedback: "" }); return q.options.length; }, draw)),
      ];
    }
    case "true_false": {
      const yes = { v: q.answer === true };
      const no = { v: q.answer === false };
      return [
        h("fieldset", { class: "sublist" },
          h("legend", {}, t("admin.quiz.answer")),
          h("div", { class: "box-row" },
            check(yes, "v", t("quiz.true"), { radio: true, name: `q${qi}-answer`, onchange: () => { q.answer = true; } }),
            check(no, "v", t("quiz.false"), { radio: true, name: `q${qi}-answer`, onchange: () => { q.answer = false; } }))),
        input(q, "feedback_true", t("admin.quiz.feedback_true"), { multiline: true, rows: 2 }),
        input(q, "feedback_false", t("admin.quiz.feedback_false"), { multiline: true, rows: 2 }),
      ];
    }
    case "ordering":
      return [h("fieldset", { class: "sublist" },
        h("legend", {}, t("admin.quiz.items")),
        h("p", { class: "hint" }, t("admin.quiz.items_hint")),
        h("ol", { class: "plain" }, q.items.map((it, j) => h("li", { class: "row subrow" },
          input(it, "text", t("admin.quiz.item_n", { n: j + 1 })),
          rowTools(q.items, j, t("admin.quiz.item_n", { n: j + 1 }), draw, { key: key("item"), min: 3 })))),
        addButton(key("item"), t("admin.quiz.add_item"), () => { q.items.push({ id: rid(), text: "" }); return q.items.length; }, draw))];
    case "matching":
      return [h("fieldset", { class: "sublist" },
        h("legend", {}, t("admin.quiz.pairs")),
        q.pairs.map((p, j) => h("div", { class: "row subrow" },
          h("p", { class: "row-title" }, t("admin.quiz.pair_n", { n: j + 1 })),
          h("div", { class: "grid-2" },
            input(p.left, "text", t("admin.quiz.left_n", { n: j + 1 })),
            input(p.right, "text", t("admin.quiz.right_n", { n: j + 1 }))),
          input(p, "feedback", t("admin.quiz.pair_feedback", { n: j + 1 })),
          rowTools(q.pairs, j, t("admin.quiz.pair_n", { n: j + 1 }), draw, { key: key("pair"), min: 2 }))),
        addButton(key("pair"), t("admin.quiz.add_pair"), () => {
          q.pairs.push({ left: { id: rid(), text: "" }, right: { id: rid(), text: "" }, feedback: "" });
          return q.pairs.length;
        }, draw))];
    case "red_flags": {
      const m = q.message;
      const subject = h("div", { hidden: m.channel !== "email" || null }, input(m, "subject", t("admin.quiz.subject")));
      return [
        h("fieldset", { class: "sublist" },
          h("legend", {}, t("admin.quiz.message")),
          h("div", { class: "grid-2" },
            select(m, "channel", t("admin.quiz.channel"), ["sms", "email", "chat", "social"].map((c) => [c, t(`channel.${c}`)]),
              { onchange: (v) => { subject.hidden = v !== "email"; } }),
            input(m, "sender", t("admin.quiz.sender"))),
          subject),
        h("fieldset", { class: "sublist" },
          h("legend", {}, t("admin.quiz.segments")),
          h("p", { class: "hint" }, t("admin.quiz.segments_hint")),
          m.segments.map((s, j) => h("div", { class: "row subrow" },
            h("p", { class: "row-title" }, t("admin.quiz.segment_n", { n: j + 1 })),
            input(s, "text", t("admin.quiz.segment_text", { n: j + 1 }), { multiline: true, rows: 2, name: "segment-text" }),
            check(s, "flag", t("admin.quiz.flag", { n: j + 1 }), { name: `q${qi}-flag-${j}` }),
            input(s, "why", t("admin.quiz.why", { n: j + 1 })),
            rowTools(m.segments, j, t("admin.quiz.segment_n", { n: j + 1 }), draw, { key: key("seg"), min: 2 }))),
          addButton(key("seg"), t("admin.quiz.add_segment"), () => { m.segments.push({ id: rid(), text: "", flag: false, why: "" }); return m.segments.length; }, draw)),
      ];
    }
    case "scenario":
      return [h("fieldset", { class: "sublist" },
        h("legend", {}, t("admin.quiz.steps")),
        h("p", { class: "hint" }, t("admin.quiz.steps_hint")),
        q.steps.map((s, j) => stepEditor(q, s, j, qi, draw)),
        addButton(key("step"), t("admin.quiz.add_step"), () => {
          q.steps.push({ id: `s-${rid()}`, text: "", choices: [{ id: rid(), text: "", next: "", points: 0, feedback: "" }] });
          return q.steps.length;
        }, draw))];
    default:
      return [h("p", {}, q.type)];
  }
}

function stepEditor(q, s, j, qi, draw) {
  const stepName = t("admin.quiz.step_n", { n: j + 1 });
  const targets = [["", t("admin.quiz.next_end")],
    ...q.steps.map((x, k) => [x.id, t("admin.quiz.step_n", { n: k + 1 })]).filter(([sid]) => sid !== s.id)];
  return h("fieldset", { class: "step row" },
    h("legend", {}, j === 0 ? `${stepName} · ${t("admin.quiz.start")}` : stepName),
    input(s, "text", t("admin.quiz.step_text", { n: j + 1 }), { multiline: true, rows: 2, name: "step-text" }),
    h("fieldset", { class: "sublist" },
      h("legend", {}, t("admin.quiz.choices_of", { n: j + 1 })),
      s.choices.map((c, k) => {
        const cn = t("admin.quiz.choice_n", { step: j + 1, n: k + 1 });
        return h("div", { class: "row subrow" },
          h("p", { class: "row-title" }, cn),
          input(c, "text", t("admin.quiz.choice_text", { step: j + 1, n: k + 1 }), { name: "choice-text" }),
          h("div", { class: "grid-2" },
            select(c, "next", t("admin.quiz.next", { step: j + 1, n: k + 1 }), targets),
            input(c, "points", t("admin.quiz.points", { step: j + 1, n: k + 1 }), { type: "number", min: 0, inputmode: "decimal" })),
          input(c, "feedback", t("admin.quiz.choice_feedback", { step: j + 1, n: k + 1 }), { name: "choice-feedback" }),
          rowTools(s.choices, k, cn, draw, { key: `q${qi}-s${j}-ch`, min: 1 }));
      }),
      addButton(`q${qi}-s${j}-ch`, t("admin.quiz.add_choice", { n: j + 1 }), () => {
        s.choices.push({ id: rid(), text: "", next: "", points: 0, feedback: "" });
        return s.choices.length;
      }, draw)),
    rowTools(q.steps, j, stepName, draw, { key: `q${qi}-step`, min: 1 }));
}

/** addButton appends a row (push returns the new length) and draws again;
 * the focus goes to the new row's first field. */
function addButton(key, label, push, draw) {
  return h("button", { type: "button", class: "secondary", "data-focus": `${key}-add`, onclick: () => {
    const n = push();
    draw(`${key}-${n - 1}-up:input`);
  } }, label);
}
