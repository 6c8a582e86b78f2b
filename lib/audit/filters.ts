import type { AuditFilter } from './log';

/** The audit page's GET parameters (shared by the page and the CSV export so both show the same rows). */
interface AuditQuery {
  actor: string;
  action: string;
  target: string;
  phase: string;
  from: string; // as typed: YYYY-MM-DDTHH:MM (UTC) or YYYY-MM-DD
  to: string;
  page: number;
}

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

function get(p: Params, k: string): string {
  const v = p instanceof URLSearchParams ? p.get(k) : p[k];
  const s = Array.isArray(v) ? v[0] : v;
  return (s ?? '').trim().slice(0, 200);
}

/** Parse a UTC date/time typed in a datetime-local or date input. `end` makes a bare date inclusive of that day. */
export function parseUtc(s: string, end = false): Date | undefined {
  if (!s) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?Z?$/.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se] = m;
  if (h === undefined) return new Date(Date.UTC(+y, +mo - 1, +d, end ? 23 : 0, end ? 59 : 0, end ? 59 : 0, end ? 999 : 0));
  return new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, se ? +se : end ? 59 : 0, end ? 999 : 0));
}

export function parseAuditQuery(p: Params): { query: AuditQuery; filter: AuditFilter; problems: string[] } {
  const query: AuditQuery = {
    actor: get(p, 'actor'),
    action: get(p, 'action'),
    target: get(p, 'target'),
    phase: get(p, 'phase'),
    from: get(p, 'from'),
    to: get(p, 'to'),
    page: Math.max(1, Math.min(10_000, Number.parseInt(get(p, 'page') || '1', 10) || 1)),
  };
  const problems: string[] = [];
  const from = parseUtc(query.from);
  const to = parseUtc(query.to, true);
  if (query.from && !from) problems.push(`"From" must be a date like 2026-01-31 or 2026-01-31T14:00 (UTC); ignored.`);
  if (query.to && !to) problems.push(`"To" must be a date like 2026-01-31 or 2026-01-31T14:00 (UTC); ignored.`);
  if (from && to && from > to) problems.push('"From" is after "To": no row can match.');
  return {
    query,
    filter: {
      actor: query.actor || undefined,
      action: query.action || undefined,
      target: query.target || undefined,
      phase: query.phase || undefined,
      from,
      to,
    },
    problems,
  };
}

/** The query string for a filter (page omitted unless > 1). */
export function auditQueryString(q: Partial<AuditQuery>): string {
  const sp = new URLSearchParams();
  for (const k of ['actor', 'action', 'target', 'phase', 'from', 'to'] as const) if (q[k]) sp.set(k, String(q[k]));
  if (q.page && q.page > 1) sp.set('page', String(q.page));
  const s = sp.toString();
  return s ? `?${s}` : '';
}
