import 'server-only';
// Aurora Global Database: typed operations over CreateGlobalCluster, DescribeGlobalClusters, RemoveFromGlobalCluster,
// DeleteGlobalCluster, SwitchoverGlobalCluster, FailoverGlobalCluster, and CreateDBCluster/CreateDBInstance for a
// secondary region. Every AWS fault leaves here as an AppError (lib/aws/errors.ts).
//
// DescribeGlobalClusters is a global listing: it is sent to ONE configured region, and only when that region fails
// (unreachable, a server error, throttled) to the next; a region that failed in the last 30 s is tried last, so
// a regional outage does not slow every page by the retries against the dead region first.
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  CreateGlobalClusterCommand,
  DeleteGlobalClusterCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  RemoveFromGlobalClusterCommand,
  SwitchoverGlobalClusterCommand,
  type GlobalCluster,
} from '@aws-sdk/client-rds';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { rdsClient } from '../clients';
import { toAppError } from '../errors';
import { findMember, type GlobalDatabaseDTO, type GlobalListing, type RegionFailure } from '../global-types';
import { collectPages } from '../paginate';
import { cachedRead, invalidateRegionReads } from '../read-cache';
import { instanceName, type CreateStep, type MutationResult } from '../types';
import { getCluster } from './clusters';
import { toGlobalDatabaseDTO } from './global-mapping';

const GLOBAL_TTL_MS = 2_000;
const RECENT_FAILURE_MS = 30_000;
/** Faults that would be the same in every region: no point asking the next one. */
const SAME_EVERYWHERE = new Set(['GLOBAL_NOT_FOUND', 'INVALID_PARAMETER', 'AWS_ACCESS_DENIED', 'AWS_CREDENTIALS_INVALID', 'INVALID_REGION']);

const g = globalThis as unknown as { __afcGlobalRegionFailures?: Map<string, number> };
const recentFailures = () => (g.__afcGlobalRegionFailures ??= new Map<string, number>());

/** The configured regions in the order to ask: those that failed in the last 30 s go last. */
export function regionOrder(regions: readonly string[], failures: ReadonlyMap<string, number>, now = Date.now()): string[] {
  const bad = (r: string) => (now - (failures.get(r) ?? -Infinity) < RECENT_FAILURE_MS ? 1 : 0);
  return [...regions].sort((a, b) => bad(a) - bad(b));
}

/** Run `call` in the first configured region that answers; the regions that failed first are reported. */
async function inFirstAnsweringRegion<T>(call: (region: string) => Promise<T>): Promise<{ value: T; region: string; failedRegions: RegionFailure[] }> {
  const failedRegions: RegionFailure[] = [];
  const failures = recentFailures();
  for (const region of regionOrder(getEnv().regions, failures)) {
    try {
      const value = await call(region);
      failures.delete(region);
      return { value, region, failedRegions };
    } catch (e) {
      const err = toAppError(e);
      if (SAME_EVERYWHERE.has(err.code)) throw err;
      failures.set(region, Date.now());
      failedRegions.push({ region, error: err.message, code: err.code });
    }
  }
  throw new AppError('ALL_REGIONS_FAILED', `No configured region answered DescribeGlobalClusters: ${failedRegions.map((f) => `${f.region}: ${f.error}`).join(' ')}`, {
    status: 502,
  });
}

function describeAll(region: string, globalId?: string): Promise<GlobalCluster[]> {
  return collectPages(
    (marker) => rdsClient(region).send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: globalId, Marker: marker, MaxRecords: 100 })),
    (page) => page.GlobalClusters,
  );
}

/** Every global database of the account, read in one configured region (the next when it fails). Cached 2 s. */
export function listGlobalDatabases(opts: { maxAgeMs?: number } = {}): Promise<GlobalListing> {
  const home = getEnv().regions[0];
  return cachedRead(home, 'global-clusters', opts.maxAgeMs ?? GLOBAL_TTL_MS, async () => {
    const r = await inFirstAnsweringRegion((region) => describeAll(region));
    const databases = r.value.map(toGlobalDatabaseDTO).sort((a, b) => a.id.localeCompare(b.id));
    return { databases, readFrom: r.region, failedRegions: r.failedRegions };
  });
}

