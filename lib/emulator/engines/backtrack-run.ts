// BacktrackDBCluster on a real engine. The model records the backtrack with its usual duration; on a real engine
// the cluster must stay `backtracking` (and the backtrack `applying`) until the data is really rewound, so the
// supervisor holds the operation open when it starts and, once the engine is done, ends it at that moment (never
// before the model's own duration). Backtracks already carried out are remembered in the cluster file, so an
// endpoint restarted mid-way carries out the unfinished one again (a flashback to T from any state gives T).
import type { RdsModel } from '../rds/model';
import type { BacktrackRec, ClusterRec } from '../rds/records';
import { engineReason, saveClusterFile, type Managed } from './cluster-file';
import type { EngineMetrics } from './metrics';

/** How long a backtrack may take on the engine before the model ends it anyway. */
const HOLD_MS = 10 * 60_000;

/** Keeps the model's backtrack open (called as BacktrackDBCluster is accepted). */
export function holdBacktrack(model: RdsModel, m: Managed | undefined, c: ClusterRec, b: BacktrackRec): void {
  if (!m?.engine.backtrack || c.op?.kind !== 'backtrack' || c.op.backtrackId !== b.id) return;
  c.op.durationMs = HOLD_MS;
  b.completedAt = c.op.startedAt + HOLD_MS;
  model.saveCluster(c);
}

/** The backtrack in progress on `c`, carried out on the engine when it has not been yet. */
export async function runEngineBacktrack(model: RdsModel, m: Managed, c: ClusterRec, now: () => number): Promise<void> {
  const op = c.op;
  if (!m.engine.backtrack || op?.kind !== 'backtrack') return;
  const b = c.backtracks.find((x) => x.id === op.backtrackId);
  if (!b || m.file.backtracked?.includes(b.id)) return;
  holdBacktrack(model, m, c, b); // also after a restart, before the engine starts
  let failure: string | undefined;
  try {
    await m.engine.backtrack(b.backtrackTo);
  } catch (e) {
    failure = engineReason(e instanceof Error ? e.message : String(e));
  }
  m.file.backtracked = [...(m.file.backtracked ?? []).slice(-9), b.id];
  saveClusterFile(m);
  let live: ClusterRec;
  try {
    live = model.getCluster(m.region, m.clusterId, now());
  } catch {
    return; // deleted meanwhile
  }
  const rec = live.backtracks.find((x) => x.id === b.id);
  if (live.op?.kind === 'backtrack' && live.op.backtrackId === b.id && rec) {
    const end = Math.max(live.op.startedAt + model.durations.backtrack, now());
    live.op.durationMs = end - live.op.startedAt;
    rec.completedAt = end;
    model.saveCluster(live);
    model.store.due(model.store.region(m.region), end);
  }
  if (failure) {
    model.recordEvent(m.region, now(), 'db-cluster', m.clusterId, `The database engine could not carry out the backtrack: ${failure}`, ['backtrack', 'failure']);
  }
}

/** Samples what the engine retains for backtrack into the cluster's metrics (clusters with backtrack on). */
export function sampleBacktrack(model: RdsModel, metrics: EngineMetrics, m: Managed, at: number): void {
  const window = m.engine.backtrackWindow?.();
  if (!window) return;
  let c: ClusterRec;
  try {
    c = model.getCluster(m.region, m.clusterId, at);
  } catch {
    return;
  }
  if (!(c.backtrackWindow > 0)) return;
  const writer = m.engine.instances().find((i) => i.role === 'writer' && i.state === 'running')?.instanceId;
  metrics.recordBacktrack(m.region, m.clusterId, writer, at, { ...window, targetSeconds: c.backtrackWindow });
}
