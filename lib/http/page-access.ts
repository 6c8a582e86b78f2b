import 'server-only';
import { forbidden, redirect } from 'next/navigation';
import { getSession, type SessionUser } from '@/lib/auth/session';
import { roleAtLeast, type Role } from '@/lib/auth/permissions';

/**
 * For pages: the signed-in user when their role is at least `min`. Nobody signed in → /login; a role too low →
 * Next's forbidden(): HTTP 403 and the nearest forbidden.tsx, which says which role the page needs.
 */
export async function requirePageRole(min: Role): Promise<SessionUser> {
  const user = await getSession();
  if (!user) redirect('/login');
  if (!roleAtLeast(user.role, min)) forbidden();
  return user;
}
