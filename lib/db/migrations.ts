import type { Kysely } from 'kysely';
import { approvalsMigration } from '@/lib/approvals/schema';

export interface ConsoleMigration {
  /** Sorted by name; never rename or reorder an applied migration. */
  name: string;
  up(db: Kysely<any>): Promise<void>;
}

/**
 * The ordered list of migrations, applied at start (bootstrapConsole, the users CLI, instrumentation).
 * Dialect-neutral DDL only (SQLite today, Postgres later). APPEND new migrations at the end with a name that sorts last.
 */
export const migrations: ConsoleMigration[] = [
  {
    name: '0001_users',
    async up(db) {
      await db.schema
        .createTable('users')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text')
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('source', 'text', (c) => c.notNull().defaultTo('local'))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('last_login_at', 'bigint')
        .execute();
    },
  },
  {
    name: '0002_audit_log',
    async up(db) {
      await db.schema
        .createTable('audit_log')
        .ifNotExists()
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('ts', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('region', 'text')
        .addColumn('target', 'text')
        .addColumn('params', 'text')
        .addColumn('phase', 'text', (c) => c.notNull())
        .addColumn('aws_request_id', 'text')
        .addColumn('error', 'text')
        .addColumn('correlation_id', 'text')
        // unique prev_hash: the chain cannot fork even if two writers race
        .addColumn('prev_hash', 'text', (c) => c.notNull().unique())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_ts_idx').ifNotExists().on('audit_log').column('ts').execute();
      await db.schema.createIndex('audit_log_actor_idx').ifNotExists().on('audit_log').columns(['actor', 'ts']).execute();
      await db.schema.createIndex('audit_log_target_idx').ifNotExists().on('audit_log').columns(['target', 'ts']).execute();
    },
  },
  {
    name: '0003_login_attempts',
    async up(db) {
      await db.schema
        .createTable('login_attempts')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('ts', 'bigint', (c) => c.notNull())
        .addColumn('ok', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('login_attempts_key_ts_idx').ifNotExists().on('login_attempts').columns(['key', 'ts']).execute();
    },
  },
  {
    name: '0004_action_idempotency',
    async up(db) {
      await db.schema
        .createTable('action_idempotency')
        .ifNotExists()
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('result', 'text')
        .addPrimaryKeyConstraint('action_idempotency_pk', ['actor', 'key'])
        .execute();
    },
  },
  approvalsMigration,
  {
    // Sign-in limits counted atomically per key, per-user session versions (revocation) and the audit chain version.
    name: '0200_security_hardening',
    async up(db) {
      await db.schema
        .createTable('signin_limits')
        .ifNotExists()
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('window_start', 'bigint', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('prev_window', 'bigint')
        .addColumn('prev_attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('signin_limits_updated_idx').ifNotExists().on('signin_limits').column('updated_at').execute();
      await db.schema.alterTable('users').addColumn('session_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      // 1 = plain SHA-256 chain (rows written before this migration), 2 = HMAC-SHA256 with the audit key.
      await db.schema.alterTable('audit_log').addColumn('chain', 'integer', (c) => c.notNull().defaultTo(1)).execute();
    },
  },
  {
    // Query page: the Secrets Manager secret an admin chose for a cluster without a managed master secret.
    name: '0300_query_secrets',
    async up(db) {
      await db.schema
        .createTable('query_secrets')
        .ifNotExists()
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('cluster_id', 'text', (c) => c.notNull())
        .addColumn('secret_arn', 'text', (c) => c.notNull())
        .addColumn('set_by', 'text', (c) => c.notNull())
        .addColumn('set_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('query_secrets_pk', ['region', 'cluster_id'])
        .execute();
    },
  },
  {
    // Several console instances on one database: the audit head anchored in the database (one signed row), and a
    // lease on each on-call lock so a dead instance's lock expires.
    name: '0400_multi_instance',
    async up(db) {
      await db.schema
        .createTable('audit_anchor')
        .ifNotExists()
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('rows', 'bigint', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('legacy_rows', 'bigint', (c) => c.notNull())
        .addColumn('mac', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.alterTable('oncall_operations').addColumn('lease_until', 'bigint').execute();
    },
  },
];
