// Session revocation through next-auth's own request handler (the code behind app/api/auth/[...nextauth]):
// sign in, keep a copy of the session cookie, sign out, replay the copy.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const h = vi.hoisted(() => ({ db: undefined as unknown, cookie: undefined as string | undefined }));
vi.mock('@/lib/db', async (orig) => ({ ...(await orig<typeof import('@/lib/db')>()), getDb: () => h.db }));
vi.mock('@/lib/env', async (orig) => {
  const real = await orig<typeof import('@/lib/env')>();
  const env = real.parseEnv({ NEXTAUTH_SECRET: 'revocation-test-secret-0123456789abcdef', NEXTAUTH_URL: 'http://console.test' }, { persistSecret: false });
  return { ...real, getEnv: () => env };
});
// getServerSession as next-auth runs it for a request carrying h.cookie (its 'session' action).
vi.mock('next-auth', async (orig) => {
  const real = await orig<typeof import('next-auth')>();
  return {
    ...real,
    getServerSession: async (options: import('next-auth').NextAuthOptions) => {
      const r = await call(options, 'GET', 'session', {}, h.cookie);
      return r.body && typeof r.body === 'object' && Object.keys(r.body).length ? r.body : null;
    },
  };
});

import type { NextAuthOptions } from 'next-auth';
import { createRequire } from 'node:module';
import path from 'node:path';
import { memoryDb } from '@/lib/testing/memory-db';
import { getAuthOptions } from './options';
import { getSession, requireUser } from './session';
import { createUser, setUserDisabled, setUserPassword, setUserRole } from './users';

// next-auth's request handler core (not in its package exports; the route handler calls it with these fields).
const { AuthHandler } = createRequire(__filename)(path.resolve(process.cwd(), 'node_modules/next-auth/core/index.js')) as {
  AuthHandler: (p: { req: Record<string, unknown>; options: NextAuthOptions }) => Promise<unknown>;
};
const COOKIE = 'next-auth.session-token';
type Res = { status?: number; body?: unknown; cookies?: { name: string; value: string }[]; redirect?: string };

async function call(options: NextAuthOptions, method: 'GET' | 'POST', action: string, body: Record<string, string> = {}, cookies: Record<string, string> | string = {}, providerId?: string): Promise<Res> {
  const jar = typeof cookies === 'string' ? { [COOKIE]: cookies } : cookies;
  return (await AuthHandler({
    req: { method, action: action as never, providerId, body, query: {}, cookies: jar, headers: { host: 'console.test', 'content-type': 'application/x-www-form-urlencoded' } },
    options,
  })) as Res;
}

const pick = (r: Res, name: string) => r.cookies?.find((c) => c.name.startsWith(name))?.value;

async function csrf(options: NextAuthOptions) {
  const r = await call(options, 'GET', 'csrf');
  return { token: (r.body as { csrfToken: string }).csrfToken, cookie: pick(r, 'next-auth.csrf-token')! };
}

async function signIn(username: string, password: string): Promise<string> {
  const o = getAuthOptions();
  const c = await csrf(o);
  const r = await call(o, 'POST', 'callback', { csrfToken: c.token, username, password, json: 'true' }, { 'next-auth.csrf-token': c.cookie }, 'credentials');
  const session = pick(r, COOKIE);
  if (!session) throw new Error(`sign-in failed: ${JSON.stringify(r.redirect ?? r.body)}`);
  return session;
}

async function signOut(sessionCookie: string) {
  const o = getAuthOptions();
  const c = await csrf(o);
  return call(o, 'POST', 'signout', { csrfToken: c.token, callbackUrl: '/login', json: 'true' }, { 'next-auth.csrf-token': c.cookie, [COOKIE]: sessionCookie });
}

beforeEach(async () => {
  h.db = await memoryDb();
  h.cookie = undefined;
  await createUser({ username: 'dana', role: 'admin', password: 'dana-password-1' });
});

describe('session revocation', () => {
  it('a session cookie copied before sign-out is refused after it (401 from requireUser)', async () => {
    const stolen = await signIn('dana', 'dana-password-1');
    h.cookie = stolen;
    expect(await getSession()).toMatchObject({ username: 'dana', role: 'admin' });

    const out = await signOut(stolen);
    expect(String((out.body as { url?: string } | undefined)?.url ?? out.redirect)).not.toContain('csrf=true');

    h.cookie = stolen; // replay the copy
    expect(await getSession()).toBeNull();
    await expect(requireUser()).rejects.toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    // next-auth's own session endpoint gives nothing for it either.
    const r = await call(getAuthOptions(), 'GET', 'session', {}, stolen);
    expect((r.body as { uid?: string }).uid).toBeUndefined();
    // A new sign-in works.
    h.cookie = await signIn('dana', 'dana-password-1');
    expect(await getSession()).toMatchObject({ username: 'dana' });
  });

  it.each([
    ['a password change', () => setUserPassword('dana', 'dana-password-2')],
    ['a role change', () => setUserRole('dana', 'viewer')],
    ['disabling the user', () => setUserDisabled('dana', true)],
  ])('%s ends the existing sessions at once', async (_what, change) => {
    const a = await signIn('dana', 'dana-password-1');
    const b = await signIn('dana', 'dana-password-1');
    h.cookie = a;
    expect(await getSession()).not.toBeNull();
    await change();
    for (const c of [a, b]) {
      h.cookie = c;
      expect(await getSession()).toBeNull();
    }
  });

  it('setting the same role again does not end sessions', async () => {
    h.cookie = await signIn('dana', 'dana-password-1');
    await setUserRole('dana', 'admin');
    expect(await getSession()).toMatchObject({ role: 'admin' });
  });
});
