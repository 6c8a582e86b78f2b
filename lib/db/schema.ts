import type { Generated } from 'kysely';

/**
 * Table types of the console database (console.db). Columns are snake_case; times are ms since epoch (bigint).
 * Other areas keep their own table types next to their migrations (e.g. lib/approvals/schema.ts).
 */
interface UsersTable {
  id: string;
  username: string;
  /** scrypt hash (lib/auth/password.ts); NULL for people who sign in through OIDC only. */
  password_hash: string | null;
  role: string; // Role
  disabled: number; // 0 | 1
  source: string; // 'local' | 'oidc'
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
  /** Raised by sign-out, a password or role change and disabling: every session issued before is refused. */
  session_version: Generated<number>;
}

interface AuditLogTable {
  /** 1, 2, 3 … without gaps: a missing number is a deleted row. */
  seq: number;
  id: string;
  ts: number;
  actor: string;
  role: string;
  action: string;
  region: string | null;
  target: string | null;
  params: string | null; // JSON, secrets redacted
  phase: string;
  aws_request_id: string | null;
  error: string | null;
  correlation_id: string | null;
  prev_hash: string;
  hash: string;
  /** 1 = plain SHA-256 (legacy rows), 2 = HMAC-SHA256 keyed with the audit key. */
  chain: number;
}

interface LoginAttemptsTable {
  id: string;
  /** 'user:<name>' or 'ip:<address>' */
  key: string;
  ts: number;
  ok: number; // 0 | 1
}

/** One fixed-window counter per key ('user:<name>', 'ip:<address>', 'audit:<address>'), updated atomically. */
export interface SigninLimitsTable {
  key: string;
  window_start: number;
  attempts: number;
  /** The previous window, kept when a window rolls over (summaries of suppressed audit rows). */
  prev_window: number | null;
  prev_attempts: number;
  updated_at: number;
}

export interface IdempotencyTable {
  actor: string;
  key: string;
  action: string;
  created_at: number;
  /** JSON of the ActionResult; NULL while the first request is still running. */
  result: string | null;
}

/** The secret ARN chosen per cluster for the Query page (an ARN, never a secret value). */
export interface QuerySecretsTable {
  region: string;
  cluster_id: string;
  secret_arn: string;
  set_by: string;
  set_at: number;
}

export interface ConsoleDatabase {
  users: UsersTable;
  audit_log: AuditLogTable;
  login_attempts: LoginAttemptsTable;
  signin_limits: SigninLimitsTable;
  action_idempotency: IdempotencyTable;
  query_secrets: QuerySecretsTable;
}
