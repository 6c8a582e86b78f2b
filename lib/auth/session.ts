import 'server-only';
import { getServerSession } from 'next-auth';
import { AppError } from '@/lib/errors';
import { getAuthOptions } from './options';
import { roleAtLeast, type Role } from './permissions';
import { getUserById } from './users';

/**
 * The console's view of "who is asking". Hides next-auth (v4, JWT sessions) so a switch touches this file only.
 * The session cookie only carries the user id: every call re-reads the user row, so disabling a user or changing
 * a role takes effect on the next request.
 */
export interface SessionUser {
  id: string;
  username: string;
  role: Role;
}

export async function getSession(): Promise<SessionUser | null> {
  let s: unknown;
  try {
    s = await getServerSession(getAuthOptions());
  } catch (e) {
    // Outside a request (scripts) there are no cookies: nobody is signed in.
    if (e instanceof Error && /outside a request scope|was called outside/i.test(e.message)) return null;
    throw e;
  }
  const uid = (s as { uid?: unknown } | null)?.uid;
  if (typeof uid !== 'string') return null;
  const u = await getUserById(uid);
  if (!u || u.disabled) return null;
  return { id: u.id, username: u.username, role: u.role };
}

export async function requireUser(): Promise<SessionUser> {
  const u = await getSession();
  if (!u) throw new AppError('UNAUTHENTICATED', 'You are not signed in, or your session has expired. Sign in again.', { status: 401 });
  return u;
}

export async function requireRole(min: Role): Promise<SessionUser> {
  const u = await requireUser();
  if (!roleAtLeast(u.role, min)) throw new AppError('FORBIDDEN', `This needs the ${min} role; you are signed in as ${u.username} (${u.role}).`, { status: 403 });
  return u;
}
