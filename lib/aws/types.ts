// Plain DTOs the AWS layer returns. No SDK shapes, no secrets: safe to hand to client components.
// This module is pure (no `server-only`) so client components can import the types and status helpers.

export const ENGINES = ['aurora-mysql', 'aurora-postgresql'] as const;
export type Engine = (typeof ENGINES)[number];

export interface TagDTO {
  key: string;
  value: string;
}

export type InstanceRole = 'writer' | 'reader';

export interface InstanceDTO {
  id: string;
  clusterId?: string;
  role: InstanceRole;
  instanceClass: string;
  engine: string;
  engineVersion?: string;
  az?: string;
  promotionTier: number;
  status: string;
  /** True while the status is one that will change by itself (creating, rebooting, deleting…). */
  transitional: boolean;
  /** Instance endpoint address (absent while creating). */
  endpoint?: string;
  port?: number;
  createdAt?: string;
  publiclyAccessible?: boolean;
  performanceInsightsEnabled?: boolean;
}

export interface ClusterSummaryDTO {
  region: string;
  id: string;
  status: string;
  transitional: boolean;
  engine: string;
  engineVersion?: string;
  multiAZ: boolean;
  writerId?: string;
  readerCount: number;
  instanceCount: number;
  /** True when the cluster or any of its instances is transitional. */
  anyTransitional: boolean;
}

export interface ClusterDTO extends ClusterSummaryDTO {
  arn?: string;
  resourceId?: string;
  percentProgress?: string;
  engineMode?: string;
  /** Writer (cluster) endpoint. */
  endpoint?: string;
  readerEndpoint?: string;
  port?: number;
  masterUsername?: string;
  /** True when the master password is managed in Secrets Manager (the secret itself is never exposed). */
  masterPasswordManaged: boolean;
  /** ARN of the managed master secret (MasterUserSecret.SecretArn); an ARN, never the secret's value. */
  masterUserSecretArn?: string;
  /** The RDS Data API (HTTP endpoint) is enabled (HttpEndpointEnabled). */
  httpEndpointEnabled: boolean;
  databaseName?: string;
  availabilityZones: string[];
  subnetGroup?: string;
  backupRetentionPeriod?: number;
  preferredBackupWindow?: string;
  /** Restorable window of point-in-time restore (DescribeDBClusters EarliestRestorableTime / LatestRestorableTime). */
  earliestRestorableTime?: string;
  latestRestorableTime?: string;
  preferredMaintenanceWindow?: string;
  createdAt?: string;
  /** Target backtrack window in seconds; 0/undefined = backtrack disabled. */
  backtrackWindowSeconds?: number;
  earliestBacktrackTime?: string;
  deletionProtection: boolean;
  storageEncrypted: boolean;
  kmsKeyId?: string;
  iamAuthEnabled: boolean;
  /** The Aurora global database this cluster belongs to (GlobalClusterIdentifier), if any. */
  globalClusterId?: string;
  tags: TagDTO[];
  /** Writer first, then readers by promotion tier, then id. */
  instances: InstanceDTO[];
}

/** Mutation results carry the AWS request id for the audit row. */
export interface MutationResult<T> {
  data: T;
  awsRequestId?: string;
}

export type RegionFleet =
  | { region: string; ok: true; clusters: ClusterDTO[] }
  | { region: string; ok: false; error: string; code?: string };

export interface EventDTO {
  sourceId: string;
  sourceType: string;
  message: string;
  categories: string[];
  date: string;
}

export interface EngineVersionDTO {
  engine: string;
  version: string;
  description?: string;
  family?: string;
  status?: string;
}

export interface OrderableClassDTO {
  instanceClass: string;
  availabilityZones: string[];
}

export interface SubnetGroupDTO {
  name: string;
  description?: string;
  vpcId?: string;
  availabilityZones: string[];
}

/** One step of the multi-call create; the UI uses it to show what exists and what to retry. */
export interface CreateStep {
  kind: 'cluster' | 'writer' | 'reader';
  id: string;
  ok: boolean;
  /** Set when the step ran and failed. */
  error?: string;
  code?: string;
  /** True when the step was not attempted because an earlier step failed. */
  skipped?: boolean;
  awsRequestId?: string;
}

export interface CreateClusterResult {
  region: string;
  clusterId: string;
  steps: CreateStep[];
  /** True when every step succeeded. */
  complete: boolean;
}

/** Statuses that resolve by themselves; the UI polls while any of these is showing. */
const TRANSITIONAL_STATUSES: ReadonlySet<string> = new Set([
  'creating',
  'deleting',
  'modifying',
  'rebooting',
  'renaming',
  'starting',
  'stopping',
  'failing-over',
  'backtracking',
  'backing-up',
  'upgrading',
  'maintenance',
  'migrating',
  'promoting',
  'resetting-master-credentials',
  'update-iam-db-auth',
  'configuring-enhanced-monitoring',
  'configuring-iam-database-auth',
  'configuring-log-exports',
  'converting-to-vpc',
  'moving-to-vpc',
  'storage-optimization',
]);

export function isTransitional(status: string | undefined): boolean {
  return !!status && TRANSITIONAL_STATUSES.has(status);
}

/** Statuses that mean something went wrong and needs a person. */
export const FAILED_STATUSES: ReadonlySet<string> = new Set([
  'failed',
  'inaccessible-encryption-credentials',
  'incompatible-network',
  'incompatible-option-group',
  'incompatible-parameters',
  'incompatible-restore',
  'insufficient-capacity',
  'restore-error',
  'storage-full',
  'cloning-failed',
  'migration-failed',
]);

/** The maximum number of Aurora Replicas per cluster (1 writer + 15 readers). */
export const MAX_READERS = 15;

function defaultPort(engine: string): number {
  return engine === 'aurora-postgresql' ? 5432 : 3306;
}

/** A ready-to-paste client command for the writer endpoint. */
export function connectCommand(engine: string, host: string, port: number | undefined, user: string | undefined): string {
  const u = user ?? 'admin';
  const p = port ?? defaultPort(engine);
  if (engine === 'aurora-postgresql') return `psql -h ${host} -p ${p} -U ${u} -d postgres`;
  return `mysql -h ${host} -P ${p} -u ${u} -p`;
}

/** Instance names the console uses: `<cluster>-instance-N` (as the AWS console does). */
export function instanceName(clusterId: string, n: number): string {
  return `${clusterId.toLowerCase()}-instance-${n}`.slice(0, 63).replace(/-+$/, '');
}

/** The first free `<cluster>-instance-N` name. */
export function nextInstanceName(clusterId: string, existing: string[]): string {
  const taken = new Set(existing.map((x) => x.toLowerCase()));
  for (let n = 1; n < 1000; n++) {
    const name = instanceName(clusterId, n);
    if (!taken.has(name)) return name;
  }
  return instanceName(clusterId, Date.now() % 100000);
}
