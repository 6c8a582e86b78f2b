// Long lists driven by the URL (?q=&engine=&status=&region=&sort=&dir=&page=): parsing that never throws,
// server-side filtering, sorting and pagination. A bad value is not a 500: it falls back to the default and
// the page shows a notice that says what was wrong and what was used instead. Pure.

type Params = Record<string, string | string[] | undefined>;

export interface ListSpec<S extends string> {
  /** Filter parameters this list understands besides sort/dir/page (e.g. q, engine, status, region). */
  filters: readonly string[];
  sortKeys: readonly S[];
  defaultSort: S;
  /** Sort keys whose natural direction is descending (numbers where high is bad). */
  descByDefault?: readonly S[];
  /** Allowed values per filter (e.g. the configured regions); a value outside is reported and ignored. */
  allowed?: Partial<Record<string, readonly string[]>>;
  /** Other parameters the page owns (range, backtrackTo…): not reported as unknown. */
  passThrough?: readonly string[];
}

export interface ListQuery<S extends string> {
  filters: Record<string, string | undefined>;
  sort: S;
  dir: 'asc' | 'desc';
  page: number;
  /** What was wrong with the address, in words a person can act on (shown above the list). */
  notices: string[];
}

const MAX_FILTER_LEN = 100;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

export function parseListQuery<S extends string>(sp: Params, spec: ListSpec<S>): ListQuery<S> {
  const notices: string[] = [];
  const known = new Set([...spec.filters, 'sort', 'dir', 'page', ...(spec.passThrough ?? [])]);
  const unknown = Object.keys(sp).filter((k) => !known.has(k));
  if (unknown.length) {
    notices.push(`Unknown filter${unknown.length === 1 ? '' : 's'} ${unknown.map((k) => `“${k.slice(0, 40)}”`).join(', ')} ignored; this list filters by ${spec.filters.join(', ')}.`);
  }
  const filters: Record<string, string | undefined> = {};
  for (const f of spec.filters) {
    let v = first(sp[f]);
    if (v && v.length > MAX_FILTER_LEN) {
      notices.push(`The ${f} filter is longer than ${MAX_FILTER_LEN} characters; it was cut.`);
      v = v.slice(0, MAX_FILTER_LEN);
    }
    const allowed = spec.allowed?.[f];
    if (v && allowed && !allowed.includes(v)) {
      notices.push(`No ${f} “${v.slice(0, 40)}” here (known: ${allowed.join(', ') || 'none'}); the ${f} filter was ignored.`);
      v = undefined;
    }
    filters[f] = v;
  }
  const rawSort = first(sp.sort);
  let sort = spec.defaultSort;
  if (rawSort) {
    if ((spec.sortKeys as readonly string[]).includes(rawSort)) sort = rawSort as S;
    else notices.push(`Cannot sort by “${rawSort.slice(0, 40)}” (choose ${spec.sortKeys.join(', ')}); sorted by ${spec.defaultSort}.`);
  }
  const rawDir = first(sp.dir);
  const natural: 'asc' | 'desc' = spec.descByDefault?.includes(sort) ? 'desc' : 'asc';
  let dir = natural;
  if (rawDir === 'asc' || rawDir === 'desc') dir = rawDir;
  else if (rawDir) notices.push(`Sort direction “${rawDir.slice(0, 20)}” is not asc or desc; using ${natural}.`);
  const rawPage = first(sp.page);
  let page = 1;
  if (rawPage !== undefined) {
    if (/^\d{1,6}$/.test(rawPage) && Number(rawPage) >= 1) page = Number(rawPage);
    else notices.push(`“${rawPage.slice(0, 20)}” is not a page number (1, 2, 3…); showing page 1.`);
  }
  return { filters, sort, dir, page, notices };
}

export interface PageOf<T> {
  rows: T[];
  page: number;
  pages: number;
  total: number;
  /** 1-based index of the first row shown (0 when empty). */
  from: number;
  to: number;
  notice?: string;
}

/** Slice `rows` to page `page` of `pageSize`; a page past the end shows the last page and says so. */
export function pageOf<T>(rows: readonly T[], page: number, pageSize: number): PageOf<T> {
  const total = rows.length;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  let notice: string | undefined;
  let p = page;
  if (p > pages) {
    notice = `There is no page ${p}: ${total} row${total === 1 ? '' : 's'} fit on ${pages} page${pages === 1 ? '' : 's'}; showing page ${pages}.`;
    p = pages;
  }
  const start = (p - 1) * pageSize;
  const slice = rows.slice(start, start + pageSize);
  return { rows: slice, page: p, pages, total, from: slice.length ? start + 1 : 0, to: start + slice.length, notice };
}

/** The address of the same list with some parameters changed (undefined/'' removes one; page 1 is dropped). */
export function listHref(path: string, current: Record<string, string | undefined>, change: Record<string, string | number | undefined>): string {
  const sp = new URLSearchParams();
  const merged: Record<string, string | number | undefined> = { ...current, ...change };
  for (const [k, v] of Object.entries(merged)) {
    if (v === undefined || v === '' || (k === 'page' && Number(v) === 1)) continue;
    sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `${path}?${s}` : path;
}
