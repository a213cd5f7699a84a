// The module's own fields (module.yaml) as one form part, shared by the
// "new module" form and the module editor.
import { t } from "../i18n.js";
import { h, fill } from "../dom.js";
import { input, select, readiBoxes, rowTools, refocus } from "./editor-kit.js";

export function blankModule() {
  return {
    slug: "", title: "", summary: "", category: "computer", cluster: "prevention", readi: [], level: "beginner",
    minutes: 15, objectivesText: "", content_warning: "", sources: [{ title: "", publisher: "", year: new Date().getFullYear(), url: "" }],
  };
}

/** fromModule copies an authored module's fields into an editable object. */
export function fromModule(m) {
  return {
    slug: m.slug, title: m.title || "", summary: m.summary || "", category: m.category || "", cluster: m.cluster || "",
    readi: [...(m.readi || [])], level: m.level || "", minutes: m.minutes || 0,
    objectivesText: (m.objectives || []).join("\n"), content_warning: m.content_warning || "",
    sources: (m.sources || []).map((s) => ({ ...s })),
  };
}

/** cleanModule is the request body: objectives one per line, empty sources left out. */
export function cleanModule(d, create) {
  const body = {
    title: d.title.trim(), summary: d.summary.trim(), category: d.category, cluster: d.cluster, readi: d.readi,
    level: d.level, minutes: Number(d.minutes) || 0,
    objectives: d.objectivesText.split("\n").map((x) => x.trim()).filter(Boolean),
    content_warning: d.content_warning.trim(),
    sources: d.sources.filter((s) => s.title || s.publisher || s.url)
      .map((s) => ({ title: s.title.trim(), publisher: s.publisher.trim(), year: Number(s.year) || 0, url: s.url.trim() })),
  };
  if (create) body.slug = d.slug.trim();
  return body;
}

/** moduleFieldset: every field of module.yaml, bound to d. */
export function moduleFieldset(d, { create = false } = {}) {
  const sources = h("div", { class: "sources" });
  const drawSources = (focus) => {
    fill(sources, d.sources.map((s, i) => h("fieldset", { class: "source row" },
      h("legend", {}, t("admin.module.source_n", { n: i + 1 })),
      h("div", { class: "grid-2" },
        input(s, "title", t("admin.module.source_title"), { name: `sources[${i}].title` }),
        input(s, "publisher", t("admin.module.source_publisher"), { name: `sources[${i}].publisher` }),
        input(s, "year", t("admin.module.source_year"), { type: "number", name: `sources[${i}].year`, inputmode: "numeric" }),
        input(s, "url", t("admin.module.source_url"), { type: "url", name: `sources[${i}].url` })),
      rowTools(d.sources, i, t("admin.module.source_n", { n: i + 1 }), drawSources, { key: "src" }))),
    h("button", { type: "button", class: "secondary", "data-focus": "src-add", onclick: () => {
      d.sources.push({ title: "", publisher: "", year: new Date().getFullYear(), url: "" });
      drawSources(`src-${d.sources.length - 1}-up`);
    } }, t("admin.module.add_source")));
    refocus(sources, focus);
  };
  drawSources();
  return h("div", { class: "module-fields" },
    h("div", { class: "grid-2" },
      input(d, "slug", t("admin.module.slug"), { required: true, readonly: !create, hint: t("admin.module.slug_hint") }),
      input(d, "title", t("admin.module.title"), { required: true })),
    input(d, "summary", t("admin.module.summary"), { multiline: true, rows: 2 }),
    h("div", { class: "grid-2" },
      select(d, "category", t("admin.module.category"), [
        ["data", t("category.data")], ["computer", t("category.computer")],
        ["content", t("category.content")], ["cross", t("category.cross")]]),
      select(d, "cluster", t("admin.module.cluster"), [
        ["prevention", t("admin.cluster.prevention")], ["law", t("admin.cluster.law")], ["innovation", t("admin.cluster.innovation")]]),
      select(d, "level", t("admin.module.level"), [
        ["beginner", t("level.beginner")], ["intermediate", t("level.intermediate")], ["advanced", t("level.advanced")]]),
      input(d, "minutes", t("admin.module.minutes"), { type: "number", min: 0, inputmode: "numeric" })),
    readiBoxes(d, "readi"),
    input(d, "objectivesText", t("admin.module.objectives"), { name: "objectives", multiline: true, rows: 3, hint: t("admin.module.objectives_hint") }),
    input(d, "content_warning", t("admin.module.content_warning"), { hint: t("admin.module.content_warning_hint") }),
    h("h3", {}, t("admin.module.sources")),
    sources);
}
