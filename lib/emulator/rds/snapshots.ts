// DB cluster snapshots (RDS API reference: CreateDBClusterSnapshot, DescribeDBClusterSnapshots,
// DeleteDBClusterSnapshot). Status is derived from timestamps like every other operation: a snapshot is `creating`
// for its duration and, on a real engine, until the supervisor has written its copy of the data
// (engines/backups.ts). Automated snapshots are taken when the cluster becomes available and every day at the
// start of its PreferredBackupWindow; they are kept BackupRetentionPeriod days and go with their cluster.
import { Faults } from './errors';
import { applyFilters, type FilterTable } from './filters';
import { ACCOUNT_ID, arnToId, type ClusterRec, type Filter } from './records';
import { clusterStatus, requireClusterState, settle } from './settle';
import { snapshotIdOf, type SnapshotRec, type SnapshotType } from './snapshot-records';
import type { RdsStore, RegionState } from './store';
import { validateIdentifier, validateTags } from './validation';

const DAY_MS = 86_400_000;
/** Manual DB cluster snapshots per account and region (RDS quotas). */
export const MANUAL_SNAPSHOT_QUOTA = 100;
/** The tag the endpoint sets on clusters about their engine; a snapshot does not copy it. */
const ENGINE_TAG = 'afc:engine';

export type SnapshotStatus = 'creating' | 'available' | 'failed';

/** When the snapshot is (or was) complete: its duration, and on a real engine the end of the export as well. */
export function snapshotReadyAt(sn: SnapshotRec): number | undefined {
  const timed = sn.createdAt + sn.durationMs;
  if (sn.real?.state === 'pending') return undefined;
  return Math.max(timed, sn.real?.finishedAt ?? 0);
}

export function snapshotStatus(sn: SnapshotRec, now: number): SnapshotStatus {
  if (sn.real?.state === 'failed') return 'failed';
  const at = snapshotReadyAt(sn);
  return at !== undefined && now >= at ? 'available' : 'creating';
}

/** PercentProgress: by elapsed time, held at 99 while a real engine's export is still running. */
export function snapshotProgress(sn: SnapshotRec, now: number): number {
  if (snapshotStatus(sn, now) !== 'creating') return 100;
  const share = sn.durationMs > 0 ? (now - sn.createdAt) / sn.durationMs : 1;
  return Math.max(0, Math.min(99, Math.floor(share * 100)));
}

export function getSnapshot(s: RdsStore, region: string, idOrArn: string, now: number): SnapshotRec {
  settle(s, region, now);
  const id = snapshotIdOf(idOrArn);
  const sn = s.region(region).snapshots.get(id);
  if (!sn) throw Faults.DBClusterSnapshotNotFound(`DBClusterSnapshot ${id} not found.`);
  return sn;
}

export function saveSnapshot(s: RdsStore, sn: SnapshotRec): void {
  s.state.putDoc(sn.region, 'cluster-snapshot', sn.id, sn);
}

function dropSnapshot(s: RdsStore, r: RegionState, sn: SnapshotRec): void {
  r.snapshots.delete(sn.id);
  s.state.deleteDoc(sn.region, 'cluster-snapshot', sn.id);
}

function newSnapshot(s: RdsStore, c: ClusterRec, id: string, type: SnapshotType, tags: SnapshotRec['tags'], now: number): SnapshotRec {
  const sn: SnapshotRec = {
    region: c.region,
    id,
    arn: `arn:aws:rds:${c.region}:${ACCOUNT_ID}:cluster-snapshot:${id}`,
    type,
    clusterId: c.id,
    clusterCreatedAt: c.createdAt,
    clusterResourceId: c.resourceId,
    engine: c.engine,
    engineVersion: c.engineVersion,
    engineMode: c.engineMode,
    family: c.family,
    port: c.port,
    masterUsername: c.masterUsername,
    databaseName: c.databaseName,
    storageEncrypted: c.storageEncrypted,
    kmsKeyId: c.kmsKeyId,
    iamAuth: c.iamAuth,
    availabilityZones: [...c.availabilityZones],
    backupRetentionPeriod: c.backupRetentionPeriod,
    preferredBackupWindow: c.preferredBackupWindow,
    storageType: c.storageType,
    tags,
    createdAt: now,
    durationMs: s.durations.createSnapshot,
    // A manual snapshot of a real engine is written at once; an automated one is exported when it is restored.
    real: c.realEngine ? { family: c.realEngine.family, version: c.realEngine.version, state: type === 'manual' ? 'pending' : 'on-demand' } : undefined,
  };
  const r = s.region(c.region);
  r.snapshots.set(id, sn);
  saveSnapshot(s, sn);
  s.due(r, now + sn.durationMs);
  s.event(c.region, now, 'db-cluster-snapshot', id, type === 'manual' ? 'Creating manual cluster snapshot' : 'Creating automated cluster snapshot', ['backup']);
  return sn;
}

