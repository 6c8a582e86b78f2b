import { beforeEach, describe, expect, it, vi } from 'vitest';

const h = vi.hoisted(() => ({ db: undefined as unknown, jwt: null as null | { uid?: string } }));
vi.mock('@/lib/db', async (orig) => ({ ...(await orig<typeof import('@/lib/db')>()), getDb: () => h.db }));
vi.mock('next-auth', () => ({ getServerSession: async () => h.jwt }));
vi.mock('@/lib/env', async (orig) => {
  const real = await orig<typeof import('@/lib/env')>();
  return { ...real, getEnv: () => real.parseEnv({}, { persistSecret: false }) };
});

import { memoryDb } from '@/lib/testing/memory-db';
import { getSession, requireRole, requireUser } from './session';
import { createUser, setUserDisabled, setUserRole } from './users';

let id: string;
beforeEach(async () => {
  h.db = await memoryDb();
  id = (await createUser({ username: 'carol', role: 'operator', password: 'carol-password' })).user.id;
  h.jwt = { uid: id };
});

describe('session helpers', () => {
  it('returns the user from the database row', async () => {
    expect(await getSession()).toEqual({ id, username: 'carol', role: 'operator' });
  });

  it('sees role changes and disabling on the next request', async () => {
    await setUserRole('carol', 'viewer');
    // A role change ends the sessions issued before it; a new sign-in carries the new version.
    expect(await getSession()).toBeNull();
    h.jwt = { uid: id, sv: 1 } as typeof h.jwt;
    expect((await getSession())?.role).toBe('viewer');
    await setUserDisabled('carol', true);
    expect(await getSession()).toBeNull();
    await expect(requireUser()).rejects.toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
  });

  it('has no session without a cookie or for a deleted user', async () => {
    h.jwt = null;
    expect(await getSession()).toBeNull();
    h.jwt = { uid: 'gone' };
    expect(await getSession()).toBeNull();
  });

  it('requireRole refuses a lower role with 403', async () => {
    await expect(requireRole('operator')).resolves.toMatchObject({ username: 'carol' });
    await expect(requireRole('admin')).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403, message: expect.stringMatching(/needs the admin role/) });
  });
});
