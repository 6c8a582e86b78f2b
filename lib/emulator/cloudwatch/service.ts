// The emulator's CloudWatch service: protocol detection (AWS JSON 1.0, Query, Smithy RPC v2 CBOR),
// input decoding into one plain shape, dispatch to handlers, and output / error encoding.
import type Database from 'better-sqlite3';
import type { EmulatorRequest, EmulatorResponse } from '../http-types';
import type { DataplaneSource } from '../dataplane/types';
import { cborDecode, CBOR_CONTENT_TYPE } from '../protocols/cbor';
import { jsonError, jsonOperation, jsonResponse } from '../protocols/json';
import { decodeQueryForm, queryEnvelope, queryErrorResponse, queryOk } from '../protocols/query';
import { cborError, cborResponse } from '../protocols/rpcv2-cbor';
import { renderMemberXml } from '../protocols/xml';
import { CloudWatchFault, CwFaults, SHAPE_OF_CODE } from './errors';
import { createHandlers, type CloudWatchHandlers } from './handlers';
import { MetricStore } from './store';

export interface CloudWatchDeps {
  db: Database.Database;
  source: DataplaneSource;
}

const CW_TARGET_PREFIX = 'GraniteServiceVersion20100801';
const CW_XMLNS = 'http://monitoring.amazonaws.com/doc/2010-08-01/';
const CW_TYPE_NAMESPACE = 'com.amazonaws.cloudwatch.v2010_08_01';
const CBOR_PATH_PREFIX = `/service/${CW_TARGET_PREFIX}/operation/`;

export type CwProtocol = 'json' | 'query' | 'cbor';

export interface CloudWatchService {
  handle(req: EmulatorRequest): Promise<EmulatorResponse> | EmulatorResponse;
  operationOf(req: EmulatorRequest): string | undefined;
  reset(): void;
  /** Metrics requested by GetMetricData calls since the last reset (for the control API's counters). */
  metricsRequested(): number;
  metricsRequestedByRegion(): Record<string, number>;
  resetCounters(): void;
}

export function protocolOf(req: EmulatorRequest): CwProtocol {
  if (req.path.startsWith(CBOR_PATH_PREFIX) || (req.headers['content-type'] ?? '').startsWith(CBOR_CONTENT_TYPE)) return 'cbor';
  if (req.headers['x-amz-target']) return 'json';
  return 'query';
}

function cloudWatchOperationOf(req: EmulatorRequest): string | undefined {
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
  if (protocol === 'cbor') return cborError(req, typeName, code, message, status, side, operation);
  return queryErrorResponse(CW_XMLNS, req.requestId, status, code, message, side, operation);
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
    metricsRequestedByRegion: () => handlers.metricsRequestedByRegion(),
    resetCounters: () => handlers.resetCounters(),
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
function decodeInput(req: EmulatorRequest, protocol: CwProtocol): Record<string, unknown> {
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

// ---------------------------------------------------------------- output

function encodeOutput(req: EmulatorRequest, protocol: CwProtocol, op: string, output: unknown): EmulatorResponse {
  if (protocol === 'json') return jsonResponse(req.requestId, output, op);
  if (protocol === 'cbor') return cborResponse(req.requestId, output, op);
  const result = output && typeof output === 'object' && Object.keys(output).length > 0 ? renderMemberXml(output) : undefined;
  return queryOk(req.requestId, queryEnvelope(op, CW_XMLNS, req.requestId, result), op);
}
