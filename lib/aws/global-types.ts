// Plain DTOs of Aurora Global Database (no SDK shapes): safe for client components. Pure module.
import { isTransitional } from './types';

export type GlobalRole = 'primary' | 'secondary';

/** One cluster of a global database, in its own region. */
export interface GlobalMemberDTO {
  arn: string;
  /** Parsed from the ARN (arn:aws:rds:<region>:<account>:cluster:<id>); undefined for a malformed ARN. */
  region?: string;
  clusterId?: string;
  role: GlobalRole;
  /** SynchronizationStatus: `connected` or `pending-resync` (absent when AWS does not say). */
  syncStatus?: string;
  writeForwarding?: string;
}

/** A switchover or failover Aurora is running (or verifying) on the global database. */
export interface GlobalFailoverStateDTO {
  status: string;
  fromArn?: string;
  toArn?: string;
  from?: { region?: string; clusterId?: string };
  to?: { region?: string; clusterId?: string };
  /** True for an unplanned failover (FailoverGlobalCluster --allow-data-loss), false for a switchover. */
  dataLossAllowed: boolean;
}

export interface GlobalDatabaseDTO {
  id: string;
  arn?: string;
  resourceId?: string;
  status: string;
  transitional: boolean;
  engine: string;
  engineVersion?: string;
  databaseName?: string;
  storageEncrypted: boolean;
  deletionProtection: boolean;
  /** The global writer endpoint (follows the primary). */
  endpoint?: string;
  /** Primary first, then secondaries by region. */
  members: GlobalMemberDTO[];
  primary?: GlobalMemberDTO;
  failoverState?: GlobalFailoverStateDTO;
  tags: { key: string; value: string }[];
}

/** A region the global listing could not be read from (DescribeGlobalClusters fell back to the next one). */
export interface RegionFailure {
  region: string;
  error: string;
  code?: string;
}

export interface GlobalListing {
  databases: GlobalDatabaseDTO[];
  /** The region whose DescribeGlobalClusters answered. */
  readFrom: string;
  /** Regions tried first that failed. */
  failedRegions: RegionFailure[];
}

const ARN = /^arn:aws[a-z-]*:rds:([a-z0-9-]+):\d*:cluster:([A-Za-z][A-Za-z0-9-]*)$/;

/** Region and cluster identifier of a DB cluster ARN; {} when it is not one. */
export function parseClusterArn(arn: string | undefined): { region?: string; clusterId?: string } {
  const m = ARN.exec(arn ?? '');
  return m ? { region: m[1], clusterId: m[2].toLowerCase() } : {};
}

/** "eu-west-1 / orders-eu" for a member (its ARN when that does not parse). */
export function memberLabel(m: Pick<GlobalMemberDTO, 'arn' | 'region' | 'clusterId'>): string {
  return m.region && m.clusterId ? `${m.region} / ${m.clusterId}` : m.arn;
}

/** The member in `region` named `clusterId`. */
export function findMember(db: Pick<GlobalDatabaseDTO, 'members'>, region: string, clusterId: string): GlobalMemberDTO | undefined {
  const id = clusterId.toLowerCase();
  return db.members.find((m) => m.region === region && m.clusterId === id);
}

export function globalIsBusy(db: Pick<GlobalDatabaseDTO, 'transitional' | 'failoverState'>): boolean {
  return db.transitional || !!db.failoverState;
}

/** Statuses of a global database that resolve by themselves (poll while one shows). */
export function globalStatusTransitional(status: string | undefined): boolean {
  return isTransitional(status) || status === 'switching-over';
}
