// AWS Signature Version 4 verification for the local endpoint (Authorization header form).
// The signature is checked against the endpoint's one configured credential pair.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SigV4Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

export type SigV4Result =
  | { ok: true; scope: SigV4Scope }
  | {
      ok: false;
      code: 'MissingAuthenticationToken' | 'InvalidClientTokenId' | 'SignatureDoesNotMatch' | 'IncompleteSignature' | 'RequestExpired' | 'XAmzContentSHA256Mismatch';
      message: string;
      /** HTTP status AWS answers with. */
      status: 400 | 403;
      /** Scope when it could be parsed (to answer in the right service's format). */
      scope?: Partial<SigV4Scope>;
    };

export interface SignableRequest {
  method: string;
  /** Raw request target (path + optional "?query"), as received. */
  url: string;
  /** Lower-cased header names; repeated headers joined with ",". */
  headers: Record<string, string>;
  /** The raw body bytes as sent on the wire (before any gunzip). */
  rawBody: Buffer;
}

const AUTH_RE = /^AWS4-HMAC-SHA256\s+(.*)$/s;

export function parseAuthorization(header: string | undefined):
  | { credential: string[]; signedHeaders: string[]; signature: string }
  | undefined {
  if (!header) return undefined;
  const m = AUTH_RE.exec(header.trim());
  if (!m) return undefined;
  const parts: Record<string, string> = {};
  for (const kv of m[1].split(',')) {
    const i = kv.indexOf('=');
    if (i < 0) continue;
    parts[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
  }
  if (!parts.Credential || !parts.SignedHeaders || !parts.Signature) return undefined;
  return {
    credential: parts.Credential.split('/'),
    signedHeaders: parts.SignedHeaders.split(';').map((h) => h.toLowerCase()),
    signature: parts.Signature,
  };
}

/** Peek at the credential scope without verifying (for error formatting). */
export function peekScope(headers: Record<string, string>): Partial<SigV4Scope> | undefined {
  const a = parseAuthorization(headers['authorization']);
  if (!a || a.credential.length < 5) return undefined;
  const [accessKeyId, date, region, service] = a.credential;
  return { accessKeyId, date, region, service };
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** RFC 3986 encoding as SigV4 wants it. */
function uriEncode(s: string, encodeSlash: boolean): string {
  let out = encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  if (!encodeSlash) out = out.replace(/%2F/g, '/');
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, '%20'));
  } catch {
    return s;
  }
}

function canonicalUri(path: string): string {
  // The JS SDK and botocore sign the path with each segment URI-encoded once (S3 aside).
  if (!path) return '/';
  return path
    .split('/')
    .map((seg) => uriEncode(safeDecode(seg), true))
    .join('/');
}

