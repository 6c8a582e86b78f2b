// The local endpoint's HTTP server: body, gunzip, SigV4, service + region from the credential scope,
// fault injection and counters, dispatch. Errors always come back in the target service's format.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { EmulatorRequest, EmulatorResponse } from './http-types';
import { peekScope, verifySigV4, type Credentials } from './sigv4';
import { RdsFault } from './rds/errors';
import { rdsErrorResponse, type RdsService } from './rds/handlers';
import type { Counters, Faults, createControl } from './control';

export interface CloudWatchLike {
  handle(req: EmulatorRequest): Promise<EmulatorResponse> | EmulatorResponse;
  operationOf(req: EmulatorRequest): string | undefined;
}

export interface ServerDeps {
  credentials: Credentials;
  now: () => number;
  rds: RdsService;
  cloudwatch: CloudWatchLike;
  /** Formats an error in the protocol of a CloudWatch request. */
  cloudwatchError: (req: EmulatorRequest, code: string, message: string, status: number, fault?: 'Sender' | 'Receiver') => EmulatorResponse;
  control: ReturnType<typeof createControl>;
  faults: Faults;
  counters: Counters;
  maxBodyBytes?: number;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function isLoopback(addr: string | undefined): boolean {
  if (!addr) return false;
  return LOOPBACK.has(addr) || addr.startsWith('127.') || addr.startsWith('::ffff:127.');
}

function flatHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  }
  return out;
}

/** Guess the target service when the credential scope is missing or unusable. */
function guessService(path: string, headers: Record<string, string>): string {
  const ct = headers['content-type'] ?? '';
  if (headers['x-amz-target'] || ct.includes('amz-json') || ct.includes('cbor') || path.startsWith('/service/')) return 'monitoring';
  return 'rds';
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function createEmulatorServer(deps: ServerDeps): http.Server {
  const limit = deps.maxBodyBytes ?? 64 * 1024 * 1024;

  const errorFor = (
    service: string,
    req: EmulatorRequest,
    code: string,
    message: string,
    status: number,
    type: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ): EmulatorResponse => {
    if (service === 'monitoring') return deps.cloudwatchError(req, code, message, status, type);
    let op: string | undefined;
    try {
      op = deps.rds.operationOf(req);
    } catch {
      op = undefined;
    }
    return rdsErrorResponse(new RdsFault(code, status, message, type), req.requestId, op);
  };

  const handleAws = async (hreq: http.IncomingMessage, url: string, path: string, headers: Record<string, string>, raw: Buffer): Promise<EmulatorResponse> => {
    const requestId = randomUUID();
    const now = deps.now();
    const scope = peekScope(headers);
    const fallbackService = scope?.service === 'rds' || scope?.service === 'monitoring' ? scope.service : guessService(path, headers);
    const base: EmulatorRequest = {
      method: hreq.method ?? 'GET',
      path,
      headers,
      body: raw,
      region: scope?.region ?? 'us-east-1',
      service: fallbackService,
      requestId,
      now,
    };
    const auth = verifySigV4({ method: base.method, url, headers, rawBody: raw }, deps.credentials);
    if (!auth.ok) return errorFor(fallbackService, base, auth.code, auth.message, auth.code === 'IncompleteSignature' ? 400 : 403);
    const service = auth.scope.service;
    const req: EmulatorRequest = { ...base, service, region: auth.scope.region };
    if ((headers['content-encoding'] ?? '').toLowerCase().split(',').map((s) => s.trim()).includes('gzip')) {
      try {
        req.body = gunzipSync(raw);
      } catch {
        return errorFor(service, req, 'InvalidParameterValue', 'The request body could not be decompressed (Content-Encoding: gzip).', 400);
      }
    }
    if (service !== 'rds' && service !== 'monitoring') {
      return errorFor('rds', req, 'InvalidAction', `The service ${service} is not provided by this endpoint (only rds and monitoring).`, 400);
    }
    const op = service === 'rds' ? deps.rds.operationOf(req) : deps.cloudwatch.operationOf(req);
    deps.counters.inc(service, op ?? '(unknown)');
    const decision = deps.faults.decide(service, op);
    if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
    if (decision.fail) {
      const res = errorFor(service, req, decision.fail.code, decision.fail.message, decision.fail.status);
      return { ...res, operation: op };
    }
    if (decision.latencyMs > 0) req.now = deps.now();
    try {
      return service === 'rds' ? deps.rds.handle(req) : await deps.cloudwatch.handle(req);
    } catch (e) {
      // A bug, not a client error: log the class of failure (never the request body), answer InternalFailure.
      console.error(`[emulator] ${service} ${op ?? '?'} failed: ${(e as Error)?.stack ?? String(e)}`);
      return errorFor(service, req, 'InternalFailure', 'An internal error has occurred. Please try again later.', 500, 'Receiver');
    }
  };

  const server = http.createServer(async (hreq, hres) => {
    const url = hreq.url ?? '/';
    const qi = url.indexOf('?');
    const path = qi < 0 ? url : url.slice(0, qi);
    const headers = flatHeaders(hreq.headers);
    let res: EmulatorResponse;
    let raw: Buffer;
    try {
      raw = await readBody(hreq, limit);
    } catch {
      if (!hres.headersSent) {
        hres.writeHead(413, { 'content-type': 'text/plain' });
        hres.end('Request body too large');
      }
      return;
    }
    try {
      if (path === '/_emulator' || path.startsWith('/_emulator/')) {
        if (!isLoopback(hreq.socket.remoteAddress)) {
          res = { status: 403, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'The control API only answers loopback clients.' }) };
        } else {
          const r = deps.control.handle(hreq.method ?? 'GET', path, raw.toString('utf8'));
          res = { status: r.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(r.body) };
        }
      } else {
        res = await handleAws(hreq, url, path, headers, raw);
      }
    } catch (e) {
      console.error(`[emulator] request failed: ${(e as Error)?.stack ?? String(e)}`);
      const requestId = randomUUID();
      res = rdsErrorResponse(new RdsFault('InternalFailure', 500, 'An internal error has occurred. Please try again later.', 'Receiver'), requestId);
    }
    const body = typeof res.body === 'string' ? Buffer.from(res.body, 'utf8') : res.body;
    hres.writeHead(res.status, { ...res.headers, 'content-length': String(body.length) });
    hres.end(body);
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}
