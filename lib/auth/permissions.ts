/**
 * THE permission table. Keys are the dotted audit action names; values are the lowest role allowed.
 * Every server action (via defineAction) and every data route checks against it.
 * Pure data + pure functions: safe to import from client components (e.g. to hide a button), but hiding is
 * never the check.
 */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = {
  'cluster.create': 'admin',
  'cluster.delete': 'admin',
  'cluster.modify': 'admin',
  'cluster.backtrack': 'admin',
  'cluster.failover': 'operator',
  /** Run SQL through the RDS Data API. The default; AFC_QUERY_ROLE moves it (read through lib/query/role.ts). */
  'cluster.query': 'admin',
  /** Take a manual cluster snapshot (CreateDBClusterSnapshot). */
  'snapshot.create': 'operator',
  /** Delete a manual cluster snapshot; under the two-person rule when AFC_TWO_PERSON names it. */
  'snapshot.delete': 'admin',
  /** Restore a snapshot to a new cluster (RestoreDBClusterFromSnapshot + its instances). */
  'snapshot.restore': 'admin',
  /** Restore a cluster to a point in time, or clone it, as a new cluster (RestoreDBClusterToPointInTime + instances). */
  'cluster.restore-to-time': 'admin',
  /** Aurora Global Database: make a cluster the primary of a new global database, add/detach a region, delete it. */
  'global.create': 'admin',
  'global.attach': 'admin',
  'global.detach': 'admin',
  'global.delete': 'admin',
  /** Planned switchover (no data loss): the same role as a cluster failover. */
  'global.switchover': 'operator',
  /** Unplanned failover with AllowDataLoss: admin, and under the two-person rule by default. */
  'global.failover': 'admin',
  'instance.create': 'operator',
  'instance.delete': 'operator',
  'instance.reboot': 'operator',
  'instance.modify': 'operator',
  'approval.decide': 'admin',
  'user.manage': 'admin',
  'auth.signin': 'viewer',
  'auth.signout': 'viewer',
} as const satisfies Record<string, Role>;

export type AuditAction = keyof typeof ACTIONS;

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function isRole(x: unknown): x is Role {
  return typeof x === 'string' && (ROLES as readonly string[]).includes(x);
}

function isAuditAction(x: unknown): x is AuditAction {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(ACTIONS, x);
}

export function roleAtLeast(role: Role, min: Role): boolean {
  return isRole(role) && RANK[role] >= RANK[min];
}

/** May `role` perform `action`? Unknown actions are refused (fail closed). */
export function can(role: Role, action: AuditAction): boolean {
  if (!isAuditAction(action)) return false;
  return roleAtLeast(role, ACTIONS[action]);
}
