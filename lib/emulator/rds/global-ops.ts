// Aurora Global Database operations (RDS API reference): CreateGlobalCluster, ModifyGlobalCluster,
// DeleteGlobalCluster, RemoveFromGlobalCluster, SwitchoverGlobalCluster, FailoverGlobalCluster, and the checks
// CreateDBCluster / DeleteDBCluster make for a global member. Each validates everything before changing
// anything (nothing half-done), then records state that settles from timestamps (global-store.ts).
import { ENGINES, resolveEngineVersion, type Engine } from './catalogue';
import { Faults } from './errors';
import { rand, UPPER, type ClusterRec } from './records';
import { clusterStatus } from './settle';
import type { GlobalStore } from './global-store';
import {
  GlobalFaults,
  globalArn,
  MAX_GLOBAL_CLUSTERS,
  MAX_SECONDARIES,
  parseClusterRef,
  sameRef,
  type GlobalClusterRec,
  type GlobalOpRec,
  type MemberRef,
} from './global-records';
import { validateIdentifier, validateTags } from './validation';

export interface CreateGlobalInput {
  GlobalClusterIdentifier: string;
  SourceDBClusterIdentifier?: string;
  Engine?: string;
  EngineVersion?: string;
  DatabaseName?: string;
  StorageEncrypted?: boolean;
  DeletionProtection?: boolean;
  Tags?: { Key?: string; Value?: string }[];
}

function globalId(value: string): string {
  return validateIdentifier('GlobalClusterIdentifier', value);
}

function requireNoOp(g: GlobalClusterRec, action: string): void {
  if (g.op) {
    throw GlobalFaults.InvalidGlobalClusterState(
      `Global cluster ${g.id} is not in a valid state for ${action}: a global ${g.op.kind} to ${g.op.to.clusterId} is in progress.`,
    );
  }
}

export function createGlobalCluster(gs: GlobalStore, region: string, input: CreateGlobalInput, now: number): GlobalClusterRec {
  gs.settle(now);
  const id = globalId(input.GlobalClusterIdentifier);
  if (gs.has(id)) throw GlobalFaults.GlobalClusterAlreadyExists(`Global cluster ${id} already exists.`);
  if (gs.count() >= MAX_GLOBAL_CLUSTERS) throw GlobalFaults.GlobalClusterQuotaExceeded('The quota of global clusters for this account has been reached.');
  const tags = validateTags(input.Tags ?? []);
  let source: ClusterRec | undefined;
  let engine: Engine;
  let version: string;
  if (input.SourceDBClusterIdentifier) {
    for (const [name, v] of [['Engine', input.Engine], ['EngineVersion', input.EngineVersion], ['DatabaseName', input.DatabaseName], ['StorageEncrypted', input.StorageEncrypted]] as const) {
      if (v !== undefined) {
        throw Faults.InvalidParameterCombination(`${name} cannot be specified with SourceDBClusterIdentifier; the global cluster takes it from the source DB cluster.`);
      }
    }
    const ref = parseClusterRef(input.SourceDBClusterIdentifier, region);
    source = gs.store.getCluster(ref.region, ref.clusterId, now);
    if (gs.membershipOf(ref, now)) {
      throw Faults.InvalidDBClusterState(`DB cluster ${source.id} is already a member of a global cluster.`);
    }
    if (clusterStatus(source) !== 'available') {
      throw Faults.InvalidDBClusterState(`DB cluster ${source.id} is not in a valid state to create a global cluster from; its status is ${clusterStatus(source)}.`);
    }
    engine = source.engine;
    version = source.engineVersion;
  } else {
    if (!input.Engine) throw Faults.MissingParameter('The request must contain the parameter Engine (or SourceDBClusterIdentifier).');
    if (!(ENGINES as string[]).includes(input.Engine)) throw Faults.InvalidParameterValue(`Invalid DB engine: ${input.Engine}.`);
    engine = input.Engine as Engine;
    const v = resolveEngineVersion(engine, input.EngineVersion);
    if (!v) throw Faults.InvalidParameterCombination(`Cannot find version ${input.EngineVersion} for ${engine}`);
    version = v.version;
  }
  const g: GlobalClusterRec = {
    id,
    arn: globalArn(id),
    resourceId: `cluster-${rand(16, UPPER).toLowerCase()}`,
    engine,
    engineVersion: version,
    databaseName: source ? source.databaseName : input.DatabaseName,
    storageEncrypted: source ? source.storageEncrypted : (input.StorageEncrypted ?? false),
    deletionProtection: input.DeletionProtection ?? false,
    tags,
    createdAt: now,
    endpointToken: rand(12, 'abcdefghijklmnopqrstuvwxyz0123456789'),
    memberships: source ? [{ region: source.region, clusterId: source.id, from: now }] : [],
    primaryHistory: source ? [{ region: source.region, clusterId: source.id, from: now }] : [],
    completedOps: [],
  };
  gs.add(g);
  return g;
}

