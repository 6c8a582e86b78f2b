import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

const h = vi.hoisted(() => ({
  db: undefined as unknown,
  user: null as null | { id: string; username: string; role: 'viewer' | 'operator' | 'admin' },
}));
vi.mock('@/lib/db', async (orig) => ({ ...(await orig<typeof import('@/lib/db')>()), getDb: () => h.db }));
vi.mock('@/lib/auth/session', () => ({ getSession: async () => h.user }));

import type { DB } from '@/lib/db';
import { memoryDb } from '@/lib/testing/memory-db';
import { listAudit, verifyAuditChain } from '@/lib/audit/log';
import { AppError } from '@/lib/errors';
import { defineAction, formDataToObject, runAction } from './define-action';

const run = vi.fn();
const rebootAction = defineAction({
  action: 'instance.reboot',
  schema: z.object({
    region: z.string().min(1, 'Choose a region.'),
    instanceId: z.string().regex(/^[a-z][a-z0-9-]*$/, 'Instance identifiers use lowercase letters, digits and hyphens.'),
    force: z.preprocess((v) => v === 'on' || v === true, z.boolean()).default(false),
    masterPassword: z.string().optional(),
  }),
  target: (i) => ({ region: i.region, target: i.instanceId }),
  run: async (i, ctx) => run(i, ctx),
});

function form(o: Record<string, string | string[]>) {
  const f = new FormData();
  for (const [k, v] of Object.entries(o)) for (const x of [v].flat()) f.append(k, x);
  return f;
}
const good = () => form({ region: 'us-east-1', instanceId: 'orders-2', force: 'on', masterPassword: 'Sup3rSecret!' });
const phases = async () => (await listAudit({}, h.db as DB)).reverse().map((r) => r.phase);

beforeEach(async () => {
  h.db = await memoryDb();
  h.user = null;
  run.mockReset();
});

