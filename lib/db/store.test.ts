// The console store's guarantees, on every dialect this run provides (SQLite always; PostgreSQL under
// vitest.postgres.config.ts): one audit chain under concurrent appends that still detects a deleted, an edited row
// and a truncated tail; atomic sign-in counting; session revocation; exactly-once approval claims; one on-call
// lock per cluster that a dead holder cannot keep; idempotency keys; case-insensitive audit search.
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { appendAudit, listAudit, verifyAuditChain } from '@/lib/audit/log';
import { countAttempt } from '@/lib/auth/rate-limit';
import { createUser, revokeSessions } from '@/lib/auth/users';
import { verifySessionClaims } from '@/lib/auth/session-token';
import { claimApproval, createApproval } from '@/lib/approvals/store';
import { beginOperation, CLAIM_LEASE_MS, getActiveOperation, markOperationStarted, renewOperationLease } from '@/lib/oncall/operations';
import { openPostgres } from '@/lib/db/postgres';
import { parseDatabaseUrl } from '@/lib/db/url';
import { appendAudit as appendWith } from '@/lib/audit/log';
import { storeDialects, useStore, type TestStore } from '@/lib/testing/store-dialects';
import type { DB } from '@/lib/db';

let store: TestStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

const entry = (i: number) => ({ actor: `user${i % 7}`, role: 'operator' as const, action: 'cluster.failover', region: 'us-east-1', target: `Orders-${i}`, phase: 'requested' as const });

