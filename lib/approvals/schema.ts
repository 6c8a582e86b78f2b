import 'server-only';
import type { Kysely } from 'kysely';

/**
 * The table of the two-person rule. The migration is appended to lib/db's ordered migration list;
 * `withApprovalTables(db)` gives a typed view. The same migration also creates `oncall_operations`
 * (typed in lib/oncall/operations.ts): both tables shipped in it, and an applied migration never changes.
 */
export interface ApprovalsTable {
  id: string;
  action: string; // dotted audit action, e.g. 'cluster.backtrack'
  region: string;
  target: string;
  params: string; // JSON of the parameters the AWS call needs (never secrets)
  summary: string; // one human line: "Backtrack orders-prod to 2026-…Z"
  reason: string | null;
  requested_by: string;
  requested_by_id: string;
  requested_role: string;
  created_at: number; // ms since epoch
  expires_at: number;
  status: string; // ApprovalStatus
  decided_by: string | null;
  decided_at: number | null;
  aws_request_id: string | null;
  result: string | null; // JSON
  error: string | null;
}

export type ApprovalTables = {
  approvals: ApprovalsTable;
};

export function withApprovalTables(db: Kysely<any>): Kysely<ApprovalTables> {
  return db.withTables<ApprovalTables>() as unknown as Kysely<ApprovalTables>;
}

/** Migration: append to lib/db's ordered migration list. Dialect-neutral (SQLite and Postgres). */
export const approvalsMigration = {
  name: '0100_approvals_and_oncall_operations',
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('approvals')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('requested_by_id', 'text', (c) => c.notNull())
      .addColumn('requested_role', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', 'bigint')
      .addColumn('aws_request_id', 'text')
      .addColumn('result', 'text')
      .addColumn('error', 'text')
      .execute();
    await db.schema.createIndex('approvals_status_idx').ifNotExists().on('approvals').columns(['status', 'created_at']).execute();

    await db.schema
      .createTable('oncall_operations')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('cluster_id', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('requested_at', 'bigint', (c) => c.notNull())
      .addColumn('active', 'integer')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('old_writer', 'text')
      .addColumn('target', 'text')
      .addColumn('reason', 'text')
      .addColumn('aws_request_id', 'text')
      .addColumn('failing_over_seen_at', 'bigint')
      .addColumn('new_writer', 'text')
      .addColumn('new_writer_seen_at', 'bigint')
      .addColumn('completed_at', 'bigint')
      .addColumn('backtrack_id', 'text')
      .addColumn('error', 'text')
      .execute();
    // At most one active operation of a kind per cluster: the database, not a disabled button, refuses the second.
    // (region, cluster_id, kind, active) is unique and `active` is NULL once finished; NULLs never collide.
    await db.schema
      .createIndex('oncall_operations_active_uq')
      .ifNotExists()
      .on('oncall_operations')
      .columns(['region', 'cluster_id', 'kind', 'active'])
      .unique()
      .execute();
    await db.schema
      .createIndex('oncall_operations_cluster_idx')
      .ifNotExists()
      .on('oncall_operations')
      .columns(['region', 'cluster_id', 'requested_at'])
      .execute();
  },
};
