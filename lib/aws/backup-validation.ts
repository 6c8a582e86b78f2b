// Input schemas (zod) of the snapshot and restore actions, built on ./backup-rules.ts and ./rds-rules.ts.
import { z } from 'zod';
import { checkIdentifier } from './rds-rules';
import { RESTORE_READERS_MAX, checkSnapshotRef } from './backup-rules';
import { regionField } from './rds-validation';
import { ENGINES } from './types';

const trimmed = z.preprocess((v) => (v === undefined || v === null ? '' : String(v).trim()), z.string());
const formBool = z.preprocess((v) => {
  if (typeof v === 'boolean') return v;
  const s = String(v ?? '').trim().toLowerCase();
  return s === 'on' || s === 'true' || s === '1' || s === 'yes';
}, z.boolean());
const identifier = (what: 'cluster' | 'snapshot') =>
  trimmed.superRefine((v, ctx) => {
    const m = checkIdentifier(v, what);
    if (m) ctx.addIssue({ code: 'custom', message: what === 'cluster' ? m.replace('Cluster identifier', 'New cluster identifier') : m });
  });
const snapshotRef = trimmed.superRefine((v, ctx) => {
  const m = checkSnapshotRef(v);
  if (m) ctx.addIssue({ code: 'custom', message: m });
});
const instanceClass = trimmed.pipe(z.string().regex(/^db\.(serverless|[a-z0-9]+\.[a-z0-9]+)$/, 'Choose an instance class (for example db.r6g.large).'));
const readers = z.preprocess(
  (v) => (v === undefined || v === null || String(v).trim() === '' ? 0 : /^\d+$/.test(String(v).trim()) ? Number(String(v).trim()) : Number.NaN),
  z.number().refine((n) => Number.isInteger(n) && n >= 0 && n <= RESTORE_READERS_MAX, { message: `Readers must be a whole number from 0 to ${RESTORE_READERS_MAX}.` }),
);
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

const clusterRef = { region: regionField, clusterId: identifier('cluster') };

export const createSnapshotSchema = z.object({ ...clusterRef, snapshotId: identifier('snapshot') });

export const deleteSnapshotSchema = z
  .object({ ...clusterRef, snapshotId: snapshotRef, confirm: trimmed })
  .superRefine(
    (v, ctx) => {
      if (String(v.confirm ?? '') !== String(v.snapshotId ?? ''))
        ctx.addIssue({ code: 'custom', path: ['confirm'], message: `Type the snapshot identifier "${v.snapshotId}" exactly to confirm.` });
    },
    { when: () => true },
  );

const newClusterFields = {
  identifier: identifier('cluster'),
  instanceClass,
  readers,
};

export const restoreSnapshotSchema = z.object({
  ...clusterRef,
  snapshotId: snapshotRef,
  engine: z.enum(ENGINES, { error: 'Choose aurora-mysql or aurora-postgresql.' }),
  ...newClusterFields,
});

export const restoreToTimeSchema = z
  .object({
    ...clusterRef,
    ...newClusterFields,
    /** ISO instant with a zone (the browser converts the viewer's local time); ignored with useLatest. */
    restoreTo: trimmed,
    useLatest: formBool,
    restoreType: z.enum(['full-copy', 'copy-on-write'], { error: 'Choose a full copy or a clone (copy-on-write).' }).default('full-copy'),
  })
  .superRefine(
    (v, ctx) => {
      // A clone (copy-on-write) always starts from the latest restorable time: AWS takes no RestoreToTime with it.
      if (v.useLatest || v.restoreType === 'copy-on-write') return;
      const s = String(v.restoreTo ?? '');
      if (!s) ctx.addIssue({ code: 'custom', path: ['restoreTo'], message: 'Pick the moment to restore to, or choose "latest restorable time".' });
      else if (!ISO_INSTANT.test(s) || Number.isNaN(Date.parse(s))) ctx.addIssue({ code: 'custom', path: ['restoreTo'], message: 'That is not a complete date and time.' });
    },
    { when: () => true },
  )
  .transform((v) => ({ ...v, restoreToDate: v.useLatest || v.restoreType === 'copy-on-write' ? undefined : new Date(v.restoreTo) }));

export type RestoreToTimeInput = z.output<typeof restoreToTimeSchema>;
