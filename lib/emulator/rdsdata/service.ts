// The RDS Data API (`rds-data`, REST-JSON): POST /Execute, /BatchExecute, /BeginTransaction,
// /CommitTransaction, /RollbackTransaction, run against the cluster's real engine through its writer endpoint
// with the credentials of a Secrets Manager secret. Shapes and errors follow the RDS Data API reference.
import type { EmulatorRequest, EmulatorResponse } from '../http-types';
import type { RdsModel } from '../rds/model';
import type { ClusterRec } from '../rds/records';
import type { SecretsStore } from '../secrets/service';
import { DataApiConnections, type Target } from './connections';
import { DataApiFault, DataApiFaults } from './errors';
import { bindParameters, type Field, type SqlParameter } from './params';
import type { StatementResult } from './results';

/** The Data API returns at most 1 MiB per call. */
export const MAX_RESULT_BYTES = 1024 * 1024;

const OPERATIONS: Record<string, string> = {
  '/Execute': 'ExecuteStatement',
  '/BatchExecute': 'BatchExecuteStatement',
  '/BeginTransaction': 'BeginTransaction',
  '/CommitTransaction': 'CommitTransaction',
  '/RollbackTransaction': 'RollbackTransaction',
};

export interface DataApiOptions {
  /** Default 45 s, as on AWS. */
  statementTimeoutMs?: number;
  /** A transaction with no call for this long is rolled back (default 3 minutes). */
  transactionIdleMs?: number;
}

type Body = Record<string, unknown>;

function str(b: Body, k: string, required = false): string | undefined {
  const v = b[k];
  if (v === undefined || v === null || v === '') {
    if (required) throw DataApiFault.badRequest(`${k} must not be null or empty.`);
    return undefined;
  }
  if (typeof v !== 'string') throw DataApiFault.badRequest(`${k} must be a string.`);
  return v;
}

function sqlOf(b: Body): string {
  const sql = str(b, 'sql', true)!;
  if (sql.length > 65_536) throw DataApiFault.badRequest('The SQL statement is longer than 65,536 characters.');
  return sql;
}