/** One global database (404 AppError when it does not exist), with where it was read from. */
export async function getGlobalDatabase(globalId: string, opts: { maxAgeMs?: number } = {}): Promise<GlobalListing & { db: GlobalDatabaseDTO }> {
  const listing = await listGlobalDatabases(opts);
  const db = listing.databases.find((d) => d.id === globalId.toLowerCase());
  if (!db) throw new AppError('GLOBAL_NOT_FOUND', `Global database ${globalId} does not exist (read in ${listing.readFrom}). It may have been deleted.`, { status: 404 });
  return { ...listing, db };
}

/** After a global write: the listing (cached under the first region) and every region's reads are stale. */
function invalidateGlobalReads() {
  for (const r of getEnv().regions) invalidateRegionReads(r);
}

async function send<T extends { $metadata: { requestId?: string } }>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toAppError(e);
  } finally {
    invalidateGlobalReads();
  }
}

/**
 * CreateGlobalCluster from an existing cluster (SourceDBClusterIdentifier = its ARN), sent in that cluster's region.
 * The cluster becomes the primary; engine, version and database name come from it.
 */
export async function createGlobalDatabase(p: { globalId: string; region: string; clusterId: string; deletionProtection?: boolean }): Promise<MutationResult<GlobalDatabaseDTO>> {
  const cluster = await getCluster(p.region, p.clusterId, { maxAgeMs: 0 });
  if (cluster.globalClusterId) {
    throw new AppError('ALREADY_GLOBAL', `${cluster.id} already belongs to global database ${cluster.globalClusterId}; a cluster can be in one global database only.`, {
      status: 409,
    });
  }
  if (cluster.status !== 'available') {
    throw new AppError('CLUSTER_NOT_AVAILABLE', `${cluster.id} is ${cluster.status}; wait until it is available to make it the primary of a global database.`, { status: 409 });
  }
  if (!cluster.arn) throw new AppError('NO_ARN', `AWS reported no ARN for ${cluster.id}; cannot name it as the source cluster.`, { status: 502 });
  const out = await send(() =>
    rdsClient(p.region).send(
      new CreateGlobalClusterCommand({ GlobalClusterIdentifier: p.globalId.toLowerCase(), SourceDBClusterIdentifier: cluster.arn, DeletionProtection: p.deletionProtection }),
    ),
  );
  if (!out.GlobalCluster) throw new AppError('EMPTY_RESPONSE', 'AWS accepted CreateGlobalCluster but returned no global cluster; reload the page.', { status: 502 });
  return { data: toGlobalDatabaseDTO(out.GlobalCluster), awsRequestId: out.$metadata.requestId };
}

export interface AddSecondaryParams {
  globalId: string;
  region: string;
  clusterId: string;
  instanceClass: string;
  instanceCount: number;
}

export interface AddSecondaryResult {
  region: string;
  clusterId: string;
  steps: CreateStep[];
  complete: boolean;
}

/**
 * A secondary region: CreateDBCluster with GlobalClusterIdentifier in that region (no master credentials: they
 * come from the primary), then CreateDBInstance × instanceCount. Refused before any call when the region already
 * holds a member. A cluster failure throws (nothing was created); an instance failure is returned as a step.
 */
