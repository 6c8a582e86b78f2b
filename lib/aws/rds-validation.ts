// The one set of input rules for cluster and instance forms, mirroring what AWS applies (fact sheet §1.1–§1.3).
// Pure (no server-only): server actions parse with these schemas, client components use the same rules as hints.
import { z } from 'zod';
import { ENGINES, MAX_READERS } from './types';

export const IDENTIFIER_MAX = 63;
export const SNAPSHOT_ID_MAX = 255;
export const USERNAME_MAX = 16;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 41;
export const BACKUP_RETENTION_MIN = 1;
export const BACKUP_RETENTION_MAX = 35;
export const BACKTRACK_HOURS_MAX = 72;
export const PROMOTION_TIER_MIN = 0;
export const PROMOTION_TIER_MAX = 15;
export const TAG_KEY_MAX = 128;
export const TAG_VALUE_MAX = 256;
export const TAGS_MAX = 50;

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

// ---------------------------------------------------------------------------------------------- zod building blocks

/** Checkbox / boolean-ish form value: "on", "true", "1", "yes" → true; absent, "", "off", "false", "0" → false. */
export const formBool = z.preprocess((v) => {
  if (typeof v === 'boolean') return v;
  if (v === undefined || v === null) return false;
  const s = String(v).trim().toLowerCase();
  return s === 'on' || s === 'true' || s === '1' || s === 'yes';
}, z.boolean());

const trimmed = z.preprocess((v) => (v === undefined || v === null ? '' : String(v).trim()), z.string());

function intField(label: string, min: number, max: number, dflt?: number) {
  return z.preprocess(
    (v) => {
      if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return dflt;
      if (typeof v === 'number') return v;
      // Plain decimal notation only: Number() would also read "0x10", "0b11", "1e1" and "Infinity".
      const s = String(v).trim();
      return /^[+-]?\d+(\.\d+)?$/.test(s) ? Number(s) : Number.NaN;
    },
    z
      .number({ error: (iss) => (iss.input === undefined ? `${label} is required.` : `${label} must be a whole number.`) })
      .refine((n) => Number.isFinite(n), { message: `${label} must be a whole number.` })
      .refine((n) => Number.isInteger(n), { message: `${label} must be a whole number.` })
      .refine((n) => n >= min && n <= max, { message: `${label} must be between ${min} and ${max}.` }),
  );
}

export const identifierField = (what: 'cluster' | 'instance' | 'snapshot' = 'cluster') =>
  trimmed.superRefine((v, ctx) => {
    const m = checkIdentifier(v, what);
    if (m) ctx.addIssue({ code: 'custom', message: m });
  });

export const engineField = z.enum(ENGINES, { error: 'Choose aurora-mysql or aurora-postgresql.' });
export const regionField = trimmed.pipe(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'Choose a region.'));
export const instanceClassField = trimmed.pipe(
  z.string().regex(/^db\.(serverless|[a-z0-9]+\.[a-z0-9]+)$/, 'Choose an instance class (for example db.r6g.large).'),
);
export const promotionTierField = intField('Promotion tier', PROMOTION_TIER_MIN, PROMOTION_TIER_MAX, 1);
export const backupRetentionField = intField('Backup retention', BACKUP_RETENTION_MIN, BACKUP_RETENTION_MAX, 1);
export const backtrackHoursField = intField('Backtrack window', 0, BACKTRACK_HOURS_MAX, 0);
const optionalAz = trimmed.pipe(z.string().regex(/^([a-z]{2}(-[a-z]+)+-\d[a-z])?$/, 'Choose an Availability Zone (or "no preference").'));

// ---------------------------------------------------------------------------------------------- form schemas

const masterUsernameField = trimmed.superRefine((v, ctx) => {
  const m = checkMasterUsername(v);
  if (m) ctx.addIssue({ code: 'custom', message: m });
});
const tagsField = trimmed.superRefine((v, ctx) => {
  const t = parseTagLines(v);
  if (t.error) ctx.addIssue({ code: 'custom', message: t.error });
});

