// The RDS model as the simulated data plane sees it (DataplaneSource): each cluster's instances,
// writer changes, failovers, backtracks, reboots, stops and workload over time.
import type { DataplaneCluster, DataplaneInstance, Workload } from '../dataplane/types';
import { DELETED_HISTORY_MS, type ClusterRec } from './records';
import { settle } from './settle';
import type { RdsStore } from './store';

/** Every cluster's history (live ones and those deleted within the history horizon), as the data plane reads it. */
export function dataplaneClusters(s: RdsStore, region: string, now: number): DataplaneCluster[] {
  settle(s, region, now);
  const r = s.region(region);
  const out: DataplaneCluster[] = [];
  const horizon = now - DELETED_HISTORY_MS;
  const add = (c: ClusterRec) => {
    const instances: DataplaneInstance[] = [...c.pastInstances];
    const inProgressReboots: DataplaneCluster['reboots'] = [];
    for (const i of c.deletedAt === undefined ? s.members(c) : []) {
      {
        instances.push({ id: i.id, instanceClass: i.instanceClass, createdAt: i.createdAt, availableAt: i.availableAt });
        if (i.op?.kind === 'reboot') {
          inProgressReboots.push({ instanceId: i.id, startedAt: i.op.startedAt, completedAt: i.op.startedAt + i.op.durationMs });
        }
      }
    }
    out.push({
      region,
      id: c.id,
      engine: c.engine,
      createdAt: c.createdAt,
      deletedAt: c.deletedAt,
      backtrackWindow: c.backtrackWindow,
      workload: c.workload,
      instances,
      writerHistory: c.writerHistory,
      failovers:
        c.op?.kind === 'failover'
          ? [...c.failovers, { startedAt: c.op.startedAt, completedAt: c.op.startedAt + c.op.durationMs, from: c.op.from!, to: c.op.to! }]
          : c.failovers,
      backtracks: c.backtracks.map((b) => ({ startedAt: b.requestedAt, completedAt: b.completedAt, backtrackTo: b.backtrackTo })),
      reboots: inProgressReboots.length ? [...c.reboots, ...inProgressReboots] : c.reboots,
      stopped: c.stopped,
      workloadHistory: c.workloadHistory,
    });
  };
  for (const c of r.clusters.values()) add(c);
  for (const c of r.deleted) if ((c.deletedAt ?? 0) >= horizon) add(c);
  return out;
}

export function setWorkload(s: RdsStore, region: string, clusterId: string, workload: Workload, now: number): ClusterRec {
  const c = s.getCluster(region, clusterId, now);
  if (c.workloadHistory.length === 0 && c.createdAt >= now) c.workload = workload;
  else c.workloadHistory.push({ workload, from: now });
  s.saveCluster(c);
  return c;
}

/** Seeding helper: set the initial workload without history. */
export function setInitialWorkload(s: RdsStore, c: ClusterRec, workload: Workload): void {
  c.workload = workload;
  s.saveCluster(c);
}
