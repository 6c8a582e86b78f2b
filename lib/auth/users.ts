import 'server-only';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { getDb } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { hashPassword, passwordProblem } from './password';
import { isRole, type Role } from './permissions';

/** A user as the rest of the console sees it (never the password hash). */
interface UserRecord {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  source: 'local' | 'oidc';
  createdAt: number;
  lastLoginAt?: number;
  /** Sessions carry the version they were issued at; any other value ends them (lib/auth/session.ts). */
  sessionVersion: number;
}

const USERNAME_RE = /^[a-z0-9][a-z0-9._@-]{0,63}$/;

export function normaliseUsername(name: string): string {
  return String(name ?? '').trim().toLowerCase();
}

type Row = {
  id: string;
  username: string;
  role: string;
  disabled: number;
  source: string;
  created_at: number;
  last_login_at: number | null;
  session_version: number;
};

function toRecord(r: Row): UserRecord {
  return {
    id: r.id,
    username: r.username,
    role: isRole(r.role) ? r.role : 'viewer',
    disabled: Number(r.disabled) === 1,
    source: r.source === 'oidc' ? 'oidc' : 'local',
    createdAt: Number(r.created_at),
    lastLoginAt: r.last_login_at === null ? undefined : Number(r.last_login_at),
    sessionVersion: Number(r.session_version ?? 0),
  };
}

const COLS = ['id', 'username', 'role', 'disabled', 'source', 'created_at', 'last_login_at', 'session_version'] as const;

/** Raise with every change that must end the user's sessions (password, role, disabled, sign-out). */
const bump = sql<number>`session_version + 1`;

/** End every session of this user at once (sign-out, or an admin's decision). */
export async function revokeSessions(id: string): Promise<void> {
  await getDb().updateTable('users').set({ session_version: bump }).where('id', '=', id).execute();
}

export async function getUserById(id: string): Promise<UserRecord | undefined> {
  const r = await getDb().selectFrom('users').select(COLS).where('id', '=', id).executeTakeFirst();
  return r ? toRecord(r) : undefined;
}

export async function getUserByName(username: string): Promise<UserRecord | undefined> {
  const r = await getDb().selectFrom('users').select(COLS).where('username', '=', normaliseUsername(username)).executeTakeFirst();
  return r ? toRecord(r) : undefined;
}

/** The stored hash, for sign-in only. */
export async function getPasswordHash(username: string): Promise<{ user: UserRecord; hash: string | null } | undefined> {
  const r = await getDb()
    .selectFrom('users')
    .select([...COLS, 'password_hash'])
    .where('username', '=', normaliseUsername(username))
    .executeTakeFirst();
  return r ? { user: toRecord(r), hash: r.password_hash } : undefined;
}

export async function listUsers(): Promise<UserRecord[]> {
  const rows = await getDb().selectFrom('users').select(COLS).orderBy('username').execute();
  return rows.map(toRecord);
}

export async function countUsers(): Promise<number> {
  const r = await getDb().selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

function checkName(username: string) {
  if (!USERNAME_RE.test(username))
    throw new AppError('VALIDATION', 'Username must be 1-64 characters: lowercase letters, digits, ".", "_", "@" or "-", starting with a letter or digit.', {
      fieldErrors: { username: ['Use 1-64 lowercase letters, digits, ".", "_", "@" or "-".'] },
    });
}

function checkPassword(pw: string) {
  const p = passwordProblem(pw);
  if (p) throw new AppError('VALIDATION', p, { fieldErrors: { password: [p] } });
}

function checkRole(role: string): asserts role is Role {
  if (!isRole(role)) throw new AppError('VALIDATION', `Role must be viewer, operator or admin (got "${role}").`, { fieldErrors: { role: ['Choose viewer, operator or admin.'] } });
}

/** Create a local user. `force` updates role/password (and re-enables) when the name exists. */
export async function createUser(input: { username: string; role: string; password: string; force?: boolean }): Promise<{ user: UserRecord; created: boolean }> {
  const username = normaliseUsername(input.username);
  checkName(username);
  checkRole(input.role);
  checkPassword(input.password);
  const now = Date.now();
  const hash = await hashPassword(input.password);
  const existing = await getUserByName(username);
  if (existing) {
    if (!input.force) throw new AppError('USER_EXISTS', `User "${username}" already exists. Use --force to update it.`, { status: 409 });
    await getDb()
      .updateTable('users')
      .set({ role: input.role, password_hash: hash, disabled: 0, updated_at: now, session_version: bump })
      .where('id', '=', existing.id)
      .execute();
    return { user: (await getUserById(existing.id))!, created: false };
  }
  const id = randomUUID();
  await getDb()
    .insertInto('users')
    .values({ id, username, password_hash: hash, role: input.role, disabled: 0, source: 'local', created_at: now, updated_at: now, last_login_at: null })
    .execute();
  return { user: (await getUserById(id))!, created: true };
}

async function mustGet(username: string): Promise<UserRecord> {
  const u = await getUserByName(username);
  if (!u) throw new AppError('USER_NOT_FOUND', `No user named "${normaliseUsername(username)}".`, { status: 404 });
  return u;
}

export async function setUserRole(username: string, role: string): Promise<UserRecord> {
  checkRole(role);
  const u = await mustGet(username);
  await getDb()
    .updateTable('users')
    .set({ role, updated_at: Date.now(), ...(role !== u.role ? { session_version: bump } : {}) })
    .where('id', '=', u.id)
    .execute();
  return (await getUserById(u.id))!;
}

export async function setUserDisabled(username: string, disabled: boolean): Promise<UserRecord> {
  const u = await mustGet(username);
  await getDb()
    .updateTable('users')
    .set({ disabled: disabled ? 1 : 0, updated_at: Date.now(), ...(disabled !== u.disabled ? { session_version: bump } : {}) })
    .where('id', '=', u.id)
    .execute();
  return (await getUserById(u.id))!;
}

export async function setUserPassword(username: string, password: string): Promise<UserRecord> {
  checkPassword(password);
  const u = await mustGet(username);
  await getDb()
    .updateTable('users')
    .set({ password_hash: await hashPassword(password), updated_at: Date.now(), session_version: bump })
    .where('id', '=', u.id)
    .execute();
  return (await getUserById(u.id))!;
}

export async function touchLastLogin(id: string): Promise<void> {
  await getDb().updateTable('users').set({ last_login_at: Date.now() }).where('id', '=', id).execute();
}

/**
 * OIDC sign-in: find or create the person's row (source 'oidc', no password) with the role the role map gave.
 * A disabled row stays disabled. Usernames come from the email (or subject), lowercased.
 */
export async function upsertOidcUser(username: string, role: Role): Promise<UserRecord> {
  const name = normaliseUsername(username).slice(0, 64);
  const existing = await getUserByName(name);
  const now = Date.now();
  if (existing) {
    if (existing.source !== 'oidc') throw new AppError('USER_CONFLICT', `A local user named "${name}" already exists; ask an admin to rename one of them.`, { status: 409 });
    await getDb()
      .updateTable('users')
      .set({ role, updated_at: now, ...(role !== existing.role ? { session_version: bump } : {}) })
      .where('id', '=', existing.id)
      .execute();
    return (await getUserById(existing.id))!;
  }
  const id = randomUUID();
  await getDb()
    .insertInto('users')
    .values({ id, username: name, password_hash: null, role, disabled: 0, source: 'oidc', created_at: now, updated_at: now, last_login_at: null })
    .execute();
  return (await getUserById(id))!;
}
