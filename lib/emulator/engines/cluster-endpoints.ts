// The loopback listeners of one real cluster: the writer endpoint on 127.0.<net>.1, the reader endpoint on .2 and
// each instance's endpoint on .10 and up, all on the cluster's port. Each resolves its backend per connection.
import { saveClusterFile, type Managed } from './cluster-file';
import type { EndpointListeners } from './listeners';
import type { InstanceEngineInfo, ListenAddress } from './types';

export const endpointKey = (m: Managed, what: string) => `${m.region}/${m.clusterId}/${what}`;

export function backendOf(i: InstanceEngineInfo): ListenAddress | null {
  return i.backendPort ? { host: '127.0.0.1', port: i.backendPort } : null;
}

/**
 * Opens (or re-targets) every endpoint of the cluster; `writerOpen` says whether the writer takes connections now.
 * Every endpoint must listen on the cluster's one port: when another process holds it on one of the cluster's
 * addresses, the whole cluster moves to a port the kernel picks (kept in the cluster file).
 */
export async function openEndpoints(listeners: EndpointListeners, m: Managed, writerOpen: () => boolean): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await openAll(listeners, m, writerOpen, attempt > 0);
    const keys = ['writer', 'reader', ...Object.keys(m.file.hosts)].map((k) => endpointKey(m, k));
    if (keys.every((k) => listeners.address(k)?.port === m.file.port) || attempt >= 4) return;
    await closeEndpoints(listeners, m);
  }
}

async function openAll(listeners: EndpointListeners, m: Managed, writerOpen: () => boolean, anyPort: boolean): Promise<void> {
  const net = m.file.net;
  const running = (): InstanceEngineInfo[] => m.engine.instances().filter((i) => i.state === 'running');
  const writer = (): ListenAddress | null => {
    const w = running().find((i) => i.role === 'writer');
    return w ? backendOf(w) : null;
  };
  const first = await listeners.open(endpointKey(m, 'writer'), () => (writerOpen() ? writer() : null), anyPort ? 0 : m.file.port, `127.0.${net}.1`);
  if (first.port !== m.file.port) {
    // The cluster's port is taken on this machine: every endpoint of the cluster moves to the one we got.
    m.file.port = first.port;
    saveClusterFile(m);
  }
  await listeners.open(
    endpointKey(m, 'reader'),
    () => m.readers(running().filter((i) => i.role === 'reader').map((i) => backendOf(i)!).filter(Boolean), writer()),
    m.file.port,
    `127.0.${net}.2`,
  );
  for (const [id, host] of Object.entries(m.file.hosts)) {
    await listeners.open(
      endpointKey(m, id),
      () => {
        const i = running().find((x) => x.instanceId === id);
        return i ? backendOf(i) : null;
      },
      m.file.port,
      `127.0.${net}.${host}`,
    );
  }
}

export async function closeEndpoints(listeners: EndpointListeners, m: Managed): Promise<void> {
  await listeners.close(endpointKey(m, 'writer'));
  await listeners.close(endpointKey(m, 'reader'));
  for (const id of Object.keys(m.file.hosts)) await listeners.close(endpointKey(m, id));
}

/** Gives an instance its endpoint's host part (127.0.<net>.<h>, from 10 up), kept in the cluster file. */
export function assignHost(m: Managed, instanceId: string): void {
  if (m.file.hosts[instanceId] !== undefined) return;
  const used = new Set(Object.values(m.file.hosts));
  let h = 10;
  while (used.has(h)) h++;
  m.file.hosts[instanceId] = h;
  saveClusterFile(m);
}
