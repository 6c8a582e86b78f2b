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
      code: 'MissingAuthenticationToken' | 'InvalidClientTokenId' | 'SignatureDoesNotMatch' | 'IncompleteSignature';
      message: string;
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

export function verifySigV4(req: SignableRequest, creds: Credentials): SigV4Result {
  const header = req.headers['authorization'];
  if (!header) {
    return { ok: false, code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token' };
  }
  const a = parseAuthorization(header);
  if (!a || a.credential.length !== 5 || a.credential[4] !== 'aws4_request') {
    return {
      ok: false,
      code: 'IncompleteSignature',
      message: `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${header.split(' ')[0]}`,
    };
  }
  const [accessKeyId, date, region, service] = a.credential;
  const scope: SigV4Scope = { accessKeyId, date, region, service };
  if (accessKeyId !== creds.accessKeyId) {
    return { ok: false, code: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.', scope };
  }
  if (!req.headers['x-amz-date'] && !req.headers['date']) {
    return { ok: false, code: 'IncompleteSignature', message: 'Authorization header requires existence of either a \'X-Amz-Date\' or a \'Date\' header.', scope };
  }
  if (!a.signedHeaders.includes('host')) {
    return { ok: false, code: 'SignatureDoesNotMatch', message: "'Host' must be a 'SignedHeader' in the AWS Authorization.", scope };
  }
  const expected = computeSignature(req, a.signedHeaders, scope, creds.secretAccessKey);
  const given = Buffer.from(a.signature, 'utf8');
  const want = Buffer.from(expected, 'utf8');
  if (given.length !== want.length || !timingSafeEqual(given, want)) {
    return {
      ok: false,
      code: 'SignatureDoesNotMatch',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      scope,
    };
  }
  return { ok: true, scope };
}
