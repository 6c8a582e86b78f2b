// Snapshots and restores on real engines: the model records what was asked (a snapshot `pending`, a restored
// cluster held in `creating`), the supervisor carries it out here with the engine's exportData/createWriterFrom
// and then lets the model's status move on. Bundles of snapshots live under <root>/_snapshots/<region>/<id>/
// (bundle/ from exportData, source.json with the engine settings a restore needs, mode 0600), so they outlive
// their cluster; a point-in-time restore's bundle lives in the new cluster's folder until its writer has started.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { RdsModel } from '../rds/model';
import type { ClusterRec } from '../rds/records';
import type { EngineBackupInfo } from '../rds/restore';
import type { SnapshotRec } from '../rds/snapshot-records';
import { saveClusterFile, writeSecret, type ClusterFile, type Managed } from './cluster-file';
import type { ClusterEngineSpec, EngineFamily } from './types';

export interface BackupsHost {
  model: RdsModel;
  rootDir: string;
  now(): number;
  managed(region: string, clusterId: string): Managed | undefined;
  /** Starts managing a cluster whose cluster.json was just written. */
  adopt(c: ClusterRec): void;
  freeNet(): number;
  kick(): void;
  /** The tag that says whether a cluster's engine is real. */
  engineTag: string;
}

interface SourceFile {
  spec: ClusterEngineSpec;
  family: EngineFamily;
  version: string;
}

type RestoreFrom = { snapshot: SnapshotRec } | { source: ClusterRec; restoreTime: number };

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n').slice(-2).join(' ');

export class EngineBackups {
  private readonly inflight = new Set<string>();

  constructor(private readonly h: BackupsHost) {}

  private snapshotDir(region: string, id: string): string {
    // Automated identifiers have a colon (rds:…); manual ones never have an underscore.
    return path.join(this.h.rootDir, '_snapshots', region, id.replace(/[^a-z0-9-]/g, '_'));
  }

  /** What DescribeDBClusters and a point-in-time restore need from a real cluster's engine. */
  info(c: ClusterRec): EngineBackupInfo | undefined {
    const m = this.h.managed(c.region, c.id);
    if (!m?.engine.exportData || !m.engine.restorableWindow || !m.engine.createWriterFrom) return undefined;
    return { window: m.engine.restorableWindow() };
  }

