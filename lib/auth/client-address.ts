import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { BlockList, isIP } from 'node:net';

/**
 * The ONE place that decides which address a request comes from (the per-address sign-in limit keys on it).
 *
 * Route handlers only see headers, and Next fills `X-Forwarded-For` from the socket only when the client sent
 * none, so a client could name any address. So the Node HTTP server's 'request' event is hooked (from
 * instrumentation.ts) to stamp the socket's peer address into PEER_HEADER together with a per-process token
 * (a client-supplied PEER_HEADER is overwritten, and one without the token is ignored). Then:
 * - the peer is the client, unless it is in AFC_TRUSTED_PROXIES;
 * - behind trusted proxies, `X-Forwarded-For` is read from the right: the right-most address that is not a
 *   trusted proxy is the client (entries left of it were written by the client and prove nothing).
 */
export const PEER_HEADER = 'x-afc-peer-address';

const g = globalThis as unknown as { __afcPeerToken?: string; __afcPeerHook?: boolean };
function token(): string {
  return (g.__afcPeerToken ??= randomBytes(16).toString('hex'));
}

/** Strip IPv4-mapped IPv6 (`::ffff:10.0.0.1`) and zone ids; '' when not an IP address. */
export function normaliseIp(raw: string | undefined): string {
  let s = String(raw ?? '').trim();
  if (s.startsWith('[') && s.includes(']')) s = s.slice(1, s.indexOf(']'));
  s = s.replace(/%.*$/, '');
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(s)) s = s.slice(7);
  return isIP(s) ? s.toLowerCase() : '';
}

/** Parse AFC_TRUSTED_PROXIES entries (IPs or CIDRs); returns the problems for configuration errors. */
export function trustedProxyProblems(entries: string[]): string[] {
  const out: string[] = [];
  for (const e of entries) {
    const [addr, bits, extra] = e.split('/');
    const v = isIP(addr);
    const max = v === 6 ? 128 : 32;
    if (!v || extra !== undefined || (bits !== undefined && (!/^\d{1,3}$/.test(bits) || Number(bits) > max)))
      out.push(`AFC_TRUSTED_PROXIES entry "${e}" must be an IP address or CIDR, e.g. 10.0.0.0/8 or ::1`);
  }
  return out;
}

const lists = new Map<string, BlockList>();
function blockList(entries: string[]): BlockList {
  const k = entries.join(',');
  let b = lists.get(k);
  if (!b) {
    b = new BlockList();
    for (const e of entries) {
      const [addr, bits] = e.split('/');
      const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) b.addAddress(addr, type);
      else b.addSubnet(addr, Number(bits), type);
    }
    lists.set(k, b);
  }
  return b;
}

export function isTrusted(ip: string, trusted: string[]): boolean {
  if (!ip || trusted.length === 0) return false;
  return blockList(trusted).check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
}

/** The client address from the direct peer and the X-Forwarded-For header, by the trusted-proxy rule. */
export function resolveClientAddress(peer: string | undefined, xff: string | undefined, trusted: string[]): string {
  const p = normaliseIp(peer);
  if (!p) return 'unknown';
  if (!isTrusted(p, trusted)) return p;
  const hops = String(xff ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(-32);
  for (let i = hops.length - 1; i >= 0; i--) {
    const ip = normaliseIp(hops[i]);
    if (!ip) return p; // garbage from a hop we cannot trust: stop at the last proxy we do trust
    if (!isTrusted(ip, trusted)) return ip;
  }
  return hops.length ? normaliseIp(hops[0]) || p : p;
}

type HeaderBag = Record<string, string | string[] | undefined> | Headers | undefined;
function header(h: HeaderBag, name: string): string | undefined {
  if (!h) return undefined;
  if (typeof (h as Headers).get === 'function') return (h as Headers).get(name) ?? undefined;
  const v = (h as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** The stamped peer address, or undefined when the header is missing or was not written by this process. */
export function stampedPeer(h: HeaderBag): string | undefined {
  const v = header(h, PEER_HEADER);
  if (!v) return undefined;
  const [t, addr] = v.split(' ', 2);
  return t === token() ? addr : undefined;
}

/** The client address of a request as next-auth's authorize() sees it (its plain header record). */
export function clientAddress(h: HeaderBag, trusted: string[]): string {
  return resolveClientAddress(stampedPeer(h), header(h, 'x-forwarded-for'), trusted);
}

/** Write the socket's peer address into the request headers (overwriting anything the client sent). */
export function stampPeer(req: http.IncomingMessage): void {
  req.headers[PEER_HEADER] = `${token()} ${req.socket?.remoteAddress ?? ''}`;
}

/** Hook every Node HTTP server in this process (Next's included) to stamp the peer address. Idempotent. */
export async function installPeerAddressHook(): Promise<void> {
  if (g.__afcPeerHook) return;
  g.__afcPeerHook = true;
  const { Server } = await import('node:http');
  const emit = Server.prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request' && args[0]) stampPeer(args[0] as http.IncomingMessage);
    return emit.apply(this, [event, ...args]);
  } as typeof Server.prototype.emit;
}
