// Test support: the session module as seen by the durability child process (a console process outside any
// HTTP request). The signed-in person comes from AFC_DURABILITY_USER; everything else in the process is real.
import type { Role } from '@/lib/auth/permissions';

export interface SessionUser {
  id: string;
  username: string;
  role: Role;
}

function user(): SessionUser | null {
  const raw = process.env.AFC_DURABILITY_USER;
  return raw ? (JSON.parse(raw) as SessionUser) : null;
}

export async function getSession(): Promise<SessionUser | null> {
  return user();
}
export async function requireUser(): Promise<SessionUser> {
  const u = user();
  if (!u) throw new Error('no session');
  return u;
}
export async function requireRole(): Promise<SessionUser> {
  return requireUser();
}