describe.each(storeDialects())('the console store on %s', (dialect) => {
  it('200 concurrent audit appends form one chain that verifies; a deleted row, an edited row and a truncated tail are detected', async () => {
    store = await useStore(dialect);
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 200 }, (_, i) => appendAudit(entry(i))));
    const ms = performance.now() - t0;
    console.log(`${dialect}: 200 concurrent audit appends in ${ms.toFixed(0)} ms (${((200 / ms) * 1000).toFixed(0)} appends/s)`);
    expect(await verifyAuditChain()).toEqual({ ok: true, rows: 200 });
    const seqs = (await listAudit({ limit: 1000 })).map((r) => r.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));

    const db = store.db;
    await db.updateTable('audit_log').set({ target: 'someone-else' }).where('seq', '=', 50).execute();
    expect(await verifyAuditChain()).toMatchObject({ ok: false, brokenAt: 50, reason: 'row 50 was modified after it was written' });
    await db.deleteFrom('audit_log').where('seq', '=', 50).execute();
    expect(await verifyAuditChain()).toMatchObject({ ok: false, brokenAt: 50, reason: expect.stringContaining('row 50 is missing') });
  });

  it('deleting the newest rows is detected (the head is anchored outside the audit table)', async () => {
    store = await useStore(dialect);
    for (let i = 0; i < 10; i++) await appendAudit(entry(i));
    await store.db.deleteFrom('audit_log').where('seq', '>', 7).execute();
    expect(await verifyAuditChain()).toMatchObject({ ok: false, brokenAt: 8, reason: expect.stringContaining('rows 8–10 are missing') });
  });

  it('the audit target search is a case-insensitive substring on both dialects, with % taken literally', async () => {
    store = await useStore(dialect);
    await appendAudit({ ...entry(1), target: 'Orders-Prod' });
    await appendAudit({ ...entry(2), target: '100%-db' });
    expect((await listAudit({ target: 'orders-p' })).map((r) => r.target)).toEqual(['Orders-Prod']);
    expect((await listAudit({ target: '0%' })).map((r) => r.target)).toEqual(['100%-db']);
    expect(await listAudit({ target: '1%d' })).toEqual([]);
  });

  it('20 concurrent sign-in attempts for one key are counted 1…20, each once', async () => {
    store = await useStore(dialect);
    const now = Date.now();
    const counts = await Promise.all(Array.from({ length: 20 }, () => countAttempt('user:alice', 60_000, now)));
    expect(counts.map((c) => c.attempts).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('revoking sessions ends a session issued before', async () => {
    store = await useStore(dialect);
    const { user } = await createUser({ username: 'bob', role: 'operator', password: 'Correct-horse-42' });
    expect(await verifySessionClaims(user.id, user.sessionVersion)).toMatchObject({ username: 'bob', role: 'operator' });
    await revokeSessions(user.id);
    expect(await verifySessionClaims(user.id, user.sessionVersion)).toBeUndefined();
  });

  it('10 concurrent approvals of one request: exactly one claim wins', async () => {
    store = await useStore(dialect);
    const a = await createApproval({ action: 'cluster.backtrack', region: 'us-east-1', target: 'c1', params: {}, summary: 's', user: { id: 'u1', username: 'ann', role: 'admin' } });
    const wins = await Promise.all(Array.from({ length: 10 }, (_, i) => claimApproval(a.id, 'executing', `admin${i}`)));
    expect(wins.filter(Boolean)).toHaveLength(1);
  });

  it('one on-call lock per cluster under 10 concurrent requests; a dead holder\'s lock expires with its lease, a renewed one holds', async () => {
    store = await useStore(dialect);
    const now = Date.now();
    const req = { kind: 'failover' as const, region: 'us-east-1', clusterId: 'c1', requestedBy: 'op', now };
    const rs = await Promise.all(Array.from({ length: 10 }, () => beginOperation(req)));
    expect(rs.filter((r) => r.ok)).toHaveLength(1);
    const won = rs.find((r) => r.ok)!;
    expect(rs.filter((r) => !r.ok).every((r) => !r.ok && r.existing.id === (won.ok && won.op.id))).toBe(true);
    // Renewed by a live holder: still held after the first lease would have run out.
    if (won.ok) await renewOperationLease(won.op.id, now + CLAIM_LEASE_MS - 1_000);
    expect(await getActiveOperation('us-east-1', 'c1', 'failover', now + CLAIM_LEASE_MS + 1_000)).toBeDefined();
    // Nobody renews it (the instance died): released, and a new request gets the lock.
    expect(await getActiveOperation('us-east-1', 'c1', 'failover', now + 2 * CLAIM_LEASE_MS + 1_000)).toBeUndefined();
    const again = await beginOperation({ ...req, now: now + 2 * CLAIM_LEASE_MS + 2_000 });
    expect(again.ok).toBe(true);
    if (again.ok) await markOperationStarted(again.op.id, { awsRequestId: 'r1' });
    expect((await getActiveOperation('us-east-1', 'c1', 'failover'))?.status).toBe('in-progress');
  });

  it('an idempotency key is taken once per user', async () => {
    store = await useStore(dialect);
    const row = { actor: 'u1', key: 'k1', action: 'cluster.failover', created_at: Date.now(), result: null };
    await store.db.insertInto('action_idempotency').values(row).execute();
    await expect(store.db.insertInto('action_idempotency').values(row).execute()).rejects.toThrow();
    await store.db.insertInto('action_idempotency').values({ ...row, actor: 'u2' }).execute();
  });

  it.runIf(dialect === 'postgres')('appends from two separate connection pools (two processes) form one chain', async () => {
    store = await useStore(dialect);
    const cfg = parseDatabaseUrl(store.url).config;
    if (cfg.dialect !== 'postgres') throw new Error('expected a postgres URL');
    const other = openPostgres(cfg) as DB;
    try {
      await Promise.all([
        ...Array.from({ length: 100 }, (_, i) => appendWith(entry(i), store!.db)),
        ...Array.from({ length: 100 }, (_, i) => appendWith(entry(i + 100), other)),
      ]);
      expect(await verifyAuditChain(other)).toEqual({ ok: true, rows: 200 });
      const heads = await sql<{ rows: number }>`select rows from audit_anchor`.execute(store.db);
      expect(heads.rows.map((r) => Number(r.rows))).toEqual([200]);
    } finally {
      await other.destroy();
    }
  });
});
