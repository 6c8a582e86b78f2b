// What the supervisor keeps per real cluster on disk (cluster.json, mode 0600: it holds the master password), and
// small helpers: which engine a new cluster gets, and the reason an engine gives when it fails.
import fs from 'node:fs';
import { detectMysqlServer, MYSQL_INSTALL_HINT } from './mysql';
import path from 'node:path';
import type { roundRobin } from './listeners';
import type { RealWorkload, RealWorkloadKind } from './workload';
import type { ClusterEngine, ClusterEngineSpec, EngineFamily } from './types';

export interface ClusterFile {
  /** 127.0.<net>.x: every endpoint of the cluster listens on its own loopback address, on the cluster's port. */
  net: number;
  port: number;
  /** Host part of each instance endpoint's address. */
  hosts: Record<string, number>;
  spec: ClusterEngineSpec;
  /** The real synthetic workload asked for (none when absent). */
  workload?: RealWorkloadKind;
  /**
   * A restored cluster's data (engines/backups.ts): the bundle its first writer starts from, once `ready` (exported
   * from `from` at its time); `error` when the export failed.
   */
  restore?: { bundle: string; ready: boolean; error?: string; from?: { region: string; clusterId: string; at: number } };
}

export function saveClusterFile(m: Managed): void {
  writeSecret(path.join(m.dir, 'cluster.json'), m.file);
}

/** One real cluster as the supervisor runs it. */
export interface Managed {
  region: string;
  clusterId: string;
  dir: string;
  file: ClusterFile;
  engine: ClusterEngine;
  /** One engine operation at a time per cluster. */
  busy: boolean;
  /** Instance operations already carried out on the data (`id@startedAt`). */
  done: Set<string>;
  /** Instances that have accepted connections at least once (their later outages are reboots, not creation). */
  seenRunning: Set<string>;
  failed: Map<string, string>;
  stoppedByModel: boolean;
  readers: ReturnType<typeof roundRobin>;
  /** The real synthetic workload (`/_emulator/workload`), off unless asked for. */
  workload: RealWorkload;
}

export interface EngineAvailability {
  family: EngineFamily;
  available: boolean;
  version?: string;
  /** The command that makes a real engine available, when there is none. */
  hint?: string;
}

export function engineAvailability(engine: string): EngineAvailability {
  if (engine === 'aurora-postgresql') return { family: 'postgres', available: true, version: 'PostgreSQL 16' };
  const server = detectMysqlServer();
  return server
    ? { family: 'mysql', available: true, version: `${server.flavour === 'mariadb' ? 'MariaDB' : 'MySQL'} ${server.version}` }
    : { family: 'mysql', available: false, hint: MYSQL_INSTALL_HINT };
}

export function writeSecret(file: string, value: unknown): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

export function randomPassword(): string {
  return [...crypto.getRandomValues(new Uint8Array(18))].map((b) => 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'[b % 56]).join('');
}

/** The lines of an engine's log that say why it failed (its errors), without timestamps; a one-line message as is. */
export function engineReason(message: string): string {
  const lines = message.split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines.length <= 1) return message.trim();
  const errors = lines.filter((l) => /FATAL|PANIC|ERROR|syntax error/.test(l));
  const stamp = /^\d{4}-\d\d-\d\d[ T][\d:.]+(?: [A-Z]{2,5})?(?: \[\d+\])?:? */;
  return (errors.length ? errors : lines.slice(-2)).map((l) => l.replace(stamp, '')).join(' ');
}