  /** A restore created `c`: it gets its source's engine, with the data to come (or at once, from a snapshot's bundle). */
  clusterRestored(c: ClusterRec, from: RestoreFrom): void {
    const dir = path.join(this.h.rootDir, c.region, c.id);
    let src: SourceFile | undefined;
    let restore: ClusterFile['restore'];
    const pitr = (region: string, clusterId: string, at: number) => {
      const m = this.h.managed(region, clusterId);
      if (!m?.engine.exportData || !c.realEngine) return;
      src = { spec: m.file.spec, family: m.engine.family, version: c.realEngine.version };
      restore = { bundle: path.join(dir, 'restore-bundle'), ready: false, from: { region, clusterId, at } };
    };
    if ('snapshot' in from) {
      const sn = from.snapshot;
      if (sn.real?.state === 'done') {
        const sdir = this.snapshotDir(sn.region, sn.id);
        try {
          src = JSON.parse(fs.readFileSync(path.join(sdir, 'source.json'), 'utf8')) as SourceFile;
          restore = { bundle: path.join(sdir, 'bundle'), ready: true };
        } catch {
          src = undefined;
        }
      } else {
        c.realEngine = sn.real ? { family: sn.real.family, version: sn.real.version } : undefined;
        pitr(sn.region, sn.clusterId, sn.createdAt);
      }
    } else {
      c.realEngine = from.source.realEngine;
      pitr(from.source.region, from.source.id, from.restoreTime);
    }
    c.tags = c.tags.filter((t) => t.Key !== this.h.engineTag);
    if (!src || !restore) {
      c.realEngine = undefined;
      c.tags.push({ Key: this.h.engineTag, Value: 'simulated - its source engine kept no copy of the data to restore' });
      this.h.model.saveCluster(c);
      this.h.model.releaseOperation(c, this.h.now());
      return;
    }
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true, mode: 0o711 });
    for (let d = dir; d !== this.h.rootDir; d = path.dirname(d)) fs.chmodSync(d, 0o711);
    const file: ClusterFile = {
      net: this.h.freeNet(),
      port: c.port,
      hosts: {},
      // The master user and its password come with the data.
      spec: { ...src.spec, clusterId: c.id, dataDir: path.join(dir, 'engine') },
      restore,
    };
    writeSecret(path.join(dir, 'cluster.json'), file);
    c.realEngine = { family: src.family, version: src.version };
    c.tags.push({ Key: this.h.engineTag, Value: `real ${src.version}` });
    this.h.model.saveCluster(c);
    this.h.adopt(c);
    if (restore.ready) this.h.model.releaseOperation(c, this.h.now());
    this.h.kick();
  }

  /** Whether a restored cluster's first writer can be created (its data is exported, or the export failed). */
  dataReady(m: Managed): boolean {
    const r = m.file.restore;
    return !r || r.ready || r.error !== undefined;
  }

  /** The first writer: from the restore bundle when the cluster was restored, else a new database. */
  async createWriter(m: Managed, instanceId: string): Promise<void> {
    const r = m.file.restore;
    if (!r) return m.engine.createWriter(instanceId);
    if (r.error) throw new Error(`the restore of this cluster's data failed: ${r.error}`);
    if (!m.engine.createWriterFrom) throw new Error(`the ${m.engine.family} engine cannot start a writer from restored data`);
    await m.engine.createWriterFrom(instanceId, r.bundle);
    m.file.restore = undefined;
    saveClusterFile(m);
    if (r.bundle.startsWith(m.dir + path.sep)) await fsp.rm(r.bundle, { recursive: true, force: true });
  }

  /** One pass: start the exports snapshots and restores wait for, and remove bundles no snapshot needs. */
  async pass(managed: Iterable<Managed>): Promise<void> {
    const now = this.h.now();
    const all = [...managed];
    for (const region of this.h.model.regionNames()) {
      for (const sn of this.h.model.listSnapshots(region, {}, now)) {
        if (sn.real?.state === 'pending') this.start(`snap:${region}/${sn.id}`, () => this.exportSnapshot(sn));
      }
    }
    for (const m of all) {
      if (m.file.restore && !this.dataReady(m)) this.start(`restore:${m.region}/${m.clusterId}`, () => this.exportRestore(m));
    }
    await this.sweep(all);
  }

  private start(key: string, work: () => Promise<void>): void {
    if (this.inflight.has(key)) return;
    this.inflight.add(key);
    void work()
      .catch(() => undefined)
      .finally(() => {
        this.inflight.delete(key);
        this.h.kick();
      });
  }

  private async exportSnapshot(sn: SnapshotRec): Promise<void> {
    const m = this.h.managed(sn.region, sn.clusterId);
    const real = sn.real!;
    if (m && !m.engine.exportData) {
      // This engine family keeps no copies: the snapshot holds the cluster's settings only (a restore is simulated).
      sn.real = undefined;
      this.h.model.saveSnapshot(sn);
      return;
    }
    const dir = this.snapshotDir(sn.region, sn.id);
    try {
      if (!m) throw new Error("the cluster's engine is gone");
      await fsp.rm(dir, { recursive: true, force: true });
      await fsp.mkdir(path.join(dir, 'bundle'), { recursive: true, mode: 0o700 });
      writeSecret(path.join(dir, 'source.json'), { spec: m.file.spec, family: m.engine.family, version: real.version } satisfies SourceFile);
      const { bytes } = await m.engine.exportData!('now', path.join(dir, 'bundle'));
      sn.real = { ...real, state: 'done', bytes, finishedAt: this.h.now() };
    } catch (e) {
      await fsp.rm(dir, { recursive: true, force: true }).catch(() => undefined);
      sn.real = { ...real, state: 'failed', error: errorText(e), finishedAt: this.h.now() };
    }
    this.h.model.saveSnapshot(sn);
    // A final snapshot: the cluster's deletion waited for it.
    const c = this.cluster(sn.region, sn.clusterId);
    if (c?.op?.kind === 'delete') this.h.model.releaseOperation(c, this.h.now());
  }

  private async exportRestore(m: Managed): Promise<void> {
    const r = m.file.restore!;
    const from = r.from!;
    try {
      const src = this.h.managed(from.region, from.clusterId);
      if (!src?.engine.exportData) throw new Error(`the source cluster ${from.clusterId} and its engine are gone`);
      const w = src.engine.restorableWindow?.();
      if (!w) {
        // The source never ran a writer: its data is an empty database, which is what a new writer starts with.
        m.file.restore = undefined;
      } else {
        await fsp.rm(r.bundle, { recursive: true, force: true });
        await fsp.mkdir(r.bundle, { recursive: true, mode: 0o700 });
        await src.engine.exportData(Math.max(from.at, w.earliest), r.bundle);
        r.ready = true;
      }
    } catch (e) {
      r.error = errorText(e);
      this.h.model.recordEvent(m.region, this.h.now(), 'db-cluster', m.clusterId, `The restore of the DB cluster's data failed: ${r.error}`, ['failure']);
    }
    saveClusterFile(m);
    const c = this.cluster(m.region, m.clusterId);
    if (c) this.h.model.releaseOperation(c, this.h.now());
  }

  private cluster(region: string, id: string): ClusterRec | undefined {
    try {
      return this.h.model.getCluster(region, id, this.h.now());
    } catch {
      return undefined;
    }
  }

  /** Removes the bundles of snapshots that were deleted or aged out (unless a restore still reads one). */
  private async sweep(all: Managed[]): Promise<void> {
    const root = path.join(this.h.rootDir, '_snapshots');
    let regions: string[];
    try {
      regions = await fsp.readdir(root);
    } catch {
      return;
    }
    const inUse = new Set(all.flatMap((m) => (m.file.restore ? [path.dirname(m.file.restore.bundle)] : [])));
    for (const region of regions) {
      const keep = new Set(this.h.model.listSnapshots(region, {}, this.h.now()).map((sn) => this.snapshotDir(region, sn.id)));
      for (const name of await fsp.readdir(path.join(root, region)).catch(() => [] as string[])) {
        const dir = path.join(root, region, name);
        if (keep.has(dir) || inUse.has(dir) || [...this.inflight].some((k) => k.startsWith('snap:'))) continue;
        await fsp.rm(dir, { recursive: true, force: true });
      }
    }
  }
}
