// Instance lifecycle: create, modify, delete and reboot of Aurora cluster members. Each validates
// like RDS, then records an operation that settles later (settle.ts).
import { ENGINES, isOrderable, resolveEngineVersion } from './catalogue';
import { Faults } from './errors';
import { filterSortedById, INSTANCE_FILTERS } from './filters';
import { ACCOUNT_ID, arnToId, MAX_READERS, rand, UPPER, type CreateInstanceInput, type Filter, type InstanceRec } from './records';
import { clusterStatus, instanceStatus, settle } from './settle';
import type { RdsStore } from './store';
import { validateIdentifier, validateTags } from './validation';

/** The region's instances (sorted by identifier) that pass the DescribeDBInstances filters. */
export function listInstances(s: RdsStore, region: string, now: number, filters: Filter[] = []): InstanceRec[] {
  settle(s, region, now);
  return filterSortedById(INSTANCE_FILTERS, [...s.region(region).instances.values()], filters);
}

export function createInstance(s: RdsStore, region: string, input: CreateInstanceInput, now: number): InstanceRec {
  settle(s, region, now);
  if (!input.DBInstanceIdentifier) throw Faults.MissingParameter('The request must contain the parameter DBInstanceIdentifier');
  if (!input.DBInstanceClass) throw Faults.MissingParameter('The request must contain the parameter DBInstanceClass');
  if (!input.Engine) throw Faults.MissingParameter('The request must contain the parameter Engine');
  const id = validateIdentifier('DBInstanceIdentifier', input.DBInstanceIdentifier);
  if (input.DeletionProtection !== undefined) {
    throw Faults.InvalidParameterCombination(
      'Deletion Protection can only be applied on the Cluster level, not for individual instances',
    );
  }
  if (!input.DBClusterIdentifier) {
    if ((ENGINES as string[]).includes(input.Engine)) {
      throw Faults.InvalidParameterCombination(`The requested DB Instance will be a member of a DB Cluster. Set DBClusterIdentifier for ${input.Engine} instances.`);
    }
    throw Faults.InvalidParameterValue(`Invalid DB engine: ${input.Engine}. This emulator supports Aurora cluster instances only.`);
  }
  for (const p of ['MasterUsername', 'MasterUserPassword', 'AllocatedStorage'] as const) {
    if (input[p] !== undefined) {
      throw Faults.InvalidParameterCombination(`The requested DB Instance will be a member of a DB Cluster. Don't specify ${p} for the instance.`);
    }
  }
  const r = s.region(region);
  const c = r.clusters.get(arnToId(input.DBClusterIdentifier, 'cluster'));
  if (!c) throw Faults.DBClusterNotFound(`DBCluster ${input.DBClusterIdentifier.toLowerCase()} not found.`);
  if (input.Engine !== c.engine) {
    throw Faults.InvalidParameterCombination(
      `The engine name requested for your DB instance (${input.Engine}) doesn't match the engine name of your DB cluster (${c.engine}).`,
    );
  }
  if (input.EngineVersion !== undefined && input.EngineVersion !== c.engineVersion) {
    throw Faults.InvalidParameterCombination(
      `The engine version requested for your DB instance (${input.EngineVersion}) doesn't match the engine version of your DB cluster (${c.engineVersion}).`,
    );
  }
  if (r.instances.has(id)) throw Faults.DBInstanceAlreadyExists('DB instance already exists');
  const version = resolveEngineVersion(c.engine, c.engineVersion)!;
  if (!isOrderable(version, input.DBInstanceClass)) {
    throw Faults.InvalidParameterCombination(
      `RDS does not support creating a DB instance with the following combination: DBInstanceClass=${input.DBInstanceClass}, Engine=${c.engine}, EngineVersion=${c.engineVersion}, LicenseModel=general-public-license. For supported combinations of instance class and database engine version, see the documentation.`,
    );
  }
  if (input.DBInstanceClass === 'db.serverless' && !c.serverlessV2) {
    throw Faults.InvalidParameterCombination(
      'Set the Serverless v2 scaling configuration on the parent DB cluster before creating a Serverless v2 DB instance.',
    );
  }
  const status = clusterStatus(c);
  if (!['available', 'creating', 'modifying'].includes(status)) {
    throw Faults.InvalidDBClusterState(`The DB cluster ${c.id} is not in a valid state to add a DB instance: ${status}.`);
  }
  const members = s.members(c).filter((i) => i.op?.kind !== 'delete');
  if (members.length >= MAX_READERS + 1) {
    throw Faults.InstanceQuotaExceeded(
      `DB cluster ${c.id} already has ${members.length} DB instances. A cluster can have 1 writer and at most ${MAX_READERS} Aurora Replicas.`,
    );
  }
  const tier = input.PromotionTier ?? 1;
  if (!Number.isInteger(tier) || tier < 0 || tier > 15) {
    throw Faults.InvalidParameterValue(`Invalid value ${tier} for PromotionTier. Must be between 0 and 15.`);
  }
  const mi = input.MonitoringInterval ?? 0;
  if (![0, 1, 5, 10, 15, 30, 60].includes(mi)) {
    throw Faults.InvalidParameterValue('Invalid value for MonitoringInterval. Valid values are 0, 1, 5, 10, 15, 30, 60.');
  }
  let az = input.AvailabilityZone;
  if (az !== undefined) {
    if (!c.availabilityZones.includes(az)) {
      throw Faults.InvalidParameterCombination(
        `Cannot create a DB instance in availability zone ${az}: it is not one of the DB cluster's availability zones (${c.availabilityZones.join(', ')}).`,
      );
    }
  } else {
    const counts = new Map(c.availabilityZones.map((z) => [z, 0]));
    for (const m of members) counts.set(m.az, (counts.get(m.az) ?? 0) + 1);
    az = [...counts.entries()].sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))[0][0];
  }
  const tags = validateTags(input.Tags ?? []);
  const i: InstanceRec = {
    region,
    id,
    clusterId: c.id,
    arn: `arn:aws:rds:${region}:${ACCOUNT_ID}:db:${id}`,
    resourceId: `db-${rand(26, UPPER)}`,
    instanceClass: input.DBInstanceClass,
    engine: c.engine,
    engineVersion: c.engineVersion,
    az,
    promotionTier: tier,
    publiclyAccessible: input.PubliclyAccessible ?? false,
    monitoringInterval: mi,
    performanceInsights: input.EnablePerformanceInsights ?? false,
    autoMinorVersionUpgrade: input.AutoMinorVersionUpgrade ?? true,
    tags,
    createdAt: now,
    availableAt: now + s.durations.createInstance,
    op: { kind: 'create', startedAt: now, durationMs: s.durations.createInstance },
  };
  s.addInstance(r, i);
  if (!c.writerId || !r.instances.has(c.writerId)) {
    c.writerId = id;
    c.writerHistory.push({ instanceId: id, from: now });
    s.saveCluster(c);
  }
  s.saveInstance(i);
  s.due(r, i.availableAt);
  return i;
}

