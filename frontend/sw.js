// READI service worker. The app shell (FILES) is cached whole when the
// worker installs, and the language catalogues, help data, educators'
// screens and the live game (LAZY) when first used, in a cache per
// VERSION (a hash of all of them, which the tests keep up to date); both
// are served from the cache first, so the app opens offline and on slow
// data, and a first visit stays light. Lessons and modules the learner opened are kept (network
// first, the copy when offline). Sign-in and writes always go to the
// network; writes made offline wait in the page's outbox.
const SHELL_HASH = "648cc4e5921c68e5";
const VERSION = "8787ab632e5e28d1";
const SHELL = `readi-shell-${VERSION}`;
const API = "readi-api";
const FILES = [
  "/index.html",
  "/manifest.webmanifest",
  "/assets/app.css",
  "/assets/app.js",
  "/assets/icon.svg",
  "/assets/js/api.js",
  "/assets/js/dom.js",
  "/assets/js/done.js",
  "/assets/js/errors.js",
  "/assets/js/forms.js",
  "/assets/js/help.js",
  "/assets/js/i18n.js",
  "/assets/js/labels.js",
  "/assets/js/outbox.js",
  "/assets/js/screens/account.js",
  "/assets/js/screens/auth.js",
  "/assets/js/screens/catalogue.js",
  "/assets/js/screens/lesson.js",
  "/assets/js/screens/module.js",
  "/assets/js/screens/progress.js",
  "/assets/js/screens/quiz.js",
  "/assets/js/widgets/chart.js",
  "/assets/js/widgets/questions.js",
];
const LAZY = [
  "/assets/admin.css",
  "/assets/classes.css",
  "/assets/data/help.json",
  "/assets/js/screens/admin-history.js",
  "/assets/js/screens/admin-module.js",
  "/assets/js/screens/admin-tools.js",
  "/assets/js/screens/admin.js",
  "/assets/js/confirm.js",
  "/assets/js/educator.js",
  "/assets/js/screens/class-report.js",
  "/assets/js/screens/class.js",
  "/assets/js/screens/classes.js",
  "/assets/js/widgets/editor-kit.js",
  "/assets/js/widgets/editor-module.js",
  "/assets/js/widgets/editor-quiz.js",
  "/assets/js/widgets/qr.js",
  "/assets/live.css",
  "/assets/live-host.css",
  "/assets/js/live/kit.js",
  "/assets/js/live/play.js",
  "/assets/js/live/player.js",
  "/assets/js/live/stream.js",
  "/assets/js/screens/live.js",
  "/assets/js/screens/live-host.js",
  "/assets/js/screens/live-setup.js",
  "/i18n/en.json",
  "/i18n/th.json",
];

// install fills the shell cache. Files come from the HTTP cache when the page
// has just loaded them (no second download on a first visit); if they do not
// hash to VERSION (a stale copy during an update) they are fetched again.
self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

async function precache() {
  let responses = await fetchAll("default");
  if ((await hashOf(responses)) !== SHELL_HASH) responses = await fetchAll("reload");
  const cache = await caches.open(SHELL);
  await Promise.all(FILES.map((f, i) => cache.put(f, responses[i])));
  // The catalogue the page already loaded is in the HTTP cache: keep it too,
  // without a download, so the app speaks the same language offline.
  await Promise.all(LAZY.map(async (f) => {
    try {
      const res = await fetch(f, { cache: "only-if-cached", mode: "same-origin" });
      if (res.ok) await cache.put(f, res);
    } catch {
      // not loaded yet: cached on first use
    }
  }));
}

async function fetchAll(mode) {
  return Promise.all(FILES.map(async (f) => {
    const res = await fetch(f, { cache: mode });
    if (!res.ok) throw new Error(`${f}: ${res.status}`);
    return res;
  }));
}

// hashOf is the first 16 hex digits of SHA-256 over each file's path, a
// newline and its bytes, in FILES order: SHELL_HASH (the frontend tests
// compute the same, and VERSION over FILES and LAZY).
async function hashOf(responses) {
  const parts = [];
  const enc = new TextEncoder();
  for (let i = 0; i < FILES.length; i++) {
    parts.push(enc.encode(`${FILES[i]}\n`), new Uint8Array(await responses[i].clone().arrayBuffer()));
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { all.set(p, at); at += p.length; }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("").slice(0, 16);
}

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("readi-shell-") && k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname === "/healthz" || url.pathname === "/readyz") return;
  if (url.pathname.startsWith("/api/")) {
    if (url.pathname.startsWith("/api/v1/modules")) event.respondWith(networkFirst(req));
    return;
  }
  if (req.mode === "navigate") {
    event.respondWith(caches.match("/index.html", { cacheName: SHELL }).then((hit) => hit || fetch(req)));
    return;
  }
  if (LAZY.includes(url.pathname)) {
    event.respondWith(cacheOnUse(req));
    return;
  }
  event.respondWith(caches.match(req, { cacheName: SHELL }).then((hit) => hit || fetch(req)));
});

// cacheOnUse answers from the shell cache, filling it on first use.
async function cacheOnUse(req) {
  const cache = await caches.open(SHELL);
  const hit = await cache.match(req);
  if (hit) return hit;
  const res = await fetch(req);
  if (res.ok) await cache.put(req, res.clone());
  return res;
}

// networkFirst answers with the network and keeps a copy. When the network
// fails, or is slower than a few seconds (patchy mobile data), the copy is
// used, and a late answer still refreshes the copy for next time.
async function networkFirst(req) {
  const cache = await caches.open(API);
  const network = fetch(req).then(async (res) => {
    if (res.ok) await cache.put(req, res.clone());
    return res;
  });
  network.catch(() => {}); // a late failure after the copy was used
  const slow = new Promise((resolve) => { setTimeout(() => resolve(null), 4000); });
  let res = null;
  try {
    res = await Promise.race([network, slow]);
  } catch {
    res = null;
  }
  if (res) return res;
  const hit = await cache.match(req, { ignoreVary: true });
  return hit || network;
}