export const createClusterSchema = z
  .object({
    region: regionField,
    engine: engineField,
    engineVersion: trimmed,
    identifier: identifierField('cluster'),
    masterUsername: masterUsernameField,
    manageMasterPassword: formBool,
    // Not trimmed: spaces are forbidden, and trimming would hide that.
    masterPassword: z.preprocess((v) => (v === undefined || v === null ? '' : String(v)), z.string()),
    instanceClass: instanceClassField,
    multiAZ: formBool,
    subnetGroup: trimmed,
    backupRetention: backupRetentionField,
    backtrackHours: backtrackHoursField,
    encrypted: formBool,
    deletionProtection: formBool,
    tags: tagsField,
  })
  .superRefine(
    (v, ctx) => {
      // Cross-field rules. Runs even when other fields failed, so every error shows at once.
      if (v.manageMasterPassword) {
        if (v.masterPassword)
          ctx.addIssue({ code: 'custom', path: ['masterPassword'], message: 'Leave the password empty when Secrets Manager manages it.' });
      } else {
        const p = checkPassword(typeof v.masterPassword === 'string' ? v.masterPassword : '');
        if (p) ctx.addIssue({ code: 'custom', path: ['masterPassword'], message: p });
      }
      if (v.engine === 'aurora-postgresql' && typeof v.backtrackHours === 'number' && v.backtrackHours > 0)
        ctx.addIssue({ code: 'custom', path: ['backtrackHours'], message: 'Backtrack is available only for Aurora MySQL; set it to 0 for Aurora PostgreSQL.' });
    },
    { when: () => true },
  )
  .transform((v) => ({ ...v, tagList: parseTagLines(v.tags).tags, engineVersion: v.engineVersion || undefined, subnetGroup: v.subnetGroup || undefined }));

export type CreateClusterInput = z.output<typeof createClusterSchema>;

const clusterRef = { region: regionField, clusterId: identifierField('cluster') };

export const addReaderSchema = z.object({
  ...clusterRef,
  instanceId: identifierField('instance'),
  instanceClass: instanceClassField,
  az: optionalAz,
  promotionTier: promotionTierField,
});
export type AddReaderInput = z.output<typeof addReaderSchema>;

export const instanceRefSchema = z.object({ ...clusterRef, instanceId: identifierField('instance') });
export type InstanceRefInput = z.output<typeof instanceRefSchema>;

export const modifyInstanceSchema = z
  .object({
    ...clusterRef,
    instanceId: identifierField('instance'),
    promotionTier: z.preprocess((v) => (v === '' ? undefined : v), promotionTierField.optional()),
    instanceClass: z.preprocess((v) => (v === '' || v === undefined || v === null ? undefined : v), instanceClassField.optional()),
    applyImmediately: formBool,
  })
  .refine((v) => v.promotionTier !== undefined || v.instanceClass !== undefined, {
    message: 'Change the promotion tier or the instance class.',
    path: ['promotionTier'],
  });
export type ModifyInstanceInput = z.output<typeof modifyInstanceSchema>;

export const deleteClusterSchema = z
  .object({
    ...clusterRef,
    /** The typed identifier; must equal clusterId (checked here, on the server). */
    confirm: trimmed,
    finalSnapshot: z.enum(['skip', 'snapshot'], { error: 'Choose whether to take a final snapshot.' }),
    finalSnapshotId: trimmed,
    /** Delete the readers and then the writer first (Aurora refuses to delete a cluster that still has instances). */
    deleteInstances: formBool,
  })
  .superRefine(
    (v, ctx) => {
      if (String(v.confirm ?? '').toLowerCase() !== String(v.clusterId ?? '').toLowerCase())
        ctx.addIssue({ code: 'custom', path: ['confirm'], message: `Type the cluster identifier "${v.clusterId}" exactly to confirm.` });
      if (v.finalSnapshot === 'snapshot') {
        const m = checkIdentifier(String(v.finalSnapshotId ?? ''), 'snapshot');
        if (m) ctx.addIssue({ code: 'custom', path: ['finalSnapshotId'], message: m });
      }
    },
    { when: () => true },
  );
export type DeleteClusterInput = z.output<typeof deleteClusterSchema>;

export const retryCreateStepSchema = z.object({
  ...clusterRef,
  kind: z.enum(['writer', 'reader']),
  instanceId: identifierField('instance'),
  instanceClass: instanceClassField,
  az: optionalAz,
});
export type RetryCreateStepInput = z.output<typeof retryCreateStepSchema>;

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