export function modifyGlobalCluster(
  gs: GlobalStore,
  input: { GlobalClusterIdentifier: string; NewGlobalClusterIdentifier?: string; DeletionProtection?: boolean; EngineVersion?: string },
  now: number,
): GlobalClusterRec {
  const g = gs.get(input.GlobalClusterIdentifier, now);
  const next = input.NewGlobalClusterIdentifier !== undefined ? globalId(input.NewGlobalClusterIdentifier) : undefined;
  if (next !== undefined && next !== g.id && gs.has(next)) throw GlobalFaults.GlobalClusterAlreadyExists(`Global cluster ${next} already exists.`);
  if (input.EngineVersion !== undefined && input.EngineVersion !== g.engineVersion) {
    throw Faults.InvalidParameterValue('Upgrading the engine version of a global cluster is not supported by the local endpoint.');
  }
  if (next !== undefined || input.DeletionProtection !== undefined) requireNoOp(g, 'modification');
  if (input.DeletionProtection !== undefined) g.deletionProtection = input.DeletionProtection;
  if (next !== undefined && next !== g.id) gs.rename(g, next);
  else gs.save(g);
  return g;
}

export function deleteGlobalCluster(gs: GlobalStore, id: string, now: number): GlobalClusterRec {
  const g = gs.get(id, now);
  if (gs.current(g).length > 0) {
    throw GlobalFaults.InvalidGlobalClusterState(`Global cluster ${g.id} still has members; remove them with RemoveFromGlobalCluster first.`);
  }
  if (g.deletionProtection) {
    throw Faults.InvalidParameterCombination('Cannot delete protected global cluster, please disable deletion protection and try again.');
  }
  gs.remove(g);
  return g;
}

export function removeFromGlobalCluster(gs: GlobalStore, region: string, id: string, dbCluster: string, now: number): GlobalClusterRec {
  const g = gs.get(id, now);
  const ref = parseClusterRef(dbCluster, region);
  const m = gs.current(g).find((x) => sameRef(x, ref) || (!dbCluster.startsWith('arn:') && x.clusterId === ref.clusterId));
  if (!m) throw Faults.DBClusterNotFound(`DB cluster ${dbCluster} is not a member of global cluster ${g.id}.`);
  requireNoOp(g, 'removing a member');
  const isPrimary = sameRef(gs.primary(g), m);
  if (isPrimary && gs.current(g).length > 1) {
    throw GlobalFaults.InvalidGlobalClusterState(
      `The primary DB cluster ${m.clusterId} of global cluster ${g.id} cannot be removed while secondary clusters exist; remove the secondaries first.`,
    );
  }
  m.to = now;
  gs.save(g);
  gs.store.event(m.region, now, 'db-cluster', m.clusterId, `DB cluster was removed from global database ${g.id}${isPrimary ? '.' : ' and is now a standalone, writable cluster.'}`, ['global-failover']);
  return g;
}