/** Throws unless `id` is a valid DBClusterSnapshotIdentifier that no snapshot of the region has; returns it lower case. */
export function checkNewSnapshotId(s: RdsStore, region: string, value: string, param = 'DBClusterSnapshotIdentifier'): string {
  const id = validateIdentifier(param, value, 255);
  if (s.region(region).snapshots.has(id)) {
    throw Faults.DBClusterSnapshotAlreadyExists(`Cannot create the cluster snapshot because one with the identifier ${id} already exists.`);
  }
  const manual = [...s.region(region).snapshots.values()].filter((x) => x.type === 'manual').length;
  if (manual >= MANUAL_SNAPSHOT_QUOTA) {
    throw Faults.SnapshotQuotaExceeded(`Cannot create more than ${MANUAL_SNAPSHOT_QUOTA} manual DB cluster snapshots in this region.`);
  }
  return id;
}

export function createSnapshot(
  s: RdsStore,
  region: string,
  input: { DBClusterIdentifier: string; DBClusterSnapshotIdentifier: string; Tags?: { Key?: string; Value?: string }[] },
  now: number,
): SnapshotRec {
  const c = s.getCluster(region, input.DBClusterIdentifier, now);
  const id = checkNewSnapshotId(s, region, input.DBClusterSnapshotIdentifier);
  requireClusterState(c, ['available'], 'snapshot creation');
  const tags = input.Tags?.length ? validateTags(input.Tags) : c.copyTagsToSnapshot ? c.tags.filter((t) => t.Key !== ENGINE_TAG) : [];
  return newSnapshot(s, c, id, 'manual', tags, now);
}

/** DeleteDBCluster with FinalDBSnapshotIdentifier: a manual snapshot of the cluster as it is deleted. */
export function createFinalSnapshot(s: RdsStore, c: ClusterRec, id: string, now: number): SnapshotRec {
  return newSnapshot(s, c, id, 'manual', c.copyTagsToSnapshot ? c.tags.filter((t) => t.Key !== ENGINE_TAG) : [], now);
}

export function deleteSnapshot(s: RdsStore, region: string, idOrArn: string, now: number): SnapshotRec {
  const sn = getSnapshot(s, region, idOrArn, now);
  if (sn.type !== 'manual') {
    throw Faults.InvalidDBClusterSnapshotState(`Only manual snapshots may be deleted. ${sn.id} is an automated snapshot; it is removed when it ages out of the backup retention period.`);
  }
  const status = snapshotStatus(sn, now);
  if (status === 'creating') {
    throw Faults.InvalidDBClusterSnapshotState(`Cannot delete the snapshot ${sn.id} because it is not in available state; its status is ${status}.`);
  }
  dropSnapshot(s, s.region(region), sn);
  s.event(region, now, 'db-cluster-snapshot', sn.id, 'Manual cluster snapshot deleted', ['deletion']);
  return sn;
}

/** DescribeDBClusterSnapshots filters (RDS API reference). */
export const SNAPSHOT_FILTERS: FilterTable<SnapshotRec> = {
  defs: {
    'db-cluster-id': { values: (sn) => sn.clusterId, normalize: (v) => arnToId(v, 'cluster') },
    'db-cluster-snapshot-id': { values: (sn) => sn.id, normalize: snapshotIdOf },
    'snapshot-type': { values: (sn) => sn.type },
    engine: { values: (sn) => sn.engine },
  },
  unknown: (name) => Faults.InvalidParameterValue(`Unrecognized filter name: ${name}.`),
};

const SNAPSHOT_TYPES = ['automated', 'manual', 'shared', 'public', 'awsbackup'];

