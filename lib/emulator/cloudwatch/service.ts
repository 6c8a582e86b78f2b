// The emulator's CloudWatch service: protocol detection (AWS JSON 1.0, Query, Smithy RPC v2 CBOR),
// input decoding into one plain shape, dispatch to handlers, and output / error encoding.
import type Database from 'better-sqlite3';
import type { EmulatorRequest, EmulatorResponse } from '../http-types';
import type { DataplaneSource } from '../dataplane/types';
import { jsonError, jsonOperation, jsonResponse, queryCompatibleStatus, TimestampList } from '../protocols/json';
import { cborDecode, cborEncode, CBOR_CONTENT_TYPE } from '../protocols/cbor';
import { CloudWatchFault, CwFaults, SHAPE_OF_CODE } from './errors';
import { createHandlers, type CloudWatchHandlers } from './handlers';
import { MetricStore } from './store';

export interface CloudWatchDeps {
  db: Database.Database;
  source: DataplaneSource;
}

export const CW_TARGET_PREFIX = 'GraniteServiceVersion20100801';
export const CW_XMLNS = 'http://monitoring.amazonaws.com/doc/2010-08-01/';
const CW_TYPE_NAMESPACE = 'com.amazonaws.cloudwatch.v2010_08_01';
const CBOR_PATH_PREFIX = `/service/${CW_TARGET_PREFIX}/operation/`;

export type CwProtocol = 'json' | 'query' | 'cbor';

export interface CloudWatchService {
  handle(req: EmulatorRequest): Promise<EmulatorResponse> | EmulatorResponse;
  operationOf(req: EmulatorRequest): string | undefined;
  reset(): void;
  /** Metrics requested by GetMetricData calls since the last reset (for the control API's counters). */
  metricsRequested(): number;
}

export function protocolOf(req: EmulatorRequest): CwProtocol {
  if (req.path.startsWith(CBOR_PATH_PREFIX) || (req.headers['content-type'] ?? '').startsWith(CBOR_CONTENT_TYPE)) return 'cbor';
  if (req.headers['x-amz-target']) return 'json';
  return 'query';
}

export function cloudWatchOperationOf(req: EmulatorRequest): string | undefined {
  switch (protocolOf(req)) {
    case 'cbor': {
      const op = req.path.startsWith(CBOR_PATH_PREFIX) ? req.path.slice(CBOR_PATH_PREFIX.length) : '';
      return op.replace(/\/+$/, '') || undefined;
    }
    case 'json':
      return jsonOperation(req, CW_TARGET_PREFIX);
    case 'query': {
      const text = req.body.length > 0 ? req.body.toString('utf8') : '';
      const m = /(?:^|&)Action=([^&]*)/.exec(text);
      return m ? decodeURIComponent(m[1].replace(/\+/g, ' ')) : undefined;
    }
  }
}

/** Format an error in the protocol of this request (used by the server for auth failures, throttling, 5xx). */
export function cloudWatchError(
  req: EmulatorRequest,
  code: string,
  message: string,
  status: number,
  fault?: 'Sender' | 'Receiver',
): EmulatorResponse {
  const side = fault ?? (status >= 500 ? 'Receiver' : 'Sender');
  const operation = safeOperation(req);
  const protocol = protocolOf(req);
  const typeName = `${CW_TYPE_NAMESPACE}#${SHAPE_OF_CODE[code] ?? code}`;
  if (protocol === 'json') return jsonError(req, typeName, code, message, status, side, operation);
  if (protocol === 'cbor') {
    return {
      status: queryCompatibleStatus(req, status),
      headers: {
        'content-type': CBOR_CONTENT_TYPE,
        'smithy-protocol': 'rpc-v2-cbor',
        'x-amzn-requestid': req.requestId,
        'x-amzn-query-error': `${code};${side}`,
      },
      body: cborEncode({ __type: typeName, message }),
      operation,
    };
  }
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': req.requestId },
    body:
      `<ErrorResponse xmlns="${CW_XMLNS}"><Error><Type>${side}</Type><Code>${escapeXml(code)}</Code>` +
      `<Message>${escapeXml(message)}</Message></Error><RequestId>${req.requestId}</RequestId></ErrorResponse>`,
    operation,
  };
}

function safeOperation(req: EmulatorRequest): string | undefined {
  try {
    return cloudWatchOperationOf(req);
  } catch {
    return undefined;
  }
}

