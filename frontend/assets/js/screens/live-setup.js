// Setting up and looking back on live games, for educators and admins.
// /live/new: pick a published module (and, if wanted, which of its
// questions), the time per question, teams and a class, then the game is
// made and its host screen opens; the host's earlier games are listed
// below. /live/host/{id}/report: every player's score and each question's
// result, with a CSV download.
import { t, num, current } from "../i18n.js";
import * as api from "../api.js";
import { h, fill, stylesheet } from "../dom.js";
import { field, handle, errorBox, submit } from "../forms.js";
import { message } from "../errors.js";
import { langQuery } from "../labels.js";
import { gate, when, csvDownload, styles as classStyles } from "../educator.js";

const PLAYABLE = ["single", "multiple", "true_false", "red_flags", "ordering"];
const TIMES = [5, 10, 15, 20, 30, 45, 60, 90, 120];

function crumbs(here) {
  return h("nav", { class: "crumbs", "aria-label": t("nav.breadcrumb") }, h("ol", {},
    h("li", {}, h("a", { href: "/live/new" }, t("nav.live"))),
    h("li", {}, h("span", { "aria-current": "page" }, here))));
}

export async function create(ctx) {
  const { main, query } = ctx;
  if (!gate(main, t("live.new_title"))) return null;
  const lang = langQuery(current());
  const [modsRes, classesRes, gamesRes] = await Promise.all([
    api.get(`/api/v1/modules?${lang}`),
    api.get("/api/v1/classes"),
    api.get(`/api/v1/live/games?${lang}`).catch(() => null), // the list is a convenience; creating still works
    stylesheet("/assets/live-host.css"), classStyles(),
  ]);
  const modules = (modsRes.data || []).slice().sort((a, b) => a.position - b.position);
  const classes = (classesRes.data || []).filter((c) => !c.archived);
  const games = gamesRes ? gamesRes.data || [] : null;
  const wanted = query.get("module");
  const first = modules.some((m) => m.slug === wanted) ? wanted : modules[0] && modules[0].slug;

  const pickBody = h("div", { class: "field", id: "live-pick-body" });
  const pick = h("details", { class: "live-pick", id: "live-pick" },
    h("summary", {}, t("live.pick_questions")), h("p", { class: "hint" }, t("live.pick_hint")), pickBody);
  const teams = h("input", { type: "checkbox", id: "f-teams", name: "teams" });
  const teamCount = field({ name: "team_count", label: t("live.team_count_label"), options: [2, 3, 4, 5, 6, 7, 8].map((n) => [n, num(n)]), value: "4" });
  teamCount.hidden = true;
  teams.addEventListener("change", () => { teamCount.hidden = !teams.checked; });

  const form = h("form", { class: "stack live-new", novalidate: true, "aria-labelledby": "live-new-title", id: "live-new-form" },
    errorBox(),
    field({ name: "module", label: t("live.module"), options: modules.map((m) => [m.slug, m.title]), value: first }),
    pick,
    field({ name: "time_limit_s", label: t("live.time_label"), hint: t("live.time_hint"),
      options: [...TIMES.map((s) => [s, t("live.seconds", { n: num(s) })]), [0, t("live.untimed")]], value: "20" }),
    h("div", { class: "field" }, h("div", { class: "check" }, teams, h("label", { for: "f-teams" }, t("live.teams")))),
    teamCount,
    field({ name: "class_id", label: t("live.class"), hint: t("live.class_hint"),
      options: [["", t("live.class_any")], ...classes.map((c) => [c.id, c.name])], value: query.get("class") || "" }),
    submit(t("live.create")));

  const select = form.querySelector("#f-module");
  let loading = 0;
  const loadQuestions = async () => {
    const mine = ++loading;
    fill(pickBody, h("p", { class: "muted" }, t("app.loading")));
    try {
      const quiz = (await api.get(`/api/v1/quizzes/${encodeURIComponent(select.value)}?${lang}`)).data;
      if (mine !== loading) return;
      fill(pickBody, h("fieldset", {},
        h("legend", {}, t("live.questions")),
        h("ul", { class: "live-pick-list" }, quiz.questions.map((q, i) => {
          const ok = PLAYABLE.includes(q.type);
          const qid = `f-q-${q.id}`;
          return h("li", { class: "check" },
            h("input", { type: "checkbox", id: qid, name: "questions", value: q.id, checked: ok, disabled: !ok }),
            h("label", { for: qid }, `${num(i + 1)}. ${q.prompt}`,
              ok ? null : h("span", { class: "tag" }, t("live.not_playable"))));
        }))));
    } catch (e) {
      if (mine === loading) fill(pickBody, h("p", {}, message(e)));
    }
  };
  select.addEventListener("change", loadQuestions);
  if (select.value) loadQuestions();

  handle(form, async (v) => {
    const body = { module: v.module, time_limit_s: Number(v.time_limit_s), teams: teams.checked };
    if (teams.checked) body.team_count = Number(v.team_count);
    if (v.class_id) body.class_id = Number(v.class_id);
    // Every playable question ticked: leave the list out, the server takes them all in order.
    const boxes = [...form.querySelectorAll('input[name="questions"]:not(:disabled)')];
    if (boxes.some((b) => !b.checked)) {
      body.questions = boxes.filter((b) => b.checked).map((b) => b.value);
      if (!body.questions.length) {
        pick.open = true;
        throw new api.ApiError("validation", 422, "validation.failed", { questions: "live.no_questions" });
      }
    }
    try {
      const res = await api.post(`/api/v1/live/games?${lang}`, body);
      ctx.navigate(`/live/host/${res.data.id}`);
    } catch (e) {
      if (e.fields && e.fields.questions) pick.open = true;
      throw e;
    }
  });

  fill(main,
    h("h1", { id: "live-new-title" }, t("live.new_title")),
    h("p", { class: "lead" }, t("live.new_lead")),
    modules.length ? h("section", { class: "panel" }, form) : h("p", {}, t("live.no_modules")),
    games ? h("section", { class: "panel", "aria-labelledby": "live-games-title" },
      h("h2", { id: "live-games-title" }, t("live.my_games")),
      games.length ? h("ul", { class: "item-list", id: "live-games" }, games.slice(0, 20).map(gameItem))
        : h("p", { class: "muted" }, t("live.no_games"))) : null);
  return null;
}

