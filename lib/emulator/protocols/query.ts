// AWS Query protocol: form-encoded request → nested params; XML responses and errors.

export type QueryNode = { [key: string]: QueryNode | string };

/** Parses `a=1&B.C.1=x` into a tree: { a: '1', B: { C: { '1': 'x' } } }. */
export function parseQueryBody(body: string): QueryNode {
  const root: QueryNode = {};
  const params = new URLSearchParams(body);
  for (const [key, value] of params) {
    const parts = key.split('.');
    let node: QueryNode = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const p = parts[i];
      const next = node[p];
      if (typeof next === 'object') node = next;
      else {
        const created: QueryNode = {};
        node[p] = created;
        node = created;
      }
    }
    const last = parts[parts.length - 1];
    if (typeof node[last] !== 'object') node[last] = value;
  }
  return root;
}

/** Typed accessor over a decoded query tree. */
export class QueryParams {
  constructor(readonly node: QueryNode) {}

  has(name: string): boolean {
    return this.node[name] !== undefined;
  }
  str(name: string): string | undefined {
    const v = this.node[name];
    return typeof v === 'string' ? v : undefined;
  }
  sub(name: string): QueryParams | undefined {
    const v = this.node[name];
    return typeof v === 'object' ? new QueryParams(v) : undefined;
  }
  /** A list like `Name.Member.1`, `Name.Member.2` (member = "member" when unnamed). Empty `Name=` → []. */
  list(name: string, member = 'member'): (string | QueryParams)[] | undefined {
    const v = this.node[name];
    if (v === undefined) return undefined;
    if (typeof v === 'string') return [];
    const m = v[member];
    if (m === undefined || typeof m === 'string') return [];
    return Object.keys(m)
      .filter((k) => /^\d+$/.test(k))
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => {
        const item = m[k];
        return typeof item === 'string' ? item : new QueryParams(item);
      });
  }
  strList(name: string, member = 'member'): string[] | undefined {
    const l = this.list(name, member);
    return l?.filter((x): x is string => typeof x === 'string');
  }
  structList(name: string, member = 'member'): QueryParams[] | undefined {
    const l = this.list(name, member);
    return l?.filter((x): x is QueryParams => typeof x !== 'string');
  }
}

// ---------------------------------------------------------------- XML

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

/** A list serialized as <Name><Item>…</Item></Name>. */
export class XmlList {
  constructor(
    readonly itemName: string,
    readonly items: readonly XmlValue[],
  ) {}
}
/** Pre-rendered XML (trusted; produced by this module). */
export class XmlRaw {
  constructor(readonly xml: string) {}
}
export type XmlValue =
  | string
  | number
  | boolean
  | Date
  | undefined
  | null
  | XmlList
  | XmlRaw
  | { [key: string]: XmlValue };

export function xmlList(itemName: string, items: readonly XmlValue[]): XmlList {
  return new XmlList(itemName, items);
}

export function isoTime(ms: number | Date): string {
  return (ms instanceof Date ? ms : new Date(ms)).toISOString();
}

function renderInner(v: XmlValue): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return escapeXml(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return v.toISOString();
  if (v instanceof XmlRaw) return v.xml;
  if (v instanceof XmlList) {
    let out = '';
    for (const item of v.items) out += renderElement(v.itemName, item);
    return out;
  }
  let out = '';
  for (const key of Object.keys(v)) out += renderElement(key, v[key]);
  return out;
}

export function renderElement(name: string, v: XmlValue): string {
  if (v === undefined || v === null) return '';
  return `<${name}>${renderInner(v)}</${name}>`;
}

export function queryResponse(op: string, xmlns: string, requestId: string, result: XmlValue): string {
  const inner = result === undefined ? '' : `<${op}Result>${renderInner(result)}</${op}Result>`;
  return (
    `<${op}Response xmlns="${xmlns}">${inner}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${op}Response>`
  );
}

export function queryError(
  xmlns: string,
  requestId: string,
  code: string,
  message: string,
  type: 'Sender' | 'Receiver' = 'Sender',
): string {
  return (
    `<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
