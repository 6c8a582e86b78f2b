// Cluster lifecycle: create, modify, delete, stop and start (failover and backtrack live in
// failover-backtrack.ts). Each validates like RDS, then records an operation that settles later.
import { createHash, randomUUID } from 'node:crypto';
import { availabilityZones, DEFAULT_PORT, ENGINES, LOG_EXPORTS, resolveEngineVersion, type Engine } from './catalogue';
import { Faults } from './errors';
import { CLUSTER_FILTERS, filterSortedById } from './filters';
import { ACCOUNT_ID, rand, UPPER, type ClusterRec, type CreateClusterInput, type Filter, type ModifyClusterInput } from './records';
import { clusterStatus, instanceStatus, requireClusterState, settle } from './settle';
import type { RdsStore } from './store';
import {
  checkBacktrackWindow,
  checkBackupWindow,
  checkMaintenanceWindow,
  checkRetention,
  checkServerlessV2,
  validateIdentifier,
  validateMasterUsername,
  validatePassword,
  validateTags,
} from './validation';

/** A 30-minute window derived from the seed, starting within 8 hours of `minutesFrom`. */
function randomWindow(seed: string, minutesFrom: number): string {
  const h = createHash('sha256').update(seed).digest();
  const start = minutesFrom + (h[0] % 16) * 30;
  const fmt = (m: number) => `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return `${fmt(start)}-${fmt(start + 30)}`;
}

/** The region's clusters (sorted by identifier) that pass the DescribeDBClusters filters. */
export function listClusters(s: RdsStore, region: string, now: number, filters: Filter[] = []): ClusterRec[] {
  settle(s, region, now);
  return filterSortedById(CLUSTER_FILTERS, [...s.region(region).clusters.values()], filters);
}

export function createCluster(s: RdsStore, region: string, input: CreateClusterInput, now: number): ClusterRec {
  settle(s, region, now);
  if (!input.DBClusterIdentifier) throw Faults.MissingParameter('The request must contain the parameter DBClusterIdentifier');
  if (!input.Engine) throw Faults.MissingParameter('The request must contain the parameter Engine');
  const id = validateIdentifier('DBClusterIdentifier', input.DBClusterIdentifier);
  if (!(ENGINES as string[]).includes(input.Engine)) {
    throw Faults.InvalidParameterValue(`Invalid DB engine: ${input.Engine}. This emulator supports aurora-mysql and aurora-postgresql.`);
  }
  const engine = input.Engine as Engine;
  const version = resolveEngineVersion(engine, input.EngineVersion);
  if (!version) throw Faults.InvalidParameterCombination(`Cannot find version ${input.EngineVersion} for ${engine}`);
  const engineMode = input.EngineMode ?? 'provisioned';
  if (engineMode !== 'provisioned') {
    throw Faults.InvalidParameterValue(`The engine mode ${engineMode} you requested is currently unavailable.`);
  }
  const masterUsername = validateMasterUsername(input.MasterUsername);
  const managed = input.ManageMasterUserPassword === true;
  if (managed && input.MasterUserPassword !== undefined) {
    throw Faults.InvalidParameterCombination(
      'You cannot specify MasterUserPassword when ManageMasterUserPassword is turned on.',
    );
  }
  if (!managed) validatePassword(input.MasterUserPassword);
  if (input.DatabaseName !== undefined) {
    const ok = engine === 'aurora-mysql' ? /^[a-zA-Z][a-zA-Z0-9_]{0,63}$/.test(input.DatabaseName) : /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/.test(input.DatabaseName);
    if (!ok) throw Faults.InvalidParameterValue(`DatabaseName ${input.DatabaseName} is not a valid database name for ${engine}.`);
  }
  const port = input.Port ?? DEFAULT_PORT[engine];
  if (!Number.isInteger(port) || port < 1150 || port > 65535) {
    throw Faults.InvalidParameterValue(`Invalid port ${port}. The port must be between 1150 and 65535.`);
  }
  const backtrackWindow = input.BacktrackWindow ?? 0;
  if (input.BacktrackWindow !== undefined) {
    if (engine !== 'aurora-mysql') throw Faults.InvalidParameterValue(`Backtrack is not enabled for the ${engine} engine.`);
    checkBacktrackWindow(backtrackWindow);
  }
  const retention = input.BackupRetentionPeriod ?? 1;
  checkRetention(retention);
  const subnet = (input.DBSubnetGroupName ?? 'default').toLowerCase();
  if (subnet !== 'default') throw Faults.DBSubnetGroupNotFound(`DBSubnetGroup ${input.DBSubnetGroupName} not found.`);
  const pg = input.DBClusterParameterGroupName ?? `default.${version.family}`;
  if (pg.toLowerCase() !== `default.${version.family}`) {
    throw Faults.DBClusterParameterGroupNotFound(`DBClusterParameterGroup not found: ${pg}`);
  }
  const regionAzs = availabilityZones(region);
  const azs = input.AvailabilityZones && input.AvailabilityZones.length > 0 ? input.AvailabilityZones : regionAzs;
  if (azs.length > 3) throw Faults.InvalidParameterValue('A DB cluster can have at most 3 availability zones.');
  for (const az of azs) {
    if (!regionAzs.includes(az)) throw Faults.InvalidParameterValue(`Availability zone '${az}' is unavailable in this region, please choose another zone set.`);
  }
  const storageType = input.StorageType ?? 'aurora';
  if (storageType !== 'aurora' && storageType !== 'aurora-iopt1') {
    throw Faults.InvalidParameterValue(`Invalid storage type: ${storageType}. Valid values for Aurora are aurora and aurora-iopt1.`);
  }
  const logs = input.EnableCloudwatchLogsExports ?? [];
  for (const l of logs) {
    if (!LOG_EXPORTS[engine].includes(l)) throw Faults.InvalidParameterValue(`You cannot use the log type ${l} with engine ${engine}.`);
  }
  const serverlessV2 = input.ServerlessV2ScalingConfiguration
    ? checkServerlessV2(engine, version.version, input.ServerlessV2ScalingConfiguration)
    : undefined;
  if (input.PreferredBackupWindow !== undefined) checkBackupWindow(input.PreferredBackupWindow);
  if (input.PreferredMaintenanceWindow !== undefined) checkMaintenanceWindow(input.PreferredMaintenanceWindow);
  const tags = validateTags(input.Tags ?? []);
  const r = s.region(region);
  if (r.clusters.has(id)) throw Faults.DBClusterAlreadyExists('DB Cluster already exists');
  const c: ClusterRec = {
    region,
    id,
    arn: `arn:aws:rds:${region}:${ACCOUNT_ID}:cluster:${id}`,
    resourceId: `cluster-${rand(26, UPPER)}`,
    engine,
    engineVersion: version.version,
    engineMode,
    family: version.family,
    port,
    masterUsername,
    databaseName: input.DatabaseName,
    manageMasterUserPassword: managed,
    masterUserSecretArn: managed
      ? `arn:aws:secretsmanager:${region}:${ACCOUNT_ID}:secret:rds!cluster-${randomUUID()}-${rand(6, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ')}`
      : undefined,
    masterUserSecretKmsKeyId: managed ? (input.MasterUserSecretKmsKeyId ?? `arn:aws:kms:${region}:${ACCOUNT_ID}:key/${randomUUID()}`) : undefined,
    storageEncrypted: input.StorageEncrypted ?? false,
    kmsKeyId: input.StorageEncrypted ? (input.KmsKeyId ?? `arn:aws:kms:${region}:${ACCOUNT_ID}:key/${randomUUID()}`) : undefined,
    deletionProtection: input.DeletionProtection ?? false,
    backtrackWindow,
    createdWithBacktrack: backtrackWindow > 0,
    backtrackConsumedChangeRecords: 0,
    backupRetentionPeriod: retention,
    preferredBackupWindow: input.PreferredBackupWindow ?? randomWindow(id + 'b', 3 * 60),
    preferredMaintenanceWindow: input.PreferredMaintenanceWindow ?? `sun:${randomWindow(id + 'm', 10 * 60)}`.replace('-', '-sun:'),
    vpcSecurityGroupIds: input.VpcSecurityGroupIds?.length ? input.VpcSecurityGroupIds : [`sg-${createHash('sha256').update(region).digest('hex').slice(0, 17)}`],
    availabilityZones: [...azs].sort(),
    dbSubnetGroup: 'default',
    parameterGroup: `default.${version.family}`,
    tags,
    storageType,
    logExports: logs,
    iamAuth: input.EnableIAMDatabaseAuthentication ?? false,
    copyTagsToSnapshot: input.CopyTagsToSnapshot ?? false,
    performanceInsights: input.EnablePerformanceInsights ?? false,
    serverlessV2,
    httpEndpointEnabled: input.EnableHttpEndpoint === true,
    createdAt: now,
    op: { kind: 'create', startedAt: now, durationMs: s.durations.createCluster },
    writerHistory: [],
    failovers: [],
    backtracks: [],
    reboots: [],
    stopped: [],
    workload: 'steady',
    workloadHistory: [],
    pastInstances: [],
  };
  r.clusters.set(id, c);
  s.saveCluster(c);
  s.due(r, now + s.durations.createCluster);
  return c;
}

export function modifyCluster(s: RdsStore, region: string, input: ModifyClusterInput, now: number): ClusterRec {
  const c = s.getCluster(region, input.DBClusterIdentifier, now);
  const r = s.region(region);
  if (input.BacktrackWindow !== undefined) {
    if (c.engine !== 'aurora-mysql') throw Faults.InvalidParameterValue(`Backtrack is not enabled for the ${c.engine} engine.`);
    checkBacktrackWindow(input.BacktrackWindow);
    if (input.BacktrackWindow > 0 && !c.createdWithBacktrack) {
      throw Faults.InvalidParameterCombination(
        'Backtrack can only be enabled on a DB cluster that was created with backtrack enabled. To use backtrack, create a new DB cluster (or restore or clone) with a nonzero BacktrackWindow.',
      );
    }
  }
  if (input.BackupRetentionPeriod !== undefined) checkRetention(input.BackupRetentionPeriod);
  if (input.MasterUserPassword !== undefined) {
    if (c.manageMasterUserPassword) {
      throw Faults.InvalidParameterCombination('You cannot specify MasterUserPassword when ManageMasterUserPassword is turned on.');
    }
    validatePassword(input.MasterUserPassword);
  }
  const sv2 = input.ServerlessV2ScalingConfiguration
    ? checkServerlessV2(c.engine, c.engineVersion, input.ServerlessV2ScalingConfiguration)
    : undefined;
  const changes =
    input.BacktrackWindow !== undefined || input.BackupRetentionPeriod !== undefined || input.MasterUserPassword !== undefined;
  if (changes || sv2 || input.DeletionProtection !== undefined) requireClusterState(c, ['available'], 'modification');
  if (sv2) {
    // Capacity changes apply immediately and do not take the cluster through `modifying`.
    c.serverlessV2 = sv2;
  }
  if (input.DeletionProtection !== undefined) c.deletionProtection = input.DeletionProtection;
  if (changes) {
    if (input.ApplyImmediately) {
      if (input.BacktrackWindow !== undefined) {
        c.backtrackWindow = input.BacktrackWindow;
        if (input.BacktrackWindow === 0) c.createdWithBacktrack = false; // 0 disables permanently
      }
      if (input.BackupRetentionPeriod !== undefined) c.backupRetentionPeriod = input.BackupRetentionPeriod;
      c.pendingModifiedValues = undefined;
      c.op = { kind: 'modify', startedAt: now, durationMs: s.durations.modifyCluster };
      s.due(r, now + s.durations.modifyCluster);
    } else {
      const p = { ...(c.pendingModifiedValues ?? {}) };
      if (input.BacktrackWindow !== undefined) p.BacktrackWindow = input.BacktrackWindow;
      if (input.BackupRetentionPeriod !== undefined) p.BackupRetentionPeriod = input.BackupRetentionPeriod;
      c.pendingModifiedValues = Object.keys(p).length ? p : undefined;
      if (input.MasterUserPassword !== undefined) {
        // The master password always applies at once.
        c.op = { kind: 'modify', startedAt: now, durationMs: s.durations.modifyCluster };
        s.due(r, now + s.durations.modifyCluster);
      }
    }
  }
  s.saveCluster(c);
  return c;
}

export function deleteCluster(
  s: RdsStore,
  region: string,
  input: { DBClusterIdentifier: string; SkipFinalSnapshot?: boolean; FinalDBSnapshotIdentifier?: string },
  now: number,
): ClusterRec {
  const c = s.getCluster(region, input.DBClusterIdentifier, now);
  const skip = input.SkipFinalSnapshot ?? false;
  if (skip && input.FinalDBSnapshotIdentifier !== undefined) {
    throw Faults.InvalidParameterCombination('FinalDBSnapshotIdentifier can not be specified when deleting a cluster with SkipFinalSnapshot=true.');
  }
  if (!skip) {
    if (input.FinalDBSnapshotIdentifier === undefined) {
      throw Faults.InvalidParameterCombination('FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.');
    }
    validateIdentifier('FinalDBSnapshotIdentifier', input.FinalDBSnapshotIdentifier, 255);
  }
  if (c.deletionProtection) {
    throw Faults.InvalidParameterCombination('Cannot delete protected Cluster, please disable deletion protection and try again.');
  }
  requireClusterState(c, ['available', 'stopped', 'creating', 'modifying'], 'deletion');
  const members = s.members(c);
  if (members.some((i) => i.op?.kind !== 'delete')) {
    throw Faults.InvalidDBClusterState('Cluster cannot be deleted, it still contains DB instances in non-deleting state.');
  }
  let end = now + s.durations.deleteCluster;
  for (const i of members) end = Math.max(end, i.op!.startedAt + i.op!.durationMs);
  c.automaticRestartTime = undefined;
  const last = c.stopped[c.stopped.length - 1];
  if (last && last.to === undefined) last.to = now;
  c.op = { kind: 'delete', startedAt: now, durationMs: end - now };
  s.saveCluster(c);
  s.due(s.region(region), end);
  return c;
}

export function stopCluster(s: RdsStore, region: string, id: string, now: number): ClusterRec {
  const c = s.getCluster(region, id, now);
  requireClusterState(c, ['available'], 'stopping');
  const busy = s.members(c).find((i) => i.op);
  if (busy) {
    throw Faults.InvalidDBInstanceState(`Instance ${busy.id} is not in a valid state to stop the DB cluster: ${instanceStatus(busy, c)}.`);
  }
  c.op = { kind: 'stop', startedAt: now, durationMs: s.durations.stopCluster };
  s.saveCluster(c);
  s.due(s.region(region), now + s.durations.stopCluster);
  return c;
}

export function startCluster(s: RdsStore, region: string, id: string, now: number): ClusterRec {
  const c = s.getCluster(region, id, now);
  if (clusterStatus(c) !== 'stopped') {
    throw Faults.InvalidDBClusterState(`DbCluster ${c.id} is in ${clusterStatus(c)} state but expected it to be one of stopped,inaccessible-encryption-credentials-recoverable.`);
  }
  c.automaticRestartTime = undefined;
  c.op = { kind: 'start', startedAt: now, durationMs: s.durations.startCluster };
  s.saveCluster(c);
  s.due(s.region(region), now + s.durations.startCluster);
  return c;
}
