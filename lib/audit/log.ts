import 'server-only';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { getDb } from '@/lib/db';
import type { ConsoleDatabase } from '@/lib/db/schema';
import type { AuditAction, Role } from '@/lib/auth/permissions';
import { log, redactSecrets } from '@/lib/log';
import { AUDIT_SECRET_KEY_RE } from './secrets';
import { countAttempt } from '@/lib/auth/rate-limit';
import { AnchorError, auditSeal, lockAuditAppends, memoryAuditKey, type AuditHead, type AuditSeal } from './seal';

/**
 * The append-only audit log. Rows are only ever INSERTED (there is no update or delete path in this module).
 * Each row stores prev_hash (the previous row's hash) and hash = HMAC-SHA256(audit key, prev_hash + canonical JSON
 * of its fields) (chain 2; rows from before the key existed keep their plain SHA-256, chain 1), and seq numbers run
 * 1, 2, 3 … without gaps. The key and the signed head (row count + last hash) live outside the database
 * (lib/audit/seal.ts), so verifyAuditChain() detects an edited, deleted or reordered row, an edit whose chain
 * was recomputed, and deleted newest rows.
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
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v === undefined ? null : v);
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x)).join(',')}]`;
  const keys = Object.keys(v as Record<string, unknown>)
    .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

type StoredRow = ConsoleDatabase['audit_log'];

type HashedRow = Omit<StoredRow, 'hash' | 'prev_hash' | 'chain'>;

function hashedFields(r: HashedRow) {
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

/** The keyed row hash (chain 2). The key defaults to the one in-memory databases use. */
export function rowHash(prevHash: string, r: HashedRow, key: Buffer = memoryAuditKey()): string {
  return createHmac('sha256', key).update(prevHash).update(canonicalJson(hashedFields(r))).digest('hex');
}

/** The plain row hash of rows written before the chain was keyed (chain 1). */
export function plainRowHash(prevHash: string, r: HashedRow): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(hashedFields(r))).digest('hex');
}

const hashOf = (r: StoredRow, key: Buffer) => (Number(r.chain ?? 1) === 1 ? plainRowHash(r.prev_hash, r) : rowHash(r.prev_hash, r, key));

const clip = (s: string | undefined | null, n: number) => (s === undefined || s === null ? null : s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Long strings inside parameters (user agents, paths, names sent by strangers) are cut to this length. */
const PARAM_TEXT_MAX = 512;
function clipStrings(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return clip(v, PARAM_TEXT_MAX);
  if (depth > 8 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.slice(0, 100).map((x) => clipStrings(x, depth + 1));
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).slice(0, 100).map(([k, x]) => [k.slice(0, 100), clipStrings(x, depth + 1)]));
}

function paramsText(params: Record<string, unknown> | undefined): string | null {
  if (!params || Object.keys(params).length === 0) return null;
  let text = canonicalJson(clipStrings(redactSecrets(params, AUDIT_SECRET_KEY_RE)));
  if (text.length > 8000) text = canonicalJson({ truncated: true, preview: text.slice(0, 7000) });
  return text;
}

function isConflict(e: unknown): boolean {
  const msg = e instanceof Error ? `${(e as { code?: string }).code ?? ''} ${e.message}` : String(e);
  return /SQLITE_BUSY|SQLITE_CONSTRAINT|UNIQUE|database is locked|duplicate key/i.test(msg);
}

/** Anonymous refused/failed rows written per address per minute; the rest are summed up in one row. */
export const ANONYMOUS_ROWS_PER_MINUTE = 10;

/**
 * Strangers decide how often anonymous refusals happen: per address (params.ip) only the first
 * ANONYMOUS_ROWS_PER_MINUTE rows of a minute are written; the next row from that address after the minute
 * is preceded by one summary row with the number left out.
 */
async function throttleAnonymous(e: AuditEntry, db: Kysely<ConsoleDatabase>, now: number): Promise<AuditEntry[]> {
  if (e.role !== 'anonymous' || (e.phase !== 'refused' && e.phase !== 'failed')) return [e];
  const ip = String(e.params?.ip ?? 'unknown').slice(0, 64);
  const c = await countAttempt(`audit:${ip}`, 60_000, now, db);
  const out: AuditEntry[] = [];
  if (c.attempts === 1 && c.prevAttempts > ANONYMOUS_ROWS_PER_MINUTE) {
    const left = c.prevAttempts - ANONYMOUS_ROWS_PER_MINUTE;
    out.push({
      actor: 'anonymous',
      role: 'anonymous',
      action: e.action,
      phase: 'refused',
      params: { ip, suppressed: left, minuteFrom: new Date(c.prevWindow ?? now).toISOString() },
      error: `${left} more refused or failed anonymous attempt${left === 1 ? '' : 's'} from ${ip} in that minute were counted, not listed.`,
    });
  }
  if (c.attempts <= ANONYMOUS_ROWS_PER_MINUTE) out.push(e);
  return out;
}

