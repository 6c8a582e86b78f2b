import 'server-only';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dbFileOf } from '@/lib/db';
import { getEnv, readOrCreateSecretFile } from '@/lib/env';

/**
 * What keeps the audit chain honest against someone with SQL access only:
 * - the KEY of the chain's HMAC lives outside the database (AFC_AUDIT_KEY, else `<dataDir>/audit.key`, mode 600),
 *   so a row cannot be edited and the chain after it recomputed;
 * - the HEAD (row count + last hash, signed with the key) is anchored outside the audit table
 *   (`<dataDir>/audit.head`, mode 600, rewritten on every append), so deleting the newest rows shows.
 * In-memory databases (tests) get a per-process key and an in-memory head.
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
  /** undefined = no head yet; throws when the head exists but is not signed with the key. */
  readHead(): AuditHead | undefined;
  writeHead(head: AuditHead | undefined): void;
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
  return { key: memoryAuditKey(), where: 'memory', readHead: () => head && { ...head }, writeHead: (h) => void (head = h && { ...h }) };
}

export function fileSeal(dir: string, key: Buffer): AuditSeal {
  const file = path.join(dir, 'audit.head');
  return {
    key,
    where: file,
    readHead() {
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
    writeHead(h) {
      if (!h) return void rmSync(file, { force: true });
      writePrivateFile(file, JSON.stringify({ ...h, mac: headMac(key, h) }) + '\n');
    },
  };
}

const seals = new WeakMap<object, AuditSeal>();

/** The key and head anchor of a database's audit chain (next to its file; in memory for in-memory databases). */
export function auditSeal(db: object): AuditSeal {
  let s = seals.get(db);
  if (!s) {
    const file = dbFileOf(db);
    if (file) {
      const dir = path.dirname(file);
      const envKey = getEnv().auditKey;
      s = fileSeal(dir, envKey ? Buffer.from(envKey, 'utf8') : fileAuditKey(dir));
    } else s = memorySeal();
    seals.set(db, s);
  }
  return s;
}
