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
}

interface LoginAttemptsTable {
  id: string;
  /** 'user:<name>' or 'ip:<address>' */
  key: string;
  ts: number;
  ok: number; // 0 | 1
}

interface IdempotencyTable {
  actor: string;
  key: string;
  action: string;
  created_at: number;
  /** JSON of the ActionResult; NULL while the first request is still running. */
  result: string | null;
}

export interface ConsoleDatabase {
  users: UsersTable;
  audit_log: AuditLogTable;
  login_attempts: LoginAttemptsTable;
  action_idempotency: IdempotencyTable;
}
