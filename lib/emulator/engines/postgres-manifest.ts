// The PostgreSQL engine's manifest.json (in the cluster's data folder): instance roles and ports, and the engine's
// admin password; an instance as the engine runs it; the instance identifiers it accepts.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { InstanceEngineInfo, InstanceEngineState } from './types';

export interface ManifestInstance {
  instanceId: string;
  role: 'writer' | 'reader';
  port: number;
  /** Set while the data directory is being created; such an instance is rebuilt on the next start. */
  building?: boolean;
}

/** An instance as the engine runs it. */
export interface Instance extends ManifestInstance {
  state: InstanceEngineState;
  child?: ChildProcess;
  /** The next exit of `child` was asked for (stop, reboot, failover). */
  stopping?: boolean;
  error?: string;
}

export type ExitListener = (instanceId: string, code: number | null, signal: string | null) => void;

export function instanceInfo(m: Instance): InstanceEngineInfo {
  return { instanceId: m.instanceId, role: m.role, state: m.state, backendPort: m.port, pid: m.child?.pid, ...(m.error ? { error: m.error } : {}) };
}

export interface Manifest {
  engine: 'postgres';
  clusterId: string;
  adminPassword: string;
  instances: ManifestInstance[];
}

export function readManifest(dataDir: string): Manifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

export async function writeManifest(dataDir: string, manifest: Manifest): Promise<void> {
  const file = path.join(dataDir, 'manifest.json');
  await fsp.writeFile(`${file}.tmp`, JSON.stringify(manifest, null, 2), { mode: 0o600 });
  await fsp.rename(`${file}.tmp`, file);
}

const ID = /^[A-Za-z][A-Za-z0-9-]{0,62}$/;

export function checkId(instanceId: string): void {
  if (!ID.test(instanceId)) throw new Error(`invalid instance identifier ${JSON.stringify(instanceId)}`);
}
