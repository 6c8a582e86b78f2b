// The one set of input schemas for cluster and instance forms (zod), built on the plain rules of
// ./rds-rules.ts, which client components use as hints. Server actions parse with these schemas.
import { z } from 'zod';
import { REGION_PATTERN } from '@/lib/aurora/rules';
import { ENGINES } from './types';
import { BACKUP_RETENTION_MIN, BACKUP_RETENTION_MAX, BACKTRACK_HOURS_MAX, PROMOTION_TIER_MIN, PROMOTION_TIER_MAX, checkIdentifier, checkMasterUsername, checkPassword, parseTagLines } from './rds-rules';

// ---------------------------------------------------------------------------------------------- zod building blocks

/** Checkbox / boolean-ish form value: "on", "true", "1", "yes" → true; absent, "", "off", "false", "0" → false. */
const formBool = z.preprocess((v) => {
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

const identifierField = (what: 'cluster' | 'instance' | 'snapshot' = 'cluster') =>
  trimmed.superRefine((v, ctx) => {
    const m = checkIdentifier(v, what);
    if (m) ctx.addIssue({ code: 'custom', message: m });
  });

const engineField = z.enum(ENGINES, { error: 'Choose aurora-mysql or aurora-postgresql.' });
export const regionField = trimmed.pipe(z.string().regex(REGION_PATTERN, 'Choose a region.'));
const instanceClassField = trimmed.pipe(
  z.string().regex(/^db\.(serverless|[a-z0-9]+\.[a-z0-9]+)$/, 'Choose an instance class (for example db.r6g.large).'),
);
const promotionTierField = intField('Promotion tier', PROMOTION_TIER_MIN, PROMOTION_TIER_MAX, 1);
const backupRetentionField = intField('Backup retention', BACKUP_RETENTION_MIN, BACKUP_RETENTION_MAX, 1);
const backtrackHoursField = intField('Backtrack window', 0, BACKTRACK_HOURS_MAX, 0);
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
/** A region and a cluster identifier (AWS's identifier rules), for actions on one cluster. */
export const clusterRefSchema = z.object(clusterRef);

export const addReaderSchema = z.object({
  ...clusterRef,
  instanceId: identifierField('instance'),
  instanceClass: instanceClassField,
  az: optionalAz,
  promotionTier: promotionTierField,
});

export const instanceRefSchema = z.object({ ...clusterRef, instanceId: identifierField('instance') });

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

export const retryCreateStepSchema = z.object({
  ...clusterRef,
  kind: z.enum(['writer', 'reader']),
  instanceId: identifierField('instance'),
  instanceClass: instanceClassField,
  az: optionalAz,
});
