// Contract between the RDS model (lib/emulator/rds/model.ts) and the simulated data plane
// (lib/emulator/dataplane/*). The model describes each cluster's history; the data plane turns it
// into metric values as a pure, deterministic function of (cluster, instance, time, history).
// All times are ms since epoch.
import type { DataplaneGlobal } from './global-metrics';

export type Workload = 'idle' | 'steady' | 'write-heavy';

export interface DataplaneInstance {
  id: string;
  instanceClass: string;
  /** When CreateDBInstance was called. No data points before `availableAt`. */
  createdAt: number;
  /** When it became available (createdAt + creation duration). */
  availableAt: number;
  /** When it was deleted (DeleteDBInstance completed), if it was. No data after. */
  deletedAt?: number;
}

export interface DataplaneCluster {
  region: string;
  id: string;
  engine: 'aurora-mysql' | 'aurora-postgresql';
  createdAt: number;
  deletedAt?: number;
  /** Target backtrack window in seconds (0 = disabled). */
  backtrackWindow: number;
  workload: Workload;
  instances: DataplaneInstance[];
  /** Who was the writer from when: sorted by `from`. The first entry is the first writer. */
  writerHistory: { instanceId: string; from: number }[];
  failovers: { startedAt: number; completedAt: number; from: string; to: string }[];
  backtracks: { startedAt: number; completedAt: number; backtrackTo: number }[];
  reboots: { instanceId: string; startedAt: number; completedAt: number }[];
  /** Periods when the cluster was stopped (no data). `to` undefined = still stopped. */
  stopped: { from: number; to?: number }[];
  /** Workload changes over time, sorted; the cluster's workload before the first change is `workload`. */
  workloadHistory?: { workload: Workload; from: number }[];
  /** Aurora Global Database: the periods this cluster was a secondary (AuroraGlobalDB* metrics). */
  global?: DataplaneGlobal;
}

/** What a real engine measured for one instance (engines/metrics.ts), in place of simulated values. */
export interface MeasuredSeries {
  /** From when the values are measured. */
  since: number;
  /** Minute start (ms) → value, for minutes in [from, to). */
  minutes(metric: string, from: number, to: number): Map<number, number>;
}

/** Implemented by the RDS model; read by CloudWatch handlers to compute AWS/RDS series. */
export interface DataplaneSource {
  clusters(region: string, now: number): DataplaneCluster[];
  /** Measured values of an instance that runs a real engine. */
  measured?(region: string, instanceId: string): MeasuredSeries | undefined;
}
