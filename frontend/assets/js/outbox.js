// The outbox: writes made while offline (quiz attempts, lesson completions)
// wait in IndexedDB with their Idempotency-Key and are sent when the
// connection returns (the online event) or on the next start. The server
// stores an attempt once per key, so sending twice is harmless.
import * as api from "./api.js";

const DB = "readi";
const STORE = "outbox";
const listeners = new Set();
let flushing = null;

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx(mode, fn) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const t = db.transaction(STORE, mode);
    const out = fn(t.objectStore(STORE));
    t.oncomplete = () => { db.close(); resolve(out && "result" in out ? out.result : undefined); };
    t.onerror = () => { db.close(); reject(t.error); };
  });
}

/** onChange calls fn({pending, sent, failed}) after every change. */
export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

async function emit(event) {
  const pending = await list();
  for (const fn of listeners) fn({ pending, ...event });
}

/** add queues a request: {kind, method, path, body, key, label, user}. */
export async function add(item) {
  await tx("readwrite", (s) => s.add({ ...item, created: Date.now() }));
  await emit({});
}

export async function list() {
  if (!("indexedDB" in window)) return [];
  try {
    return (await tx("readonly", (s) => s.getAll())) || [];
  } catch {
    return [];
  }
}

async function remove(id) {
  await tx("readwrite", (s) => s.delete(id));
}

/** flush sends what is waiting for the signed-in user, oldest first. */
export function flush() {
  if (!flushing) {
    flushing = run().finally(() => { flushing = null; });
  }
  return flushing;
}

async function run() {
  const u = api.currentUser();
  if (!u) return;
  for (const item of await list()) {
    if (item.user !== u.id) continue;
    try {
      const res = await api.request(item.method, item.path, {
        body: item.body, headers: item.key ? { "Idempotency-Key": item.key } : {},
      });
      await remove(item.id);
      await emit({ sent: { item, data: res.data } });
    } catch (e) {
      if (e.kind === "network" || e.kind === "server" || e.kind === "rate" || e.kind === "auth") return;
      await remove(item.id); // refused for good (the quiz changed, say): do not retry forever
      await emit({ failed: { item, error: e } });
    }
  }
}

/** clearFor drops the waiting items of a user (on account deletion). */
export async function clearFor(userId) {
  for (const item of await list()) if (item.user === userId) await remove(item.id);
  await emit({});
}
