// XML for the AWS Query protocol's responses: escaping, scalars, and two renderers, one for values
// shaped with explicit list element names (RDS) and one for plain objects whose lists use `member` (CloudWatch).
import { TimestampList } from './json';

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

/** A number as the Query protocol writes it (NaN, Infinity and -Infinity by name). */
function xmlNumber(v: number): string {
  return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

/** A scalar's text: Date → ISO 8601, numbers and booleans as text, strings escaped. */
function xmlScalar(v: unknown): string {
  if (typeof v === 'string') return escapeXml(v);
  if (typeof v === 'number') return xmlNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return v.toISOString();
  return escapeXml(String(v));
}

/** A list serialized as <Name><Item>…</Item></Name>. */
export class XmlList {
  constructor(
    readonly itemName: string,
    readonly items: readonly XmlValue[],
  ) {}
}

export type XmlValue = string | number | boolean | Date | undefined | null | XmlList | { [key: string]: XmlValue };

export function xmlList(itemName: string, items: readonly XmlValue[]): XmlList {
  return new XmlList(itemName, items);
}

export function isoTime(ms: number | Date): string {
  return (ms instanceof Date ? ms : new Date(ms)).toISOString();
}

/** The content of an element holding `v` (objects → child elements, XmlList → its items). */
export function renderXml(v: XmlValue): string {
  if (typeof v === 'string') return escapeXml(v);
  if (v === undefined || v === null) return '';
  if (v instanceof XmlList) {
    let out = '';
    for (const item of v.items) out += renderElement(v.itemName, item);
    return out;
  }
  if (typeof v === 'object' && !(v instanceof Date)) {
    let out = '';
    for (const key of Object.keys(v)) out += renderElement(key, v[key]);
    return out;
  }
  return xmlScalar(v);
}

/** `<name>…</name>`, or nothing for undefined / null. */
function renderElement(name: string, v: XmlValue): string {
  if (v === undefined || v === null) return '';
  return `<${name}>${renderXml(v)}</${name}>`;
}

/** Plain values: objects → elements (undefined / null members left out), arrays → `<member>` items, Date → ISO 8601. */
export function renderMemberXml(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (v instanceof TimestampList) {
    let out = '';
    for (const ms of v.ms) out += `<member>${new Date(ms).toISOString()}</member>`;
    return out;
  }
  if (Array.isArray(v)) {
    let out = '';
    for (const item of v) out += `<member>${renderMemberXml(item)}</member>`;
    return out;
  }
  if (typeof v === 'object' && !(v instanceof Date)) {
    let out = '';
    for (const [k, x] of Object.entries(v)) if (x !== undefined && x !== null) out += `<${k}>${renderMemberXml(x)}</${k}>`;
    return out;
  }
  return xmlScalar(v);
}
