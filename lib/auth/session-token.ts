import 'server-only';
import type { JWT } from 'next-auth/jwt';
import type { Role } from './permissions';
import { getUserById } from './users';
import { isDbUnavailable } from '@/lib/db';

/**
 * Session revocation. A session (next-auth JWT) carries the user id and the user's `session_version` at sign-in.
 * Every read of the session compares it with the users row (one read by primary key): sign-out, a password
 * change, a role change and disabling raise the version, so every session issued before stops working at once.
 */
export interface VerifiedUser {
  id: string;
  username: string;
  role: Role;
  /**
   * Set when the database was unreachable: the signed cookie was believed without its revocation check, with the
   * viewer role only (reads of AWS still render; every action refuses until the database answers again).
   */
  degraded?: true;
}

/** The user a (uid, version) pair still stands for, or undefined (deleted, disabled, or revoked). */
export async function verifySessionClaims(uid: unknown, sv: unknown): Promise<VerifiedUser | undefined> {
  if (typeof uid !== 'string' || !uid) return undefined;
  const u = await getUserById(uid);
  const version = typeof sv === 'number' && Number.isInteger(sv) ? sv : 0;
  if (!u || u.disabled || u.sessionVersion !== version) return undefined;
  return { id: u.id, username: u.username, role: u.role };
}

const verified = new WeakMap<object, VerifiedUser>();

/** next-auth `jwt` callback for an existing session: the token stands, or comes back without its user. */
export async function checkToken(token: JWT): Promise<JWT> {
  let user: VerifiedUser | undefined;
  try {
    user = await verifySessionClaims(token.uid, token.sv);
  } catch (e) {
    if (!isDbUnavailable(e) || typeof token.uid !== 'string') throw e;
    user = { id: token.uid, username: typeof token.name === 'string' ? token.name : 'unknown', role: 'viewer', degraded: true };
  }
  if (!user) {
    const rest = { ...token };
    delete rest.uid;
    delete rest.sv;
    return rest;
  }
  verified.set(token, user);
  return token;
}

/** The user checkToken() verified for this very token object (same request), if any. */
export function sessionUserOf(token: JWT | null | undefined): VerifiedUser | undefined {
  return token ? verified.get(token) : undefined;
}
