import 'server-only';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { dbFileOf, isPostgres } from '@/lib/db';
import { getEnv, readOrCreateSecretFile } from '@/lib/env';

/**
 * What keeps the audit chain honest against someone with SQL access only:
 * - the KEY of the chain's HMAC lives outside the database (AFC_AUDIT_KEY, else `<dataDir>/audit.key`, mode 600),
 *   so a row cannot be edited and the chain after it recomputed;
 * - the HEAD (row count + last hash, signed with the key) is anchored outside the audit table
 *   (`<dataDir>/audit.head`, mode 600, rewritten on every append), so deleting the newest rows shows.
 * In-memory databases (tests) get a per-process key and an in-memory head.
 * On PostgreSQL (several console instances, several hosts) a per-host file cannot anchor one shared chain: the
 * signed head lives in the database instead (table audit_anchor, one row), written in the append's own
 * transaction under the append lock, and the key must come from AFC_AUDIT_KEY (the same on every instance).
 * Deleting or editing rows still shows (keyed hashes, seq gaps); deleting the newest rows shows as long as the
 * anchor row is not also rolled back to an older signed value (see the README's "several instances" section).
 */
export interface AuditHead {
  rows: number;
  hash: string;
  /** Rows 1..legacyRows were written with the plain (unkeyed) chain, before the key existed. */
  legacyRows: number;
}

export interface AuditSeal {
  key: Buffer;
  /** Where the head is kept, for messages. */
  where: string;
  /** The head is written inside the append's transaction (rolled back with it), not beside it. */
  transactional: boolean;
  /** undefined = no head yet; throws when the head exists but is not signed with the key. `trx`: the append's transaction. */
  readHead(trx?: Kysely<any>): Promise<AuditHead | undefined>;
  writeHead(head: AuditHead | undefined, trx?: Kysely<any>): Promise<void>;
}

export class AnchorError extends Error {}

const g = globalThis as unknown as { __afcMemoryAuditKey?: Buffer };
/** The key in-memory databases use (per process). */
export function memoryAuditKey(): Buffer {
  return (g.__afcMemoryAuditKey ??= randomBytes(32));
}

function headMac(key: Buffer, h: AuditHead): string {
  return createHmac('sha256', key).update(`afc-audit-head\n${h.rows}\n${h.hash}\n${h.legacyRows}`).digest('hex');
}

/** Write a file owner-only, atomically (temp file + rename). */
export function writePrivateFile(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

/** `<dir>/audit.key`, created (32 random bytes, mode 600) when missing. */
export function fileAuditKey(dir: string): Buffer {
  const { file, value } = readOrCreateSecretFile(dir, 'audit.key');
  if (value.length < 32) throw new AnchorError(`${file} holds an audit key shorter than 32 characters`);
  return Buffer.from(value, 'utf8');
}

function memorySeal(): AuditSeal {
  let head: AuditHead | undefined;
  return {
    key: memoryAuditKey(),
    where: 'memory',
    transactional: false,
    readHead: async () => head && { ...head },
    writeHead: async (h) => void (head = h && { ...h }),
  };
}

export function fileSeal(dir: string, key: Buffer): AuditSeal {
  const file = path.join(dir, 'audit.head');
  return {
    key,
    where: file,
    transactional: false,
    async readHead() {
      if (!existsSync(file)) return undefined;
      let h: AuditHead & { mac?: string };
      try {
        h = JSON.parse(readFileSync(file, 'utf8')) as AuditHead & { mac?: string };
      } catch {
        throw new AnchorError(`the audit head ${file} is not readable`);
      }
      const want = Buffer.from(headMac(key, h), 'utf8');
      const got = Buffer.from(String(h.mac ?? ''), 'utf8');
      if (got.length !== want.length || !timingSafeEqual(got, want)) throw new AnchorError(`the audit head ${file} is not signed with the audit key`);
      return { rows: Number(h.rows), hash: String(h.hash), legacyRows: Number(h.legacyRows) };
    },
    async writeHead(h) {
      if (!h) return void rmSync(file, { force: true });
      writePrivateFile(file, JSON.stringify({ ...h, mac: headMac(key, h) }) + '\n');
    },
  };
}

interface AnchorRow {
  id: number;
  rows: number;
  hash: string;
  legacy_rows: number;
  mac: string;
  updated_at: number;
}

/** The head in the database (table audit_anchor, row id 1), signed like the file. */
export function databaseSeal(db: Kysely<any>, key: Buffer): AuditSeal {
  const t = (x?: Kysely<any>) => (x ?? db) as unknown as Kysely<{ audit_anchor: AnchorRow }>;
  const where = 'the audit_anchor table';
  return {
    key,
    where,
    transactional: true,
    async readHead(trx) {
      const h = await t(trx).selectFrom('audit_anchor').selectAll().where('id', '=', 1).executeTakeFirst();
      if (!h) return undefined;
      const head = { rows: Number(h.rows), hash: String(h.hash), legacyRows: Number(h.legacy_rows) };
      const want = Buffer.from(headMac(key, head), 'utf8');
      const got = Buffer.from(String(h.mac ?? ''), 'utf8');
      if (got.length !== want.length || !timingSafeEqual(got, want)) throw new AnchorError(`the audit head in ${where} is not signed with the audit key`);
      return head;
    },
    async writeHead(h, trx) {
      if (!h) return void (await t(trx).deleteFrom('audit_anchor').where('id', '=', 1).execute());
      const row = { id: 1, rows: h.rows, hash: h.hash, legacy_rows: h.legacyRows, mac: headMac(key, h), updated_at: Date.now() };
      await t(trx)
        .insertInto('audit_anchor')
        .values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet({ rows: row.rows, hash: row.hash, legacy_rows: row.legacy_rows, mac: row.mac, updated_at: row.updated_at }))
        .execute();
    },
  };
}

/** Serialise audit appends across processes (Postgres): a transaction-scoped advisory lock on one fixed key. */
export async function lockAuditAppends(db: object, trx: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
}
/** Arbitrary, fixed: "AFCaudit" as a 63-bit number. */
const AUDIT_LOCK_KEY = '4703492117009982836';

const seals = new WeakMap<object, AuditSeal>();

/** The key and head anchor of a database's audit chain (next to its file; in memory for in-memory databases). */
export function auditSeal(db: object): AuditSeal {
  let s = seals.get(db);
  if (!s) {
    const file = dbFileOf(db);
    if (isPostgres(db)) {
      const envKey = getEnv().auditKey;
      if (!envKey) throw new AnchorError('AFC_AUDIT_KEY must be set (the same value on every console instance) when DATABASE_URL is a PostgreSQL server');
      s = databaseSeal(db as Kysely<any>, Buffer.from(envKey, 'utf8'));
    } else if (file) {
      const dir = path.dirname(file);
      const envKey = getEnv().auditKey;
      s = fileSeal(dir, envKey ? Buffer.from(envKey, 'utf8') : fileAuditKey(dir));
    } else s = memorySeal();
    seals.set(db, s);
  }
  return s;
}
