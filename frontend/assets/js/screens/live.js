// The live game for players (/live, or /live?pin=123456 from the QR code on
// the big screen). Joining gives a player token, kept in localStorage under
// readi.live.<pin>: it is all a phone needs to come back after a reload, a
// sleep or a change of network, straight into the game (live/play.js) with
// its score and the question still open. This module is only the way in:
// a phone opening the QR code's link gets the join form without the game's
// code, which loads while the nickname is typed.
import { t, current, LANGS } from "../i18n.js";
import * as api from "../api.js";
import { h, fill, stylesheet } from "../dom.js";
import { field, handle, errorBox, submit } from "../forms.js";
import { message } from "../errors.js";
import { call, store, tokenKey, forget, LAST } from "../live/player.js";

const digits = (v) => String(v || "").replace(/\D/g, "");
const game = () => import("../live/play.js");

export async function render(ctx) {
  const asked = digits(ctx.query.get("pin"));
  const pin = asked || store.get(LAST) || "";
  const token = pin ? store.get(tokenKey(pin)) : null;
  await stylesheet("/assets/live.css");
  let notice = null;
  if (token) {
    try {
      const [res, mod] = await Promise.all([call("GET", pin, "/state", token), game()]);
      const st = res.data;
      // A bare /live does not reopen a finished game: it is for joining.
      if (asked || st.phase !== "ended") return mod.play(ctx, pin, token, st);
    } catch (e) {
      // Offline for now: the stream keeps trying and brings the game back.
      if (e.kind === "network") return (await game()).play(ctx, pin, token, null);
      forget(pin);
      notice = message(e);
    }
  }
  // After a lost token the PIN it was for is offered again.
  joinForm(ctx, notice ? pin : asked, notice);
  return null;
}

function joinForm(ctx, pin, notice) {
  const box = errorBox();
  if (notice) box.textContent = notice;
  const form = h("form", { class: "stack live-join", novalidate: true, "aria-labelledby": "live-join-title" },
    box,
    field({ name: "pin", label: t("live.pin"), hint: t("live.pin_hint"), value: pin, inputmode: "numeric", autocomplete: "off", maxlength: 9, required: true }),
    field({ name: "nickname", label: t("join.nickname"), hint: t("live.nickname_hint"), maxlength: 24, autocomplete: "nickname", required: true }),
    field({ name: "lang", label: t("live.lang_label"), hint: t("live.lang_hint"), options: LANGS.map((l) => [l, t(`lang.${l}`)]), value: current() }),
    submit(t("live.join_button")));
  // The game's code, fetched while the player types (patchy Wi-Fi).
  form.addEventListener("input", () => { game().catch(() => {}); }, { once: true });
  handle(form, async (v) => {
    const p = digits(v.pin);
    if (!p) throw new api.ApiError("validation", 422, "validation.failed", { pin: "live.pin_invalid" });
    const res = await api.post("/api/v1/live/join", { pin: p, nickname: v.nickname.trim(), lang: v.lang });
    store.set(tokenKey(p), res.data.player_token);
    store.set(LAST, p);
    // The address carries the PIN from now on, so a reload comes back here.
    history.replaceState(null, "", `/live?pin=${p}`);
    if (v.lang !== current()) await ctx.setLang(v.lang); // redraws this screen in that language
    else ctx.rerender(true);
  });
  fill(ctx.main, h("div", { class: "live live-player" },
    h("h1", { id: "live-join-title" }, t("live.join_title")),
    h("p", { class: "lead" }, t("live.join_lead")),
    h("div", { class: "panel" }, form)));
}
