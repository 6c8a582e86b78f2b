// Endpoint listeners against plain TCP echo backends: routing at connect time, refusal, dropped connections,
// dead backends, idle and many concurrent clients, preferred ports.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { EndpointListeners, roundRobin } from './listeners';
import type { ListenAddress } from './types';

const servers: net.Server[] = [];
let listeners = new EndpointListeners();

/** An echo server that prefixes every reply with its name. */
async function echo(name: string): Promise<ListenAddress> {
  const server = net.createServer((s) => {
    s.on('error', () => undefined);
    s.on('data', (b) => s.write(`${name}:${b.toString()}`));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port };
}

function dial(addr: ListenAddress): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(addr.port, addr.host, () => resolve(s));
    s.once('error', reject);
  });
}

function ask(s: net.Socket, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    s.once('data', (b) => resolve(b.toString()));
    s.once('close', () => reject(new Error('closed')));
    s.write(text);
  });
}

function closed(s: net.Socket): Promise<number> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    if (s.destroyed) return resolve(0);
    s.on('error', () => undefined);
    s.once('close', () => resolve(Date.now() - t0));
  });
}

afterEach(async () => {
  await listeners.closeAll();
  listeners = new EndpointListeners();
});

afterAll(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
});

describe('EndpointListeners', () => {
  it('routes each new connection to the backend resolved at connect time', async () => {
    const a = await echo('a');
    const b = await echo('b');
    let target = a;
    const addr = await listeners.open('writer', () => target);
    const first = await dial(addr);
    expect(await ask(first, 'hi')).toBe('a:hi');
    target = b;
    const second = await dial(addr);
    expect(await ask(second, 'hi')).toBe('b:hi');
    expect(await ask(first, 'again')).toBe('a:again');
    expect(listeners.connectionCount('writer')).toBe(2);
    first.destroy();
    second.destroy();
  });

  it('refuses connections while the resolver has no backend', async () => {
    const addr = await listeners.open('writer', () => null);
    const s = net.connect(addr.port, addr.host);
    const outcome = await new Promise<string>((resolve) => {
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      s.on('close', () => resolve('closed'));
    });
    expect(['ECONNRESET', 'closed']).toContain(outcome);
    expect(listeners.connectionCount()).toBe(0);
  });

  it('drops the connections piped to one backend and keeps the others', async () => {
    const a = await echo('a');
    const b = await echo('b');
    const addrA = await listeners.open('inst-a', () => a);
    const addrB = await listeners.open('inst-b', () => b);
    const sa = await dial(addrA);
    const sb = await dial(addrB);
    await ask(sa, 'x');
    await ask(sb, 'x');
    const gone = closed(sa);
    expect(listeners.dropConnections((backend) => backend.port === a.port)).toBe(1);
    await gone;
    expect(await ask(sb, 'still')).toBe('b:still');
    sb.destroy();
  });

  it('closes the client when the backend is down, without crashing', async () => {
    const dead = await echo('dead');
    await new Promise((r) => servers.pop()!.close(r));
    const addr = await listeners.open('writer', () => dead);
    const s = await dial(addr);
    s.write('hello');
    expect(await closed(s)).toBeLessThan(2000);
  });

  it('serves 200 concurrent clients while one idle client never sends a byte', async () => {
    const a = await echo('a');
    const addr = await listeners.open('reader', () => a);
    const idle = await dial(addr);
    const socks = await Promise.all(Array.from({ length: 200 }, () => dial(addr)));
    const replies = await Promise.all(socks.map((s, i) => ask(s, `n${i}`)));
    expect(replies[199]).toBe('a:n199');
    expect(listeners.connectionCount('reader')).toBe(201);
    for (const s of socks) s.destroy();
    const idleClosed = closed(idle);
    await listeners.close('reader');
    await idleClosed;
    expect(listeners.address('reader')).toBeUndefined();
  });

  it('keeps the preferred port across a reopen and falls back when it is taken', async () => {
    const a = await echo('a');
    const first = await listeners.open('writer', () => a);
    await listeners.close('writer');
    const again = await listeners.open('writer', () => a, first.port);
    expect(again.port).toBe(first.port);
    expect(await listeners.open('writer', () => a)).toEqual(again);
    const other = await listeners.open('reader', () => a, first.port);
    expect(other.port).not.toBe(first.port);
    const s = await dial(other);
    expect(await ask(s, 'ok')).toBe('a:ok');
    s.destroy();
  });

  it('round-robins over readers and falls back to the writer', () => {
    const pick = roundRobin();
    const r1 = { host: '127.0.0.1', port: 1 };
    const r2 = { host: '127.0.0.1', port: 2 };
    const w = { host: '127.0.0.1', port: 9 };
    const seen = [pick([r1, r2], w), pick([r1, r2], w), pick([r1, r2], w)].map((x) => x?.port);
    expect(new Set(seen)).toEqual(new Set([1, 2]));
    expect(pick([], w)).toBe(w);
    expect(pick([], null)).toBeNull();
  });
});
