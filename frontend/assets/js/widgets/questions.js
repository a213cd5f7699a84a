// One widget per question type. Each build* returns {el, value(), answered(),
// labels} where value() is the answer in the API's shape (undefined when
// unanswered) and labels maps ids to the text shown, for the feedback.
// Every widget works with a keyboard alone; ordering also drags.
import { t } from "../i18n.js";
import { h, fill, id as newId } from "../dom.js";

const builders = {
  single: (q, ctx) => choice(q, ctx, "radio"),
  multiple: (q, ctx) => choice(q, ctx, "checkbox"),
  true_false: trueFalse,
  ordering,
  matching,
  red_flags: redFlags,
  scenario,
};

/** build makes the widget for q; onChange is called after every change. */
export function build(q, onChange) {
  const make = builders[q.type];
  if (!make) return { el: h("p", { class: "muted" }, t("quiz.unsupported")), value: () => undefined, answered: () => false, labels: {} };
  const promptId = newId(`${q.id}-prompt`);
  return make(q, { onChange, promptId, name: `q-${q.id}` });
}

function labelsOf(list) {
  const out = {};
  for (const it of list || []) out[it.id] = it.text;
  return out;
}

function choice(q, ctx, type) {
  const inputs = [];
  const fs = h("fieldset", {},
    h("legend", { class: "prompt", id: ctx.promptId }, q.prompt),
    type === "checkbox" ? h("p", { class: "instructions" }, t("quiz.choose_all")) : null,
    h("div", { class: "options" }, q.options.map((o) => {
      const input = h("input", { type, name: ctx.name, value: o.id, onchange: ctx.onChange });
      inputs.push(input);
      return h("label", { class: "option" }, input, h("span", {}, o.text));
    })));
  const picked = () => inputs.filter((i) => i.checked).map((i) => i.value);
  return {
    el: fs,
    labels: labelsOf(q.options),
    answered: () => picked().length > 0,
    value: () => {
      const p = picked();
      if (p.length === 0) return undefined;
      return type === "radio" ? p[0] : p;
    },
  };
}

function trueFalse(q, ctx) {
  const opts = [{ id: "true", text: t("quiz.true") }, { id: "false", text: t("quiz.false") }];
  const w = choice({ ...q, options: opts }, ctx, "radio");
  const v = w.value;
  w.value = () => { const x = v(); return x === undefined ? undefined : x === "true"; };
  return w;
}

function ordering(q, ctx) {
  const live = h("p", { class: "visually-hidden", "aria-live": "polite" });
  const list = h("ol", { class: "order-list", "aria-labelledby": ctx.promptId });
  const order = q.items.map((i) => i.id);
  const text = labelsOf(q.items);
  const rows = {};

  const move = (itemId, to, focusDir) => {
    const from = order.indexOf(itemId);
    if (to < 0 || to >= order.length || to === from) return;
    order.splice(from, 1);
    order.splice(to, 0, itemId);
    draw();
    live.textContent = t("quiz.moved", { item: text[itemId], n: to + 1, total: order.length });
    if (focusDir) {
      const row = rows[itemId];
      const btn = row.querySelector(`[data-dir="${focusDir}"]`);
      (btn.disabled ? row.querySelector(`[data-dir="${focusDir === "up" ? "down" : "up"}"]`) : btn).focus();
    }
    ctx.onChange();
  };

  for (const item of q.items) {
    const up = h("button", { type: "button", class: "icon-button", "data-dir": "up", "aria-label": t("quiz.move_up", { item: item.text }), onclick: () => move(item.id, order.indexOf(item.id) - 1, "up") }, "↑");
    const down = h("button", { type: "button", class: "icon-button", "data-dir": "down", "aria-label": t("quiz.move_down", { item: item.text }), onclick: () => move(item.id, order.indexOf(item.id) + 1, "down") }, "↓");
    const handle = h("span", { class: "handle", "aria-hidden": "true", title: t("quiz.drag") }, "⠿");
    const row = h("li", { class: "order-item", "data-id": item.id },
      handle, h("span", { class: "pos", "aria-hidden": "true" }), h("span", { class: "text" }, item.text),
      h("span", { class: "moves" }, up, down));
    dragWith(handle, row, list, (to) => move(item.id, to, null));
    rows[item.id] = row;
  }

  function draw() {
    list.replaceChildren(...order.map((itemId, i) => {
      const row = rows[itemId];
      row.querySelector(".pos").textContent = String(i + 1);
      row.querySelector('[data-dir="up"]').disabled = i === 0;
      row.querySelector('[data-dir="down"]').disabled = i === order.length - 1;
      return row;
    }));
  }
  draw();
  return {
    el: h("div", { role: "group", "aria-labelledby": ctx.promptId },
      h("p", { class: "prompt", id: ctx.promptId }, q.prompt),
      h("p", { class: "instructions" }, t("quiz.order_help")),
      list, live),
    labels: text,
    // The order shown is always an answer: leaving it as it is counts too.
    answered: () => true,
    value: () => [...order],
  };
}

