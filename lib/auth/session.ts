import 'server-only';
import { getServerSession } from 'next-auth';
import { AppError } from '@/lib/errors';
import { getAuthOptions } from './options';
import { roleAtLeast, type Role } from './permissions';
import { verifySessionClaims, type VerifiedUser } from './session-token';

/**
 * The console's view of "who is asking". Hides next-auth (v4, JWT sessions) so a switch touches this file only.
 * The session cookie only carries the user id and session version: every call checks them against the user row
 * (next-auth's jwt callback, lib/auth/session-token.ts), so disabling a user, changing a role or a password, or
 * signing out ends the user's sessions on the next request.
 */
export type SessionUser = VerifiedUser;

export async function getSession(): Promise<SessionUser | null> {
  let s: unknown;
  try {
    s = await getServerSession(getAuthOptions());
  } catch (e) {
    // Outside a request (scripts) there are no cookies: nobody is signed in.
    if (e instanceof Error && /outside a request scope|was called outside/i.test(e.message)) return null;
    throw e;
  }
  const session = s as { uid?: unknown; sv?: unknown; user?: SessionUser } | null;
  if (!session || typeof session.uid !== 'string') return null;
  // The jwt callback already read the row for this request; a session without that (never issued by our
  // callbacks) is checked here instead. Either way: one read.
  if (session.user && session.user.id === session.uid)
    return { id: session.user.id, username: session.user.username, role: session.user.role, ...(session.user.degraded ? { degraded: true as const } : {}) };
  return (await verifySessionClaims(session.uid, session.sv)) ?? null;
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