/** Resolves TargetDbClusterIdentifier (an ARN, or an identifier unique among the members). */
function targetOf(gs: GlobalStore, g: GlobalClusterRec, region: string, value: string, now: number): MemberRef {
  const ref = parseClusterRef(value, region);
  const members = gs.current(g);
  const m = value.startsWith('arn:') ? members.find((x) => sameRef(x, ref)) : members.find((x) => x.clusterId === ref.clusterId);
  if (!m) {
    gs.store.getCluster(ref.region, ref.clusterId, now); // DBClusterNotFoundFault when it does not exist at all
    throw Faults.InvalidParameterValue(`The DB cluster ${value} is not a member of global cluster ${g.id}.`);
  }
  if (sameRef(gs.primary(g), m)) {
    throw Faults.InvalidParameterValue(`The DB cluster ${m.clusterId} is already the primary cluster of global cluster ${g.id}.`);
  }
  const c = gs.cluster(m, now)!;
  if (clusterStatus(c) !== 'available') {
    throw Faults.InvalidDBClusterState(`DB cluster ${c.id} is not in a valid state to become the primary; its status is ${clusterStatus(c)}.`);
  }
  if (!gs.store.members(c).some((i) => i.op?.kind !== 'delete' && i.op?.kind !== 'create')) {
    throw Faults.InvalidDBClusterState(`DB cluster ${c.id} has no available DB instance to promote.`);
  }
  return { region: m.region, clusterId: m.clusterId };
}

export function switchoverGlobalCluster(gs: GlobalStore, region: string, id: string, target: string, now: number): GlobalClusterRec {
  const g = gs.get(id, now);
  requireNoOp(g, 'a switchover');
  const to = targetOf(gs, g, region, target, now);
  const from = gs.primary(g)!;
  if (gs.outages.isUnreachable(from.region, now)) {
    throw GlobalFaults.InvalidGlobalClusterState(
      `The primary DB cluster ${from.clusterId} in ${from.region} cannot be reached; a switchover needs it. Use FailoverGlobalCluster with AllowDataLoss.`,
    );
  }
  const primary = gs.cluster(from, now)!;
  if (clusterStatus(primary) !== 'available') {
    throw Faults.InvalidDBClusterState(`DB cluster ${primary.id} is not in a valid state for a switchover; its status is ${clusterStatus(primary)}.`);
  }
  for (const m of gs.current(g)) {
    const st = gs.syncStatus(g, m, now);
    if (st !== 'connected') {
      throw GlobalFaults.InvalidGlobalClusterState(`Global cluster ${g.id} member ${m.clusterId} (${m.region}) is not in sync (${st}); a switchover needs every member connected.`);
    }
  }
  // Planned: writes stop on the primary after verification; the target then catches up (its current lag) first.
  const m = gs.current(g).find((x) => sameRef(x, to))!;
  const lag = gs.valuesAt(g, m, now).AuroraGlobalDBReplicationLag;
  const pendingUntil = now + gs.store.durations.globalVerify + (Number.isFinite(lag) ? lag : 0);
  return begin(gs, g, { kind: 'switchover', startedAt: now, pendingUntil, completesAt: pendingUntil + gs.store.durations.globalSwitchover, from, to, allowDataLoss: false });
}

export function failoverGlobalCluster(
  gs: GlobalStore,
  region: string,
  input: { GlobalClusterIdentifier: string; TargetDbClusterIdentifier: string; AllowDataLoss?: boolean; Switchover?: boolean },
  now: number,
): GlobalClusterRec {
  if (input.AllowDataLoss === true && input.Switchover === true) {
    throw Faults.InvalidParameterCombination('AllowDataLoss and Switchover cannot both be specified.');
  }
  if (input.AllowDataLoss !== true) return switchoverGlobalCluster(gs, region, input.GlobalClusterIdentifier, input.TargetDbClusterIdentifier, now);
  const g = gs.get(input.GlobalClusterIdentifier, now);
  requireNoOp(g, 'a failover');
  const to = targetOf(gs, g, region, input.TargetDbClusterIdentifier, now);
  const from = gs.primary(g)!;
  const m = gs.current(g).find((x) => sameRef(x, to))!;
  // What had not reached the target is lost: its RPO lag at the moment of the promotion.
  const rpo = gs.valuesAt(g, m, now).AuroraGlobalDBRPOLag;
  const pendingUntil = now + gs.store.durations.globalVerify;
  return begin(gs, g, {
    kind: 'failover',
    startedAt: now,
    pendingUntil,
    completesAt: pendingUntil + gs.store.durations.globalFailover,
    from,
    to,
    allowDataLoss: true,
    dataLossMs: Number.isFinite(rpo) ? rpo : 0,
  });
}