export function createDataApiService(model: RdsModel, secrets: SecretsStore, opts: DataApiOptions = {}) {
  const conns = new DataApiConnections({ statementTimeoutMs: opts.statementTimeoutMs ?? 45_000, transactionIdleMs: opts.transactionIdleMs ?? 180_000 });

  /** The cluster, checked in the order AWS checks: exists, HTTP endpoint on, runs an engine, has a writer. */
  const clusterOf = (req: EmulatorRequest, arn: string): { c: ClusterRec; host: string; port: number } => {
    if (!/^arn:aws[a-z-]*:rds:[^:]+:\d+:cluster:.+$/.test(arn)) throw DataApiFault.badRequest(`Invalid resourceArn: ${arn}. It must be the ARN of an Aurora DB cluster.`);
    let c: ClusterRec;
    try {
      c = model.getCluster(req.region, arn, req.now);
    } catch {
      throw DataApiFaults.notFound(`DB cluster ${arn} not found.`);
    }
    if (c.arn !== arn) throw DataApiFaults.notFound(`DB cluster ${arn} not found.`);
    if (!c.httpEndpointEnabled) throw DataApiFaults.httpEndpointNotEnabled(arn);
    const addr = c.realEngine ? model.engines?.clusterAddress(c) : undefined;
    if (!addr) {
      throw DataApiFault.badRequest(
        `The DB cluster ${c.id} does not run a real database engine on this local endpoint (it is simulated: metadata only), so it cannot run SQL. Create a cluster while a real engine is available to use the Data API.`,
      );
    }
    const status = model.clusterStatus(c);
    if (status === 'stopped' || status === 'stopping' || status === 'starting') throw DataApiFaults.invalidResourceState(`DB cluster ${c.id} is ${status}.`);
    if (!c.writerId) throw DataApiFaults.databaseNotFound(`The DB cluster ${c.id} doesn't have a DB instance.`);
    return { c, host: addr.writer, port: addr.port };
  };

  const credentialsOf = (req: EmulatorRequest, secretArn: string): { username: string; password: string } => {
    const s = secrets.find(req.region, secretArn);
    if (!s) throw DataApiFaults.secretsError(`Error fetching secret ${secretArn} : Secrets Manager can't find the specified secret.`);
    let v: unknown;
    try {
      v = JSON.parse(s.secretString ?? '');
    } catch {
      throw DataApiFaults.invalidSecret(`The secret ${secretArn} is not valid JSON with username and password.`);
    }
    const o = v as { username?: unknown; password?: unknown };
    if (!o || typeof o.username !== 'string' || typeof o.password !== 'string') {
      throw DataApiFaults.invalidSecret(`The secret ${secretArn} has no username and password.`);
    }
    return { username: o.username, password: o.password };
  };

  const targetOf = (req: EmulatorRequest, b: Body): { target: Target; owner: string } => {
    const resourceArn = str(b, 'resourceArn', true)!;
    const secretArn = str(b, 'secretArn', true)!;
    const { c, host, port } = clusterOf(req, resourceArn);
    const cred = credentialsOf(req, secretArn);
    const family = c.realEngine!.family;
    const database = str(b, 'database') ?? c.databaseName ?? (family === 'postgres' ? 'postgres' : undefined);
    return { target: { family, host, port, user: cred.username, password: cred.password, database }, owner: `${resourceArn}\n${secretArn}` };
  };

  const bound = (b: Body, target: Target, sets: SqlParameter[][]) => {
    const sql = sqlOf(b);
    return sets.map((ps) => bindParameters(sql, ps, target.family));
  };

  const shape = (r: StatementResult, b: Body) => {
    const json = b.formatRecordsAs === 'JSON';
    const out: Record<string, unknown> = { numberOfRecordsUpdated: r.numberOfRecordsUpdated, generatedFields: r.generatedFields };
    if (r.records) {
      if (json) out.formattedRecords = JSON.stringify(r.plain ?? []);
      else out.records = r.records;
    }
    if (b.includeResultMetadata === true && r.records) out.columnMetadata = r.columns;
    return out;
  };

  const handlers: Record<string, (req: EmulatorRequest, b: Body) => Promise<unknown>> = {
    ExecuteStatement: async (req, b) => {
      if (b.formatRecordsAs !== undefined && b.formatRecordsAs !== 'JSON' && b.formatRecordsAs !== 'NONE') throw DataApiFault.badRequest('formatRecordsAs must be NONE or JSON.');
      sqlOf(b);
      const { target, owner } = targetOf(req, b);
      const params = b.parameters === undefined ? [] : b.parameters;
      if (!Array.isArray(params)) throw DataApiFault.badRequest('parameters must be a list.');
      const statements = bound(b, target, [params as SqlParameter[]]);
      const cont = b.continueAfterTimeout === true;
      const tid = str(b, 'transactionId');
      const [r] = tid ? await conns.inTransaction(target, tid, owner, statements, cont) : await conns.execute(target, statements, cont);
      return shape(r, b);
    },
    BatchExecuteStatement: async (req, b) => {
      sqlOf(b);
      const { target, owner } = targetOf(req, b);
      const sets = b.parameterSets === undefined ? [[]] : b.parameterSets;
      if (!Array.isArray(sets) || sets.some((s) => !Array.isArray(s))) throw DataApiFault.badRequest('parameterSets must be a list of parameter lists.');
      const statements = bound(b, target, (sets.length ? sets : [[]]) as SqlParameter[][]);
      const tid = str(b, 'transactionId');
      // Outside a transaction the whole batch is one transaction: all parameter sets apply, or none.
      const rs = tid ? await conns.inTransaction(target, tid, owner, statements, false) : await conns.execute(target, statements, false);
      return { updateResults: rs.map((r) => ({ generatedFields: r.generatedFields })) };
    },
    BeginTransaction: async (req, b) => {
      const { target, owner } = targetOf(req, b);
      return { transactionId: await conns.begin(target, owner) };
    },
    CommitTransaction: async (req, b) => {
      const { owner } = targetOf(req, b);
      await conns.end(str(b, 'transactionId', true)!, 'COMMIT', owner);
      return { transactionStatus: 'Transaction Committed' };
    },
    RollbackTransaction: async (req, b) => {
      const { owner } = targetOf(req, b);
      await conns.end(str(b, 'transactionId', true)!, 'ROLLBACK', owner);
      return { transactionStatus: 'Rollback Complete' };
    },
  };

  const operationOf = (req: EmulatorRequest): string | undefined => OPERATIONS[req.path];

  const error = (req: EmulatorRequest, code: string, message: string, status: number, extra: Record<string, unknown> = {}): EmulatorResponse => ({
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': req.requestId, 'x-amzn-errortype': code },
    body: JSON.stringify({ message, ...extra }),
  });

  return {
    operationOf,
    error: (req: EmulatorRequest, code: string, message: string, status: number) => error(req, code, message, status),
    async handle(req: EmulatorRequest): Promise<EmulatorResponse> {
      const op = operationOf(req);
      if (!op || req.method !== 'POST') return error(req, 'UnknownOperationException', `The operation ${req.method} ${req.path} is not supported by this endpoint.`, 404);
      let b: Body;
      try {
        const parsed: unknown = req.body.length ? JSON.parse(req.body.toString('utf8')) : {};
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        b = parsed as Body;
      } catch {
        return { ...error(req, 'BadRequestException', 'The request body is not valid JSON.', 400), operation: op };
      }
      try {
        const out = await handlers[op](req, b);
        const body = JSON.stringify(out);
        if (Buffer.byteLength(body) > MAX_RESULT_BYTES) throw DataApiFaults.tooLarge();
        return { status: 200, headers: { 'content-type': 'application/json', 'x-amzn-requestid': req.requestId }, body, operation: op };
      } catch (e) {
        if (e instanceof DataApiFault) return { ...error(req, e.code, e.message, e.status, e.extra), operation: op };
        throw e;
      }
    },
    close: () => conns.close(),
  };
}

export type DataApiService = ReturnType<typeof createDataApiService>;
export type { Field };
