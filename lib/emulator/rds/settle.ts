// Status derived from timestamps. An operation is stored with its start and duration; every read
// "settles" the region: operations that completed by `now` are applied in completion order, with
// their side effects and events stamped at the completion time.
import { pickPromotionTarget } from '../../aurora/rules';
import { Faults } from './errors';
import type { BacktrackRec, ClusterRec, ClusterStatus, InstanceRec } from './records';
import { AUTO_RESTART_MS, DELETED_HISTORY_MS, EVENT_RETENTION_MS } from './records';
import { settleSnapshots } from './snapshots';
import type { RdsStore, RegionState } from './store';

// ------------------------------------------------------------------ derived status

export function clusterStatus(c: ClusterRec): ClusterStatus {
  if (c.op) {
    switch (c.op.kind) {
      case 'create': return 'creating';
      case 'modify': return 'modifying';
      case 'failover': return 'failing-over';
      case 'backtrack': return 'backtracking';
      case 'stop': return 'stopping';
      case 'start': return 'starting';
      case 'delete': return 'deleting';
    }
  }
  const last = c.stopped[c.stopped.length - 1];
  if (last && last.to === undefined) return 'stopped';
  return 'available';
}

/** Throws InvalidDBClusterState unless the cluster's status is one of `allowed`. */
export function requireClusterState(c: ClusterRec, allowed: ClusterStatus[], action: string): void {
  const st = clusterStatus(c);
  if (!allowed.includes(st)) {
    throw Faults.InvalidDBClusterState(`DbCluster ${c.id} is not in a valid state for ${action}; its status is ${st}.`);
  }
}

export function instanceStatus(i: InstanceRec, c?: ClusterRec): string {
  if (i.op) {
    switch (i.op.kind) {
      case 'create': return 'creating';
      case 'reboot': return 'rebooting';
      case 'modify': return 'modifying';
      case 'delete': return 'deleting';
    }
  }
  if (c) {
    const cs = clusterStatus(c);
    if (cs === 'failing-over' && (c.op!.from === i.id || c.op!.to === i.id)) return 'rebooting';
    if (cs === 'backtracking') return 'backtracking';
    if (cs === 'stopping' || cs === 'stopped' || cs === 'starting') return cs;
  }
  return 'available';
}

export function backtrackStatus(b: BacktrackRec, now: number): 'pending' | 'applying' | 'completed' {
  if (now >= b.completedAt) return 'completed';
  const pendingFor = Math.min(1000, (b.completedAt - b.requestedAt) / 4);
  return now < b.requestedAt + pendingFor ? 'pending' : 'applying';
}

/**
 * The reader that becomes writer when `exclude` stops being it: among the cluster's other instances that
 * are available (or, with `includeAny`, not being deleted), the Aurora promotion order decides.
 */
export function promotionTarget(r: RegionState, c: ClusterRec, exclude: string, includeAny = false): InstanceRec | undefined {
  const candidates = [...r.instances.values()].filter(
    (i) => i.clusterId === c.id && i.id !== exclude && (includeAny ? i.op?.kind !== 'delete' : instanceStatus(i, c) === 'available'),
  );
  return pickPromotionTarget(candidates);
}

// ------------------------------------------------------------------ settling

/** Applies every operation that completed by `now`, in completion order. */
export function settle(s: RdsStore, region: string, now: number): void {
  const r = s.region(region);
  if (now < r.nextDue) return;
  s.state.transaction(() => {
    for (let guard = 0; guard < 100_000; guard++) {
      let best: { at: number; apply: () => void } | undefined;
      for (const c of r.clusters.values()) {
        if (c.op) {
          if (c.op.waitFor) continue; // the real engine finishes it (engines/backups.ts)
          const at = c.op.startedAt + c.op.durationMs;
          if (at <= now && (!best || at < best.at)) best = { at, apply: () => completeClusterOp(s, r, c, at) };
        } else if (c.automaticRestartTime !== undefined && c.automaticRestartTime <= now) {
          const at = c.automaticRestartTime;
          if (!best || at < best.at) best = { at, apply: () => autoRestart(s, r, c, at) };
        }
      }
      for (const i of r.instances.values()) {
        if (!i.op) continue;
        const at = i.op.startedAt + i.op.durationMs;
        if (at <= now && (!best || at < best.at)) best = { at, apply: () => completeInstanceOp(s, r, i, at) };
      }
      if (!best) break;
      best.apply();
    }
    // Recompute the next due time.
    let next = Infinity;
    for (const c of r.clusters.values()) {
      if (c.op) next = c.op.waitFor ? next : Math.min(next, c.op.startedAt + c.op.durationMs);
      else if (c.automaticRestartTime !== undefined) next = Math.min(next, c.automaticRestartTime);
    }
    for (const i of r.instances.values()) if (i.op) next = Math.min(next, i.op.startedAt + i.op.durationMs);
    r.nextDue = Math.min(next, settleSnapshots(s, r, now));
    // Forget deleted clusters older than the history horizon.
    const keep = r.deleted.filter((d) => (d.deletedAt ?? 0) >= now - DELETED_HISTORY_MS);
    if (keep.length !== r.deleted.length) {
      for (const d of r.deleted) {
        if (!keep.includes(d)) s.state.deleteDoc(region, 'deleted-cluster', `${d.id}@${d.deletedAt}`);
      }
      r.deleted = keep;
    }
  });
  if (now - s.eventsPrunedAt > 3600_000) {
    s.eventsPrunedAt = now;
    s.state.pruneEvents(now - EVENT_RETENTION_MS);
  }
}

