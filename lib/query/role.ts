import 'server-only';
import { roleAtLeast, type Role } from '@/lib/auth/permissions';
import { getEnv } from '@/lib/env';

/** The lowest role allowed `cluster.query`: AFC_QUERY_ROLE, admin by default. */
export function queryRole(): Role {
  return getEnv().queryRole;
}

/** May this role run SQL? (The page hides the link with it; runQueryAction checks it again.) */
export function canQuery(role: Role): boolean {
  return roleAtLeast(role, queryRole());
}