export function createCloudWatchService(deps: CloudWatchDeps): CloudWatchService {
  const store = new MetricStore(deps.db);
  const handlers: CloudWatchHandlers = createHandlers({ store, source: deps.source });
  return {
    operationOf: safeOperation,
    reset() {
      store.reset();
      handlers.resetCounters();
    },
    metricsRequested: () => handlers.metricsRequested(),
    handle(req) {
      const protocol = protocolOf(req);
      let op: string | undefined;
      try {
        op = cloudWatchOperationOf(req);
        if (!op) {
          throw protocol === 'query'
            ? CwFaults.MissingParameter('The request must contain the parameter Action.')
            : CwFaults.UnknownOperation('Unknown operation.');
        }
        const handler = handlers.ops[op];
        if (!handler) {
          throw protocol === 'query'
            ? CwFaults.InvalidAction(`The action ${op} is not valid for this web service.`)
            : CwFaults.UnknownOperation(`Unknown operation ${op}.`);
        }
        const input = decodeInput(req, protocol);
        const output = handler(input, { region: req.region, now: req.now });
        return encodeOutput(req, protocol, op, output);
      } catch (err) {
        if (err instanceof CloudWatchFault) return cloudWatchError(req, err.code, err.message, err.status, err.fault);
        return cloudWatchError(req, 'InternalServiceError', 'Internal service error.', 500, 'Receiver');
      }
    },
  };
}

// ---------------------------------------------------------------- input

/** Decodes any of the three protocols into one plain object (PascalCase members, lists as arrays). */
export function decodeInput(req: EmulatorRequest, protocol: CwProtocol): Record<string, unknown> {
  if (protocol === 'json') {
    const text = req.body.toString('utf8').trim();
    if (!text) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CloudWatchFault('SerializationException', 400, 'Malformed JSON request body.');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new CloudWatchFault('SerializationException', 400, 'The request body must be a JSON object.');
    }
    return parsed as Record<string, unknown>;
  }
  if (protocol === 'cbor') {
    if (req.body.length === 0) return {};
    let parsed: unknown;
    try {
      parsed = cborDecode(req.body);
    } catch {
      throw new CloudWatchFault('SerializationException', 400, 'Malformed CBOR request body.');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return parsed as Record<string, unknown>;
  }
  return decodeQueryForm(req.body.toString('utf8'));
}

/**
 * `A.member.1.B=x&A.member.2.B=y&C=z` → `{ A: [{B:'x'},{B:'y'}], C: 'z' }`. Every CloudWatch list uses
 * `member`; an empty `Param=` stays '' (handlers read it as an empty list).
 */
export function decodeQueryForm(body: string): Record<string, unknown> {
  type Node = { [k: string]: Node | string };
  const root: Node = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const parts = key.split('.');
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const next = node[parts[i]];
      if (next && typeof next === 'object') node = next;
      else node = node[parts[i]] = {};
    }
    const last = parts[parts.length - 1];
    if (typeof node[last] !== 'object') node[last] = value;
  }
  const convert = (n: Node | string): unknown => {
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
  return convert(root) as Record<string, unknown>;
}

// ---------------------------------------------------------------- output

function encodeOutput(req: EmulatorRequest, protocol: CwProtocol, op: string, output: unknown): EmulatorResponse {
  if (protocol === 'json') return jsonResponse(req.requestId, output, op);
  if (protocol === 'cbor') {
    return {
      status: 200,
      headers: { 'content-type': CBOR_CONTENT_TYPE, 'smithy-protocol': 'rpc-v2-cbor', 'x-amzn-requestid': req.requestId },
      body: cborEncode(output ?? {}),
      operation: op,
    };
  }
  const inner = output && typeof output === 'object' && Object.keys(output).length > 0 ? `<${op}Result>${xmlInner(output)}</${op}Result>` : '';
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': req.requestId },
    body:
      `<${op}Response xmlns="${CW_XMLNS}">${inner}` +
      `<ResponseMetadata><RequestId>${req.requestId}</RequestId></ResponseMetadata></${op}Response>`,
    operation: op,
  };
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

function xmlScalar(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return escapeXml(String(v));
}

/** Generic CloudWatch XML: objects → elements, arrays → `<member>` items, Date → ISO 8601. */
function xmlInner(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (v instanceof TimestampList) {
    let out = '';
    for (const ms of v.ms) out += `<member>${new Date(ms).toISOString()}</member>`;
    return out;
  }
  if (Array.isArray(v)) {
    let out = '';
    for (const item of v) out += `<member>${xmlInner(item)}</member>`;
    return out;
  }
  if (typeof v === 'object' && !(v instanceof Date)) {
    let out = '';
    for (const [k, x] of Object.entries(v)) if (x !== undefined && x !== null) out += `<${k}>${xmlInner(x)}</${k}>`;
    return out;
  }
  return xmlScalar(v);
}
