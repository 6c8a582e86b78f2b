// The peer-address hook on a real Node HTTP server (as instrumentation.ts installs it for Next), and the settings.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '@/lib/env';
import { clientAddress, installPeerAddressHook, PEER_HEADER } from './client-address';

describe('peer address hook', () => {
  it('stamps the socket address over whatever the client sent; X-Forwarded-For only counts behind a trusted proxy', async () => {
    await installPeerAddressHook();
    await installPeerAddressHook(); // idempotent
    const seen: http.IncomingHttpHeaders[] = [];
    const server = http.createServer((req, res) => {
      seen.push({ ...req.headers });
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-forwarded-for': '6.6.6.6', [PEER_HEADER]: 'anything 7.7.7.7' } });
      const headers = seen[0] as Record<string, string>;
      expect(headers[PEER_HEADER]).not.toContain('7.7.7.7');
      expect(clientAddress(headers, [])).toBe('127.0.0.1');
      expect(clientAddress(headers, ['10.0.0.0/8'])).toBe('127.0.0.1');
      expect(clientAddress(headers, ['127.0.0.1'])).toBe('6.6.6.6');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('security settings', () => {
  it('parses AFC_TRUSTED_PROXIES and AFC_AUDIT_KEY, and reports bad values together', () => {
    const e = parseEnv({ AFC_TRUSTED_PROXIES: '10.0.0.0/8, ::1 ,192.168.1.5', AFC_AUDIT_KEY: 'k'.repeat(32) }, { persistSecret: false });
    expect(e.trustedProxies).toEqual(['10.0.0.0/8', '::1', '192.168.1.5']);
    expect(e.auditKey).toBe('k'.repeat(32));
    expect(parseEnv({}, { persistSecret: false })).toMatchObject({ trustedProxies: [], auditKey: undefined });
    let err: EnvError | undefined;
    try {
      parseEnv({ AFC_TRUSTED_PROXIES: 'proxy.internal,10.0.0.0/40', AFC_AUDIT_KEY: 'short-key-value' }, { persistSecret: false });
    } catch (x) {
      err = x as EnvError;
    }
    expect(err?.problems.filter((p) => /AFC_TRUSTED_PROXIES/.test(p))).toHaveLength(2);
    expect(err?.message).toMatch(/AFC_AUDIT_KEY must be at least 32 characters/);
    expect(err?.message).not.toContain('short-key-value');
  });
});
