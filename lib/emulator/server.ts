// The local endpoint's HTTP server: body, gunzip, SigV4, service + region from the credential scope,
// fault injection and counters, dispatch. Errors always come back in the target service's format.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { EmulatorRequest, EmulatorResponse } from './http-types';
import { peekScope, precheckSigV4, verifySigV4, type Credentials } from './sigv4';
import { BodyTooLarge, controlRequestProblem, declaredTooLarge, gunzipCapped, MAX_BODY_BYTES } from './request-guard';
import { RdsFault } from './rds/errors';
import { rdsErrorResponse, type RdsService } from './rds/handlers';
import type { Counters, Faults, createControl } from './control';

export interface CloudWatchLike {
  handle(req: EmulatorRequest): Promise<EmulatorResponse> | EmulatorResponse;
  operationOf(req: EmulatorRequest): string | undefined;
}

/** A further service (rds-data, secretsmanager), picked by the credential scope's service name. */
export interface ExtraService {
  handle(req: EmulatorRequest): Promise<EmulatorResponse> | EmulatorResponse;
  operationOf(req: EmulatorRequest): string | undefined;
  error(req: EmulatorRequest, code: string, message: string, status: number): EmulatorResponse;
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
  services?: Record<string, ExtraService>;
  /** Regional outages (control API): calls signed for an unreachable region get 503 ServiceUnavailable. */
  outages?: { isUnreachable(region: string, t: number): boolean };
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
        // Stop collecting; the caller answers 413 and then closes the connection.
        req.removeAllListeners('data');
        req.pause();
        reject(new Error('body too large'));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Answer, then close the connection instead of reading the rest of a body we refused. */
function sendAndDrop(hres: http.ServerResponse, hreq: http.IncomingMessage, res: EmulatorResponse): void {
  const body = typeof res.body === 'string' ? Buffer.from(res.body, 'utf8') : res.body;
  hres.writeHead(res.status, { ...res.headers, 'content-length': String(body.length), connection: 'close' });
  hres.end(body, () => {
    if (!hreq.complete) hreq.destroy();
  });
}

export function createEmulatorServer(deps: ServerDeps): http.Server {
  const limit = deps.maxBodyBytes ?? MAX_BODY_BYTES;

  const errorFor = (
    service: string,
    req: EmulatorRequest,
    code: string,
    message: string,
    status: number,
    type: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ): EmulatorResponse => {
    if (service === 'monitoring') return deps.cloudwatchError(req, code, message, status, type);
    const extra = deps.services?.[service];
    if (extra) return extra.error(req, code, message, status);
    let op: string | undefined;
    try {
      op = deps.rds.operationOf(req);
    } catch {
      op = undefined;
    }
    return rdsErrorResponse(new RdsFault(code, status, message, type), req.requestId, op);
  };

  /** The request as far as it is known before (or without) its body: for error answers in the right format. */
  const baseRequest = (hreq: http.IncomingMessage, path: string, headers: Record<string, string>, raw: Buffer): EmulatorRequest => {
    const scope = peekScope(headers);
    return {
      method: hreq.method ?? 'GET',
      path,
      headers,
      body: raw,
      region: scope?.region ?? 'us-east-1',
      service: scope?.service === 'rds' || scope?.service === 'monitoring' || (scope?.service && deps.services?.[scope.service]) ? scope.service! : guessService(path, headers),
      requestId: randomUUID(),
      now: deps.now(),
    };
  };

  const handleAws = async (hreq: http.IncomingMessage, url: string, path: string, headers: Record<string, string>, raw: Buffer): Promise<EmulatorResponse> => {
    const base = baseRequest(hreq, path, headers, raw);
    const fallbackService = base.service;
    // The signature's date is judged by the wall clock (the model's clock may run fast in tests).
    const auth = verifySigV4({ method: base.method, url, headers, rawBody: raw }, deps.credentials, Date.now());
    if (!auth.ok) return errorFor(fallbackService, base, auth.code, auth.message, auth.status);
    const service = auth.scope.service;
    const req: EmulatorRequest = { ...base, service, region: auth.scope.region };
    if ((headers['content-encoding'] ?? '').toLowerCase().split(',').map((s) => s.trim()).includes('gzip')) {
      try {
        req.body = gunzipCapped(raw, limit);
      } catch (e) {
        if (e instanceof BodyTooLarge) return errorFor(service, req, 'RequestEntityTooLarge', `The request body is larger than ${limit} bytes after decompression.`, 413);
        return errorFor(service, req, 'InvalidParameterValue', 'The request body could not be decompressed (Content-Encoding: gzip).', 400);
      }
    }
    const extra = deps.services?.[service];
    if (service !== 'rds' && service !== 'monitoring' && !extra) {
      return errorFor('rds', req, 'InvalidAction', `The service ${service} is not provided by this endpoint (only rds, monitoring${Object.keys(deps.services ?? {}).map((s) => `, ${s}`).join('')}).`, 400);
    }
    const op = extra ? extra.operationOf(req) : service === 'rds' ? deps.rds.operationOf(req) : deps.cloudwatch.operationOf(req);
    deps.counters.inc(service, op ?? '(unknown)', req.region);
    if (deps.outages?.isUnreachable(req.region, req.now)) {
      const res = errorFor(service, req, 'ServiceUnavailable', `The service is unavailable in ${req.region}. Please try again later.`, 503, 'Receiver');
      return { ...res, operation: op };
    }
    const decision = deps.faults.decide(service, op);
    if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
    if (decision.fail) {
      const res = errorFor(service, req, decision.fail.code, decision.fail.message, decision.fail.status);
      return { ...res, operation: op };
    }
    if (decision.latencyMs > 0) req.now = deps.now();
    try {
      if (extra) return await extra.handle(req);
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
    const control = path === '/_emulator' || path.startsWith('/_emulator/');
    const json = (status: number, error: string): EmulatorResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error }) });
    // Refused before the body is read (never buffered): too large by its declaration, or not signed at all.
    const refuse = (code: string, message: string, status: number): EmulatorResponse => {
      if (control) return json(status, message);
      const b = baseRequest(hreq, path, headers, Buffer.alloc(0));
      return errorFor(b.service, b, code, message, status);
    };
    const tooLarge = () => refuse('RequestEntityTooLarge', `The request body is larger than ${limit} bytes.`, 413);
    const pre = control ? undefined : precheckSigV4(headers, deps.credentials, Date.now());
    if (declaredTooLarge(headers, limit)) return sendAndDrop(hres, hreq, tooLarge());
    if (pre && !pre.ok) return sendAndDrop(hres, hreq, refuse(pre.code, pre.message, pre.status));
    try {
      raw = await readBody(hreq, limit);
    } catch {
      if (!hres.headersSent) sendAndDrop(hres, hreq, tooLarge());
      return;
    }
    try {
      if (control) {
        const problem = controlRequestProblem(hreq.method ?? 'GET', headers, hreq.socket.localAddress, raw.length);
        if (!isLoopback(hreq.socket.remoteAddress)) {
          res = json(403, 'The control API only answers loopback clients.');
        } else if (problem) {
          res = json(problem.status, problem.error);
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