/** A cluster operation completes at `at`: create, modify, failover, backtrack, stop, start or delete. */
function completeClusterOp(s: RdsStore, r: RegionState, c: ClusterRec, at: number): void {
  const op = c.op!;
  c.op = undefined;
  switch (op.kind) {
    case 'create':
      s.event(c.region, at, 'db-cluster', c.id, 'DB cluster created', ['creation']);
      break;
    case 'modify':
      s.event(c.region, at, 'db-cluster', c.id, 'DB cluster modified', ['configuration change']);
      break;
    case 'failover': {
      const from = op.from!;
      const to = op.to!;
      if (r.instances.has(to)) {
        c.writerId = to;
        c.writerHistory.push({ instanceId: to, from: at });
      }
      c.failovers.push({ startedAt: op.startedAt, completedAt: at, from, to });
      s.event(c.region, at, 'db-cluster', c.id, `Completed failover to DB instance: ${to}`, ['failover']);
      for (const id of [from, to]) {
        if (r.instances.has(id)) s.event(c.region, at, 'db-instance', id, 'DB instance restarted', ['availability']);
      }
      break;
    }
    case 'backtrack': {
      const b = c.backtracks.find((x) => x.id === op.backtrackId);
      const target = b ? new Date(b.backtrackTo).toISOString() : 'the requested time';
      s.event(c.region, at, 'db-cluster', c.id, `Completed backtrack to ${target}`, ['backtrack']);
      break;
    }
    case 'stop':
      c.stopped.push({ from: at });
      c.automaticRestartTime = at + AUTO_RESTART_MS;
      s.event(c.region, at, 'db-cluster', c.id, 'DB cluster stopped', ['notification']);
      break;
    case 'start': {
      const last = c.stopped[c.stopped.length - 1];
      if (last && last.to === undefined) last.to = at;
      s.event(c.region, at, 'db-cluster', c.id, 'DB cluster started', ['notification']);
      break;
    }
    case 'delete': {
      c.deletedAt = at;
      // Any member still deleting goes with the cluster.
      for (const i of [...r.instances.values()]) if (i.clusterId === c.id) removeInstance(s, r, c, i, at);
      r.clusters.delete(c.id);
      s.state.deleteDoc(c.region, 'cluster', c.id);
      r.deleted.push(c);
      s.state.putDoc(c.region, 'deleted-cluster', `${c.id}@${at}`, c);
      s.event(c.region, at, 'db-cluster', c.id, 'DB cluster deleted', ['deletion']);
      return;
    }
  }
  s.saveCluster(c);
}

/** A cluster stopped for the maximum time starts again by itself. */
function autoRestart(s: RdsStore, r: RegionState, c: ClusterRec, at: number): void {
  c.automaticRestartTime = undefined;
  c.op = { kind: 'start', startedAt: at, durationMs: s.durations.startCluster };
  s.event(
    c.region,
    at,
    'db-cluster',
    c.id,
    'DB cluster is being started due to it exceeding the maximum allowed time being stopped.',
    ['notification'],
  );
  s.saveCluster(c);
  s.due(r, at + s.durations.startCluster);
}

/** An instance operation completes at `at`: create, reboot, modify or delete. */
function completeInstanceOp(s: RdsStore, r: RegionState, i: InstanceRec, at: number): void {
  const op = i.op!;
  i.op = undefined;
  const c = r.clusters.get(i.clusterId);
  switch (op.kind) {
    case 'create':
      s.event(i.region, at, 'db-instance', i.id, 'DB instance created', ['creation']);
      break;
    case 'reboot':
      c?.reboots.push({ instanceId: i.id, startedAt: op.startedAt, completedAt: at });
      if (c) s.saveCluster(c);
      s.event(i.region, at, 'db-instance', i.id, 'DB instance restarted', ['availability']);
      break;
    case 'modify':
      if (op.instanceClass) {
        i.instanceClass = op.instanceClass;
        s.event(i.region, at, 'db-instance', i.id, `Finished applying modification to DB instance class`, ['configuration change']);
      }
      break;
    case 'delete':
      if (c) removeInstance(s, r, c, i, at);
      else s.dropInstance(r, i);
      return;
  }
  s.saveInstance(i);
}

/** A deleted instance leaves its cluster; when it was the writer, the promotion order picks the next one. */
function removeInstance(s: RdsStore, r: RegionState, c: ClusterRec, i: InstanceRec, at: number): void {
  s.dropInstance(r, i);
  c.pastInstances.push({ id: i.id, instanceClass: i.instanceClass, createdAt: i.createdAt, availableAt: i.availableAt, deletedAt: at });
  s.event(i.region, at, 'db-instance', i.id, 'DB instance deleted', ['deletion']);
  if (c.writerId === i.id) {
    c.writerId = undefined;
    const best = promotionTarget(r, c, i.id, true);
    if (best) {
      c.writerId = best.id;
      c.writerHistory.push({ instanceId: best.id, from: at });
    }
  }
  s.saveCluster(c);
}
