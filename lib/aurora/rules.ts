// Aurora rules that both the console (lib/aws, lib/oncall) and the local endpoint (lib/emulator) apply.
// One definition each, so the console's predictions match what the endpoint does. Pure: no imports.

/** An AWS region name such as us-east-1 or ap-southeast-2 (also us-gov-west-1). */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function isRegionName(value: string): boolean {
  return REGION_PATTERN.test(value);
}

/** Backtrack window limit (BacktrackWindow, in seconds): 72 hours, per the RDS API reference for CreateDBCluster. */
export const BACKTRACK_HOURS_MAX = 72;
export const BACKTRACK_WINDOW_MAX_SECONDS = BACKTRACK_HOURS_MAX * 3600;

/**
 * Relative size of an instance class for failover tie-breaks (larger wins):
 * db.r6g.4xlarge (8) > db.r6g.2xlarge (4) > db.r6g.xlarge (2) > db.r6g.large = db.serverless (1) > db.t4g.medium (0.5).
 */
export function instanceClassSize(instanceClass: string): number {
  if (instanceClass === 'db.serverless') return 1;
  const size = instanceClass.split('.')[2] ?? '';
  if (size === 'medium') return 0.5;
  if (size === 'large') return 1;
  if (size === 'xlarge') return 2;
  const m = /^(\d+)xlarge$/.exec(size);
  return m ? Number(m[1]) * 2 : 0;
}

export interface PromotionCandidate {
  id: string;
  promotionTier: number;
  instanceClass: string;
}

/**
 * The reader Aurora promotes when a failover names no target: the lowest promotion tier, then the largest
 * instance class, then the identifier. Callers pass only the readers that can be promoted (available ones).
 */
export function pickPromotionTarget<T extends PromotionCandidate>(candidates: readonly T[]): T | undefined {
  return [...candidates].sort(
    (a, b) =>
      a.promotionTier - b.promotionTier ||
      instanceClassSize(b.instanceClass) - instanceClassSize(a.instanceClass) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  )[0];
}