function canonicalQuery(query: string): string {
  if (!query) return '';
  const pairs = query
    .split('&')
    .filter((p) => p.length > 0)
    .map((p) => {
      const i = p.indexOf('=');
      const k = i < 0 ? p : p.slice(0, i);
      const v = i < 0 ? '' : p.slice(i + 1);
      return [uriEncode(safeDecode(k), true), uriEncode(safeDecode(v), true)] as const;
    })
    .filter(([k]) => k !== 'X-Amz-Signature');
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

const keyCache = new Map<string, Buffer>();

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${secret}\u0000${date}\u0000${region}\u0000${service}`;
  const hit = keyCache.get(cacheKey);
  if (hit) return hit;
  const key = deriveSigningKey(secret, date, region, service);
  if (keyCache.size > 256) keyCache.clear();
  keyCache.set(cacheKey, key);
  return key;
}

function deriveSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = hmac('AWS4' + secret, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

/** Computes the expected signature for a request given the signed header list and scope. */
export function computeSignature(
  req: SignableRequest,
  signedHeaders: string[],
  scope: SigV4Scope,
  secretAccessKey: string,
): string {
  const qi = req.url.indexOf('?');
  const path = qi < 0 ? req.url : req.url.slice(0, qi);
  const query = qi < 0 ? '' : req.url.slice(qi + 1);
  const canonHeaders = signedHeaders
    .map((h) => `${h}:${(req.headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const payloadHash = req.headers['x-amz-content-sha256'] && req.headers['x-amz-content-sha256'] !== 'UNSIGNED-PAYLOAD'
    ? req.headers['x-amz-content-sha256']
    : req.headers['x-amz-content-sha256'] === 'UNSIGNED-PAYLOAD'
      ? 'UNSIGNED-PAYLOAD'
      : sha256Hex(req.rawBody);
  const canonicalRequest = [
    req.method.toUpperCase(),
    canonicalUri(path),
    canonicalQuery(query),
    canonHeaders,
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const amzDate = req.headers['x-amz-date'] ?? '';
  const credScope = `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, credScope, sha256Hex(canonicalRequest)].join('\n');
  return createHmac('sha256', signingKey(secretAccessKey, scope.date, scope.region, scope.service))
    .update(stringToSign, 'utf8')
    .digest('hex');
}

type Failure = Extract<SigV4Result, { ok: false }>;
const fail = (code: Failure['code'], message: string, scope?: Partial<SigV4Scope>): Failure => ({
  ok: false,
  code,
  message,
  status: code === 'IncompleteSignature' || code === 'XAmzContentSHA256Mismatch' ? 400 : 403,
  scope,
});

/** AWS refuses a signature whose X-Amz-Date is more than 15 minutes from its clock, either way. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

const AMZ_DATE_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** ms since epoch of an X-Amz-Date (ISO 8601 basic) or Date (RFC 7231) value; NaN when unreadable. */
export function parseAmzDate(v: string): number {
  const m = AMZ_DATE_RE.exec(v.trim());
  if (m) return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return /^[A-Za-z]{3}, /.test(v.trim()) ? Date.parse(v) : NaN;
}

const basic = (t: number) => new Date(t).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');

/**
 * Everything that can be checked from the headers alone, so a request is refused BEFORE its body is read:
 * the Authorization header's shape, the access key, the date (±15 minutes of `now` when given), that Host and
 * (when sent) x-amz-content-sha256 are signed headers.
 */
export function precheckSigV4(headers: Record<string, string>, creds: Credentials, now?: number): SigV4Result {
  const header = headers['authorization'];
  if (!header) return fail('MissingAuthenticationToken', 'Request is missing Authentication Token');
  const a = parseAuthorization(header);
  if (!a || a.credential.length !== 5 || a.credential[4] !== 'aws4_request') {
    return fail('IncompleteSignature', `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${header.split(' ')[0]}`);
  }
  const [accessKeyId, date, region, service] = a.credential;
  const scope: SigV4Scope = { accessKeyId, date, region, service };
  if (accessKeyId !== creds.accessKeyId) return fail('InvalidClientTokenId', 'The security token included in the request is invalid.', scope);
  const dateHeader = headers['x-amz-date'] ?? headers['date'];
  if (!dateHeader) return fail('IncompleteSignature', "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.", scope);
  if (now !== undefined) {
    const t = parseAmzDate(dateHeader);
    if (Number.isNaN(t)) return fail('IncompleteSignature', `Date must be in ISO-8601 'basic format'. Got '${dateHeader.slice(0, 40)}'. See http://en.wikipedia.org/wiki/ISO_8601`, scope);
    if (t < now - MAX_CLOCK_SKEW_MS) return fail('RequestExpired', `Signature expired: ${basic(t)} is now earlier than ${basic(now - MAX_CLOCK_SKEW_MS)} (${basic(now)} - 15 min.)`, scope);
    if (t > now + MAX_CLOCK_SKEW_MS) return fail('RequestExpired', `Signature not yet current: ${basic(t)} is still later than ${basic(now + MAX_CLOCK_SKEW_MS)} (${basic(now)} + 15 min.)`, scope);
  }
  if (!a.signedHeaders.includes('host')) return fail('SignatureDoesNotMatch', "'Host' must be a 'SignedHeader' in the AWS Authorization.", scope);
  if (headers['x-amz-content-sha256'] !== undefined && !a.signedHeaders.includes('x-amz-content-sha256'))
    return fail('SignatureDoesNotMatch', "'X-Amz-Content-Sha256' must be a 'SignedHeader' in the AWS Authorization when it is sent.", scope);
  return { ok: true, scope };
}

/** Verify a request. With `now` (the server passes its clock) the X-Amz-Date must be within 15 minutes of it. */
export function verifySigV4(req: SignableRequest, creds: Credentials, now?: number): SigV4Result {
  const pre = precheckSigV4(req.headers, creds, now);
  if (!pre.ok) return pre;
  const scope = pre.scope;
  const a = parseAuthorization(req.headers['authorization'])!;
  const declared = req.headers['x-amz-content-sha256'];
  // These services sign their payload: a declared hash must be the body's (UNSIGNED-PAYLOAD is an S3 feature).
  if (declared !== undefined && declared.trim().toLowerCase() !== sha256Hex(req.rawBody))
    return fail('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", scope);
  const expected = computeSignature(req, a.signedHeaders, scope, creds.secretAccessKey);
  const given = Buffer.from(a.signature, 'utf8');
  const want = Buffer.from(expected, 'utf8');
  if (given.length !== want.length || !timingSafeEqual(given, want)) {
    return fail(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      scope,
    );
  }
  return { ok: true, scope };
}
