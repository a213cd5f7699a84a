// The API client: JSON in and out, the access token in memory only, one
// refresh (the refresh token is an httpOnly cookie scoped to /api/v1/auth)
// and one retry on a 401, and errors turned into ApiError values that the
// screens show with a way forward.

let access = null;
let user = null;
let refreshing = null;
const listeners = new Set();

/** ApiError: kind is "network", "auth", "validation", "rate", "notfound", "server" or "client". */
export class ApiError extends Error {
  constructor(kind, status, code, fields, retryAfter) {
    super(code || kind);
    this.kind = kind;
    this.status = status;
    this.code = code || "";
    this.fields = fields || {};
    this.retryAfter = retryAfter || 0;
  }
}

export function currentUser() {
  return user;
}

/** bearer is the Authorization value of the session, for requests made
 * without request() (the live game's event stream), or null. */
export function bearer() {
  return access ? `Bearer ${access}` : null;
}

export function signedIn() {
  return access !== null && user !== null;
}

/** onSession calls fn(user or null) whenever the session changes. */
export function onSession(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function emit() {
  for (const fn of listeners) fn(user);
}

function hadSession(v) {
  try {
    if (v) localStorage.setItem("readi.session", "1");
    else localStorage.removeItem("readi.session");
  } catch { /* private mode */ }
}

/** setSession keeps a session from login, register, join or refresh. */
export function setSession(s) {
  access = s.access_token;
  user = s.user;
  hadSession(true);
  emit();
}

export function setUser(u) {
  user = u;
  emit();
}

export function clearSession() {
  access = null;
  user = null;
  hadSession(false);
  emit();
}

async function parse(res) {
  const type = res.headers.get("Content-Type") || "";
  if (res.status === 204 || !type.includes("json")) return null;
  try { return await res.json(); } catch { return null; }
}

function errorOf(res, body) {
  const e = (body && body.error) || {};
  const code = e.code || "";
  const s = res.status;
  if (s === 401 || s === 403) return new ApiError("auth", s, code || "auth.required");
  if (s === 404) return new ApiError("notfound", s, code || "not_found");
  if (s === 422 || s === 400) return new ApiError("validation", s, code || "validation.failed", e.fields);
  if (s === 429) {
    const after = parseInt(res.headers.get("Retry-After") || "0", 10) || 60;
    return new ApiError("rate", s, code || "rate_limited", null, after);
  }
  if (s >= 500) return new ApiError("server", s, code || "internal");
  return new ApiError("client", s, code || "request.invalid", e.fields);
}

/** refresh swaps the refresh cookie for a new session, once at a time and,
 * where the browser allows, once at a time across tabs (a refresh token works
 * only once; two tabs racing would end every session). */
export function refresh() {
  if (!refreshing) {
    const run = async () => {
      let res;
      try {
        res = await fetch("/api/v1/auth/refresh", { method: "POST", credentials: "same-origin" });
      } catch {
        throw new ApiError("network", 0, "offline");
      }
      const body = await parse(res);
      if (!res.ok) {
        if (res.status === 401 || res.status === 403) clearSession();
        throw errorOf(res, body);
      }
      setSession(body.data);
      return body.data;
    };
    const locked = navigator.locks ? navigator.locks.request("readi-refresh", run) : run();
    refreshing = locked.finally(() => { refreshing = null; });
  }
  return refreshing;
}

/** restore tries one refresh at start-up, if this browser had a session. */
export async function restore() {
  let had = false;
  try { had = localStorage.getItem("readi.session") === "1"; } catch { /* private mode */ }
  if (!had) return null;
  try {
    return await refresh();
  } catch (e) {
    if (e.kind !== "network") clearSession();
    return null;
  }
}

/**
 * request sends one API call and returns the parsed body ({data, ...}).
 * opts: body (JSON), headers, auth (send the token; default true),
 * retry (refresh once on 401; default true), raw (return the Response of a
 * successful call unread, for files).
 */
export async function request(method, path, opts = {}) {
  const { body, headers = {}, auth = true, retry = true, raw = false } = opts;
  const h = { Accept: "application/json", ...headers };
  if (body !== undefined) h["Content-Type"] = "application/json";
  const sentToken = auth && access ? access : null;
  if (sentToken) h.Authorization = `Bearer ${sentToken}`;
  let res;
  try {
    res = await fetch(path, {
      method, headers: h, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError("network", 0, "offline");
  }
  if (raw && res.ok) return res;
  const parsed = await parse(res);
  const code = parsed && parsed.error && parsed.error.code;
  if (res.status === 401 && retry && (sentToken || (code === "auth.required" && signedInBefore()))) {
    try {
      await refresh();
    } catch (e) {
      if (e.kind === "network") throw e;
      throw new ApiError("auth", 401, "auth.session_ended");
    }
    return request(method, path, { ...opts, retry: false });
  }
  if (!res.ok) throw errorOf(res, parsed);
  return parsed || {};
}

function signedInBefore() {
  try { return localStorage.getItem("readi.session") === "1"; } catch { return false; }
}

export const get = (path, opts) => request("GET", path, opts);
export const post = (path, body, opts) => request("POST", path, { ...opts, body });
export const patch = (path, body, opts) => request("PATCH", path, { ...opts, body });
export const del = (path, opts) => request("DELETE", path, opts);

/** download fetches an authenticated JSON reply and saves it as a file. */
export async function download(path, filename) {
  const body = await get(path);
  save(new Blob([JSON.stringify(body, null, 2)], { type: "application/json" }), filename);
}

/** downloadFile fetches an authenticated file (a CSV, say) and saves it
 * under the name the server gives, else filename. */
export async function downloadFile(path, filename) {
  const res = await request("GET", path, { raw: true, headers: { Accept: "*/*" } });
  const named = /filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") || "");
  save(await res.blob(), named ? named[1] : filename);
}

function save(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export async function logout() {
  try {
    await fetch("/api/v1/auth/logout", { method: "POST", credentials: "same-origin" });
  } catch { /* offline: the cookie expires on its own */ }
  clearSession();
  // Personal API replies kept for offline use go with the session.
  if ("caches" in window) await caches.delete("readi-api").catch(() => {});
}