/** dragWith lets a pointer (mouse, finger, pen) drag row by its handle.
 * The listeners sit on window while dragging because redrawing the list
 * moves the row, which would drop a pointer capture. */
function dragWith(handle, row, list, drop) {
  const moveTo = (e) => {
    const items = [...list.children];
    const to = items.findIndex((el) => {
      const r = el.getBoundingClientRect();
      return e.clientY >= r.top && e.clientY <= r.bottom;
    });
    if (to >= 0 && to !== items.indexOf(row)) drop(to);
  };
  const end = () => {
    row.classList.remove("dragging");
    window.removeEventListener("pointermove", moveTo);
    window.removeEventListener("pointerup", end);
    window.removeEventListener("pointercancel", end);
  };
  handle.addEventListener("pointerdown", (e) => {
    e.preventDefault();
    row.classList.add("dragging");
    window.addEventListener("pointermove", moveTo);
    window.addEventListener("pointerup", end);
    window.addEventListener("pointercancel", end);
  });
}

function matching(q, ctx) {
  const selects = {};
  const letter = (i) => String.fromCharCode(65 + i);
  // The answers are listed in full with a letter; each item's select names
  // the letter, so long answers are readable on a small screen.
  const answers = h("ol", { class: "answers", "aria-label": t("quiz.match_answers") },
    q.right.map((r, i) => h("li", {}, h("span", { class: "letter", "aria-hidden": "true" }, letter(i)),
      h("span", {}, h("span", { class: "visually-hidden" }, `${letter(i)}: `), r.text))));
  const rows = q.left.map((l) => {
    const sid = newId(`${q.id}-${l.id}`);
    const sel = h("select", { id: sid, name: `${ctx.name}-${l.id}`, "data-left": l.id },
      h("option", { value: "" }, t("quiz.choose")),
      q.right.map((r, i) => h("option", { value: r.id }, `${letter(i)}: ${r.text}`)));
    sel.dataset.prev = "";
    sel.addEventListener("change", () => {
      // One right-hand answer per left item: taking one that another row
      // holds gives that row this row's previous answer (a swap).
      for (const other of Object.values(selects)) {
        if (other !== sel && sel.value && other.value === sel.value) {
          other.value = sel.dataset.prev;
          other.dataset.prev = other.value;
        }
      }
      sel.dataset.prev = sel.value;
      ctx.onChange();
    });
    selects[l.id] = sel;
    return h("div", { class: "match-row" }, h("label", { for: sid }, l.text), sel);
  });
  const chosen = () => Object.entries(selects).filter(([, s]) => s.value);
  return {
    el: h("div", { role: "group", "aria-labelledby": ctx.promptId },
      h("p", { class: "prompt", id: ctx.promptId }, q.prompt),
      h("p", { class: "instructions" }, t("quiz.match_help")),
      answers, rows),
    labels: labelsOf(q.left),
    answered: () => chosen().length > 0,
    value: () => {
      const c = chosen();
      if (c.length === 0) return undefined;
      return Object.fromEntries(c.map(([left, s]) => [left, s.value]));
    },
  };
}

