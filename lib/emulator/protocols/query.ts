// AWS Query protocol: form-encoded request → nested params (or plain objects); XML response and
// error envelopes.
import type { EmulatorResponse } from '../http-types';
import { escapeXml, renderXml, type XmlValue } from './xml';

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

/**
 * `A.member.1.B=x&A.member.2.B=y&C=z` → `{ A: [{B:'x'},{B:'y'}], C: 'z' }`, for services whose every
 * list uses `member` (CloudWatch); an empty `Param=` stays '' (read as an empty list).
 */
export function decodeQueryForm(body: string): Record<string, unknown> {
  const convert = (n: QueryNode | string): unknown => {
    if (typeof n === 'string') return n;
    const keys = Object.keys(n);
    if (keys.length === 1 && keys[0] === 'member' && typeof n.member === 'object') {
      const m = n.member;
      return Object.keys(m)
        .filter((k) => /^\d+$/.test(k))
        .sort((a, b) => Number(a) - Number(b))
        .map((k) => convert(m[k]));
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = convert(n[k]);
    return out;
  };
  return convert(parseQueryBody(body)) as Record<string, unknown>;
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

// ---------------------------------------------------------------- envelopes

const xmlHeaders = (requestId: string): Record<string, string> => ({ 'content-type': 'text/xml', 'x-amzn-requestid': requestId });

/** `<OpResponse><OpResult>…</OpResult><ResponseMetadata>…` around already rendered result XML (none: no OpResult). */
export function queryEnvelope(op: string, xmlns: string, requestId: string, resultXml: string | undefined): string {
  const inner = resultXml === undefined ? '' : `<${op}Result>${resultXml}</${op}Result>`;
  return (
    `<${op}Response xmlns="${xmlns}">${inner}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${op}Response>`
  );
}

export function queryResponse(op: string, xmlns: string, requestId: string, result: XmlValue): string {
  return queryEnvelope(op, xmlns, requestId, result === undefined ? undefined : renderXml(result));
}

/** A successful Query response carrying `body` (an envelope). */
export function queryOk(requestId: string, body: string, operation?: string): EmulatorResponse {
  return { status: 200, headers: xmlHeaders(requestId), body, operation };
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

/** A Query error response: the `<ErrorResponse>` envelope with the fault's HTTP status. */
export function queryErrorResponse(
  xmlns: string,
  requestId: string,
  status: number,
  code: string,
  message: string,
  type: 'Sender' | 'Receiver',
  operation?: string,
): EmulatorResponse {
  return { status, headers: xmlHeaders(requestId), body: queryError(xmlns, requestId, code, message, type), operation };
}
