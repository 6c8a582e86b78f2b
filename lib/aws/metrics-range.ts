// A cluster younger than the chosen range has no data before it was created: instead of squeezing its
// whole history (and every marker) into the right edge of a 3-hour or 1-week axis, the window starts
// shortly before the cluster was created, and the charts say so. Pure.

const MINUTE = 60_000;
/** The shortest window drawn for a very young cluster, so a few minutes of data are not a sliver. */
const MIN_SPAN_MS = 15 * MINUTE;

function ago(ms: number): string {
  const min = Math.max(1, Math.round(ms / MINUTE));
  if (min < 90) return `${min} minute${min === 1 ? '' : 's'}`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} hour${h === 1 ? '' : 's'}`;
  const d = Math.round(h / 24);
  return `${d} day${d === 1 ? '' : 's'}`;
}

function span(ms: number): string {
  const h = ms / 3_600_000;
  if (h < 24 || h % 24 !== 0) return `${Number.isInteger(h) ? h : h.toFixed(1)} h`;
  const d = h / 24;
  return d === 7 ? '1 week' : `${d} day${d === 1 ? '' : 's'}`;
}

const hm = (t: number) => new Date(t).toISOString().slice(11, 16);

/** The range to chart for a cluster created at `createdAt` (ms), and the sentence that says why it changed. */
export function fitRangeToCluster(range: { start: number; end: number }, createdAt: number | undefined, now: number): { start: number; end: number; notice?: string } {
  if (createdAt === undefined || !Number.isFinite(createdAt)) return range;
  if (range.end <= createdAt) {
    return { ...range, notice: `The cluster was created at ${new Date(createdAt).toISOString().slice(0, 16).replace('T', ' ')} UTC, after this range: there is no data in it.` };
  }
  // One minute before creation shows where its history begins.
  const from = Math.floor(createdAt / MINUTE) * MINUTE - MINUTE;
  if (from <= range.start) return range;
  const start = Math.max(range.start, Math.min(from, range.end - MIN_SPAN_MS));
  if (start <= range.start) return range;
  return {
    start,
    end: range.end,
    notice: `The cluster is ${ago(now - createdAt)} old (created ${hm(createdAt)} UTC): the charts show its whole history instead of ${span(range.end - range.start)}.`,
  };
}
