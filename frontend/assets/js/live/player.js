// What the player's way in (screens/live.js) and the game (play.js) share:
// the player token in localStorage and requests made with it.
import * as api from "../api.js";

export const LAST = "readi.live.last";
export const tokenKey = (pin) => `readi.live.${pin}`;
export const store = {
  get(k) { try { return localStorage.getItem(k); } catch { return null; } },
  set(k, v) { try { localStorage.setItem(k, v); } catch { /* private mode: this tab only */ } },
  del(k) { try { localStorage.removeItem(k); } catch { /* private mode */ } },
};

/** forget drops the token of pin (removed, ended, or no longer valid). */
export function forget(pin) {
  store.del(tokenKey(pin));
  if (store.get(LAST) === pin) store.del(LAST);
}

/** call is a player request: the player token, never the session's JWT. */
export function call(method, pin, path, token, body) {
  return api.request(method, `/api/v1/live/games/${encodeURIComponent(pin)}${path}`,
    { auth: false, headers: { Authorization: `Bearer ${token}` }, body });
}
