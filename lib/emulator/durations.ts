// How long each simulated operation takes (ms). Status is derived from startedAt + duration.

export interface Durations {
  createCluster: number;
  createInstance: number;
  failover: number;
  backtrack: number;
  reboot: number;
  deleteCluster: number;
  deleteInstance: number;
  modifyCluster: number;
  modifyInstance: number;
  stopCluster: number;
  startCluster: number;
  /** CreateDBClusterSnapshot: creating → available (a real engine's export may take longer). */
  createSnapshot: number;
  /** Aurora Global Database: verification (FailoverState pending), switchover, failover, resync of a former primary. */
  globalVerify: number;
  globalSwitchover: number;
  globalFailover: number;
  globalResync: number;
}

export type Profile = 'demo' | 'test';

const PROFILE_DURATIONS: Record<Profile, Durations> = {
  demo: {
    createCluster: 5_000,
    createInstance: 8_000,
    failover: 6_000,
    backtrack: 6_000,
    reboot: 4_000,
    deleteCluster: 4_000,
    deleteInstance: 4_000,
    modifyCluster: 3_000,
    modifyInstance: 3_000,
    stopCluster: 5_000,
    startCluster: 5_000,
    createSnapshot: 4_000,
    globalVerify: 1_500,
    globalSwitchover: 8_000,
    globalFailover: 6_000,
    globalResync: 10_000,
  },
  test: {
    createCluster: 1_000,
    createInstance: 1_500,
    failover: 2_000,
    backtrack: 1_500,
    reboot: 1_000,
    deleteCluster: 1_000,
    deleteInstance: 1_000,
    modifyCluster: 1_000,
    modifyInstance: 1_000,
    stopCluster: 1_000,
    startCluster: 1_000,
    createSnapshot: 1_000,
    globalVerify: 500,
    globalSwitchover: 2_000,
    globalFailover: 1_500,
    globalResync: 2_000,
  },
};

export const DURATION_KEYS = Object.keys(PROFILE_DURATIONS.demo) as (keyof Durations)[];

export function resolveDurations(profile: Profile = 'demo', overrides?: Partial<Durations>): Durations {
  const d: Durations = { ...PROFILE_DURATIONS[profile] };
  if (overrides) {
    for (const k of DURATION_KEYS) {
      const v = overrides[k];
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) d[k] = v;
    }
  }
  return d;
}
