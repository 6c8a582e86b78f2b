// Failover and backtrack: the two cluster operations that move the writer or the data in time.
// Both record an operation on the cluster; settle.ts applies its completion.
import { randomUUID } from 'node:crypto';
import { Faults } from './errors';
import { applyFilters, BACKTRACK_FILTERS, checkFilterNames } from './filters';
import { arnToId, type BacktrackRec, type ClusterRec, type Filter, type InstanceRec } from './records';
import { instanceStatus, promotionTarget, requireClusterState } from './settle';
import type { RdsStore } from './store';

export function failoverCluster(s: RdsStore, region: string, id: string, target: string | undefined, now: number): ClusterRec {
  const c = s.getCluster(region, id, now);
  const r = s.region(region);
  requireClusterState(c, ['available'], 'failover');
  const members = s.members(c).filter((i) => i.op?.kind !== 'delete');
  if (members.length < 2) {
    throw Faults.InvalidDBClusterState(`Database cluster:${c.id} should have at least two database instances for failover`);
  }
  const writer = c.writerId ? r.instances.get(c.writerId) : undefined;
  if (!writer) throw Faults.InvalidDBClusterState(`DB cluster ${c.id} has no writer instance to fail over from.`);
  let to: InstanceRec | undefined;
  if (target !== undefined) {
    const tid = arnToId(target, 'db');
    to = r.instances.get(tid);
    if (!to || to.clusterId !== c.id) throw Faults.InvalidParameterValue(`Cannot find target instance: ${tid}`);
    if (to.id === writer.id) {
      throw Faults.InvalidParameterValue(`The target instance ${tid} is already the writer of DB cluster ${c.id}.`);
    }
    if (instanceStatus(to, c) !== 'available') {
      throw Faults.InvalidDBInstanceState(`Instance ${tid} should be in valid state for failover.`);
    }
  } else {
    to = promotionTarget(r, c, writer.id);
    if (!to) throw Faults.InvalidDBInstanceState(`DB cluster ${c.id} has no available reader instance to fail over to.`);
  }
  c.op = { kind: 'failover', startedAt: now, durationMs: s.durations.failover, from: writer.id, to: to.id };
  const cross = writer.az !== to.az;
  s.event(
    region,
    now,
    'db-cluster',
    c.id,
    `Started ${cross ? 'cross' : 'same'} AZ failover to DB instance: ${to.id}`,
    ['failover'],
  );
  s.event(region, now, 'db-instance', writer.id, 'DB instance shutdown', ['availability']);
  s.event(region, now, 'db-instance', to.id, 'DB instance shutdown', ['availability']);
  s.saveCluster(c);
  s.due(r, now + s.durations.failover);
  return c;
}

/** The earliest time the cluster can be backtracked to at `now` (undefined when backtrack is off). */
export function earliestBacktrackTime(c: ClusterRec, now: number): number | undefined {
  if (c.backtrackWindow <= 0) return undefined;
  return Math.max(c.createdAt, now - c.backtrackWindow * 1000);
}

export function backtrackCluster(
  s: RdsStore,
  region: string,
  input: { DBClusterIdentifier: string; BacktrackTo: number; UseEarliestTimeOnPointInTimeUnavailable?: boolean; Force?: boolean },
  now: number,
  /** The earliest time a real engine's retained change records reach, when later than the window's. */
  engineEarliest?: number,
): { cluster: ClusterRec; backtrack: BacktrackRec } {
  const c = s.getCluster(region, input.DBClusterIdentifier, now);
  if (c.engine !== 'aurora-mysql') {
    throw Faults.InvalidParameterCombination(`Backtrack is not enabled for the ${c.engine} engine.`);
  }
  if (c.backtrackWindow <= 0) {
    throw Faults.InvalidDBClusterState(`Backtrack is not enabled for DB cluster ${c.id}.`);
  }
  requireClusterState(c, ['available'], 'backtrack');
  if (input.BacktrackTo > now) {
    throw Faults.InvalidParameterValue('The backtrack time cannot be in the future.');
  }
  const earliest = Math.max(earliestBacktrackTime(c, now)!, engineEarliest ?? -Infinity);
  let to = input.BacktrackTo;
  if (to < earliest) {
    if (!input.UseEarliestTimeOnPointInTimeUnavailable) {
      throw Faults.InvalidParameterValue(
        `Backtrack to ${new Date(to).toISOString()} is not possible. The earliest backtrack time for DB cluster ${c.id} is ${new Date(earliest).toISOString()}.`,
      );
    }
    to = earliest;
  }
  const busy = s.members(c).find((i) => i.op);
  if (busy) throw Faults.InvalidDBInstanceState(`Instance ${busy.id} is not in a valid state for backtrack: ${instanceStatus(busy, c)}.`);
  const b: BacktrackRec = {
    id: randomUUID(),
    backtrackTo: to,
    backtrackedFrom: now,
    requestedAt: now,
    completedAt: now + s.durations.backtrack,
  };
  c.backtracks.push(b);
  c.backtrackConsumedChangeRecords += 1;
  c.op = { kind: 'backtrack', startedAt: now, durationMs: s.durations.backtrack, backtrackId: b.id };
  s.event(region, now, 'db-cluster', c.id, `Started backtrack to ${new Date(to).toISOString()}`, ['backtrack']);
  s.saveCluster(c);
  s.due(s.region(region), b.completedAt);
  return { cluster: c, backtrack: b };
}

/** The cluster's backtracks, newest first, optionally one by id, passing the DescribeDBClusterBacktracks filters. */
export function listBacktracks(
  s: RdsStore,
  region: string,
  clusterId: string,
  now: number,
  backtrackId?: string,
  filters: Filter[] = [],
): { cluster: ClusterRec; backtracks: BacktrackRec[] } {
  const c = s.getCluster(region, clusterId, now);
  checkFilterNames(BACKTRACK_FILTERS, filters);
  let list = [...c.backtracks].sort((a, b) => b.requestedAt - a.requestedAt);
  if (backtrackId !== undefined) {
    list = list.filter((b) => b.id === backtrackId);
    if (list.length === 0) throw Faults.DBClusterBacktrackNotFound(`Backtrack ${backtrackId} cannot be found.`);
  }
  list = applyFilters(BACKTRACK_FILTERS, list, filters, now);
  return { cluster: c, backtracks: list };
}
