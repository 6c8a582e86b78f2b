import 'server-only';
// What the create form offers: engine versions, orderable instance classes (with their AZs) and subnet
// groups, each a paged describe shared through the read cache.
import { DescribeDBEngineVersionsCommand, DescribeDBSubnetGroupsCommand, DescribeOrderableDBInstanceOptionsCommand } from '@aws-sdk/client-rds';
import { rdsClient } from '../clients';
import { toAppError } from '../errors';
import { collectPages } from '../paginate';
import { cachedRead, READ_TTL_MS } from '../read-cache';
import type { EngineVersionDTO, OrderableClassDTO, SubnetGroupDTO } from '../types';

/** Pages of orderable options read (1000 options each); a longer listing is cut there rather than failing. */
const ORDERABLE_PAGES = 20;

export function listEngineVersions(region: string, engine: string): Promise<EngineVersionDTO[]> {
  return cachedRead(region, `versions:${engine}`, READ_TTL_MS.catalog, () => loadEngineVersions(region, engine));
}

async function loadEngineVersions(region: string, engine: string): Promise<EngineVersionDTO[]> {
  try {
    const versions = await collectPages(
      (marker) => rdsClient(region).send(new DescribeDBEngineVersionsCommand({ Engine: engine, Marker: marker, MaxRecords: 100 })),
      (page) => page.DBEngineVersions,
    );
    const out: EngineVersionDTO[] = [];
    for (const v of versions) {
      if (!v.EngineVersion) continue;
      out.push({
        engine: v.Engine ?? engine,
        version: v.EngineVersion,
        description: v.DBEngineVersionDescription,
        family: v.DBParameterGroupFamily,
        status: v.Status,
      });
    }
    // Newest first.
    return out.reverse();
  } catch (e) {
    throw toAppError(e);
  }
}

/** Instance classes orderable for an engine (and version), with the AZs each is offered in. */
export function listOrderableClasses(region: string, engine: string, version?: string): Promise<OrderableClassDTO[]> {
  return cachedRead(region, `classes:${engine}:${version ?? ''}`, READ_TTL_MS.catalog, () => loadOrderableClasses(region, engine, version));
}

async function loadOrderableClasses(region: string, engine: string, version?: string): Promise<OrderableClassDTO[]> {
  try {
    const options = await collectPages(
      (marker) =>
        rdsClient(region).send(
          new DescribeOrderableDBInstanceOptionsCommand({ Engine: engine, EngineVersion: version || undefined, Marker: marker, MaxRecords: 1000 }),
        ),
      (page) => page.OrderableDBInstanceOptions,
      undefined,
      ORDERABLE_PAGES,
    );
    const byClass = new Map<string, Set<string>>();
    for (const o of options) {
      if (!o.DBInstanceClass) continue;
      const azs = byClass.get(o.DBInstanceClass) ?? new Set<string>();
      for (const az of o.AvailabilityZones ?? []) if (az.Name) azs.add(az.Name);
      byClass.set(o.DBInstanceClass, azs);
    }
    return [...byClass.entries()]
      .map(([instanceClass, azs]) => ({ instanceClass, availabilityZones: [...azs].sort() }))
      .sort((a, b) => a.instanceClass.localeCompare(b.instanceClass));
  } catch (e) {
    throw toAppError(e);
  }
}

export function listSubnetGroups(region: string): Promise<SubnetGroupDTO[]> {
  return cachedRead(region, 'subnet-groups', READ_TTL_MS.catalog, () => loadSubnetGroups(region));
}

async function loadSubnetGroups(region: string): Promise<SubnetGroupDTO[]> {
  try {
    const groups = await collectPages(
      (marker) => rdsClient(region).send(new DescribeDBSubnetGroupsCommand({ Marker: marker, MaxRecords: 100 })),
      (page) => page.DBSubnetGroups,
    );
    const out: SubnetGroupDTO[] = [];
    for (const g of groups) {
      if (!g.DBSubnetGroupName) continue;
      out.push({
        name: g.DBSubnetGroupName,
        description: g.DBSubnetGroupDescription,
        vpcId: g.VpcId,
        availabilityZones: [...new Set((g.Subnets ?? []).map((s) => s.SubnetAvailabilityZone?.Name).filter((x): x is string => !!x))].sort(),
      });
    }
    return out;
  } catch (e) {
    throw toAppError(e);
  }
}

export interface CreateCatalog {
  region: string;
  engine: string;
  versions: EngineVersionDTO[];
  /** The version the classes were listed for (the newest when none was asked for). */
  version?: string;
  classes: OrderableClassDTO[];
  subnetGroups: SubnetGroupDTO[];
}

/** Everything the create form needs for (region, engine[, version]): three describes in parallel where possible. */
export async function loadCatalog(region: string, engine: string, version?: string): Promise<CreateCatalog> {
  const [versions, subnetGroups] = await Promise.all([listEngineVersions(region, engine), listSubnetGroups(region)]);
  const v = version && versions.some((x) => x.version === version) ? version : versions[0]?.version;
  const classes = await listOrderableClasses(region, engine, v);
  return { region, engine, versions, version: v, classes, subnetGroups };
}
