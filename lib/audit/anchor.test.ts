// Attacks on the audit log by someone with SQL access only: recompute the chain after an edit, delete the
// newest rows, forge the anchor. Plus legacy (unkeyed) rows from before the key, and owner-only files.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { migrate, openSqlite, type DB } from '@/lib/db';
import { memoryDb } from '@/lib/testing/memory-db';
import { migrations } from '@/lib/db/migrations';
import { resetEnvCache } from '@/lib/env';
import { appendAudit, canonicalJson, plainRowHash, verifyAuditChain, verifyAuditChainCached } from './log';

const entry = (i: number) => ({ actor: `user${i}`, role: 'operator' as const, action: 'cluster.failover', target: `c${i}`, phase: 'requested' as const });
async function seed(db: DB, n: number) {
  for (let i = 1; i <= n; i++) await appendAudit(entry(i), db);
}

/** What an attacker without the key can do: edit a row and recompute the plain SHA-256 chain from there on. */
async function editAndRechain(db: DB, fromSeq: number) {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  let prev = rows[fromSeq - 2]?.hash ?? '0'.repeat(64);
  for (const r of rows.filter((x) => Number(x.seq) >= fromSeq)) {
    const edited = { ...r, error: Number(r.seq) === fromSeq ? 'nothing to see' : r.error };
    const hash = plainRowHash(prev, edited);
    await db.updateTable('audit_log').set({ error: edited.error, prev_hash: prev, hash, chain: 1 }).where('seq', '=', r.seq).execute();
    prev = hash;
  }
}

let dir: string;
const saved = { ...process.env };
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'afc-audit-'));
  process.env.AFC_DATA_DIR = dir;
  delete process.env.AFC_AUDIT_KEY;
  process.env.NEXTAUTH_SECRET = 'anchor-test-secret-0123456789abcdef0123';
  resetEnvCache();
});
afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
  rmSync(dir, { recursive: true, force: true });
});

async function fileDb(): Promise<DB> {
  const db = openSqlite(path.join(dir, 'console.db'));
  await migrate(db);
  return db;
}