describe('defineAction', () => {
  it('refuses without a session and writes only the refused row', async () => {
    const r = await rebootAction(null, good());
    expect(r).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect(run).not.toHaveBeenCalled();
    const rows = await listAudit({}, h.db as DB);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: 'anonymous', phase: 'refused', action: 'instance.reboot', target: 'orders-2', region: 'us-east-1' });
    expect(JSON.stringify(rows[0].params)).not.toContain('Sup3rSecret');
  });

  it('refuses a role that is too low (viewer cannot reboot)', async () => {
    h.user = { id: 'u1', username: 'viewer1', role: 'viewer' };
    const r = await rebootAction(null, good());
    expect(r).toMatchObject({ ok: false, code: 'FORBIDDEN', error: expect.stringMatching(/operator role to reboot an instance/) });
    expect(run).not.toHaveBeenCalled();
    expect(await phases()).toEqual(['refused']);
  });

  it('returns precise field errors for bad input without running or auditing', async () => {
    h.user = { id: 'u2', username: 'op', role: 'operator' };
    const r = await rebootAction(null, form({ region: '', instanceId: 'Bad_Name' }));
    expect(r).toEqual({
      ok: false,
      code: 'VALIDATION',
      error: 'Some fields need attention.',
      fieldErrors: { region: ['Choose a region.'], instanceId: ['Instance identifiers use lowercase letters, digits and hyphens.'] },
    });
    expect(run).not.toHaveBeenCalled();
    expect(await phases()).toEqual([]);
  });

  it('audits requested before run, then succeeded with the request id', async () => {
    h.user = { id: 'u2', username: 'op', role: 'operator' };
    run.mockImplementation(async (i, ctx) => {
      expect(await phases()).toEqual(['requested']); // written BEFORE the call
      expect(i).toEqual({ region: 'us-east-1', instanceId: 'orders-2', force: true, masterPassword: 'Sup3rSecret!' });
      ctx.setAwsRequestId('req-123');
      return { data: { status: 'rebooting' }, message: 'Rebooting orders-2.' };
    });
    const r = await rebootAction(null, good());
    expect(r).toEqual({ ok: true, data: { status: 'rebooting' }, message: 'Rebooting orders-2.', awsRequestId: 'req-123' });
    const rows = (await listAudit({}, h.db as DB)).reverse();
    expect(rows.map((x) => x.phase)).toEqual(['requested', 'succeeded']);
    expect(rows[1]).toMatchObject({ actor: 'op', role: 'operator', awsRequestId: 'req-123', target: 'orders-2' });
    expect(rows[0].params).toMatchObject({ masterPassword: '[redacted]', instanceId: 'orders-2' });
    expect(rows[0].correlationId).toBe(rows[1].correlationId);
    expect(await verifyAuditChain(h.db as DB)).toEqual({ ok: true, rows: 2 });
  });

  it('maps an AppError to a returned failure and a failed audit row', async () => {
    h.user = { id: 'u3', username: 'boss', role: 'admin' };
    run.mockRejectedValue(new AppError('INVALID_INSTANCE_STATE', 'orders-2 is rebooting; wait until it is available.', { status: 409, awsRequestId: 'req-9' }));
    const r = await rebootAction(null, good());
    expect(r).toEqual({ ok: false, code: 'INVALID_INSTANCE_STATE', error: 'orders-2 is rebooting; wait until it is available.' });
    const rows = (await listAudit({}, h.db as DB)).reverse();
    expect(rows.map((x) => x.phase)).toEqual(['requested', 'failed']);
    expect(rows[1]).toMatchObject({ awsRequestId: 'req-9', error: 'orders-2 is rebooting; wait until it is available.' });
  });

  it('hides unexpected exceptions behind a generic message', async () => {
    h.user = { id: 'u3', username: 'boss', role: 'admin' };
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    run.mockRejectedValue(new Error('socket hang up at 10.0.0.5 password=Sup3rSecret!'));
    const r = await rebootAction(null, good());
    expect(r).toMatchObject({ ok: false, code: 'INTERNAL', error: expect.stringMatching(/^Unexpected error .*nothing further was changed/) });
    expect((r as { error: string }).error).not.toContain('socket');
    expect(await phases()).toEqual(['requested', 'failed']);
    spy.mockRestore();
  });

  it('runAction takes a plain object through the same pipeline', async () => {
    h.user = { id: 'u1', username: 'viewer1', role: 'viewer' };
    expect(await runAction(rebootAction, { region: 'us-east-1', instanceId: 'x' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    h.user = { id: 'u2', username: 'op', role: 'operator' };
    run.mockResolvedValue({ data: 1 });
    expect(await runAction(rebootAction, { region: 'us-east-1', instanceId: 'x', force: true })).toEqual({ ok: true, data: 1 });
  });

  it('a repeated idempotency key returns the first result without running again', async () => {
    h.user = { id: 'u2', username: 'op', role: 'operator' };
    run.mockResolvedValue({ data: { n: 1 }, message: 'done' });
    const f = () => {
      const x = good();
      x.set('idempotencyKey', 'k-1');
      return x;
    };
    const a = await rebootAction(null, f());
    const b = await rebootAction(null, f());
    expect(b).toEqual(a);
    expect(run).toHaveBeenCalledTimes(1);
    // Another user with the same key is a different request.
    h.user = { id: 'u9', username: 'op2', role: 'operator' };
    await rebootAction(null, f());
    expect(run).toHaveBeenCalledTimes(2);
    // Concurrent duplicates: exactly one runs.
    run.mockImplementation(async () => {
      await new Promise((r) => setTimeout(r, 30));
      return { data: 2 };
    });
    const both = await Promise.all([runAction(rebootAction, { region: 'us-east-1', instanceId: 'a', idempotencyKey: 'k-2' }), runAction(rebootAction, { region: 'us-east-1', instanceId: 'a', idempotencyKey: 'k-2' })]);
    expect(run).toHaveBeenCalledTimes(3);
    expect(both.map((x) => x.ok).sort()).toEqual([false, true]);
    expect(both.find((x) => !x.ok)).toMatchObject({ code: 'DUPLICATE' });
  });

  it('turns repeated keys into arrays and drops React internals', () => {
    expect(formDataToObject(form({ a: ['1', '2'], b: 'x', $ACTION_ID_abc: '' }))).toEqual({ a: ['1', '2'], b: 'x' });
  });
});