/** Append one row to the chain. Appends are serialized in a transaction; a lost race retries on the new head. */
export async function appendAudit(e: AuditEntry, db: Kysely<ConsoleDatabase> = getDb()): Promise<void> {
  const now = Date.now();
  for (const entry of await throttleAnonymous(e, db, now)) await appendOne(entry, db, now);
}

async function appendOne(e: AuditEntry, db: Kysely<ConsoleDatabase>, ts: number): Promise<void> {
  const seal = auditSeal(db);
  const base = {
    id: randomUUID(),
    ts,
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
    let before: AuditHead | undefined;
    let wrote = false;
    try {
      await db.transaction().execute(async (trx) => {
        // Postgres: one append at a time across every console process (SQLite: its write lock does this).
        await lockAuditAppends(db, trx);
        const last = await trx.selectFrom('audit_log').select(['seq', 'hash', 'chain']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
        const seq = last ? Number(last.seq) + 1 : 1;
        const prev_hash = last ? last.hash : GENESIS_HASH;
        const row = { ...base, seq };
        const hash = rowHash(prev_hash, row, seal.key);
        await trx
          .insertInto('audit_log')
          .values({ ...row, prev_hash, hash, chain: 2 })
          .execute();
        // Anchor the new head while the write lock is held (heads are written in chain order) — but only on top
        // of the anchored row: after deleted or replaced rows the old head stays, as the evidence.
        const current = await readHead(seal, trx);
        if ('ok' in current) return; // an unsigned head file is left for verifyAuditChain to report
        before = current.head;
        if (before && before.rows > 0) {
          // Usually the anchored row is the newest one, read above: no second query.
          const anchored = last && Number(last.seq) === before.rows ? last : await trx.selectFrom('audit_log').select('hash').where('seq', '=', before.rows).executeTakeFirst();
          if (anchored?.hash !== before.hash || seq <= before.rows) return;
        }
        await seal.writeHead({ rows: seq, hash, legacyRows: before?.legacyRows ?? (await legacyRowCount(trx)) }, trx);
        wrote = !seal.transactional;
      });
      return;
    } catch (err) {
      if (wrote) await seal.writeHead(before);
      if (attempt < 8 && isConflict(err)) {
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
        continue;
      }
      log.error('audit append failed', { err, action: base.action, phase: base.phase });
      throw err;
    }
  }
}

async function legacyRowCount(db: Kysely<ConsoleDatabase>): Promise<number> {
  const r = await db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('n')).where('chain', '=', 1).executeTakeFirst();
  return Number(r?.n ?? 0);
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

/** Newest first. actor/action/phase/region match exactly; target matches a substring (case-insensitive, on both dialects). */
export async function listAudit(f: AuditFilter = {}, db: Kysely<ConsoleDatabase> = getDb()): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (f.actor) q = q.where('actor', '=', f.actor.trim());
  if (f.action) q = q.where('action', '=', f.action.trim());
  if (f.phase) q = q.where('phase', '=', f.phase.trim());
  if (f.region) q = q.where('region', '=', f.region.trim());
  if (f.target) {
    const pattern = `%${f.target.trim().toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    q = q.where(sql<boolean>`lower(target) like ${pattern} escape '\\'`);
  }
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
 * Recompute the whole chain. Detects: an edited row (hash mismatch, even when the plain chain after it was
 * recomputed: the hash is keyed), a deleted row (gap in seq / prev_hash mismatch), reordered rows (prev_hash
 * mismatch), deleted newest rows (fewer rows than the anchored head) and a replaced newest row (its hash is not
 * the anchored one). `brokenAt` is the seq of the first row that does not verify.
 */
export async function verifyAuditChain(db: Kysely<ConsoleDatabase> = getDb()): Promise<ChainResult> {
  const seal = auditSeal(db);
  const head = await readHead(seal);
  if ('ok' in head) return head;
  return verifyFrom(db, seal, head.head, 1, GENESIS_HASH);
}

async function readHead(seal: AuditSeal, trx?: Kysely<ConsoleDatabase>): Promise<{ head: AuditHead | undefined } | { ok: false; brokenAt: number; reason: string }> {
  try {
    return { head: await seal.readHead(trx) };
  } catch (e) {
    if (e instanceof AnchorError) return { ok: false, brokenAt: 0, reason: e.message };
    throw e;
  }
}

async function verifyFrom(db: Kysely<ConsoleDatabase>, seal: AuditSeal, head: AuditHead | undefined, startSeq: number, startPrev: string): Promise<ChainResult> {
  let prev = startPrev;
  let expected = startSeq;
  let sawKeyed = false;
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
      const legacy = Number(r.chain ?? 1) === 1;
      if (legacy && (sawKeyed || (head && seq > head.legacyRows)))
        return { ok: false, brokenAt: seq, reason: `row ${seq} claims the unkeyed chain, but the chain is keyed from row ${(head?.legacyRows ?? 0) + 1}` };
      if (hashOf(r, seal.key) !== r.hash) return { ok: false, brokenAt: seq, reason: `row ${seq} was modified after it was written` };
      if (head && seq === head.rows && r.hash !== head.hash) return { ok: false, brokenAt: seq, reason: `row ${seq} is not the row the anchored head records (the newest rows were replaced)` };
      sawKeyed ||= !legacy;
      prev = r.hash;
      expected++;
    }
    if (rows.length < page) break;
  }
  const count = expected - 1;
  if (head && count < head.rows)
    return { ok: false, brokenAt: count + 1, reason: `rows ${count + 1}–${head.rows} are missing: the anchored head records ${head.rows} rows (the newest rows were deleted)` };
  if (!head && count > 0 && (sawKeyed || (await keyedRowExists(db))))
    return { ok: false, brokenAt: count, reason: `the audit head anchor (${seal.where}) is missing, so deleted newest rows could not be seen` };
  return { ok: true, rows: count };
}

async function keyedRowExists(db: Kysely<ConsoleDatabase>): Promise<boolean> {
  return Boolean(await db.selectFrom('audit_log').select('seq').where('chain', '<>', 1).limit(1).executeTakeFirst());
}

const checkpoint = new WeakMap<object, { rows: number; hash: string; fullAt: number }>();

/**
 * For pages that show the chain status on every load: a FULL verification at most every `fullEveryMs`; in
 * between, only rows appended since the last verified one are checked (plus that the checkpoint row is unchanged
 * and the anchored head still holds).
 * Returns when the last full check ran.
 */
export async function verifyAuditChainCached(
  db: Kysely<ConsoleDatabase> = getDb(),
  fullEveryMs = 60_000,
  now = Date.now(),
): Promise<ChainResult & { fullCheckAt: number }> {
  const seal = auditSeal(db);
  const head = await readHead(seal);
  if ('ok' in head) {
    checkpoint.delete(db);
    return { ...head, fullCheckAt: now };
  }
  const cp = checkpoint.get(db);
  if (cp && now - cp.fullAt < fullEveryMs && cp.rows > 0 && (!head.head || head.head.rows >= cp.rows)) {
    const row = await db.selectFrom('audit_log').selectAll().where('seq', '=', cp.rows).executeTakeFirst();
    // The checkpoint row must be unchanged (stored AND recomputed hash), else fall through to a full check.
    if (row && row.hash === cp.hash && hashOf(row, seal.key) === cp.hash) {
      const r = await verifyFrom(db, seal, head.head, cp.rows + 1, cp.hash);
      if (r.ok) await remember(db, r.rows, cp.fullAt);
      return { ...r, fullCheckAt: cp.fullAt };
    }
  }
  const r = await verifyFrom(db, seal, head.head, 1, GENESIS_HASH);
  if (r.ok) await remember(db, r.rows, now);
  else checkpoint.delete(db);
  return { ...r, fullCheckAt: now };
}

async function remember(db: Kysely<ConsoleDatabase>, rows: number, fullAt: number) {
  if (rows === 0) return void checkpoint.delete(db);
  const last = await db.selectFrom('audit_log').select('hash').where('seq', '=', rows).executeTakeFirst();
  if (last) checkpoint.set(db, { rows, hash: last.hash, fullAt });
}
