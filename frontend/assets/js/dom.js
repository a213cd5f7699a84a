// Small DOM helpers. Text always goes in as text nodes (never innerHTML), so
// anything a learner typed or the API returned as plain text is inert.

/** h builds an element: h("a", {href: "/", class: "x", onclick: fn}, "text", child). */
export function h(tag, props, ...kids) {
  const el = document.createElement(tag);
  setProps(el, props);
  add(el, kids);
  return el;
}

/** s builds an SVG element the same way. */
export function s(tag, props, ...kids) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  setProps(el, props);
  add(el, kids);
  return el;
}

function setProps(el, props) {
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k === "class") el.setAttribute("class", v);
    else if (k === "text") el.textContent = v;
    else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
}

/** add appends children: nodes as they are, anything else as text. */
export function add(el, kids) {
  for (const k of [kids].flat(Infinity)) {
    if (k == null || k === false) continue;
    el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return el;
}

/** clear empties an element and fills it with kids. */
export function fill(el, ...kids) {
  el.replaceChildren();
  return add(el, kids);
}

const sheets = new Map();
/** stylesheet adds a stylesheet once; the promise resolves when it has
 * loaded (or failed: unstyled beats blank), so a screen can wait for it. */
export function stylesheet(href) {
  if (!sheets.has(href)) {
    sheets.set(href, new Promise((resolve) => {
      const link = h("link", { rel: "stylesheet", href });
      link.addEventListener("load", resolve);
      link.addEventListener("error", resolve);
      document.head.append(link);
    }));
  }
  return sheets.get(href);
}

let uid = 0;
/** id returns a fresh element id with a prefix. */
export function id(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** uuid is crypto.randomUUID where the page is a secure context, else the
 * same format from getRandomValues (a forum LAN over plain http). */
export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map((v) => v.toString(16).padStart(2, "0")).join("");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
