// The console database unreachable during work: actions refuse with a message a person can act on, and nothing
// runs (no AWS call, nothing written half-way); a session is still believed for reading, as a viewer.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { openPostgres } from '@/lib/db/postgres';
import { parseDatabaseUrl } from '@/lib/db/url';
import { freePort } from '@/lib/testing/postgres-server';
import { resetEnvCache } from '@/lib/env';

const h = vi.hoisted(() => ({
  db: undefined as unknown,
  user: null as null | { id: string; username: string; role: 'viewer' | 'operator' | 'admin'; degraded?: true },
}));
vi.mock('@/lib/db', async (orig) => ({ ...(await orig<typeof import('@/lib/db')>()), getDb: () => h.db }));
vi.mock('@/lib/auth/session', () => ({ getSession: async () => h.user }));

import { defineAction, runAction } from './define-action';
import { checkToken, sessionUserOf } from '@/lib/auth/session-token';

const run = vi.fn();
const rebootAction = defineAction({
  action: 'instance.reboot',
  schema: z.object({ region: z.string(), instanceId: z.string() }),
  target: (i) => ({ region: i.region, target: i.instanceId }),
  run: async (i, ctx) => run(i, ctx),
});

beforeEach(async () => {
  // As lib/env.ts demands with a PostgreSQL DATABASE_URL.
  process.env.AFC_AUDIT_KEY = 'db-unavailable-test-audit-key-0123456789';
  resetEnvCache();
  const cfg = parseDatabaseUrl(`postgres://console:pw@127.0.0.1:${await freePort()}/console`).config;
  if (cfg.dialect !== 'postgres') throw new Error('postgres expected');
  h.db = openPostgres(cfg);
  run.mockReset();
});

describe('the console database unreachable during work', () => {
  it('an action refuses before anything runs, saying what happened and that nothing was sent to AWS', async () => {
    h.user = { id: 'u1', username: 'op', role: 'operator' };
    const r = await runAction(rebootAction, { region: 'us-east-1', instanceId: 'orders-2' });
    expect(r).toEqual({ ok: false, code: 'DB_UNAVAILABLE', error: expect.stringMatching(/^The console database is unreachable, so this action was refused: nothing was recorded and nothing was sent to AWS\./) });
    expect(run).not.toHaveBeenCalled();
  });

  it('a session read while the database is down is believed for reading only (viewer), and its actions refuse', async () => {
    const token = await checkToken({ uid: 'u1', sv: 3, name: 'op' });
    expect(sessionUserOf(token)).toEqual({ id: 'u1', username: 'op', role: 'viewer', degraded: true });
    h.user = sessionUserOf(token)!;
    const r = await runAction(rebootAction, { region: 'us-east-1', instanceId: 'orders-2' });
    expect(r).toMatchObject({ ok: false, code: 'DB_UNAVAILABLE' });
    expect(run).not.toHaveBeenCalled();
  });
});
