import 'server-only';
// The writers this console process has seen, per cluster: every cluster chart load (DescribeDBClusters)
// and every failover it requests (the FailoverDBCluster response still names the old writer) note who
// was the writer at that moment. AWS events name only the new writer of a failover ("Completed failover
// to DB instance: X"), so without this the old writer's role before a failover could be unknown on a
// cluster with more than two instances. In memory: after a restart the charts fall back to what the
// metrics tell (a writer reports no AuroraReplicaLag).

interface Seen {
  writer: string;
  first: number;
  last: number;
}

const MAX_SPANS = 32;
const g = globalThis as unknown as { __afcWriterHistory?: Map<string, Seen[]> };
const history = (): Map<string, Seen[]> => (g.__afcWriterHistory ??= new Map());
const keyOf = (region: string, clusterId: string) => `${region}\u0000${clusterId}`;

/** Note that `writer` was the cluster's writer at `at` (ms). */
export function noteWriter(region: string, clusterId: string, writer: string | undefined, at: number): void {
  if (!writer) return;
  const k = keyOf(region, clusterId);
  const spans = history().get(k) ?? [];
  const last = spans[spans.length - 1];
  if (last && last.writer === writer && at >= last.first) last.last = Math.max(last.last, at);
  else {
    spans.push({ writer, first: at, last: at });
    spans.sort((a, b) => a.first - b.first);
    if (spans.length > MAX_SPANS) spans.splice(0, spans.length - MAX_SPANS);
  }
  history().set(k, spans);
}

/** The writer last seen in [from, before), or undefined when the console saw none then. */
export function writerSeenBetween(region: string, clusterId: string, from: number, before: number): string | undefined {
  const spans = history().get(keyOf(region, clusterId)) ?? [];
  let best: Seen | undefined;
  for (const s of spans) {
    const seenAt = Math.min(s.last, before - 1);
    if (seenAt < from || s.first >= before) continue;
    if (!best || seenAt > Math.min(best.last, before - 1)) best = s;
  }
  return best?.writer;
}

export function clearWriterHistory(): void {
  g.__afcWriterHistory = undefined;
}