export async function addSecondaryRegion(p: AddSecondaryParams): Promise<MutationResult<AddSecondaryResult>> {
  const { db } = await getGlobalDatabase(p.globalId, { maxAgeMs: 0 });
  const here = db.members.find((m) => m.region === p.region);
  if (here) {
    throw new AppError('REGION_ALREADY_MEMBER', `${db.id} already has a ${here.role} cluster in ${p.region} (${here.clusterId}); a global database has at most one cluster per region.`, {
      status: 409,
      fieldErrors: { region: [`${p.region} already holds ${here.clusterId}.`] },
    });
  }
  if (db.failoverState) throw new AppError('GLOBAL_BUSY', `A ${db.failoverState.dataLossAllowed ? 'failover' : 'switchover'} of ${db.id} is running; add the region when it has finished.`, { status: 409 });
  const clusterId = p.clusterId.toLowerCase();
  const client = rdsClient(p.region);
  const out = await send(() =>
    client.send(new CreateDBClusterCommand({ DBClusterIdentifier: clusterId, GlobalClusterIdentifier: db.id, Engine: db.engine, EngineVersion: db.engineVersion })),
  );
  const steps: CreateStep[] = [{ kind: 'cluster', id: clusterId, ok: true, awsRequestId: out.$metadata.requestId }];
  for (let n = 1; n <= p.instanceCount; n++) {
    const id = instanceName(clusterId, n);
    if (steps.some((s) => !s.ok)) {
      steps.push({ kind: 'reader', id, ok: false, skipped: true });
      continue;
    }
    try {
      const r = await client.send(
        new CreateDBInstanceCommand({ DBInstanceIdentifier: id, DBClusterIdentifier: clusterId, Engine: db.engine, DBInstanceClass: p.instanceClass, PromotionTier: 1 }),
      );
      steps.push({ kind: 'reader', id, ok: true, awsRequestId: r.$metadata.requestId });
    } catch (e) {
      const err = toAppError(e);
      steps.push({ kind: 'reader', id, ok: false, error: err.message, code: err.code, awsRequestId: err.awsRequestId });
    }
  }
  invalidateGlobalReads();
  return { data: { region: p.region, clusterId, steps, complete: steps.every((s) => s.ok) }, awsRequestId: out.$metadata.requestId };
}

/** RemoveFromGlobalCluster for a secondary (sent in its region): it becomes a standalone, writable cluster. */
export async function detachSecondary(p: { globalId: string; region: string; clusterId: string }): Promise<MutationResult<{ globalId: string; arn: string }>> {
  const { db } = await getGlobalDatabase(p.globalId, { maxAgeMs: 0 });
  const m = findMember(db, p.region, p.clusterId);
  if (!m) throw new AppError('NOT_A_MEMBER', `${p.clusterId} (${p.region}) is not a member of ${db.id}.`, { status: 404 });
  if (m.role === 'primary' && db.members.length > 1) {
    throw new AppError('DETACH_PRIMARY', `${m.clusterId} is the primary of ${db.id}. Detach the secondaries first, or switch over so that it becomes a secondary.`, { status: 409 });
  }
  const out = await send(() => rdsClient(p.region).send(new RemoveFromGlobalClusterCommand({ GlobalClusterIdentifier: db.id, DbClusterIdentifier: m.arn })));
  return { data: { globalId: db.id, arn: m.arn }, awsRequestId: out.$metadata.requestId };
}

/** DeleteGlobalCluster; refused here when members remain (AWS refuses it too). Sent in the first answering region. */
export async function deleteGlobalDatabase(globalId: string): Promise<MutationResult<{ globalId: string }>> {
  const { db, readFrom } = await getGlobalDatabase(globalId, { maxAgeMs: 0 });
  if (db.members.length > 0) {
    throw new AppError('GLOBAL_HAS_MEMBERS', `${db.id} still has ${db.members.length} member cluster(s) (${db.members.map((m) => m.clusterId).join(', ')}). Detach them first; then delete the empty global database.`, {
      status: 409,
    });
  }
  const out = await send(() => rdsClient(readFrom).send(new DeleteGlobalClusterCommand({ GlobalClusterIdentifier: db.id })));
  return { data: { globalId: db.id }, awsRequestId: out.$metadata.requestId };
}

/**
 * SwitchoverGlobalCluster (planned: Aurora waits for the target to be in sync, no data loss) or FailoverGlobalCluster
 * --allow-data-loss (unplanned). Sent in the TARGET's region: in an outage the primary's region may not answer.
 */
export async function switchGlobalPrimary(p: {
  globalId: string;
  targetRegion: string;
  targetArn: string;
  mode: 'switchover' | 'failover';
}): Promise<MutationResult<GlobalDatabaseDTO | undefined>> {
  const client = rdsClient(p.targetRegion);
  const out = await send(() =>
    p.mode === 'switchover'
      ? client.send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: p.globalId, TargetDbClusterIdentifier: p.targetArn }))
      : client.send(new FailoverGlobalClusterCommand({ GlobalClusterIdentifier: p.globalId, TargetDbClusterIdentifier: p.targetArn, AllowDataLoss: true })),
  );
  return { data: out.GlobalCluster ? toGlobalDatabaseDTO(out.GlobalCluster) : undefined, awsRequestId: out.$metadata.requestId };
}
