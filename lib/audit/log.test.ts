import { beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { DB } from '@/lib/db';
import { memoryDb } from '@/lib/testing/memory-db';
import { appendAudit, listAudit, verifyAuditChain } from './log';

let db: DB;
beforeEach(async () => {
  db = await memoryDb();
});

async function seed(n: number) {
  for (let i = 1; i <= n; i++)
    await appendAudit({ actor: `user${i % 3}`, role: 'operator', action: 'cluster.failover', region: 'us-east-1', target: `orders-${i}`, phase: 'requested', params: { i } }, db);
}

describe('audit chain', () => {
  it('verifies an untouched chain', async () => {
    await seed(5);
    expect(await verifyAuditChain(db)).toEqual({ ok: true, rows: 5 });
    expect(await verifyAuditChain(await memoryDb())).toEqual({ ok: true, rows: 0 });
  });

  it('detects an edited row', async () => {
    await seed(5);
    await sql`update audit_log set actor = 'mallory' where seq = 3`.execute(db);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, brokenAt: 3, reason: expect.stringMatching(/modified/) });
  });

  it('detects an edited row even when its hash is recomputed (the next row no longer links)', async () => {
    await seed(5);
    const { rowHash } = await import('./log');
    const r = await db.selectFrom('audit_log').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow();
    const edited = { ...r, error: 'nothing to see' };
    await db.updateTable('audit_log').set({ error: edited.error, hash: rowHash(r.prev_hash, edited) }).where('seq', '=', 2).execute();
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('detects a deleted row', async () => {
    await seed(5);
    await sql`delete from audit_log where seq = 2`.execute(db);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, brokenAt: 2, reason: expect.stringMatching(/missing/) });
  });

  it('detects a deleted first row and swapped rows', async () => {
    await seed(4);
    await sql`delete from audit_log where seq = 1`.execute(db);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, brokenAt: 1 });

    const db2 = await memoryDb();
    for (let i = 0; i < 3; i++) await appendAudit({ actor: 'a', role: 'admin', action: 'cluster.create', phase: 'requested', target: `c${i}` }, db2);
    // swap contents of rows 1 and 2 (keeping seq numbers)
    await sql`update audit_log set seq = -1 where seq = 1`.execute(db2);
    await sql`update audit_log set seq = 1 where seq = 2`.execute(db2);
    await sql`update audit_log set seq = 2 where seq = -1`.execute(db2);
    expect(await verifyAuditChain(db2)).toMatchObject({ ok: false, brokenAt: 1 });
  });

  it('keeps the chain under concurrent appends', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => appendAudit({ actor: 'x', role: 'viewer', action: 'auth.signin', phase: 'failed', target: String(i) }, db)));
    expect(await verifyAuditChain(db)).toEqual({ ok: true, rows: 40 });
  });

  it('redacts secrets in parameters', async () => {
    await appendAudit(
      { actor: 'a', role: 'admin', action: 'cluster.create', phase: 'requested', params: { clusterId: 'c1', masterUserPassword: 'hunter22', nested: { apiToken: 't', keep: 1 } } },
      db,
    );
    const [row] = await listAudit({}, db);
    expect(row.params).toEqual({ clusterId: 'c1', masterUserPassword: '[redacted]', nested: { apiToken: '[redacted]', keep: 1 } });
    const raw = await db.selectFrom('audit_log').select('params').executeTakeFirstOrThrow();
    expect(raw.params).not.toContain('hunter22');
  });

  it('lists newest first with filters', async () => {
    await seed(6);
    await appendAudit({ actor: 'alice', role: 'admin', action: 'cluster.delete', phase: 'succeeded', target: 'billing-prod', awsRequestId: 'req-9' }, db);
    const all = await listAudit({}, db);
    expect(all.map((r) => r.seq)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect((await listAudit({ actor: 'alice' }, db)).map((r) => r.target)).toEqual(['billing-prod']);
    expect((await listAudit({ action: 'cluster.failover', target: 'orders-1' }, db)).map((r) => r.target)).toEqual(['orders-1']);
    expect(await listAudit({ from: new Date(Date.now() + 60_000) }, db)).toEqual([]);
    expect((await listAudit({ limit: 2, offset: 1 }, db)).map((r) => r.seq)).toEqual([6, 5]);
    expect(all[0]).toMatchObject({ actor: 'alice', phase: 'succeeded', awsRequestId: 'req-9' });
  });
});

describe('cached verification', () => {
  it('checks only new rows between full checks, and re-verifies fully after the interval', async () => {
    const { verifyAuditChainCached } = await import('./log');
    await seed(5);
    const t0 = 1_000_000;
    expect(await verifyAuditChainCached(db, 60_000, t0)).toEqual({ ok: true, rows: 5, fullCheckAt: t0 });
    await seed(2);
    expect(await verifyAuditChainCached(db, 60_000, t0 + 1000)).toEqual({ ok: true, rows: 7, fullCheckAt: t0 });
    // A new row edited: found by the incremental check.
    await sql`update audit_log set actor = 'x' where seq = 7`.execute(db);
    expect(await verifyAuditChainCached(db, 60_000, t0 + 2000)).toMatchObject({ ok: false, brokenAt: 7 });
  });

  it('an old row edited is found at the next full check', async () => {
    const { verifyAuditChainCached } = await import('./log');
    await seed(5);
    await verifyAuditChainCached(db, 60_000, 0);
    await sql`update audit_log set actor = 'x' where seq = 2`.execute(db);
    expect(await verifyAuditChainCached(db, 60_000, 61_000)).toMatchObject({ ok: false, brokenAt: 2 });
  });
});
