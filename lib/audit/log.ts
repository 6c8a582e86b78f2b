import 'server-only';
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { getDb } from '@/lib/db';
import type { ConsoleDatabase } from '@/lib/db/schema';
import type { AuditAction, Role } from '@/lib/auth/permissions';
import { log, redactSecrets } from '@/lib/log';
import { AUDIT_SECRET_KEY_RE } from './secrets';

/**
 * The append-only audit log. Rows are only ever INSERTED (there is no update or delete path in this module).
 * Each row stores prev_hash (the previous row's hash) and hash = sha256(prev_hash + canonical JSON of its fields),
 * and seq numbers run 1, 2, 3 … without gaps, so verifyAuditChain() detects an edited, deleted or reordered row.
 */

type AuditPhase = 'requested' | 'succeeded' | 'failed' | 'refused' | 'pending-approval' | 'approved' | 'rejected' | 'expired';
export const AUDIT_PHASES: AuditPhase[] = ['requested', 'succeeded', 'failed', 'refused', 'pending-approval', 'approved', 'rejected', 'expired'];

interface AuditEntry {
  actor: string;
  role: Role | 'anonymous';
  action: AuditAction | string;
  region?: string;
  target?: string;
  params?: Record<string, unknown>;
  phase: AuditPhase;
  awsRequestId?: string;
  error?: string;
  correlationId?: string;
}

export interface AuditRow {
  seq: number;
  id: string;
  /** ISO time */
  at: string;
  actor: string;
  role: string;
  action: string;
  region?: string;
  target?: string;
  params?: Record<string, unknown>;
  phase: string;
  awsRequestId?: string;
  error?: string;
  correlationId?: string;
  prevHash: string;
  hash: string;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  target?: string;
  phase?: string;
  region?: string;
  from?: Date;
  to?: Date;
  limit?: number;
  offset?: number;
}

const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level: the same data always gives the same text. */
function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v === undefined ? null : v);
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x)).join(',')}]`;
  const keys = Object.keys(v as Record<string, unknown>)
    .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

type StoredRow = ConsoleDatabase['audit_log'];

function hashedFields(r: Omit<StoredRow, 'hash' | 'prev_hash'>) {
  return {
    seq: Number(r.seq),
    id: r.id,
    ts: Number(r.ts),
    actor: r.actor,
    role: r.role,
    action: r.action,
    region: r.region,
    target: r.target,
    params: r.params,
    phase: r.phase,
    awsRequestId: r.aws_request_id,
    error: r.error,
    correlationId: r.correlation_id,
  };
}

export function rowHash(prevHash: string, r: Omit<StoredRow, 'hash' | 'prev_hash'>): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(hashedFields(r))).digest('hex');
}

const clip = (s: string | undefined, n: number) => (s === undefined || s === null ? null : s.length > n ? `${s.slice(0, n - 1)}…` : s);

function paramsText(params: Record<string, unknown> | undefined): string | null {
  if (!params || Object.keys(params).length === 0) return null;
  let text = canonicalJson(redactSecrets(params, AUDIT_SECRET_KEY_RE));
  if (text.length > 8000) text = canonicalJson({ truncated: true, preview: text.slice(0, 7000) });
  return text;
}

function isConflict(e: unknown): boolean {
  const msg = e instanceof Error ? `${(e as { code?: string }).code ?? ''} ${e.message}` : String(e);
  return /SQLITE_BUSY|SQLITE_CONSTRAINT|UNIQUE|database is locked|duplicate key/i.test(msg);
}

/** Append one row to the chain. Appends are serialized in a transaction; a lost race retries on the new head. */
export async function appendAudit(e: AuditEntry, db: Kysely<ConsoleDatabase> = getDb()): Promise<void> {
  const base = {
    id: randomUUID(),
    ts: Date.now(),
    actor: clip(String(e.actor || 'anonymous'), 200)!,
    role: e.role,
    action: clip(String(e.action), 100)!,
    region: clip(e.region, 64),
    target: clip(e.target, 255),
    params: paramsText(e.params),
    phase: e.phase,
    aws_request_id: clip(e.awsRequestId, 128),
    error: clip(e.error, 2000),
    correlation_id: clip(e.correlationId, 64),
  };
  for (let attempt = 0; ; attempt++) {
    try {
      await db.transaction().execute(async (trx) => {
        const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
        const seq = last ? Number(last.seq) + 1 : 1;
        const prev_hash = last ? last.hash : GENESIS_HASH;
        const row = { ...base, seq };
        await trx
          .insertInto('audit_log')
          .values({ ...row, prev_hash, hash: rowHash(prev_hash, row) })
          .execute();
      });
      return;
    } catch (err) {
      if (attempt < 8 && isConflict(err)) {
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
        continue;
      }
      log.error('audit append failed', { err, action: base.action, phase: base.phase });
      throw err;
    }
  }
}

function toRow(r: StoredRow): AuditRow {
  let params: Record<string, unknown> | undefined;
  if (r.params) {
    try {
      params = JSON.parse(r.params) as Record<string, unknown>;
    } catch {
      params = { unparsable: r.params };
    }
  }
  return {
    seq: Number(r.seq),
    id: r.id,
    at: new Date(Number(r.ts)).toISOString(),
    actor: r.actor,
    role: r.role,
    action: r.action,
    region: r.region ?? undefined,
    target: r.target ?? undefined,
    params,
    phase: r.phase,
    awsRequestId: r.aws_request_id ?? undefined,
    error: r.error ?? undefined,
    correlationId: r.correlation_id ?? undefined,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** Newest first. actor/action/phase/region match exactly; target matches a substring (case-insensitive in SQLite). */
export async function listAudit(f: AuditFilter = {}, db: Kysely<ConsoleDatabase> = getDb()): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (f.actor) q = q.where('actor', '=', f.actor.trim());
  if (f.action) q = q.where('action', '=', f.action.trim());
  if (f.phase) q = q.where('phase', '=', f.phase.trim());
  if (f.region) q = q.where('region', '=', f.region.trim());
  if (f.target) q = q.where('target', 'like', `%${f.target.trim().replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
  if (f.from && !Number.isNaN(f.from.getTime())) q = q.where('ts', '>=', f.from.getTime());
  if (f.to && !Number.isNaN(f.to.getTime())) q = q.where('ts', '<=', f.to.getTime());
  const limit = Math.min(Math.max(f.limit ?? 200, 1), 10_000);
  const rows = await q
    .orderBy('seq', 'desc')
    .limit(limit)
    .offset(Math.max(f.offset ?? 0, 0))
    .execute();
  return rows.map(toRow);
}

