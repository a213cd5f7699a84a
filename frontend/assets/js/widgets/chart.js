// The READI chart: one horizontal bar per value, built with DOM APIs as
// inline SVG (no library, no inline styles). The same numbers are listed
// in text beside it, so the chart itself is decoration for screen readers.
import { t, num } from "../i18n.js";
import { s } from "../dom.js";
import { VALUES } from "../labels.js";

export function readiChart(rows) {
  const byValue = Object.fromEntries((rows || []).map((r) => [r.value, r]));
  // Narrow on purpose: the name and score sit above each bar, so the chart
  // reads at 360 px without shrinking its text.
  const width = 320;
  const rowH = 52;
  const svg = s("svg", { viewBox: `0 0 ${width} ${VALUES.length * rowH}`, "aria-hidden": "true", focusable: "false", class: "readi-svg" });
  VALUES.forEach((v, i) => {
    const r = byValue[v] || { mastery: 0, questions: 0 };
    const y = i * rowH;
    const w = Math.max(0, Math.min(100, r.mastery)) * (width / 100);
    svg.append(
      s("text", { x: 0, y: y + 17, class: "label" }, t(`readi.${v}`)),
      s("text", { x: width, y: y + 17, class: "pct", "text-anchor": "end" }, r.questions ? `${num(r.mastery)}%` : "–"),
      s("rect", { x: 0, y: y + 25, width, height: 16, rx: 8, class: "track" }),
      s("rect", { x: 0, y: y + 25, width: Math.max(w, r.questions ? 8 : 0), height: 16, rx: 8, class: `fill-${v}` }));
  });
  return svg;
}
