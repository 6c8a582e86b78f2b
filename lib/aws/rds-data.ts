import 'server-only';
import { ExecuteStatementCommand, type ArrayValue, type ColumnMetadata, type Field } from '@aws-sdk/client-rds-data';
import { EnableHttpEndpointCommand } from '@aws-sdk/client-rds';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { rdsClient, rdsDataClient, secretsManagerClient } from '@/lib/aws/clients';
import { toAppError } from '@/lib/aws/errors';
import { isDdl, splitStatements, type SqlDialect } from '@/lib/query/sql-text';
import { QUERY_MAX_CELL_CHARS, QUERY_MAX_ROWS, type QueryRunResult, type StatementResult } from '@/lib/query/types';

/** Display text of a Data API array value (RDS Data API reference, ArrayValue). */
function arrayText(a: ArrayValue | null | undefined): string {
  if (!a) return '[]';
  const items: string[] =
    a.booleanValues?.map(String) ?? a.longValues?.map(String) ?? a.doubleValues?.map(String) ?? a.stringValues?.map((s) => JSON.stringify(s)) ?? a.arrayValues?.map(arrayText) ?? [];
  return `[${items.join(', ')}]`;
}

function clip(s: string): string {
  return s.length > QUERY_MAX_CELL_CHARS ? `${s.slice(0, QUERY_MAX_CELL_CHARS)}… (${s.length} characters)` : s;
}

/** A Data API Field → the text shown in a cell; null for SQL NULL. */
export function fieldText(f: Field): string | null {
  if (f.isNull) return null;
  if (f.stringValue !== undefined) return clip(f.stringValue);
  if (f.longValue !== undefined) return String(f.longValue);
  if (f.doubleValue !== undefined) return String(f.doubleValue);
  if (f.booleanValue !== undefined) return f.booleanValue ? 'true' : 'false';
  if (f.blobValue !== undefined) {
    const b = Buffer.from(f.blobValue);
    const hex = b.subarray(0, 64).toString('hex');
    return `0x${hex}${b.length > 64 ? `… (${b.length} bytes)` : ''}`;
  }
  if (f.arrayValue !== undefined) return clip(arrayText(f.arrayValue));
  return null;
}

const columnsOf = (meta: ColumnMetadata[] | undefined) => (meta ?? []).map((c) => ({ name: c.label || c.name || '?', typeName: c.typeName ?? '' }));

export interface ExecuteOptions {
  dialect: SqlDialect;
  /** Called before each statement (index, count), e.g. to log progress. */
  onStatement?: (index: number, count: number) => void;
}

/**
 * Run a script's statements in order with ExecuteStatement (includeResultMetadata), stopping at the first error.
 * DDL is sent with continueAfterTimeout so that, past the Data API's 45 s, it finishes on the cluster instead of
 * being rolled back halfway. Rows beyond QUERY_MAX_ROWS are counted, not returned. Result rows stay in memory:
 * nothing here logs them.
 */
export async function executeStatements(
  region: string,
  clusterArn: string,
  secretArn: string,
  database: string | undefined,
  sqlText: string,
  opts: ExecuteOptions,
): Promise<QueryRunResult> {
  const list = splitStatements(sqlText, opts.dialect);
  const statements: StatementResult[] = [];
  const t0 = Date.now();
  for (let i = 0; i < list.length; i++) {
    const sql = list[i];
    const ddl = isDdl(sql);
    opts.onStatement?.(i, list.length);
    const started = Date.now();
    try {
      const out = await rdsDataClient(region).send(
        new ExecuteStatementCommand({ resourceArn: clusterArn, secretArn, database: database || undefined, sql, includeResultMetadata: true, continueAfterTimeout: ddl }),
      );
      const records = out.records ?? [];
      statements.push({
        sql,
        ok: true,
        columns: columnsOf(out.columnMetadata),
        rows: records.slice(0, QUERY_MAX_ROWS).map((r) => r.map(fieldText)),
        totalRows: records.length,
        truncated: records.length > QUERY_MAX_ROWS,
        numberOfRecordsUpdated: out.numberOfRecordsUpdated,
        durationMs: Date.now() - started,
      });
    } catch (e) {
      const err = toAppError(e);
      const timeoutNote =
        err.code === 'STATEMENT_TIMEOUT' && ddl
          ? ' This statement is DDL and was sent with continueAfterTimeout: it keeps running on the cluster; check its effect before running it again.'
          : '';
      statements.push({ sql, ok: false, columns: [], rows: [], totalRows: 0, truncated: false, durationMs: Date.now() - started, error: err.message + timeoutNote, errorCode: err.code });
      return { statements, skipped: list.length - i - 1, totalMs: Date.now() - t0 };
    }
  }
  return { statements, skipped: 0, totalMs: Date.now() - t0 };
}

/** EnableHttpEndpoint (RDS API reference): turns the Data API on for a cluster. */
export async function enableHttpEndpoint(region: string, clusterArn: string): Promise<{ enabled: boolean; awsRequestId?: string }> {
  try {
    const out = await rdsClient(region).send(new EnableHttpEndpointCommand({ ResourceArn: clusterArn }));
    return { enabled: out.HttpEndpointEnabled ?? true, awsRequestId: out.$metadata.requestId };
  } catch (e) {
    throw toAppError(e);
  }
}

/** DescribeSecret (Secrets Manager API reference): the secret exists and the console may see it. Never reads its value. */
export async function describeSecret(region: string, secretArn: string): Promise<{ arn: string; name?: string }> {
  try {
    const out = await secretsManagerClient(region).send(new DescribeSecretCommand({ SecretId: secretArn }));
    return { arn: out.ARN ?? secretArn, name: out.Name };
  } catch (e) {
    throw toAppError(e);
  }
}