export function listSnapshots(
  s: RdsStore,
  region: string,
  q: { DBClusterIdentifier?: string; DBClusterSnapshotIdentifier?: string; SnapshotType?: string; Filters?: Filter[] },
  now: number,
): SnapshotRec[] {
  settle(s, region, now);
  if (q.DBClusterIdentifier && q.DBClusterSnapshotIdentifier) {
    throw Faults.InvalidParameterCombination('DBClusterIdentifier can not be used with DBClusterSnapshotIdentifier.');
  }
  if (q.SnapshotType !== undefined && !SNAPSHOT_TYPES.includes(q.SnapshotType)) {
    throw Faults.InvalidParameterValue(`Invalid snapshot type: ${q.SnapshotType}. Valid values are ${SNAPSHOT_TYPES.join(', ')}.`);
  }
  let list: SnapshotRec[];
  if (q.DBClusterSnapshotIdentifier) list = [getSnapshot(s, region, q.DBClusterSnapshotIdentifier, now)];
  else list = [...s.region(region).snapshots.values()];
  if (q.DBClusterIdentifier) {
    const cid = arnToId(q.DBClusterIdentifier, 'cluster');
    list = list.filter((sn) => sn.clusterId === cid);
  }
  // Shared, public and AWS Backup snapshots: this account has none.
  if (q.SnapshotType) list = list.filter((sn) => sn.type === q.SnapshotType);
  list = applyFilters(SNAPSHOT_FILTERS, list, q.Filters ?? [], undefined);
  return list.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

// ---------------------------------------------------------------- settling (called by settle.ts)

const pad = (n: number) => String(n).padStart(2, '0');
function automatedId(clusterId: string, t: number): string {
  const d = new Date(t);
  return `rds:${clusterId}-${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}`;
}

/** The next start of the backup window (`hh24:mi-hh24:mi`, UTC) strictly after `t`. */
export function nextWindowStart(window: string, t: number): number {
  const [h, m] = window.split('-')[0].split(':').map(Number);
  const day = Math.floor(t / DAY_MS) * DAY_MS;
  const at = day + (h * 60 + m) * 60_000;
  return at > t ? at : at + DAY_MS;
}

/** The automated snapshot times of a cluster within [from, now]: when it became available, then daily. */
function automatedTimes(s: RdsStore, c: ClusterRec, from: number, now: number): number[] {
  const first = c.createdAt + s.durations.createCluster;
  const out: number[] = [];
  if (first >= from && first <= now) out.push(first);
  for (let t = nextWindowStart(c.preferredBackupWindow, Math.max(first, from - 1)); t <= now; t = nextWindowStart(c.preferredBackupWindow, t)) out.push(t);
  return out;
}

/**
 * Takes the automated snapshots due by `now`, removes those that aged out or whose cluster is gone, and records
 * the completion of snapshots that finished. Returns when it next has something to do.
 */
export function settleSnapshots(s: RdsStore, r: RegionState, now: number): number {
  let next = Infinity;
  for (const c of r.clusters.values()) {
    const status = clusterStatus(c);
    if (status === 'creating' || status === 'deleting') continue;
    const from = now - c.backupRetentionPeriod * DAY_MS;
    for (const t of automatedTimes(s, c, from, now)) {
      const id = automatedId(c.id, t);
      if (!r.snapshots.has(id)) newSnapshot(s, c, id, 'automated', c.copyTagsToSnapshot ? c.tags.filter((x) => x.Key !== ENGINE_TAG) : [], t);
    }
    next = Math.min(next, nextWindowStart(c.preferredBackupWindow, now));
  }
  for (const sn of [...r.snapshots.values()]) {
    if (sn.type === 'automated') {
      const c = r.clusters.get(sn.clusterId);
      if (!c || c.createdAt !== sn.clusterCreatedAt || sn.createdAt < now - c.backupRetentionPeriod * DAY_MS) {
        dropSnapshot(s, r, sn);
        continue;
      }
    }
    if (sn.announced) continue;
    const status = snapshotStatus(sn, now);
    const readyAt = snapshotReadyAt(sn);
    if (status === 'creating') {
      if (readyAt !== undefined) next = Math.min(next, readyAt);
      continue;
    }
    sn.announced = true;
    saveSnapshot(s, sn);
    const at = status === 'failed' ? (sn.real?.finishedAt ?? now) : readyAt!;
    if (status === 'failed') s.event(sn.region, at, 'db-cluster-snapshot', sn.id, `Creation of the cluster snapshot failed: ${sn.real?.error ?? 'the engine could not copy the data'}`, ['failure']);
    else s.event(sn.region, at, 'db-cluster-snapshot', sn.id, sn.type === 'manual' ? 'Manual cluster snapshot created' : 'Automated cluster snapshot created', ['backup']);
  }
  return next;
}
