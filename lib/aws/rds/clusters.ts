import 'server-only';
// Cluster reads: paged DescribeDBClusters + DescribeDBInstances, shaped into ClusterDTOs and shared through
// the read cache. Every AWS fault leaves here as an AppError.
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, type DBCluster, type DBInstance, type Filter } from '@aws-sdk/client-rds';
import { AppError } from '@/lib/errors';
import { rdsClient } from '../clients';
import { toAppError } from '../errors';
import { collectPages } from '../paginate';
import { markRegionBusy, readMaxAge } from '../poll-schedule';
import { cachedRead } from '../read-cache';
import type { ClusterDTO, RegionFleet } from '../types';
import { toClusterDTO } from './mapping';

const AURORA_ENGINE_FILTER: Filter = { Name: 'engine', Values: ['aurora-mysql', 'aurora-postgresql'] };

function describeAllClusters(region: string, input: { DBClusterIdentifier?: string; Filters?: Filter[] }): Promise<DBCluster[]> {
  return collectPages(
    (marker) => rdsClient(region).send(new DescribeDBClustersCommand({ ...input, Marker: marker, MaxRecords: 100 })),
    (page) => page.DBClusters,
  );
}

function describeAllInstances(region: string, filters: Filter[]): Promise<DBInstance[]> {
  return collectPages(
    (marker) => rdsClient(region).send(new DescribeDBInstancesCommand({ Filters: filters, Marker: marker, MaxRecords: 100 })),
    (page) => page.DBInstances,
  );
}

/** Every Aurora cluster in a region: one paginated DescribeDBClusters + one paginated DescribeDBInstances, shared through the read cache (`maxAgeMs: 0` reads afresh). */
export function listClusters(region: string, opts: { maxAgeMs?: number } = {}): Promise<ClusterDTO[]> {
  return cachedRead(region, 'fleet', opts.maxAgeMs ?? readMaxAge(region, 'fleet'), () => loadClusters(region));
}

async function loadClusters(region: string): Promise<ClusterDTO[]> {
  try {
    const [clusters, instances] = await Promise.all([
      describeAllClusters(region, { Filters: [AURORA_ENGINE_FILTER] }),
      describeAllInstances(region, [AURORA_ENGINE_FILTER]),
    ]);
    const out = clusters.map((c) => toClusterDTO(region, c, instances)).sort((a, b) => a.id.localeCompare(b.id));
    if (out.some((c) => c.anyTransitional)) markRegionBusy(region);
    return out;
  } catch (e) {
    throw toAppError(e);
  }
}

/** The fleet across regions, fetched in parallel; one failing region does not blank the others. */
export async function listFleet(regions: string[]): Promise<RegionFleet[]> {
  return Promise.all(
    regions.map(async (region): Promise<RegionFleet> => {
      try {
        return { region, ok: true, clusters: await listClusters(region) };
      } catch (e) {
        const err = toAppError(e);
        return { region, ok: false, error: err.message, code: err.code };
      }
    }),
  );
}

/**
 * One cluster with its instances (writer from DBClusterMembers.IsClusterWriter). 404 AppError when gone.
 * Served from the shared read cache for pages and polling; checks before a write pass `maxAgeMs: 0`.
 */
export function getCluster(region: string, clusterId: string, opts: { maxAgeMs?: number } = {}): Promise<ClusterDTO> {
  return cachedRead(region, `cluster:${clusterId.toLowerCase()}`, opts.maxAgeMs ?? readMaxAge(region, 'cluster'), () => loadCluster(region, clusterId));
}

async function loadCluster(region: string, clusterId: string): Promise<ClusterDTO> {
  try {
    const [clusters, instances] = await Promise.all([
      describeAllClusters(region, { DBClusterIdentifier: clusterId }),
      describeAllInstances(region, [{ Name: 'db-cluster-id', Values: [clusterId] }]),
    ]);
    const c = clusters[0];
    if (!c) throw new AppError('CLUSTER_NOT_FOUND', `Cluster ${clusterId} no longer exists in ${region}.`, { status: 404 });
    const dto = toClusterDTO(region, c, instances);
    if (dto.anyTransitional) markRegionBusy(region);
    return dto;
  } catch (e) {
    throw toAppError(e);
  }
}

/** Like getCluster, but null when the cluster does not exist. */
export async function findCluster(region: string, clusterId: string, opts: { maxAgeMs?: number } = {}): Promise<ClusterDTO | null> {
  try {
    return await getCluster(region, clusterId, opts);
  } catch (e) {
    if (e instanceof AppError && e.code === 'CLUSTER_NOT_FOUND') return null;
    throw e;
  }
}