describe('keyed, anchored audit chain', () => {
  it('an edit with the plain chain recomputed after it is reported', async () => {
    const db = await memoryDb();
    await seed(db, 5);
    await editAndRechain(db, 3);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, brokenAt: 3 });
    // Rechaining the whole log as "legacy" does not help either: the anchored head no longer matches.
    await editAndRechain(db, 1);
    expect((await verifyAuditChain(db)).ok).toBe(false);
  });

  it('deleting the newest rows is reported (memory and file databases, full and cached checks)', async () => {
    for (const db of [await memoryDb(), await fileDb()]) {
      await seed(db, 6);
      expect(await verifyAuditChain(db)).toEqual({ ok: true, rows: 6 });
      expect(await verifyAuditChainCached(db, 60_000, 1000)).toMatchObject({ ok: true, rows: 6 });
      await sql`delete from audit_log where seq >= 5`.execute(db);
      expect(await verifyAuditChain(db)).toMatchObject({ ok: false, brokenAt: 5, reason: expect.stringMatching(/newest rows were deleted/) });
      expect(await verifyAuditChainCached(db, 60_000, 2000)).toMatchObject({ ok: false, brokenAt: 5 });
      // Appending afterwards (even past the old count) does not re-anchor over the gap.
      await seed(db, 4);
      expect(await verifyAuditChain(db)).toMatchObject({ ok: false, brokenAt: 6, reason: expect.stringMatching(/not the row the anchored head records/) });
    }
  });

  it('the head lives outside the database, signed: a forged head is refused', async () => {
    const db = await fileDb();
    await seed(db, 3);
    const headFile = path.join(dir, 'audit.head');
    const head = JSON.parse(readFileSync(headFile, 'utf8'));
    expect(head).toMatchObject({ rows: 3 });
    writeFileSync(headFile, JSON.stringify({ ...head, rows: 2 }));
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, reason: expect.stringMatching(/not signed/) });
  });

  it('uses AFC_AUDIT_KEY when set (a different key does not verify the rows)', async () => {
    process.env.AFC_AUDIT_KEY = 'k'.repeat(40);
    resetEnvCache();
    const db = await fileDb();
    await seed(db, 2);
    expect(await verifyAuditChain(db)).toEqual({ ok: true, rows: 2 });
    process.env.AFC_AUDIT_KEY = 'z'.repeat(40);
    resetEnvCache();
    const again = openSqlite(path.join(dir, 'console.db'));
    expect((await verifyAuditChain(again)).ok).toBe(false);
  });

  it('rows written before the key (plain chain) still verify, and new rows continue the chain keyed', async () => {
    // A data dir from before: migrations up to the previous one, rows with the plain chain.
    const legacy = openSqlite(path.join(dir, 'console.db'));
    await migrate(legacy, migrations.filter((m) => m.name < '0200'));
    let prev = '0'.repeat(64);
    for (let seq = 1; seq <= 3; seq++) {
      const r = { seq, id: `id${seq}`, ts: 1000 + seq, actor: 'old', role: 'admin', action: 'cluster.create', region: null, target: `t${seq}`, params: null, phase: 'succeeded', aws_request_id: null, error: null, correlation_id: null };
      const hash = createHash('sha256').update(prev).update(canonicalJson({ ...r, awsRequestId: null, correlationId: null, aws_request_id: undefined, correlation_id: undefined })).digest('hex');
      await sql`insert into audit_log (seq, id, ts, actor, role, action, region, target, params, phase, aws_request_id, error, correlation_id, prev_hash, hash)
        values (${seq}, ${r.id}, ${r.ts}, ${r.actor}, ${r.role}, ${r.action}, null, ${r.target}, null, ${r.phase}, null, null, null, ${prev}, ${hash})`.execute(legacy);
      prev = hash;
    }
    const db = await fileDb();
    expect(await verifyAuditChain(db)).toEqual({ ok: true, rows: 3 });
    await seed(db, 2);
    expect(await verifyAuditChain(db)).toEqual({ ok: true, rows: 5 });
    const chains = await db.selectFrom('audit_log').select(['seq', 'chain']).orderBy('seq').execute();
    expect(chains.map((c) => c.chain)).toEqual([1, 1, 1, 2, 2]);
    // A keyed row cannot be turned into a "legacy" one.
    await editAndRechain(db, 5);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, brokenAt: 5 });
  });

  it('npm run audit -- verify: exit 0 with a clean chain, 1 and a one-line reason when broken', async () => {
    const { main } = await import('@/scripts/audit');
    const { getDb } = await import('@/lib/db');
    const lines: string[] = [];
    await migrate(getDb());
    await seed(getDb(), 4);
    expect(await main(['verify'], (l) => lines.push(l))).toBe(0);
    expect(lines.pop()).toMatch(/^Audit chain verified: 4 rows\.$/);
    await sql`delete from audit_log where seq = 4`.execute(getDb());
    expect(await main(['verify'], (l) => lines.push(l))).toBe(1);
    expect(lines.pop()).toMatch(/^Audit chain BROKEN at row 4: .*deleted/);
    expect(await main([], (l) => lines.push(l))).toBe(2);
  });
});

describe('files under the data dir are owner-only', () => {
  it('database (+ -wal/-shm), audit key and head are 0600; the directory 0700', async () => {
    const db = await fileDb();
    await seed(db, 1);
    const mode = (f: string) => statSync(path.join(dir, f)).mode & 0o777;
    expect(mode('.')).toBe(0o700);
    for (const f of ['console.db', 'console.db-wal', 'console.db-shm', 'audit.key', 'audit.head']) expect([f, mode(f)]).toEqual([f, 0o600]);
  });
});
