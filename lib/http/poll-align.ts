// One poll schedule for every viewer: instead of each browser polling on its own timer (n viewers → n
// phases → n server loads per interval once the shared cache has expired), every poller fires on the same
// wall-clock grid: the next multiple of its interval (plus a small per-grid offset so different intervals
// do not all land on the same second). Viewers of the same page then reach the server within the same
// moment, share one in-flight load there (single-flight) and the next viewers the cached result.
// Pure, no imports: used by client hooks and by the benchmark's simulated viewers.

/** Milliseconds from `now` until the next tick of the `intervalMs` grid (never 0: at least `minMs`). */
export function msUntilNextTick(intervalMs: number, now: number = Date.now(), minMs = 250): number {
  if (!(intervalMs > 0)) return Infinity;
  // A fixed offset into the grid (a fraction of a second, by interval) keeps the 15 s and the 60 s grids apart.
  const offset = (intervalMs / 1000) % 997;
  let next = Math.floor((now - offset) / intervalMs) * intervalMs + offset + intervalMs;
  while (next - now < minMs) next += intervalMs;
  return next - now;
}

/** The tick of the `intervalMs` grid at or before `now` (what a cache entry loaded by a poller is "for"). */
export function currentTick(intervalMs: number, now: number = Date.now()): number {
  const offset = (intervalMs / 1000) % 997;
  return Math.floor((now - offset) / intervalMs) * intervalMs + offset;
}
