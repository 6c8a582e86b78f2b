// Pure helpers: classify RDS events into chart markers, and work out which instance was the writer at
// each moment of a window (roles follow the writer across failovers).

export type MarkerKind = 'failover' | 'backtrack' | 'reader-added' | 'reader-removed' | 'reboot';

export interface ChartMarker {
  t: number;
  kind: MarkerKind;
  label: string;
  message: string;
  source: string;
}

export interface RawEvent {
  date: number;
  message: string;
  sourceId: string;
  sourceType?: string;
  categories: string[];
}

const COMPLETED_FAILOVER = /Completed failover to DB instance:\s*([A-Za-z0-9-]+)/i;

/** Classify one event as a chart marker (or undefined when it is not worth drawing). */
export function toMarker(e: RawEvent): ChartMarker | undefined {
  const m = e.message;
  const cats = e.categories.map((c) => c.toLowerCase());
  let kind: MarkerKind | undefined;
  let label = '';
  const target = COMPLETED_FAILOVER.exec(m);
  if (target) {
    kind = 'failover';
    label = `Failover → ${target[1]}`;
  } else if (cats.includes('failover') || /failover/i.test(m)) {
    // Started/failed failover messages: draw only completions to avoid double lines, but keep failures.
    if (/failed/i.test(m)) {
      kind = 'failover';
      label = 'Failover failed';
    }
  } else if (cats.includes('backtrack') || /backtrack/i.test(m)) {
    // 0131/0132 are window notifications, not a backtrack run.
    if (/window/i.test(m) && !/completed|started|finished/i.test(m)) return undefined;
    kind = 'backtrack';
    label = 'Backtrack';
  } else if (/DB instance created/i.test(m)) {
    kind = 'reader-added';
    label = `Added ${e.sourceId}`;
  } else if (/DB instance deleted/i.test(m)) {
    kind = 'reader-removed';
    label = `Removed ${e.sourceId}`;
  } else if (/DB instance restarted|reboot/i.test(m)) {
    kind = 'reboot';
    label = `Reboot ${e.sourceId}`;
  }
  if (!kind) return undefined;
  return { t: e.date, kind, label, message: m, source: e.sourceId };
}

export interface FailoverPoint {
  t: number;
  to: string;
}

/** Completed failovers (time + new writer) from events, ascending. */
export function failoversFromEvents(events: RawEvent[]): FailoverPoint[] {
  const out: FailoverPoint[] = [];
  for (const e of events) {
    const m = COMPLETED_FAILOVER.exec(e.message);
    if (m) out.push({ t: e.date, to: m[1] });
  }
  return out.sort((a, b) => a.t - b.t);
}

export type Role = 'writer' | 'reader' | 'unknown';
export interface RoleSpan {
  from: number;
  to: number;
  role: Role;
}

/**
 * For each instance, the spans of [start, end) during which it was writer or reader.
 * After the last failover the writer is the current writer (from DescribeDBClusters); between failovers
 * it is the target of the previous failover. Before the first failover in the window, the writer is
 * `initialWriter` if known; otherwise, when the cluster has two instances, the one that was not promoted;
 * otherwise it is unknown (and the promoted instance is a reader there).
 */
export function rolesOverTime(args: {
  instances: string[];
  currentWriter?: string;
  failovers: FailoverPoint[];
  start: number;
  end: number;
  initialWriter?: string;
}): Record<string, RoleSpan[]> {
  const { instances, start, end } = args;
  // Failovers after `end` matter too (the current writer is the writer *now*), so pass events up to now.
  const fos = args.failovers.filter((f) => f.t > start).sort((a, b) => a.t - b.t);
  const horizon = Math.max(end, ...fos.map((f) => f.t + 1));
  // Writer segments: [bounds[i], bounds[i+1]) with writer writers[i].
  const bounds = [start, ...fos.map((f) => f.t), horizon];
  const writers: (string | undefined)[] = [];
  const last = bounds.length - 2;
  for (let i = 0; i <= last; i++) {
    if (i === last) writers.push(args.currentWriter ?? (i > 0 ? fos[i - 1].to : args.initialWriter));
    else if (i > 0) writers.push(fos[i - 1].to);
    else if (args.initialWriter) writers.push(args.initialWriter);
    else {
      const others = instances.filter((x) => x !== fos[0].to);
      writers.push(others.length === 1 ? others[0] : undefined);
    }
  }
  const out: Record<string, RoleSpan[]> = {};
  for (const id of instances) {
    const spans: RoleSpan[] = [];
    for (let i = 0; i < writers.length; i++) {
      const from = bounds[i];
      const to = Math.min(bounds[i + 1], end);
      if (from >= end) break;
      if (to <= from) continue;
      const w = writers[i];
      const role: Role = w === undefined ? (fos[i]?.to === id ? 'reader' : 'unknown') : w === id ? 'writer' : 'reader';
      const prev = spans[spans.length - 1];
      if (prev && prev.role === role) prev.to = to;
      else spans.push({ from, to, role });
    }
    out[id] = spans;
  }
  return out;
}

/** The role of an instance at time t given its spans. */
export function roleAt(spans: RoleSpan[] | undefined, t: number): Role {
  if (!spans) return 'unknown';
  for (const s of spans) if (t >= s.from && t < s.to) return s.role;
  return spans.length ? spans[spans.length - 1].role : 'unknown';
}

/** "writer", "reader", or "reader → writer" when the role changed within the window. */
export function roleLabel(spans: RoleSpan[] | undefined): string {
  if (!spans || spans.length === 0) return 'unknown';
  const roles: Role[] = [];
  for (const s of spans) if (roles[roles.length - 1] !== s.role) roles.push(s.role);
  return roles.join(' → ');
}
