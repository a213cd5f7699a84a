// Which lessons this learner has completed, as far as this device knows.
// GET /me/progress gives only counts per module, so the ticks come from here
// (and from the counts: a module with every lesson counted is all ticked).

function key(user) {
  return `readi.done.${user.id}`;
}

export function doneSet(user) {
  if (!user) return new Set();
  try {
    return new Set(JSON.parse(localStorage.getItem(key(user)) || "[]"));
  } catch {
    return new Set();
  }
}

export function markDone(user, module, lesson) {
  if (!user) return;
  const set = doneSet(user);
  set.add(`${module}/${lesson}`);
  try { localStorage.setItem(key(user), JSON.stringify([...set])); } catch { /* full or private */ }
}

export function forget(user) {
  try { localStorage.removeItem(key(user)); } catch { /* private mode */ }
}
