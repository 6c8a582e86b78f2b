// AWS JSON 1.0 (awsQueryCompatible services such as CloudWatch): X-Amz-Target dispatch,
// epoch-second timestamps, `__type` errors with the `x-amzn-query-error` header.
import type { EmulatorRequest, EmulatorResponse } from '../http-types';

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

/** `GraniteServiceVersion20100801.GetMetricData` → `GetMetricData` (undefined if the prefix differs). */
export function jsonOperation(req: EmulatorRequest, targetPrefix: string): string | undefined {
  const target = req.headers['x-amz-target'];
  if (!target) return undefined;
  const dot = target.lastIndexOf('.');
  if (dot < 0) return undefined;
  if (target.slice(0, dot) !== targetPrefix) return undefined;
  return target.slice(dot + 1);
}

function isQueryMode(req: EmulatorRequest): boolean {
  return (req.headers['x-amzn-query-mode'] ?? '').toLowerCase() === 'true';
}

/**
 * A list of timestamps kept as epoch milliseconds (cheap for long metric series); each protocol
 * serializes it in its own timestamp format.
 */
export class TimestampList {
  constructor(readonly ms: readonly number[]) {}
}

function numberText(x: number): string {
  return Number.isFinite(x) ? String(x) : Number.isNaN(x) ? '"NaN"' : x > 0 ? '"Infinity"' : '"-Infinity"';
}

/** JSON text of a response value; long number / timestamp arrays are written without intermediate objects. */
function toJsonText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (v instanceof Date) return String(v.getTime() / 1000);
  if (v instanceof TimestampList) {
    const ms = v.ms;
    const secs = new Array<number>(ms.length);
    for (let i = 0; i < ms.length; i++) secs[i] = ms[i] / 1000;
    return JSON.stringify(secs);
  }
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'number' && Number.isFinite(x))) return JSON.stringify(v);
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      out += (i ? ',' : '') + (typeof x === 'number' ? numberText(x) : toJsonText(x));
    }
    return out + ']';
  }
  if (typeof v === 'object') {
    let out = '{';
    let first = true;
    for (const k in v as Record<string, unknown>) {
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined) continue;
      out += (first ? '' : ',') + JSON.stringify(k) + ':' + toJsonText(x);
      first = false;
    }
    return out + '}';
  }
  return JSON.stringify(v) ?? 'null';
}

export function jsonResponse(requestId: string, output: unknown, operation?: string): EmulatorResponse {
  return {
    status: 200,
    headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId },
    body: toJsonText(output ?? {}),
    operation,
  };
}

/**
 * Status rule for query-compatible JSON/CBOR errors: 4xx errors are sent as 400 unless the request
 * carried `x-amzn-query-mode: true`, in which case the query-era status is used.
 */
export function queryCompatibleStatus(req: EmulatorRequest, status: number): number {
  if (status >= 400 && status < 500 && !isQueryMode(req)) return 400;
  return status;
}

/**
 * An error of a query-compatible JSON or CBOR service: the protocol's own headers, then the request id
 * and `x-amzn-query-error: Code;Sender|Receiver`, with the status rule above.
 */
export function queryCompatibleError(
  req: EmulatorRequest,
  protocolHeaders: Record<string, string>,
  body: string | Buffer,
  queryCode: string,
  status: number,
  fault: 'Sender' | 'Receiver',
  operation?: string,
): EmulatorResponse {
  return {
    status: queryCompatibleStatus(req, status),
    headers: { ...protocolHeaders, 'x-amzn-requestid': req.requestId, 'x-amzn-query-error': `${queryCode};${fault}` },
    body,
    operation,
  };
}

export function jsonError(
  req: EmulatorRequest,
  typeName: string,
  queryCode: string,
  message: string,
  status: number,
  fault: 'Sender' | 'Receiver',
  operation?: string,
): EmulatorResponse {
  const body = JSON.stringify({ __type: typeName, message });
  return queryCompatibleError(req, { 'content-type': JSON_CONTENT_TYPE }, body, queryCode, status, fault, operation);
}
