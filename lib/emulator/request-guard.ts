// Limits the local endpoint applies before and while reading a request: body size (raw and after gzip), and
// which requests the control API (/_emulator/*) accepts (never a browser page's: that could reset or seed the
// fleet from any website the operator visits, or through DNS rebinding).
import { gunzipSync } from 'node:zlib';
import { isIP } from 'node:net';

/**
 * Largest request body, on the wire and after gunzip. The largest legitimate bodies are PutMetricData calls
 * (AWS caps a PutMetricData request at 1 MB; the SDK gzips them) and DescribeDBClusters filters, far below this.
 */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export class BodyTooLarge extends Error {}

/** Gunzip with the decompressed size capped (a small gzip bomb cannot expand into memory). */
export function gunzipCapped(raw: Buffer, max = MAX_BODY_BYTES): Buffer {
  try {
    return gunzipSync(raw, { maxOutputLength: max });
  } catch (e) {
    if (e instanceof RangeError || (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new BodyTooLarge('body too large after decompression');
    throw e;
  }
}

/** True when the declared Content-Length is over the cap (the request is refused before its body is read). */
export function declaredTooLarge(headers: Record<string, string>, max = MAX_BODY_BYTES): boolean {
  const n = Number(headers['content-length']);
  return Number.isFinite(n) && n > max;
}

function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  const i = h.lastIndexOf(':');
  return i > 0 && h.indexOf(':') === i ? h.slice(0, i) : h;
}

function isLoopbackName(name: string, localAddress: string | undefined): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4 && name.startsWith('127.')) return true;
  if (name === '::1' || name.startsWith('::ffff:127.')) return true;
  const own = String(localAddress ?? '').replace(/^::ffff:/, '');
  return Boolean(own) && name === own;
}

/**
 * Why a control-API request is refused (undefined = allowed): a Host that is not loopback or this endpoint's own
 * address, a foreign Origin, or a body that is not JSON (browsers send forms and text/plain without a preflight).
 */
export function controlRequestProblem(method: string, headers: Record<string, string>, localAddress: string | undefined, bodyBytes: number): { status: number; error: string } | undefined {
  const host = headers['host'];
  if (!host || !isLoopbackName(hostName(host), localAddress)) return { status: 403, error: 'The control API only answers requests addressed to a loopback host.' };
  const origin = headers['origin'];
  if (origin !== undefined) {
    let same = false;
    try {
      same = new URL(origin).host.toLowerCase() === host.trim().toLowerCase();
    } catch {
      same = false;
    }
    if (!same) return { status: 403, error: 'The control API does not answer cross-origin (browser) requests.' };
  }
  if (method !== 'GET' && method !== 'HEAD') {
    const ct = (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if ((ct && ct !== 'application/json') || (!ct && bodyBytes > 0))
      return { status: 415, error: 'The control API takes JSON bodies only (Content-Type: application/json).' };
  }
  return undefined;
}
