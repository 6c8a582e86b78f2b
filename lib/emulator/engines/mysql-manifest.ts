// What an aurora-mysql engine keeps about itself in its data folder (engine.json, mode 0600): the flavour, internal
// passwords, and each instance's role, server id, port and history base. A new engine over the same folder reads it
// back and comes up as it was.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MysqlFlavour } from './mysql-server';

const MANIFEST = 'engine.json';

export interface ManifestInstance {
  role: 'writer' | 'reader';
  serverId: number;
  port: number;
  /**
   * From when (ms since the epoch) this instance's base (the SQL files in its `base/` folder, none for a writer
   * created empty) plus its own binary log reproduce every commit: the start of its point-in-time and backtrack
   * history. Absent for instances made before history was kept.
   */
  baseAt?: number;
}

export interface Manifest {
  version: 1;
  flavour: MysqlFlavour;
  /** root@localhost (socket only) and the replication account; never handed to clients. */
  adminPassword: string;
  replPassword: string;
  nextServerId: number;
  instances: Record<string, ManifestInstance>;
}

export function freshManifest(flavour: MysqlFlavour): Manifest {
  return {
    version: 1,
    flavour,
    adminPassword: randomBytes(18).toString('base64url'),
    replPassword: randomBytes(18).toString('base64url'),
    nextServerId: 1,
    instances: {},
  };
}

export function loadManifest(dataDir: string, flavour: MysqlFlavour): Manifest {
  const file = path.join(dataDir, MANIFEST);
  if (!existsSync(file)) return freshManifest(flavour);
  const m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  if (m.flavour !== flavour) throw new Error(`${dataDir} holds ${m.flavour} data but the installed server is ${flavour}`);
  return m;
}

export function saveManifest(dataDir: string, manifest: Manifest): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, MANIFEST);
  writeFileSync(`${file}.tmp`, JSON.stringify(manifest, null, 2), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}
