// Server-Sent Events read with fetch(), for the live game. EventSource
// cannot send an Authorization header, so the stream is a plain GET read
// with getReader() and parsed here. It reconnects on any end or error with
// a growing, jittered delay (0.5 s, 1 s, 2 s … 5 s: a hall of phones that
// lost the Wi-Fi together must not come back in the same millisecond); the
// server's first event after a connect is a full state, so reconnecting is
// the whole resync. A phone waking from sleep or changing network gets a
// fresh connection at once rather than waiting on a dead one.

const BACKOFF = [500, 1000, 2000, 4000, 5000];
// The server sends a ping comment every 15 s; this long without a byte
// means the connection died without closing (a switch of network).
const SILENCE_MS = 40000;

/** StreamError is a reply that reconnecting will not fix (token gone, game gone). */
export class StreamError extends Error {
  constructor(status, code) {
    super(code || String(status));
    this.status = status;
    this.code = code;
  }
}

/**
 * open reads url as an event stream until stop() is called.
 * opts.auth(): the Authorization header value, read again for each connect.
 * opts.onEvent(type, data): each event, data parsed as JSON.
 * opts.onStatus("open" | "reconnecting"): the connection's state.
 * opts.onFatal(StreamError): a 401/403/404 reply; the stream stops.
 * opts.refresh(): optional, called once on a 401 before giving up (an
 * expired access token).
 */
export function open(url, opts) {
  let stopped = false;
  let ctrl = null;
  let attempt = 0;
  let wake = null; // resolves the backoff sleep early
  let refreshed = false;

  const kick = () => {
    if (ctrl) ctrl.abort();
    if (wake) wake();
  };
  const onVisible = () => { if (document.visibilityState === "visible") { attempt = 0; kick(); } };
  const onOnline = () => { attempt = 0; kick(); };
  // The phone says the network is gone: the connection cannot be trusted
  // (it may hang without closing), so drop it and say "reconnecting" now.
  const onOffline = () => kick();
  document.addEventListener("visibilitychange", onVisible);
  window.addEventListener("online", onOnline);
  window.addEventListener("offline", onOffline);

  const sleep = (ms) => new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => { clearTimeout(timer); resolve(); };
  });

  (async () => {
    while (!stopped) {
      ctrl = new AbortController();
      try {
        const res = await fetch(url, {
          headers: { Accept: "text/event-stream", Authorization: opts.auth() || "" },
          cache: "no-store", credentials: "same-origin", signal: ctrl.signal,
        });
        if (res.status === 401 && opts.refresh && !refreshed) {
          refreshed = true;
          await opts.refresh();
          continue;
        }
        if ([401, 403, 404, 410].includes(res.status)) {
          let code = "";
          try { code = (await res.json()).error.code; } catch { /* not JSON */ }
          stopped = true;
          opts.onFatal(new StreamError(res.status, code));
          break;
        }
        if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
        await read(res.body, ctrl, (type, data) => {
          attempt = 0;
          refreshed = false;
          opts.onStatus("open");
          opts.onEvent(type, data);
        });
      } catch {
        // network error, abort or a broken event: reconnect below
      }
      if (stopped) break;
      opts.onStatus("reconnecting");
      const base = BACKOFF[Math.min(attempt, BACKOFF.length - 1)];
      attempt += 1;
      await sleep(base * (0.75 + Math.random() / 2));
    }
  })();

  return () => {
    stopped = true;
    document.removeEventListener("visibilitychange", onVisible);
    window.removeEventListener("online", onOnline);
    window.removeEventListener("offline", onOffline);
    kick();
  };
}

/** read parses event:/data: lines until the body ends, resolving then. */
async function read(body, ctrl, dispatch) {
  const reader = body.getReader();
  const dec = new TextDecoder();
  let buf = "";
  let type = "message";
  let data = [];
  let quiet = setTimeout(() => ctrl.abort(), SILENCE_MS);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      clearTimeout(quiet);
      quiet = setTimeout(() => ctrl.abort(), SILENCE_MS);
      buf += dec.decode(value, { stream: true });
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl).replace(/\r$/, "");
        buf = buf.slice(nl + 1);
        if (line === "") {
          if (data.length) dispatch(type, JSON.parse(data.join("\n")));
          type = "message";
          data = [];
        } else if (line.startsWith("event:")) {
          type = line.slice(6).trim();
        } else if (line.startsWith("data:")) {
          data.push(line.slice(5).replace(/^ /, ""));
        } // ": ping" comments and retry: only keep the connection alive
      }
    }
  } finally {
    clearTimeout(quiet);
    reader.cancel().catch(() => {});
  }
}
