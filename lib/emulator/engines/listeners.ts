// Loopback TCP listeners in front of the engine processes, one per endpoint (cluster/writer, reader, each
// instance). Each accepted connection is piped byte for byte to the backend its endpoint resolves to at connect
// time, so a failover re-routes new connections and can drop the old ones, as an Aurora DNS endpoint does.
import net from 'node:net';
import type { ListenAddress } from './types';

/** Picks the backend for a new connection; null refuses it (closed at once, e.g. while failing over). */
export type BackendResolver = () => ListenAddress | null;

interface Piped {
  endpointKey: string;
  backend: ListenAddress;
  client: net.Socket;
  upstream: net.Socket;
}

interface Endpoint {
  server: net.Server;
  address: ListenAddress;
  resolve: BackendResolver;
  sockets: Set<net.Socket>;
}

const HOST = '127.0.0.1';
const CONNECT_TIMEOUT_MS = 5000;

export class EndpointListeners {
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly piped = new Set<Piped>();

  /**
   * Opens (or re-targets, when already open) the listener of an endpoint. It binds `preferredPort` when it is
   * free, else a port the kernel picks; pass the previous port to keep it across restarts. `host` is a loopback
   * address (any of 127.0.0.0/8), so every endpoint of a cluster can share the cluster's port.
   */
  async open(endpointKey: string, resolve: BackendResolver, preferredPort?: number, host = HOST): Promise<ListenAddress> {
    const existing = this.endpoints.get(endpointKey);
    if (existing) {
      existing.resolve = resolve;
      return existing.address;
    }
    const sockets = new Set<net.Socket>();
    const server = net.createServer({ noDelay: true }, (client) => this.accept(endpointKey, client));
    server.on('error', () => undefined);
    const address = await listen(server, host, preferredPort).catch(() => listen(server, host, 0));
    if (this.endpoints.has(endpointKey)) {
      // opened concurrently by another call: keep that one
      server.close();
      return this.open(endpointKey, resolve, preferredPort, host);
    }
    this.endpoints.set(endpointKey, { server, address, resolve, sockets });
    return address;
  }

  /** Where an endpoint's clients connect, when it is open. */
  address(endpointKey: string): ListenAddress | undefined {
    return this.endpoints.get(endpointKey)?.address;
  }

  /** Client connections currently piped (to one endpoint, or in all). */
  connectionCount(endpointKey?: string): number {
    let n = 0;
    for (const p of this.piped) if (endpointKey === undefined || p.endpointKey === endpointKey) n++;
    return n;
  }

  /** Closes every client connection piped to a backend the predicate picks; returns how many were closed. */
  dropConnections(pick: (backend: ListenAddress, endpointKey: string) => boolean): number {
    let n = 0;
    for (const p of [...this.piped]) {
      if (!pick(p.backend, p.endpointKey)) continue;
      closePair(p);
      this.piped.delete(p);
      n++;
    }
    return n;
  }

  /** Stops listening on an endpoint and closes its connections. */
  async close(endpointKey: string): Promise<void> {
    const ep = this.endpoints.get(endpointKey);
    if (!ep) return;
    this.endpoints.delete(endpointKey);
    const closed = new Promise<void>((r) => ep.server.close(() => r()));
    for (const s of ep.sockets) s.destroy();
    this.dropConnections((_b, key) => key === endpointKey);
    await closed;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.endpoints.keys()].map((k) => this.close(k)));
  }

  private accept(endpointKey: string, client: net.Socket): void {
    const ep = this.endpoints.get(endpointKey);
    client.on('error', () => undefined);
    if (!ep) return void client.destroy();
    let backend: ListenAddress | null = null;
    try {
      backend = ep.resolve();
    } catch {
      backend = null;
    }
    if (!backend) return void client.resetAndDestroy();
    ep.sockets.add(client);
    const upstream = net.connect({ host: backend.host, port: backend.port, noDelay: true });
    const pair: Piped = { endpointKey, backend, client, upstream };
    this.piped.add(pair);
    const done = () => {
      ep.sockets.delete(client);
      if (!this.piped.delete(pair)) return;
      closePair(pair);
    };
    upstream.setTimeout(CONNECT_TIMEOUT_MS, () => upstream.destroy());
    upstream.once('connect', () => upstream.setTimeout(0));
    upstream.on('error', done);
    upstream.on('close', done);
    client.on('error', done);
    client.on('close', done);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}

/** A reader endpoint's pick: round-robin over the running readers, the writer when there is none. */
export function roundRobin(): (readers: ListenAddress[], writer: ListenAddress | null) => ListenAddress | null {
  let next = 0;
  return (readers, writer) => {
    if (readers.length === 0) return writer;
    next = (next + 1) % readers.length;
    return readers[next];
  };
}

function closePair(p: Piped): void {
  p.client.destroy();
  p.upstream.destroy();
}

function listen(server: net.Server, host: string, port = 0): Promise<ListenAddress> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      const addr = server.address();
      if (!addr || typeof addr === 'string') return reject(new Error('listener has no TCP address'));
      resolve({ host, port: addr.port });
    });
  });
}