export function modifyInstance(
  s: RdsStore,
  region: string,
  input: { DBInstanceIdentifier: string; DBInstanceClass?: string; PromotionTier?: number; ApplyImmediately?: boolean; DeletionProtection?: boolean },
  now: number,
): InstanceRec {
  const i = s.getInstance(region, input.DBInstanceIdentifier, now);
  const c = s.clusterOf(i);
  if (input.DeletionProtection !== undefined) {
    throw Faults.InvalidParameterCombination('Deletion Protection can only be applied on the Cluster level, not for individual instances');
  }
  if (input.PromotionTier !== undefined && (!Number.isInteger(input.PromotionTier) || input.PromotionTier < 0 || input.PromotionTier > 15)) {
    throw Faults.InvalidParameterValue(`Invalid value ${input.PromotionTier} for PromotionTier. Must be between 0 and 15.`);
  }
  if (input.DBInstanceClass !== undefined && input.DBInstanceClass !== i.instanceClass) {
    const version = resolveEngineVersion(i.engine, i.engineVersion)!;
    if (!isOrderable(version, input.DBInstanceClass)) {
      throw Faults.InvalidParameterCombination(
        `RDS does not support creating a DB instance with the following combination: DBInstanceClass=${input.DBInstanceClass}, Engine=${i.engine}, EngineVersion=${i.engineVersion}, LicenseModel=general-public-license. For supported combinations of instance class and database engine version, see the documentation.`,
      );
    }
    if (input.DBInstanceClass === 'db.serverless' && !c?.serverlessV2) {
      throw Faults.InvalidParameterCombination('Set the Serverless v2 scaling configuration on the parent DB cluster before using db.serverless.');
    }
    const st = instanceStatus(i, c);
    if (st !== 'available') throw Faults.InvalidDBInstanceState(`Database instance is not in available state: ${st}.`);
    i.op = { kind: 'modify', startedAt: now, durationMs: s.durations.modifyInstance, instanceClass: input.DBInstanceClass };
    s.due(s.region(region), now + s.durations.modifyInstance);
  }
  if (input.PromotionTier !== undefined) i.promotionTier = input.PromotionTier;
  s.saveInstance(i);
  return i;
}

export function deleteInstance(s: RdsStore, region: string, id: string, now: number): InstanceRec {
  const i = s.getInstance(region, id, now);
  const c = s.clusterOf(i);
  const st = instanceStatus(i, c);
  if (st === 'deleting') throw Faults.InvalidDBInstanceState(`Instance ${i.id} is already being deleted.`);
  if (c) {
    const cs = clusterStatus(c);
    if (['failing-over', 'backtracking', 'stopping', 'stopped', 'starting', 'deleting'].includes(cs)) {
      throw Faults.InvalidDBClusterState(`The DB cluster ${c.id} is in ${cs} state; the DB instance ${i.id} cannot be deleted now.`);
    }
  }
  i.op = { kind: 'delete', startedAt: now, durationMs: s.durations.deleteInstance };
  s.saveInstance(i);
  s.due(s.region(region), now + s.durations.deleteInstance);
  return i;
}

export function rebootInstance(s: RdsStore, region: string, id: string, forceFailover: boolean | undefined, now: number): InstanceRec {
  const i = s.getInstance(region, id, now);
  const c = s.clusterOf(i);
  if (forceFailover) {
    throw Faults.InvalidParameterCombination('ForceFailover is not supported for Aurora DB instances. Use FailoverDBCluster instead.');
  }
  const st = instanceStatus(i, c);
  if (st !== 'available') {
    throw Faults.InvalidDBInstanceState('Instance cannot currently reboot due to an in-progress management operation.');
  }
  i.op = { kind: 'reboot', startedAt: now, durationMs: s.durations.reboot };
  s.event(region, now, 'db-instance', i.id, 'DB instance shutdown', ['availability']);
  s.saveInstance(i);
  s.due(s.region(region), now + s.durations.reboot);
  return i;
}