function begin(gs: GlobalStore, g: GlobalClusterRec, op: GlobalOpRec): GlobalClusterRec {
  g.op = op;
  gs.save(g);
  const what = op.kind === 'switchover' ? 'switchover' : 'failover';
  const loss = op.kind === 'failover' ? ` Data loss is allowed: about ${Math.round(op.dataLossMs ?? 0)} ms of writes had not been replicated.` : '';
  gs.globalEvent(g, op.startedAt, `Global ${what} to DB cluster ${op.to.clusterId} in Region ${op.to.region} started.${loss}`, ['global-' + what], [op.to, op.from]);
  return g;
}

// ------------------------------------------------------------------ CreateDBCluster / DeleteDBCluster checks

export interface MemberPlan {
  g: GlobalClusterRec;
  role: 'primary' | 'secondary';
  /** For a secondary: what it inherits from the primary. */
  inherit?: { MasterUsername: string; DatabaseName?: string };
}

/** CreateDBCluster … GlobalClusterIdentifier: which role the new cluster takes, after checking everything. */
export function planMember(
  gs: GlobalStore,
  region: string,
  input: { GlobalClusterIdentifier: string; Engine?: string; EngineVersion?: string; MasterUsername?: string; MasterUserPassword?: string; ManageMasterUserPassword?: boolean },
  now: number,
): MemberPlan {
  const g = gs.get(input.GlobalClusterIdentifier, now);
  requireNoOp(g, 'adding a member');
  if (input.Engine !== undefined && input.Engine !== g.engine) {
    throw Faults.InvalidParameterCombination(`The engine ${input.Engine} does not match the engine ${g.engine} of global cluster ${g.id}.`);
  }
  if (input.EngineVersion !== undefined && input.EngineVersion.split('.')[0] !== g.engineVersion.split('.')[0]) {
    throw Faults.InvalidParameterCombination(`The engine version ${input.EngineVersion} does not match the version ${g.engineVersion} of global cluster ${g.id}.`);
  }
  const members = gs.current(g);
  const primary = gs.primary(g);
  if (primary && (input.MasterUsername !== undefined || input.MasterUserPassword !== undefined || input.ManageMasterUserPassword)) {
    throw Faults.InvalidParameterCombination(
      'A secondary cluster of a global database takes its master user from the primary: MasterUsername, MasterUserPassword and ManageMasterUserPassword cannot be specified.',
    );
  }
  if (members.some((m) => m.region === region)) {
    throw GlobalFaults.InvalidGlobalClusterState(`Global cluster ${g.id} already has a member in ${region}; each member must be in a different Region.`);
  }
  if (!primary) return { g, role: 'primary' };
  if (members.length - 1 >= MAX_SECONDARIES) {
    throw GlobalFaults.InvalidGlobalClusterState(`Global cluster ${g.id} already has ${MAX_SECONDARIES} secondary clusters.`);
  }
  const pc = gs.cluster(primary)!;
  return { g, role: 'secondary', inherit: { MasterUsername: pc.masterUsername, DatabaseName: pc.databaseName } };
}

/** The created cluster joins the global cluster (as primary when it was empty). */
export function joinMember(gs: GlobalStore, plan: MemberPlan, c: ClusterRec, now: number): void {
  const g = plan.g;
  g.memberships.push({ region: c.region, clusterId: c.id, from: now });
  if (plan.role === 'primary') {
    g.primaryHistory.push({ region: c.region, clusterId: c.id, from: now });
    if (!g.databaseName) g.databaseName = c.databaseName;
  }
  gs.save(g);
}

/** DeleteDBCluster refuses a cluster that is still a member of a global cluster. */
export function checkClusterDeletable(gs: GlobalStore, c: ClusterRec, now: number): void {
  const x = gs.membershipOf({ region: c.region, clusterId: c.id }, now);
  if (x) {
    throw Faults.InvalidDBClusterState(`This cluster is a part of global cluster ${x.g.id}, please remove it from the global cluster first.`);
  }
}