function stateName(s) {
  switch (s) {
    case "lobby": return t("live.state_lobby");
    case "question": case "reveal": return t("live.state_playing");
    default: return t("live.state_ended");
  }
}

function gameItem(g) {
  return h("li", { class: "item", "data-game": g.id },
    h("div", { class: "item-main" },
      h("h3", {}, h("a", { href: `/live/host/${g.id}` }, g.module_title)),
      h("p", { class: "muted due" }, [stateName(g.state), t("live.pin_is", { pin: g.pin }), t("live.players_in", { n: num(g.players) }), when(g.created_at)].join(" · "))),
    g.state === "ended" ? h("div", { class: "item-actions" },
      h("a", { class: "button secondary small", href: `/live/host/${g.id}/report`, "aria-label": t("live.report_for", { title: g.module_title, pin: g.pin }) }, t("live.report"))) : null);
}

export async function report(ctx) {
  const { main, params } = ctx;
  if (!gate(main, t("live.report"))) return null;
  const id = params[0];
  const base = `/api/v1/live/games/${id}`;
  const lang = langQuery(current());
  const [res] = await Promise.all([api.get(`${base}/report?${lang}`), stylesheet("/assets/live-host.css"), classStyles()]);
  const r = res.data;
  const g = r.game;
  // Removed players stay in the report (their answers were given), last and marked.
  const players = (r.players || []).slice().sort((a, b) => (a.removed - b.removed) || (a.rank - b.rank));
  const questions = (r.questions || []).slice().sort((a, b) => a.seq - b.seq);

  const { button: csvBtn, status: csvStatus } = csvDownload(() => `${base}/report.csv?${lang}`, `live-${id}-report.csv`);

  fill(main,
    crumbs(t("live.report")),
    h("h1", {}, t("live.report_title", { title: g.module_title })),
    h("p", { class: "lead" }, t("live.report_meta", { date: when(g.created_at), players: num(players.filter((p) => !p.removed).length), questions: num(questions.length) })),
    h("section", { class: "panel", "aria-labelledby": "live-players-title" },
      h("h2", { id: "live-players-title" }, t("live.players_title")),
      players.length ? h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": "live-players-title" },
        h("table", { class: "data", id: "live-players" },
          h("caption", { class: "visually-hidden" }, t("live.players_title")),
          h("thead", {}, h("tr", {},
            h("th", { scope: "col" }, t("live.col_rank")),
            h("th", { scope: "col" }, t("class.col_nickname")),
            g.teams ? h("th", { scope: "col" }, t("live.col_team")) : null,
            h("th", { scope: "col" }, t("live.col_score")),
            h("th", { scope: "col" }, t("live.col_correct")))),
          h("tbody", {}, players.map((p) => h("tr", { "data-player": p.id },
            h("td", {}, p.removed ? "–" : num(p.rank)),
            h("th", { scope: "row" }, p.nickname, p.removed ? [" ", h("span", { class: "tag" }, t("live.removed_tag"))] : null),
            g.teams ? h("td", {}, p.team) : null,
            h("td", {}, num(p.score)),
            h("td", {}, t("live.correct_of", { n: num(p.correct), total: num(p.answered) }))))))) : h("p", { class: "muted" }, t("live.no_players")),
      h("div", { class: "actions" }, csvBtn), csvStatus),
    h("section", { class: "panel", "aria-labelledby": "live-questions-title" },
      h("h2", { id: "live-questions-title" }, t("live.questions")),
      h("div", { class: "table-wrap" }, h("table", { class: "data live-qtable", id: "live-qstats" },
        h("caption", { class: "visually-hidden" }, t("live.questions")),
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, "#"),
          h("th", { scope: "col" }, t("live.col_question")),
          h("th", { scope: "col" }, t("live.col_right")))),
        h("tbody", {}, questions.map((q) => {
          const pct = q.answered ? Math.round((100 * q.correct_count) / q.answered) : 0;
          return h("tr", { "data-question": q.id },
            h("td", {}, num(q.seq)),
            h("th", { scope: "row" }, q.prompt),
            h("td", {}, q.answered ? t("live.q_result", { n: num(q.correct_count), total: num(q.answered), pct: num(pct) }) : t("questions.no_answers")));
        }))))),
    h("div", { class: "actions" },
      h("a", { class: "button secondary", href: `/live/host/${g.id}` }, t("live.back_to_game")),
      h("a", { class: "button", href: `/live/new?module=${encodeURIComponent(g.module)}` }, t("live.play_again"))));
  return null;
}
