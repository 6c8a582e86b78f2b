// The cluster and instance input rules as plain functions and constants, mirroring what AWS applies (RDS API
// reference, CreateDBCluster and CreateDBInstance: identifier, master user, password, retention, tag limits). No zod here: client components import these for hints without shipping the schema
// library; the server's schemas (./rds-validation.ts) are built on the same checks.
import { BACKTRACK_HOURS_MAX } from '@/lib/aurora/rules';
import { MAX_READERS } from './types';

export { BACKTRACK_HOURS_MAX };

const IDENTIFIER_MAX = 63;
const SNAPSHOT_ID_MAX = 255;
const USERNAME_MAX = 16;
const PASSWORD_MIN = 8;
const PASSWORD_MAX = 41;
export const BACKUP_RETENTION_MIN = 1;
export const BACKUP_RETENTION_MAX = 35;
export const PROMOTION_TIER_MIN = 0;
export const PROMOTION_TIER_MAX = 15;
const TAG_KEY_MAX = 128;
const TAG_VALUE_MAX = 256;
const TAGS_MAX = 50;

/** Words the engines refuse as master user names (case-insensitive). */
export const RESERVED_USERNAMES: ReadonlySet<string> = new Set([
  'rdsadmin', 'rdsrepladmin', 'rds_superuser', 'rdsproxyadmin', 'rdstopmgr', 'rds_replication', 'rds_password',
  'mysql', 'root_rds', 'mysql.sys', 'mysql.session', 'mysql.infoschema',
  'pg_signal_backend', 'pg_monitor', 'pg_read_all_settings', 'pg_read_all_stats', 'pg_stat_scan_tables',
  'select', 'insert', 'update', 'delete', 'table', 'user', 'grant', 'from', 'where', 'create', 'drop', 'alter',
  'index', 'primary', 'key', 'database', 'schema', 'order', 'group', 'null', 'all', 'and', 'or', 'not',
  'role', 'public', 'current_user', 'session_user', 'true', 'false',
]);

// ---------------------------------------------------------------------------------------------- field checks
// Each returns a message for a person, or null when the value is fine. Used by the schemas and by client hints.

export function checkIdentifier(value: string, what: 'cluster' | 'instance' | 'snapshot' = 'cluster'): string | null {
  const label = what === 'cluster' ? 'Cluster identifier' : what === 'instance' ? 'Instance identifier' : 'Snapshot identifier';
  const max = what === 'snapshot' ? SNAPSHOT_ID_MAX : IDENTIFIER_MAX;
  if (value.length === 0) return `${label} is required.`;
  if (value.length > max) return `${label} must be at most ${max} characters (it has ${value.length}).`;
  if (!/^[a-zA-Z]/.test(value)) return `${label} must start with a letter.`;
  if (!/^[a-zA-Z0-9-]+$/.test(value)) return `${label} may contain only ASCII letters, digits and hyphens.`;
  if (value.includes('--')) return `${label} must not contain two consecutive hyphens.`;
  if (value.endsWith('-')) return `${label} must not end with a hyphen.`;
  return null;
}

export function checkMasterUsername(value: string): string | null {
  if (value.length === 0) return 'Master username is required.';
  if (value.length > USERNAME_MAX) return `Master username must be 1 to ${USERNAME_MAX} characters (it has ${value.length}).`;
  if (!/^[a-zA-Z]/.test(value)) return 'Master username must start with a letter.';
  if (!/^[a-zA-Z0-9]+$/.test(value)) return 'Master username may contain only letters and digits.';
  if (RESERVED_USERNAMES.has(value.toLowerCase())) return `"${value}" is a reserved word for the database engine; choose another master username.`;
  return null;
}

export function checkPassword(value: string): string | null {
  if (value.length === 0) return 'Master password is required (or choose "Manage in AWS Secrets Manager").';
  if (value.length < PASSWORD_MIN) return `Master password must be at least ${PASSWORD_MIN} characters (it has ${value.length}).`;
  if (value.length > PASSWORD_MAX) return `Master password must be at most ${PASSWORD_MAX} characters (it has ${value.length}).`;
  if (value.includes(' ')) return 'Master password must not contain spaces.';
  if (/[^\x21-\x7e]/.test(value)) return 'Master password may contain only printable ASCII characters.';
  const bad = [...new Set(value.match(/[/"@']/g) ?? [])];
  if (bad.length) return `Master password must not contain ${bad.map((c) => `${c}`).join(' ')} (forbidden: / " @ ' and space).`;
  return null;
}

export interface ParsedTags {
  tags: { key: string; value: string }[];
  error: string | null;
}

/** Parse `key=value` lines. Empty lines are ignored. */
export function parseTagLines(text: string): ParsedTags {
  const tags: { key: string; value: string }[] = [];
  const lines = text.split(/\r?\n/);
  const seen = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    const n = i + 1;
    if (eq < 0) return { tags, error: `Tag line ${n}: write it as key=value.` };
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key.length < 1 || key.length > TAG_KEY_MAX) return { tags, error: `Tag line ${n}: the key must be 1 to ${TAG_KEY_MAX} characters.` };
    if (value.length < 1 || value.length > TAG_VALUE_MAX) return { tags, error: `Tag line ${n}: the value must be 1 to ${TAG_VALUE_MAX} characters.` };
    if (/^(aws|rds):/i.test(key)) return { tags, error: `Tag line ${n}: keys must not start with "aws:" or "rds:".` };
    if (/^(aws|rds):/i.test(value)) return { tags, error: `Tag line ${n}: values must not start with "aws:" or "rds:".` };
    if (seen.has(key)) return { tags, error: `Tag line ${n}: the key "${key}" appears twice.` };
    seen.add(key);
    tags.push({ key, value });
  }
  if (tags.length > TAGS_MAX) return { tags, error: `At most ${TAGS_MAX} tags per resource (got ${tags.length}).` };
  return { tags, error: null };
}

// ---------------------------------------------------------------------------------------------- client hints

/** HTML attributes mirroring the rules above (the server re-checks everything). */
export const HINTS = {
  identifier: { minLength: 1, maxLength: IDENTIFIER_MAX, pattern: '[a-zA-Z][a-zA-Z0-9\\-]*', required: true },
  snapshotId: { minLength: 1, maxLength: SNAPSHOT_ID_MAX, pattern: '[a-zA-Z][a-zA-Z0-9\\-]*' },
  masterUsername: { minLength: 1, maxLength: USERNAME_MAX, pattern: '[a-zA-Z][a-zA-Z0-9]*', required: true },
  masterPassword: { minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX },
  backupRetention: { min: BACKUP_RETENTION_MIN, max: BACKUP_RETENTION_MAX, step: 1 },
  backtrackHours: { min: 0, max: BACKTRACK_HOURS_MAX, step: 1 },
  promotionTier: { min: PROMOTION_TIER_MIN, max: PROMOTION_TIER_MAX, step: 1 },
} as const;

/** Why a reader cannot be added right now, or null. Shared by the Add reader form and the server action. */
export function addReaderBlockedReason(c: { id: string; status: string; readerCount: number }): string | null {
  if (c.readerCount >= MAX_READERS) return `Cluster ${c.id} already has ${MAX_READERS} readers, the Aurora maximum (1 writer + ${MAX_READERS} replicas).`;
  if (c.status !== 'available') return `Cluster ${c.id} is ${c.status}; readers can be added only while it is available.`;
  return null;
}
