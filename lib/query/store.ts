import 'server-only';
import { getDb } from '@/lib/db';
import { listAudit } from '@/lib/audit/log';
import type { ClusterDTO } from '@/lib/aws/types';
import type { QueryHistoryEntry } from './types';

/** Secrets Manager secret ARN, e.g. arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-abc-1a2B3c. */
export const SECRET_ARN_PATTERN = /^arn:aws[a-z-]*:secretsmanager:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:secret:[A-Za-z0-9/_+=.@!-]{1,512}$/;

export async function getStoredSecretArn(region: string, clusterId: string): Promise<string | undefined> {
  const row = await getDb().selectFrom('query_secrets').select('secret_arn').where('region', '=', region).where('cluster_id', '=', clusterId.toLowerCase()).executeTakeFirst();
  return row?.secret_arn;
}

export async function storeSecretArn(region: string, clusterId: string, secretArn: string, setBy: string): Promise<void> {
  const values = { region, cluster_id: clusterId.toLowerCase(), secret_arn: secretArn, set_by: setBy, set_at: Date.now() };
  await getDb()
    .insertInto('query_secrets')
    .values(values)
    .onConflict((oc) => oc.columns(['region', 'cluster_id']).doUpdateSet({ secret_arn: secretArn, set_by: setBy, set_at: values.set_at }))
    .execute();
}

export type SecretChoice = { arn: string; source: 'managed' | 'stored' } | { arn: undefined; source: 'none' };

/** The secret the Data API signs in with: the cluster's managed master secret, else the one an admin stored. */
export async function resolveSecret(cluster: Pick<ClusterDTO, 'region' | 'id' | 'masterUserSecretArn'>): Promise<SecretChoice> {
  if (cluster.masterUserSecretArn) return { arn: cluster.masterUserSecretArn, source: 'managed' };
  const stored = await getStoredSecretArn(cluster.region, cluster.id);
  return stored ? { arn: stored, source: 'stored' } : { arn: undefined, source: 'none' };
}

/**
 * This user's last statements on a cluster, newest first, read from the audit log's `cluster.query` outcome rows
 * (so the text is the redacted one, and nothing is kept twice).
 */
export async function listQueryHistory(actor: string, region: string, clusterId: string, limit = 20): Promise<QueryHistoryEntry[]> {
  const rows = await listAudit({ actor, action: 'cluster.query', region, target: clusterId, limit: limit * 3 });
  const out: QueryHistoryEntry[] = [];
  for (const r of rows) {
    if (r.target !== clusterId.toLowerCase() || (r.phase !== 'succeeded' && r.phase !== 'failed')) continue;
    const sql = r.params?.sql;
    if (typeof sql !== 'string' || !sql.trim()) continue;
    const database = typeof r.params?.database === 'string' && r.params.database ? r.params.database : undefined;
    out.push({ at: r.at, sql, database, outcome: r.phase });
    if (out.length >= limit) break;
  }
  return out;
}