type ChainResult = { ok: true; rows: number } | { ok: false; brokenAt: number; reason: string };

/**
 * Recompute the whole chain. Detects: an edited row (hash mismatch), a deleted row (gap in seq / prev_hash
 * mismatch), reordered rows (prev_hash mismatch). `brokenAt` is the seq of the first row that does not verify.
 * (Deleting the newest rows leaves a shorter, valid chain: compare the row count with an earlier verification.)
 */
export async function verifyAuditChain(db: Kysely<ConsoleDatabase> = getDb()): Promise<ChainResult> {
  return verifyFrom(db, 1, GENESIS_HASH);
}

async function verifyFrom(db: Kysely<ConsoleDatabase>, startSeq: number, startPrev: string): Promise<ChainResult> {
  let prev = startPrev;
  let expected = startSeq;
  const page = 1000;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expected)
      .orderBy('seq', 'asc')
      .limit(page)
      .execute();
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expected) return { ok: false, brokenAt: expected, reason: `row ${expected} is missing (deleted); the next row is ${seq}` };
      if (r.prev_hash !== prev) return { ok: false, brokenAt: seq, reason: `row ${seq} does not link to row ${seq - 1} (a row was deleted, replaced or reordered)` };
      const h = rowHash(r.prev_hash, r);
      if (h !== r.hash) return { ok: false, brokenAt: seq, reason: `row ${seq} was modified after it was written` };
      prev = r.hash;
      expected++;
    }
    if (rows.length < page) break;
  }
  return { ok: true, rows: expected - 1 };
}

const checkpoint = new WeakMap<object, { rows: number; hash: string; fullAt: number }>();

/**
 * For pages that show the chain status on every load: a FULL verification at most every `fullEveryMs`; in
 * between, only rows appended since the last verified one are checked (plus that the checkpoint row is unchanged).
 * Returns when the last full check ran.
 */
export async function verifyAuditChainCached(
  db: Kysely<ConsoleDatabase> = getDb(),
  fullEveryMs = 60_000,
  now = Date.now(),
): Promise<ChainResult & { fullCheckAt: number }> {
  const cp = checkpoint.get(db);
  if (cp && now - cp.fullAt < fullEveryMs && cp.rows > 0) {
    const row = await db.selectFrom('audit_log').selectAll().where('seq', '=', cp.rows).executeTakeFirst();
    // The checkpoint row must be unchanged (stored AND recomputed hash), else fall through to a full check.
    if (row && row.hash === cp.hash && rowHash(row.prev_hash, row) === cp.hash) {
      const r = await verifyFrom(db, cp.rows + 1, cp.hash);
      if (r.ok) await remember(db, r.rows, cp.fullAt);
      return { ...r, fullCheckAt: cp.fullAt };
    }
  }
  const r = await verifyAuditChain(db);
  if (r.ok) await remember(db, r.rows, now);
  else checkpoint.delete(db);
  return { ...r, fullCheckAt: now };
}

async function remember(db: Kysely<ConsoleDatabase>, rows: number, fullAt: number) {
  if (rows === 0) return void checkpoint.delete(db);
  const last = await db.selectFrom('audit_log').select('hash').where('seq', '=', rows).executeTakeFirst();
  if (last) checkpoint.set(db, { rows, hash: last.hash, fullAt });
}
