import type { ClusterDTO, InstanceDTO } from '@/lib/aws/types';

/** Higher = more trouble: a non-available cluster or instance first, then critical lag, then warning lag. */
export function troubleScore(
  c: Pick<ClusterDTO, 'status' | 'writerId'> & { instances: Pick<InstanceDTO, 'status'>[] },
  worstLagMs: number | null | undefined, t: { warn: number; critical: number }): number {
  let s = 0;
  if (c.status !== 'available') s += 100;
  if (c.instances.some((i) => i.status !== 'available')) s += 50;
  if (!c.writerId) s += 50;
  if (typeof worstLagMs === 'number') {
    if (worstLagMs >= t.critical) s += 20;
    else if (worstLagMs >= t.warn) s += 10;
  }
  return s;
}
