// Input schemas of the Aurora Global Database actions (zod), parsed on the server by the action wrapper.
import { z } from 'zod';
import { REGION_PATTERN } from '@/lib/aurora/rules';
import { checkIdentifier } from '@/lib/aws/rds-rules';

const trimmed = z.preprocess((v) => (v === undefined || v === null ? '' : String(v).trim()), z.string());

function idField(label: string, what: 'cluster' | 'instance' = 'cluster') {
  return trimmed
    .superRefine((v, ctx) => {
      const m = checkIdentifier(v, what);
      if (m) ctx.addIssue({ code: 'custom', message: m.replace(/^Cluster identifier/, label) });
    })
    .transform((s) => s.toLowerCase());
}

/** A global database identifier: the same rules as a DB cluster identifier (RDS API reference, CreateGlobalCluster). */
export const globalIdField = idField('Global database identifier');
const clusterIdField = idField('Cluster identifier');
const region = trimmed.pipe(z.string().regex(REGION_PATTERN, 'Choose a region.'));
const optionalText = z
  .string()
  .optional()
  .transform((s) => (s && s.trim() ? s.trim() : undefined))
  .pipe(z.string().max(500, 'Keep the reason under 500 characters.').optional());
const checkbox = z.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1', z.boolean());
const instanceClass = trimmed.pipe(z.string().regex(/^db\.(serverless|[a-z0-9]+\.[a-z0-9]+)$/, 'Choose an instance class (for example db.r6g.large).'));
const instanceCount = z.preprocess(
  (v) => (typeof v === 'number' ? v : /^\s*\d{1,3}\s*$/.test(String(v ?? '')) ? Number(String(v).trim()) : Number.NaN),
  z.number({ error: 'Enter a whole number of instances.' }).int('Enter a whole number of instances.').min(1, 'At least 1 instance.').max(16, 'At most 16 instances (1 + 15 readers).'),
);

export const globalSchemas = {
  /** Make an existing cluster the primary of a new global database. */
  create: z.object({ region, clusterId: clusterIdField, globalId: globalIdField, deletionProtection: checkbox }),
  /** Add a secondary region: a new cluster there, with `instanceCount` instances of `instanceClass`. */
  attach: z.object({ globalId: globalIdField, region, clusterId: clusterIdField, instanceClass, instanceCount }),
  /** Detach a secondary (it becomes a standalone writable cluster); typed cluster identifier. */
  detach: z
    .object({ globalId: globalIdField, region, clusterId: clusterIdField, confirm: trimmed })
    .refine((v) => v.confirm.toLowerCase() === v.clusterId, { path: ['confirm'], message: 'Type the cluster identifier exactly to confirm the detach.' }),
  /** Delete an empty global database; typed global identifier. `region` is where the page read it (audit only). */
  delete: z
    .object({ globalId: globalIdField, region, confirm: trimmed })
    .refine((v) => v.confirm.toLowerCase() === v.globalId, { path: ['confirm'], message: 'Type the global database identifier exactly to confirm.' }),
  /** Switch over (planned) or fail over (unplanned, AllowDataLoss) to the secondary `targetClusterId` in `targetRegion`. */
  switchover: z.object({ globalId: globalIdField, targetRegion: region, targetClusterId: clusterIdField, confirm: trimmed, reason: optionalText }),
  failover: z.object({ globalId: globalIdField, targetRegion: region, targetClusterId: clusterIdField, confirm: trimmed, acceptDataLoss: checkbox, reason: optionalText }),
};
