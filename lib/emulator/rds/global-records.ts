// Aurora Global Database records (RDS API reference: CreateGlobalCluster, DescribeGlobalClusters, GlobalCluster,
// GlobalClusterMember, FailoverState). A global cluster is not regional: it is stored once and every region's
// endpoint sees it. Its state over time is kept as intervals and timestamps, so status is derived on read.
import type { Tag } from './records';
import { ACCOUNT_ID } from './records';
import { RdsFault } from './errors';
import type { Engine } from './catalogue';

export interface MemberRef {
  region: string;
  clusterId: string;
}

/** One period during which a cluster belonged to the global cluster. */
export interface MembershipRec extends MemberRef {
  from: number;
  /** RemoveFromGlobalCluster (or the cluster's deletion) ended the membership. */
  to?: number;
  /**
   * When the member became a secondary again after an unplanned failover: it must resynchronise (pending-resync)
   * once its region is reachable from this time on.
   */
  resyncAfter?: number;
}

export interface GlobalOpRec {
  kind: 'switchover' | 'failover';
  startedAt: number;
  /** End of the `pending` phase (verification; for a switchover also the wait until the target is in sync). */
  pendingUntil: number;
  completesAt: number;
  from: MemberRef;
  to: MemberRef;
  allowDataLoss: boolean;
  /** Failover with data loss: the writes not yet replicated to the target when it was promoted (ms of writes). */
  dataLossMs?: number;
}

export interface GlobalClusterRec {
  id: string;
  arn: string;
  resourceId: string;
  engine: Engine;
  engineVersion: string;
  databaseName?: string;
  storageEncrypted: boolean;
  deletionProtection: boolean;
  tags: Tag[];
  createdAt: number;
  endpointToken: string;
  memberships: MembershipRec[];
  /** Who was the primary (writer) cluster from when; the last entry is the current primary. */
  primaryHistory: (MemberRef & { from: number })[];
  op?: GlobalOpRec;
  completedOps: GlobalOpRec[];
}

export const globalArn = (id: string) => `arn:aws:rds::${ACCOUNT_ID}:global-cluster:${id}`;

export const sameRef = (a: MemberRef | undefined, b: MemberRef | undefined) =>
  !!a && !!b && a.region === b.region && a.clusterId === b.clusterId;

/** A cluster ARN (region taken from it) or a plain identifier (in `region`). */
export function parseClusterRef(value: string, region: string): MemberRef {
  const m = /^arn:aws[a-z-]*:rds:([a-z0-9-]+):\d*:cluster:(.+)$/.exec(value);
  if (m) return { region: m[1], clusterId: m[2].toLowerCase() };
  return { region, clusterId: value.toLowerCase() };
}

const f = (code: string, status: number) => (message: string) => new RdsFault(code, status, message);

export const GlobalFaults = {
  GlobalClusterAlreadyExists: f('GlobalClusterAlreadyExistsFault', 400),
  GlobalClusterNotFound: f('GlobalClusterNotFoundFault', 404),
  InvalidGlobalClusterState: f('InvalidGlobalClusterStateFault', 400),
  GlobalClusterQuotaExceeded: f('GlobalClusterQuotaExceededFault', 400),
};

/** Global clusters per account (the RDS quota is 5 by default; kept low enough to be reachable in a test). */
export const MAX_GLOBAL_CLUSTERS = 20;
/** Secondary regions per global database (Aurora allows up to 10 secondaries). */
export const MAX_SECONDARIES = 10;
