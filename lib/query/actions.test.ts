// The Query page's server actions, driven as crafted requests (no UI) against mocked RDS, rds-data and
// Secrets Manager clients: roles (AFC_QUERY_ROLE), region, validation, the secret, errors, and the audit rows.
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Role = 'viewer' | 'operator' | 'admin';
type Cmd = { constructor: { name: string }; input: Record<string, any> };
const h = vi.hoisted(() => ({
  db: undefined as unknown,
  user: null as null | { id: string; username: string; role: Role },
  queryRole: 'admin' as Role,
  audit: [] as { phase: string; action: string; actor: string; params?: Record<string, unknown>; error?: string; target?: string }[],
  calls: [] as { service: string; name: string; input: Record<string, any> }[],
  cluster: {} as Record<string, unknown>,
  execute: (async () => ({ $metadata: {} })) as (input: Record<string, any>) => Promise<unknown>,
  secretExists: true,
}));
vi.mock('@/lib/auth/session', () => ({ getSession: async () => h.user }));
vi.mock('@/lib/db', async (orig) => ({ ...((await orig()) as object), getDb: () => h.db }));
vi.mock('@/lib/audit/log', () => ({
  appendAudit: vi.fn(async (e: (typeof h.audit)[number]) => void h.audit.push(e)),
  listAudit: vi.fn(async () => []),
}));
vi.mock('@/lib/env', () => ({ getEnv: () => ({ backend: 'local', regions: ['us-east-1', 'eu-west-1'], queryRole: h.queryRole }) }));
vi.mock('@/lib/aws/clients', () => {
  const rec = (service: string, cmd: Cmd) => {
    const name = cmd.constructor.name.replace(/Command$/, '');
    h.calls.push({ service, name, input: cmd.input });
    return name;
  };
  return {
    rdsClient: () => ({
      send: async (cmd: Cmd) => {
        const name = rec('rds', cmd);
        if (name === 'DescribeDBClusters') return { DBClusters: [h.cluster], $metadata: {} };
        if (name === 'DescribeDBInstances') return { DBInstances: [], $metadata: {} };
        if (name === 'EnableHttpEndpoint') return { ResourceArn: cmd.input.ResourceArn, HttpEndpointEnabled: true, $metadata: { requestId: 'req-enable' } };
        throw new Error(`unexpected ${name}`);
      },
    }),
    rdsDataClient: () => ({ send: async (cmd: Cmd) => (rec('rds-data', cmd), h.execute(cmd.input)) }),
    secretsManagerClient: () => ({
      send: async (cmd: Cmd) => {
        rec('secretsmanager', cmd);
        if (!h.secretExists) throw Object.assign(new Error("Secrets Manager can't find the specified secret."), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
        return { ARN: cmd.input.SecretId, Name: 'app-user', $metadata: {} };
      },
    }),
  };
});

import { runAction } from '@/lib/actions/define-action';
import { enableHttpEndpointAction, runQueryAction, setQuerySecretAction } from './actions';
import { getStoredSecretArn } from './store';

const ARN = 'arn:aws:rds:us-east-1:123456789012:cluster:orders';
const MANAGED = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-1-AbCdEf';
const OTHER = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app-user-XyZ123';
const admin = { id: 'a', username: 'admin1', role: 'admin' as const };
const operator = { id: 'o', username: 'oper1', role: 'operator' as const };
const viewer = { id: 'v', username: 'viewer1', role: 'viewer' as const };

const SELECT_ROWS = {
  columnMetadata: [
    { name: 'id', typeName: 'INT' },
    { name: 'name', typeName: 'VARCHAR' },
  ],
  records: [
    [{ longValue: 1 }, { stringValue: 'Alice-row-value' }],
    [{ longValue: 2 }, { stringValue: 'Bob-row-value' }],
  ],
  $metadata: {},
};
const query = (over: Record<string, unknown> = {}) => ({ region: 'us-east-1', clusterId: 'orders', database: 'myapp', sql: 'SELECT * FROM users', ...over });
const dataCalls = () => h.calls.filter((c) => c.service === 'rds-data');

beforeEach(async () => {
  h.db = await (await import('@/lib/testing/memory-db')).memoryDb();
  h.audit = [];
  h.calls = [];
  h.queryRole = 'admin';
  h.secretExists = true;
  h.cluster = { DBClusterIdentifier: 'orders', DBClusterArn: ARN, Engine: 'aurora-mysql', Status: 'available', HttpEndpointEnabled: true, MasterUserSecret: { SecretArn: MANAGED, SecretStatus: 'active' } };
  h.execute = async (input) => (/^SELECT/i.test(input.sql) ? SELECT_ROWS : { numberOfRecordsUpdated: 2, $metadata: {} });
});

describe('who may run SQL', () => {
  it.each([viewer, operator])('%s is refused by default, with no Data API call and one refused audit row', async (u) => {
    h.user = u;
    const r = await runAction(runQueryAction, query());
    expect(r).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(r.ok ? '' : r.error).toMatch(/admin role to run SQL on a cluster/);
    expect(h.calls).toEqual([]);
    expect(h.audit.map((a) => `${a.action}:${a.phase}`)).toEqual(['cluster.query:refused']);
  });

  it('AFC_QUERY_ROLE=operator lets an operator run SQL; a viewer is still refused', async () => {
    h.queryRole = 'operator';
    h.user = operator;
    expect(await runAction(runQueryAction, query())).toMatchObject({ ok: true });
    h.user = viewer;
    expect(await runAction(runQueryAction, query())).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect((await runAction(runQueryAction, query())).ok ? '' : 'operator role').toBe('operator role');
  });

  it('no session is refused', async () => {
    h.user = null;
    expect(await runAction(runQueryAction, query())).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    expect(h.calls).toEqual([]);
  });

  it('enabling the Data API and choosing a secret are admin-only', async () => {
    h.queryRole = 'operator';
    h.user = operator;
    expect(await runAction(enableHttpEndpointAction, { region: 'us-east-1', clusterId: 'orders' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await runAction(setQuerySecretAction, { region: 'us-east-1', clusterId: 'orders', arn: OTHER })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(h.calls).toEqual([]);
  });
});

describe('input and region', () => {
  it('a region the console does not manage is refused before any call', async () => {
    h.user = admin;
    const r = await runAction(runQueryAction, query({ region: 'ap-south-1' }));
    expect(r).toMatchObject({ ok: false, code: 'INVALID_REGION' });
    expect(h.calls).toEqual([]);
  });

  it('validates the SQL size and the database name', async () => {
    h.user = admin;
    const big = await runAction(runQueryAction, query({ sql: `SELECT '${'x'.repeat(70_000)}'` }));
    expect(big).toMatchObject({ ok: false, code: 'VALIDATION' });
    expect(big.ok ? undefined : big.fieldErrors?.sql?.[0]).toMatch(/64 KB/);
    const empty = await runAction(runQueryAction, query({ sql: '  ' }));
    expect(empty.ok ? undefined : empty.fieldErrors?.sql).toBeDefined();
    const db = await runAction(runQueryAction, query({ database: 'x; DROP' }));
    expect(db.ok ? undefined : db.fieldErrors?.database).toBeDefined();
    expect(h.calls).toEqual([]);
  });
});

describe('running statements', () => {
  it('runs through the managed master secret and returns columns and rows', async () => {
    h.user = admin;
    const r = await runAction(runQueryAction, query({ sql: "INSERT INTO users VALUES (1,'a'),(2,'b'); SELECT * FROM users" }));
    expect(r.ok).toBe(true);
    const data = r.ok ? r.data : undefined;
    expect(data?.statements.map((s) => s.ok)).toEqual([true, true]);
    expect(data?.statements[1].rows).toEqual([
      ['1', 'Alice-row-value'],
      ['2', 'Bob-row-value'],
    ]);
    expect(dataCalls().map((c) => [c.input.resourceArn, c.input.secretArn, c.input.database])).toEqual([
      [ARN, MANAGED, 'myapp'],
      [ARN, MANAGED, 'myapp'],
    ]);
  });

  it('audits the redacted SQL, database, duration, rows and outcome, never the result rows', async () => {
    h.user = admin;
    await runAction(runQueryAction, query({ sql: "CREATE USER 'app'@'%' IDENTIFIED BY 'hunter2'; SELECT * FROM users" }));
    const rows = h.audit.filter((a) => a.action === 'cluster.query');
    expect(rows.map((a) => a.phase)).toEqual(['requested', 'succeeded']);
    const done = rows[1];
    expect(done.target).toBe('orders');
    expect(done.params).toMatchObject({
      sql: "CREATE USER 'app'@'%' IDENTIFIED BY '[redacted]'; SELECT * FROM users",
      database: 'myapp',
      statements: 2,
      rowsReturned: 2,
      rowsUpdated: 2,
      credentials: 'managed',
    });
    expect(typeof done.params?.durationMs).toBe('number');
    const all = JSON.stringify(h.audit);
    expect(all).not.toContain('hunter2');
    expect(all).not.toContain('Alice-row-value');
  });

  it('a syntax error answers the engine message verbatim, keeps the earlier results, and audits one failed row', async () => {
    h.user = admin;
    const msg = "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'SELEC 1' at line 1";
    h.execute = async (input) => {
      if (/SELEC /.test(input.sql)) throw Object.assign(new Error(msg), { name: 'DatabaseErrorException', $metadata: { httpStatusCode: 400, requestId: 'r1' } });
      return SELECT_ROWS;
    };
    const r = await runAction(runQueryAction, query({ sql: 'SELECT 1; SELEC 1; SELECT 3' }));
    expect(r).toMatchObject({ ok: false, code: 'DATABASE_ERROR', error: `Statement 2 of 3 failed: ${msg}` });
    const data = !r.ok ? r.data : undefined;
    expect(data?.statements.map((s) => s.ok)).toEqual([true, false]);
    expect(data?.statements[1].error).toBe(msg);
    expect(data?.skipped).toBe(1);
    expect(dataCalls()).toHaveLength(2);
    const failed = h.audit.filter((a) => a.phase === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ action: 'cluster.query', error: `Statement 2 of 3 failed: ${msg}`, params: { statements: 2, skipped: 1 } });
    expect(JSON.stringify(h.audit)).not.toContain('Alice-row-value');
  });

  it('the endpoint off is a clear message', async () => {
    h.user = admin;
    h.execute = async () => {
      throw Object.assign(new Error('HttpEndpoint is not enabled for resource ' + ARN), { name: 'HttpEndpointNotEnabledException', $metadata: { httpStatusCode: 400 } });
    };
    const r = await runAction(runQueryAction, query());
    expect(r).toMatchObject({ ok: false, code: 'HTTP_ENDPOINT_NOT_ENABLED' });
    expect(r.ok ? '' : r.error).toMatch(/Enable the Data API on the Query page/);
  });

  it('without a managed secret and none stored: refused with no Data API call; with a stored one: used', async () => {
    h.user = admin;
    delete h.cluster.MasterUserSecret;
    const r = await runAction(runQueryAction, query());
    expect(r).toMatchObject({ ok: false, code: 'NO_SECRET' });
    expect(dataCalls()).toEqual([]);

    expect(await runAction(setQuerySecretAction, { region: 'us-east-1', clusterId: 'orders', arn: OTHER })).toMatchObject({ ok: true });
    expect(await getStoredSecretArn('us-east-1', 'orders')).toBe(OTHER);
    // The audit keeps which secret (its ARN; lib/log redacts the name part after "secret:").
    expect(h.audit.find((a) => a.action === 'cluster.modify' && a.phase === 'succeeded')?.params?.arn).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:/);
    expect(await runAction(runQueryAction, query())).toMatchObject({ ok: true });
    expect(dataCalls()[0].input.secretArn).toBe(OTHER);
  });

  it('a secret in another region, a malformed ARN or a missing secret is not stored', async () => {
    h.user = admin;
    const wrongRegion = await runAction(setQuerySecretAction, { region: 'us-east-1', clusterId: 'orders', arn: OTHER.replace('us-east-1', 'eu-west-1') });
    expect(wrongRegion.ok ? undefined : wrongRegion.fieldErrors?.arn?.[0]).toMatch(/cluster's region/);
    expect(await runAction(setQuerySecretAction, { region: 'us-east-1', clusterId: 'orders', arn: 'not-an-arn' })).toMatchObject({ ok: false, code: 'VALIDATION' });
    h.secretExists = false;
    expect(await runAction(setQuerySecretAction, { region: 'us-east-1', clusterId: 'orders', arn: OTHER })).toMatchObject({ ok: false, code: 'SECRET_NOT_FOUND' });
    expect(await getStoredSecretArn('us-east-1', 'orders')).toBeUndefined();
  });
});

describe('enableHttpEndpointAction', () => {
  it('sends EnableHttpEndpoint with the cluster ARN when it is off', async () => {
    h.user = admin;
    h.cluster.HttpEndpointEnabled = false;
    const r = await runAction(enableHttpEndpointAction, { region: 'us-east-1', clusterId: 'orders' });
    expect(r).toMatchObject({ ok: true, data: { enabled: true }, awsRequestId: 'req-enable' });
    expect(h.calls.filter((c) => c.name === 'EnableHttpEndpoint').map((c) => c.input)).toEqual([{ ResourceArn: ARN }]);
  });

  it('does nothing when it is on already', async () => {
    h.user = admin;
    const r = await runAction(enableHttpEndpointAction, { region: 'us-east-1', clusterId: 'orders' });
    expect(r).toMatchObject({ ok: true, data: { enabled: true } });
    expect(h.calls.some((c) => c.name === 'EnableHttpEndpoint')).toBe(false);
  });
});
