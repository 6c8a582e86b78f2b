// The RDS model's shared state: clusters, instances and deleted clusters per region, kept in memory
// and written through to the emulator's SQLite state. Every concept module (clusters, instances,
// failover-backtrack, settle, events) works on one RdsStore; lookups settle the region first.
import type { Durations } from '../durations';
import type { EmulatorState } from '../state';
import { Faults } from './errors';
import { ACCOUNT_ID, arnToId, type ClusterRec, type InstanceRec } from './records';
import type { SnapshotRec } from './snapshot-records';
import { settle } from './settle';

export interface RegionState {
  clusters: Map<string, ClusterRec>;
  instances: Map<string, InstanceRec>;
  deleted: ClusterRec[];
  /** DB cluster snapshots (manual and automated) by identifier; they outlive their cluster (snapshots.ts). */
  snapshots: Map<string, SnapshotRec>;
  /** Earliest completion time of a pending operation; reads before it skip settling. */
  nextDue: number;
  /** Members per cluster, sorted by creation; rebuilt lazily after instances are added or removed. */
  byCluster?: Map<string, InstanceRec[]>;
}

export type EventSourceType = 'db-cluster' | 'db-instance' | 'db-cluster-snapshot';

export class RdsStore {
  private regions = new Map<string, RegionState>();
  /** When events older than the retention were last pruned. */
  eventsPrunedAt = 0;

  constructor(
    readonly state: EmulatorState,
    public durations: Durations,
  ) {
    this.load();
  }

  private load(): void {
    this.regions.clear();
    for (const { region, doc } of this.state.loadDocs<ClusterRec>('cluster')) this.region(region).clusters.set(doc.id, doc);
    for (const { region, doc } of this.state.loadDocs<InstanceRec>('instance')) this.region(region).instances.set(doc.id, doc);
    for (const { region, doc } of this.state.loadDocs<ClusterRec>('deleted-cluster')) this.region(region).deleted.push(doc);
    for (const { region, doc } of this.state.loadDocs<SnapshotRec>('cluster-snapshot')) this.region(region).snapshots.set(doc.id, doc);
    for (const r of this.regions.values()) r.nextDue = 0; // force one settle pass
  }

  reset(): void {
    this.state.clearRds();
    this.regions.clear();
  }

  region(region: string): RegionState {
    let r = this.regions.get(region);
    if (!r) {
      r = { clusters: new Map(), instances: new Map(), deleted: [], snapshots: new Map(), nextDue: Infinity };
      this.regions.set(region, r);
    }
    return r;
  }

  regionNames(): string[] {
    return [...this.regions.keys()];
  }

  saveCluster(c: ClusterRec): void {
    this.state.putDoc(c.region, 'cluster', c.id, c);
  }

  saveInstance(i: InstanceRec): void {
    this.state.putDoc(i.region, 'instance', i.id, i);
  }

  /** Adds an instance to its region (the members index is rebuilt on the next read). */
  addInstance(r: RegionState, i: InstanceRec): void {
    r.instances.set(i.id, i);
    r.byCluster = undefined;
  }

  /** Removes an instance from its region and from the persisted state. */
  dropInstance(r: RegionState, i: InstanceRec): void {
    r.instances.delete(i.id);
    r.byCluster = undefined;
    this.state.deleteDoc(i.region, 'instance', i.id);
  }

  event(region: string, time: number, sourceType: EventSourceType, sourceId: string, message: string, categories: string[]): void {
    const kind = sourceType === 'db-cluster' ? 'cluster' : sourceType === 'db-cluster-snapshot' ? 'cluster-snapshot' : 'db';
    this.state.addEvent({
      region,
      time,
      sourceType,
      sourceId,
      sourceArn: `arn:aws:rds:${region}:${ACCOUNT_ID}:${kind}:${sourceId}`,
      message,
      categories,
    });
  }

  /** Records that something in the region completes at `at` (so the next read at or after it settles). */
  due(r: RegionState, at: number): void {
    if (at < r.nextDue) r.nextDue = at;
  }

  // ------------------------------------------------------------------ lookups

  getCluster(region: string, idOrArn: string, now: number): ClusterRec {
    settle(this, region, now);
    const id = arnToId(idOrArn, 'cluster');
    const c = this.region(region).clusters.get(id);
    if (!c) throw Faults.DBClusterNotFound(`DBCluster ${id} not found.`);
    return c;
  }

  getInstance(region: string, idOrArn: string, now: number): InstanceRec {
    settle(this, region, now);
    const id = arnToId(idOrArn, 'db');
    const i = this.region(region).instances.get(id);
    if (!i) throw Faults.DBInstanceNotFound(`DBInstance ${id} not found.`);
    return i;
  }

  clusterOf(i: InstanceRec): ClusterRec | undefined {
    return this.region(i.region).clusters.get(i.clusterId);
  }

  /** The cluster's instances, oldest first. */
  members(c: ClusterRec): InstanceRec[] {
    const r = this.region(c.region);
    if (!r.byCluster) {
      const m = new Map<string, InstanceRec[]>();
      for (const i of r.instances.values()) {
        let l = m.get(i.clusterId);
        if (!l) m.set(i.clusterId, (l = []));
        l.push(i);
      }
      for (const l of m.values()) l.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
      r.byCluster = m;
    }
    return r.byCluster.get(c.id) ?? [];
  }
}
