'use server';

import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { getCluster } from '@/lib/aws/rds/clusters';
import { clusterRefSchema } from '@/lib/aws/rds-validation';
import { describeSecret, enableHttpEndpoint, executeStatements } from '@/lib/aws/rds-data';
import type { ClusterDTO } from '@/lib/aws/types';
import { AppError } from '@/lib/errors';
import { queryRole } from './role';
import { byteLength, dialectOf, redactSqlPasswords } from './sql-text';
import { resolveSecret, SECRET_ARN_PATTERN, storeSecretArn } from './store';
import { QUERY_MAX_SQL_BYTES, type QueryRunResult } from './types';

/**
 * The Query page's server actions: run SQL through the RDS Data API (`cluster.query`, AFC_QUERY_ROLE), enable
 * the cluster's HTTP endpoint and choose its secret (admin, `cluster.modify`). Result rows go back to the page
 * only: the audit row holds the redacted SQL text, the database, the duration, row counts and the outcome.
 */

const querySchema = clusterRefSchema.extend({
  database: z
    .string()
    .trim()
    .max(64, 'At most 64 characters.')
    .regex(/^([A-Za-z_][A-Za-z0-9_$-]*)?$/, 'Letters, digits, _, $ and -, starting with a letter or _.')
    .optional()
    .transform((s) => s || undefined),
  sql: z
    .string()
    .refine((s) => s.trim().length > 0, 'Enter at least one statement.')
    .refine((s) => byteLength(s) <= QUERY_MAX_SQL_BYTES, `Keep the SQL under ${QUERY_MAX_SQL_BYTES / 1024} KB.`),
});

const secretSchema = clusterRefSchema.extend({
  /** `arn`, not `secretArn`: the audit keeps the ARN (it is not secret), and keys named *secret* are redacted. */
  arn: z.string().trim().regex(SECRET_ARN_PATTERN, 'A Secrets Manager secret ARN: arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME.'),
});

async function clusterWithArn(r: string, id: string): Promise<ClusterDTO & { arn: string }> {
  const c = await getCluster(r, id, { maxAgeMs: 0 });
  if (!c.arn) throw new AppError('CLUSTER_NO_ARN', `AWS returned no ARN for cluster ${id}; the Data API needs it.`, { status: 502 });
  return c as ClusterDTO & { arn: string };
}

export const runQueryAction = defineAction({
  action: 'cluster.query',
  minRole: queryRole,
  schema: querySchema,
  auditParams: (p) => ({ ...p, sql: typeof p.sql === 'string' ? redactSqlPasswords(p.sql) : p.sql }),
  target: (i) => ({ region: i.region, target: i.clusterId.toLowerCase() }),
  run: async (i) => {
    const cluster = await clusterWithArn(i.region, i.clusterId);
    const secret = await resolveSecret(cluster);
    if (!secret.arn) {
      throw new AppError('NO_SECRET', `Cluster ${cluster.id} has no managed master secret and no secret was chosen for it. An admin enters a Secrets Manager secret ARN on this page first.`, {
        status: 409,
      });
    }
    const result: QueryRunResult = await executeStatements(i.region, cluster.arn, secret.arn, i.database, i.sql, { dialect: dialectOf(cluster.engine) });
    const failed = result.statements.find((s) => !s.ok);
    const auditDetails = {
      statements: result.statements.length,
      skipped: result.skipped,
      durationMs: result.totalMs,
      rowsReturned: result.statements.reduce((n, s) => n + s.totalRows, 0),
      rowsUpdated: result.statements.reduce((n, s) => n + (s.numberOfRecordsUpdated ?? 0), 0),
      credentials: secret.source,
    };
    if (failed) {
      const n = result.statements.length;
      const error = result.statements.length > 1 || result.skipped > 0 ? `Statement ${n} of ${n + result.skipped} failed: ${failed.error}` : (failed.error ?? 'The statement failed.');
      return { data: result, outcome: 'failed' as const, error, code: failed.errorCode, auditDetails };
    }
    const n = result.statements.length;
    return { data: result, message: `${n} statement${n === 1 ? '' : 's'} ran in ${result.totalMs} ms.`, auditDetails };
  },
});

export const enableHttpEndpointAction = defineAction({
  action: 'cluster.modify',
  schema: clusterRefSchema,
  target: (i) => ({ region: i.region, target: i.clusterId.toLowerCase() }),
  run: async (i, ctx) => {
    const cluster = await clusterWithArn(i.region, i.clusterId);
    if (cluster.httpEndpointEnabled) return { data: { enabled: true }, message: `The Data API is already enabled for ${cluster.id}.` };
    const r = await enableHttpEndpoint(i.region, cluster.arn);
    ctx.setAwsRequestId(r.awsRequestId);
    return { data: { enabled: r.enabled }, message: `The Data API (HTTP endpoint) is enabled for ${cluster.id}.` };
  },
});

export const setQuerySecretAction = defineAction({
  action: 'cluster.modify',
  schema: secretSchema,
  target: (i) => ({ region: i.region, target: i.clusterId.toLowerCase() }),
  run: async (i, ctx) => {
    const arnRegion = SECRET_ARN_PATTERN.exec(i.arn)?.[1];
    if (arnRegion !== i.region) {
      const message = `The secret must be in the cluster's region (${i.region}); this ARN is in ${arnRegion}.`;
      throw new AppError('INVALID_PARAMETER', message, { status: 400, fieldErrors: { arn: [message] } });
    }
    const cluster = await getCluster(i.region, i.clusterId, { maxAgeMs: 0 });
    const s = await describeSecret(i.region, i.arn);
    await storeSecretArn(i.region, cluster.id, s.arn, ctx.user.username);
    return { data: { arn: s.arn }, message: `Queries on ${cluster.id} sign in with ${s.name ?? s.arn}.` };
  },
});