function redFlags(q, ctx) {
  const m = q.message;
  const count = h("p", { class: "flag-count", "aria-live": "polite" });
  const buttons = m.segments.map((s) => h("button", {
    type: "button", class: "seg", "aria-pressed": "false", "data-seg": s.id,
    onclick: (e) => {
      const b = e.currentTarget;
      b.setAttribute("aria-pressed", b.getAttribute("aria-pressed") === "true" ? "false" : "true");
      update();
      ctx.onChange();
    },
  }, s.text));
  const picked = () => buttons.filter((b) => b.getAttribute("aria-pressed") === "true").map((b) => b.dataset.seg);
  const update = () => { count.textContent = t("quiz.flags_marked", { n: picked().length }); };
  update();
  const body = h("div", { class: "body" });
  buttons.forEach((b, i) => { if (i) body.append(" "); body.append(b); });
  const channel = t(`channel.${m.channel}`);
  const caption = h("p", { class: "channel" }, channel);
  let mock;
  if (m.channel === "email") {
    mock = h("div", { class: "mock mock-email", role: "group", "aria-label": channel },
      caption,
      h("div", { class: "head" },
        h("p", {}, h("strong", {}, t("quiz.mail_from")), " ", m.sender),
        m.subject ? h("p", {}, h("strong", {}, t("quiz.mail_subject")), " ", m.subject) : null),
      body);
  } else {
    const letter = (m.sender || "").replace(/[^\p{L}]/gu, "").charAt(0).toUpperCase();
    mock = h("div", { class: `mock mock-${m.channel}`, role: "group", "aria-label": channel },
      caption,
      h("p", { class: "from" },
        m.channel !== "sms" && letter ? h("span", { class: "avatar", "aria-hidden": "true" }, letter) : null,
        h("strong", {}, m.sender)),
      body);
  }
  return {
    el: h("div", { role: "group", "aria-labelledby": ctx.promptId },
      h("p", { class: "prompt", id: ctx.promptId }, q.prompt),
      h("p", { class: "instructions" }, t("quiz.flags_help")),
      mock, count),
    labels: labelsOf(m.segments),
    answered: () => picked().length > 0,
    value: () => { const p = picked(); return p.length ? p : undefined; },
  };
}

function scenario(q, ctx) {
  const steps = Object.fromEntries(q.steps.map((s) => [s.id, s]));
  const start = q.start || q.steps[0].id;
  let path = [];
  const story = h("div", { class: "story" });
  const choiceText = {};
  for (const s of q.steps) for (const c of s.choices) choiceText[c.id] = c.text;

  const draw = (focusNew) => {
    const parts = [];
    let step = steps[start];
    for (const cid of path) {
      const c = step.choices.find((x) => x.id === cid);
      parts.push(h("p", { class: "step-text" }, step.text));
      parts.push(h("p", { class: "chosen" }, h("span", {}, t("quiz.you_chose")), c.text));
      step = c.next ? steps[c.next] : null;
    }
    let focusEl = null;
    if (step) {
      focusEl = h("p", { class: "step-text", tabindex: "-1" }, step.text);
      parts.push(focusEl);
      parts.push(h("div", { class: "choices", role: "group", "aria-label": t("quiz.what_next") },
        step.choices.map((c) => h("button", { type: "button", "data-choice": c.id, onclick: () => { path.push(c.id); draw(true); ctx.onChange(); } }, c.text))));
    } else {
      focusEl = h("p", { class: "ending", tabindex: "-1" }, t("quiz.story_end"));
      parts.push(focusEl);
    }
    if (path.length) {
      parts.push(h("div", {}, h("button", { type: "button", class: "link-button", onclick: () => { path = []; draw(true); ctx.onChange(); } }, t("quiz.restart_story"))));
    }
    fill(story, parts);
    if (focusNew && focusEl) focusEl.focus();
  };
  draw(false);
  return {
    el: h("div", { role: "group", "aria-labelledby": ctx.promptId },
      h("p", { class: "prompt", id: ctx.promptId }, q.prompt),
      story),
    labels: choiceText,
    answered: () => path.length > 0,
    value: () => (path.length ? [...path] : undefined),
  };
}
