// Conformance: the real @aws-sdk/client-rds-data and @aws-sdk/client-secrets-manager against the local endpoint
// with real engines — every Data API operation, typed fields, transactions, and each error the Data API returns.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  DeleteDBClusterCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DisableHttpEndpointCommand,
  EnableHttpEndpointCommand,
  RDSClient,
  type DBCluster,
} from '@aws-sdk/client-rds';
import {
  BatchExecuteStatementCommand,
  BeginTransactionCommand,
  CommitTransactionCommand,
  ExecuteStatementCommand,
  RDSDataClient,
  RollbackTransactionCommand,
  type ExecuteStatementCommandInput,
} from '@aws-sdk/client-rds-data';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/lib/emulator';
import { detectMysqlServer } from '../engines/mysql';

let emu: RunningEmulator;
let rds: RDSClient;
let data: RDSDataClient;
let sm: SecretsManagerClient;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'afc-rdsdata-'));
  fs.chmodSync(dir, 0o711);
  emu = await startEmulator({ port: 0, dataDir: dir, profile: 'test', engines: 'real', dataApi: { statementTimeoutMs: 1500 } });
  const cfg = { endpoint: emu.url, region: 'us-east-1', credentials: emu.credentials, maxAttempts: 1 };
  rds = new RDSClient(cfg);
  data = new RDSDataClient(cfg);
  sm = new SecretsManagerClient(cfg);
}, 60_000);

afterAll(async () => {
  rds?.destroy();
  data?.destroy();
  sm?.destroy();
  await emu?.close();
  fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const cluster = async (id: string): Promise<DBCluster> => (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0];

async function createManaged(id: string, engine: 'aurora-postgresql' | 'aurora-mysql'): Promise<DBCluster> {
  await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: engine, MasterUsername: 'admin', ManageMasterUserPassword: true }));
  await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: `${id}-1`, DBClusterIdentifier: id, Engine: engine, DBInstanceClass: 'db.r6g.large' }));
  await until(`${id} available`, async () => {
    const i = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: `${id}-1` }))).DBInstances![0];
    return (await cluster(id)).Status === 'available' && i.DBInstanceStatus === 'available';
  });
  return cluster(id);
}

/** The error an SDK call rejects with (its class name and message). */
async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; $metadata?: { httpStatusCode?: number } } & Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    return e as never;
  }
  throw new Error('expected the call to fail');
}

describe('Secrets Manager', () => {
  it('CreateSecret, GetSecretValue, DescribeSecret, ListSecrets and their faults', async () => {
    const created = await sm.send(new CreateSecretCommand({ Name: 'app/db', SecretString: '{"username":"u","password":"p"}', Description: 'd' }));
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:app\/db-[A-Za-z]{6}$/);
    const v = await sm.send(new GetSecretValueCommand({ SecretId: 'app/db' }));
    expect(v).toMatchObject({ ARN: created.ARN, Name: 'app/db', SecretString: '{"username":"u","password":"p"}', VersionStages: ['AWSCURRENT'] });
    expect(v.CreatedDate).toBeInstanceOf(Date);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: created.ARN! }))).Name).toBe('app/db');
    const d = await sm.send(new DescribeSecretCommand({ SecretId: created.ARN! }));
    expect(d).toMatchObject({ Name: 'app/db', Description: 'd' });
    expect((await sm.send(new ListSecretsCommand({}))).SecretList!.map((s) => s.Name)).toContain('app/db');
    expect((await failure(sm.send(new GetSecretValueCommand({ SecretId: 'nope' })))).name).toBe('ResourceNotFoundException');
    expect((await failure(sm.send(new DescribeSecretCommand({ SecretId: 'nope' })))).name).toBe('ResourceNotFoundException');
    expect((await failure(sm.send(new CreateSecretCommand({ Name: 'app/db', SecretString: 'x' })))).name).toBe('ResourceExistsException');
  });
});

const mysqlAvailable = !!detectMysqlServer();

describe.each([
  { engine: 'aurora-postgresql' as const, id: 'dapg' },
  ...(mysqlAvailable ? [{ engine: 'aurora-mysql' as const, id: 'damy' }] : []),
])('the Data API on $engine', ({ engine, id }) => {
  const pgsql = engine === 'aurora-postgresql';
  let c: DBCluster;
  let secretArn: string;
  let base: { resourceArn: string; secretArn: string };
  const exec = (sql: string, more: Partial<ExecuteStatementCommandInput> = {}) => data.send(new ExecuteStatementCommand({ ...base, database: 'myapp', sql, ...more }));

  beforeAll(async () => {
    c = await createManaged(id, engine);
    secretArn = c.MasterUserSecret!.SecretArn!;
    base = { resourceArn: c.DBClusterArn!, secretArn };
  }, 120_000);

  it('keeps the generated master password in a real rds! secret', async () => {
    const v = await sm.send(new GetSecretValueCommand({ SecretId: secretArn }));
    const cred = JSON.parse(v.SecretString!) as { username: string; password: string };
    expect(cred.username).toBe('admin');
    expect(cred.password.length).toBeGreaterThanOrEqual(20);
    expect(v.Name).toMatch(/^rds!cluster-[0-9a-f-]{36}$/);
    expect((await sm.send(new DescribeSecretCommand({ SecretId: secretArn }))).OwningService).toBe('rds');
  });

  it('refuses statements until EnableHttpEndpoint, which DescribeDBClusters then shows', async () => {
    expect(c.HttpEndpointEnabled).toBe(false);
    const e = await failure(data.send(new ExecuteStatementCommand({ ...base, sql: 'SELECT 1' })));
    expect(e.name).toBe('HttpEndpointNotEnabledException');
    const on = await rds.send(new EnableHttpEndpointCommand({ ResourceArn: c.DBClusterArn! }));
    expect(on).toMatchObject({ ResourceArn: c.DBClusterArn, HttpEndpointEnabled: true });
    expect((await cluster(id)).HttpEndpointEnabled).toBe(true);
    // The engine may report `available` a moment before the master user exists (engines/: state is `running`
    // once the server accepts connections, before the role is created).
    await until('the master user can connect', () => data.send(new ExecuteStatementCommand({ ...base, sql: 'SELECT 1' })), 15_000);
  });

  it("runs the tutorial's step 3: CREATE DATABASE, CREATE TABLE, two INSERTs, SELECT with typed fields", async () => {
    await data.send(new ExecuteStatementCommand({ ...base, sql: 'CREATE DATABASE myapp' }));
    await exec(pgsql ? 'CREATE TABLE users (id SERIAL PRIMARY KEY, name VARCHAR(100), email VARCHAR(100), created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)' : 'CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100), email VARCHAR(100), created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)');
    const ins = await exec("INSERT INTO users (name, email) VALUES ('John Doe', 'john@example.com')");
    expect(ins.numberOfRecordsUpdated).toBe(1);
    if (!pgsql) expect(ins.generatedFields).toEqual([{ longValue: 1 }]);
    await exec("INSERT INTO users (name, email) VALUES ('Jane Smith', 'jane@example.com')");
    const r = await exec('SELECT * FROM users ORDER BY id', { includeResultMetadata: true });
    expect(r.records).toHaveLength(2);
    expect(r.records![0].slice(0, 3)).toEqual([{ longValue: 1 }, { stringValue: 'John Doe' }, { stringValue: 'john@example.com' }]);
    expect(r.records![1][1]).toEqual({ stringValue: 'Jane Smith' });
    expect(r.records![0][3].stringValue).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    expect(r.columnMetadata!.map((m) => m.name)).toEqual(['id', 'name', 'email', 'created_at']);
    expect(r.columnMetadata!.map((m) => m.type)).toEqual([4, 12, 12, 93]);
    expect(r.numberOfRecordsUpdated).toBe(0);
  });

  it('returns numbers, strings, NULL, booleans and dates as typed fields, and formattedRecords as JSON', async () => {
    const sql = pgsql
      ? "SELECT 42 AS i, 9007199254740991::int8 AS big, 2.5::float8 AS d, 12.30::numeric(5,2) AS n, 'héllo' AS s, NULL AS z, true AS b, DATE '2024-02-29' AS dt, TIMESTAMP '2024-01-02 03:04:05' AS ts, ARRAY[1,2,3] AS arr, '\\x0102'::bytea AS bin"
      : "SELECT 42 AS i, CAST(9007199254740991 AS SIGNED) AS big, CAST(2.5 AS DOUBLE) AS d, CAST(12.30 AS DECIMAL(5,2)) AS n, 'héllo' AS s, NULL AS z, (SELECT b FROM flags) AS b, DATE '2024-02-29' AS dt, TIMESTAMP '2024-01-02 03:04:05' AS ts, X'0102' AS bin";
    if (!pgsql) {
      // MySQL's booleans are BIT(1) columns (a TINYINT(1) is a number).
      await exec('CREATE TABLE flags (b BIT(1))');
      await exec("INSERT INTO flags VALUES (b'1')");
    }
    const r = await exec(sql, { includeResultMetadata: true });
    const row = r.records![0];
    expect(row.slice(0, 9)).toEqual([
      { longValue: 42 },
      { longValue: 9007199254740991 },
      { doubleValue: 2.5 },
      { stringValue: '12.30' },
      { stringValue: 'héllo' },
      { isNull: true },
      { booleanValue: true },
      { stringValue: '2024-02-29' },
      { stringValue: '2024-01-02 03:04:05' },
    ]);
    if (pgsql) expect(row[9]).toEqual({ arrayValue: { longValues: [1, 2, 3] } });
    expect(row[row.length - 1].blobValue).toEqual(new Uint8Array([1, 2]));
    const j = await exec("SELECT id, name FROM users WHERE id = 1", { formatRecordsAs: 'JSON' });
    expect(j.records).toBeUndefined();
    expect(JSON.parse(j.formattedRecords!)).toEqual([{ id: 1, name: 'John Doe' }]);
  });

  it('binds named parameters (typeHint too) and runs a batch with parameterSets', async () => {
    const p = await exec('SELECT name FROM users WHERE id = :id AND name <> :other', {
      parameters: [{ name: 'id', value: { longValue: 2 } }, { name: 'other', value: { stringValue: "it's" } }],
    });
    expect(p.records).toEqual([[{ stringValue: 'Jane Smith' }]]);
    const t = await exec('SELECT :t AS t', { parameters: [{ name: 't', value: { stringValue: '2024-05-06 07:08:09' }, typeHint: 'TIMESTAMP' }] });
    expect(t.records![0][0].stringValue).toMatch(/^2024-05-06 07:08:09/);
    const b = await data.send(
      new BatchExecuteStatementCommand({
        ...base,
        database: 'myapp',
        sql: 'INSERT INTO users (name, email) VALUES (:name, :email)',
        parameterSets: [
          [{ name: 'name', value: { stringValue: 'b1' } }, { name: 'email', value: { isNull: true } }],
          [{ name: 'name', value: { stringValue: 'b2' } }, { name: 'email', value: { stringValue: 'b2@example.com' } }],
        ],
      }),
    );
    expect(b.updateResults).toHaveLength(2);
    const n = await exec("SELECT count(*) AS n FROM users WHERE name IN ('b1', 'b2') AND (email IS NULL OR email = 'b2@example.com')");
    expect(n.records![0][0]).toEqual({ longValue: 2 });
  });

  it('commits and rolls back transactions (a rolled-back row is absent)', async () => {
    const t1 = (await data.send(new BeginTransactionCommand({ ...base, database: 'myapp' }))).transactionId!;
    await exec("INSERT INTO users (name) VALUES ('committed')", { transactionId: t1 });
    expect((await data.send(new CommitTransactionCommand({ ...base, transactionId: t1 }))).transactionStatus).toBe('Transaction Committed');
    const t2 = (await data.send(new BeginTransactionCommand({ ...base, database: 'myapp' }))).transactionId!;
    await exec("INSERT INTO users (name) VALUES ('rolled back')", { transactionId: t2 });
    expect((await exec("SELECT name FROM users WHERE name = 'rolled back'", { transactionId: t2 })).records).toHaveLength(1);
    expect((await exec("SELECT name FROM users WHERE name = 'rolled back'")).records).toHaveLength(0);
    expect((await data.send(new RollbackTransactionCommand({ ...base, transactionId: t2 }))).transactionStatus).toBe('Rollback Complete');
    const names = (await exec("SELECT name FROM users WHERE name IN ('committed', 'rolled back')")).records!.map((r) => r[0].stringValue);
    expect(names).toEqual(['committed']);
    const e = await failure(data.send(new CommitTransactionCommand({ ...base, transactionId: t2 })));
    expect(e.name).toBe('TransactionNotFoundException');
    expect((await failure(exec('SELECT 1', { transactionId: 'bm90LWEtdHJhbnNhY3Rpb24=' }))).name).toBe('TransactionNotFoundException');
  });

  it("answers a syntax error with DatabaseErrorException carrying the engine's message", async () => {
    const e = await failure(exec('SELEC * FROM users'));
    expect(e.name).toBe('DatabaseErrorException');
    expect(e.message).toMatch(pgsql ? /syntax error at or near "SELEC"/ : /You have an error in your SQL syntax/);
    const missing = await failure(exec('SELECT * FROM nope'));
    expect(missing.message).toMatch(pgsql ? /relation "nope" does not exist/ : /nope' doesn't exist/);
  });

  it('times out a long statement with StatementTimeoutException, and the next statement runs', async () => {
    const e = await failure(exec(pgsql ? 'SELECT pg_sleep(10)' : 'SELECT SLEEP(10)'));
    expect(e.name).toBe('StatementTimeoutException');
    expect(typeof e.dbConnectionId).toBe('number');
    expect((await exec('SELECT 1 AS one')).records).toEqual([[{ longValue: 1 }]]);
  }, 20_000);

  it('refuses a result over 1 MiB with BadRequestException', async () => {
    const sql = pgsql
      ? "SELECT repeat('x', 1000) FROM generate_series(1, 2000)"
      : "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 50) SELECT REPEAT('x', 1000) FROM s AS a, s AS b";
    const e = await failure(exec(sql));
    expect(e.name).toBe('BadRequestException');
    expect(e.message).toMatch(/allowed response size limit/);
  });

  it('refuses wrong, missing and malformed secrets', async () => {
    const wrong = await sm.send(new CreateSecretCommand({ Name: `${id}/wrong`, SecretString: JSON.stringify({ username: 'admin', password: 'wrong-password' }) }));
    const e1 = await failure(data.send(new ExecuteStatementCommand({ ...base, secretArn: wrong.ARN!, sql: 'SELECT 1' })));
    expect(e1.name).toBe('BadRequestException');
    expect(e1.message).toMatch(pgsql ? /password authentication failed for user "admin"/ : /Access denied for user 'admin'/);
    const gone = `${secretArn.slice(0, -6)}zzzzzz`.replace('rds!cluster-', 'rds!cluster-x');
    expect((await failure(data.send(new ExecuteStatementCommand({ ...base, secretArn: gone, sql: 'SELECT 1' })))).name).toBe('SecretsErrorException');
    const bad = await sm.send(new CreateSecretCommand({ Name: `${id}/bad`, SecretString: 'not json' }));
    expect((await failure(data.send(new ExecuteStatementCommand({ ...base, secretArn: bad.ARN!, sql: 'SELECT 1' })))).name).toBe('InvalidSecretException');
  });

  it('DisableHttpEndpoint turns the Data API off again', async () => {
    const off = await rds.send(new DisableHttpEndpointCommand({ ResourceArn: c.DBClusterArn! }));
    expect(off.HttpEndpointEnabled).toBe(false);
    expect((await failure(exec('SELECT 1'))).name).toBe('HttpEndpointNotEnabledException');
    await rds.send(new EnableHttpEndpointCommand({ ResourceArn: c.DBClusterArn! }));
  });
});

describe('Data API errors that need no engine', () => {
  it('unknown cluster, simulated cluster, cluster without instances, bad input', async () => {
    const secret = (await sm.send(new CreateSecretCommand({ Name: 'any', SecretString: '{"username":"admin","password":"x"}' }))).ARN!;
    const arn = 'arn:aws:rds:us-east-1:123456789012:cluster:nope';
    expect((await failure(data.send(new ExecuteStatementCommand({ resourceArn: arn, secretArn: secret, sql: 'SELECT 1' })))).name).toBe('NotFoundException');
    expect((await failure(rds.send(new EnableHttpEndpointCommand({ ResourceArn: arn })))).name).toBe('ResourceNotFoundFault');

    // A simulated cluster (metadata only): the model creates it without an engine.
    const sim = emu.model.createCluster('us-east-1', { DBClusterIdentifier: 'sim', Engine: 'aurora-postgresql', MasterUsername: 'admin', MasterUserPassword: 'Sup3rSecret!', EnableHttpEndpoint: true }, Date.now());
    const e = await failure(data.send(new ExecuteStatementCommand({ resourceArn: sim.arn, secretArn: secret, sql: 'SELECT 1' })));
    expect(e.name).toBe('BadRequestException');
    expect(e.message).toMatch(/does not run a real database engine on this local endpoint/);

    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'empty', Engine: 'aurora-postgresql', MasterUsername: 'admin', MasterUserPassword: 'Sup3rSecret!', EnableHttpEndpoint: true }));
    const empty = await cluster('empty');
    expect(empty.HttpEndpointEnabled).toBe(true);
    expect((await failure(data.send(new ExecuteStatementCommand({ resourceArn: empty.DBClusterArn!, secretArn: secret, sql: 'SELECT 1' })))).name).toBe('DatabaseNotFoundException');

    const noSql = await failure(data.send(new ExecuteStatementCommand({ resourceArn: empty.DBClusterArn!, secretArn: secret, sql: '' })));
    expect(noSql.name).toBe('BadRequestException');
    expect((await failure(data.send(new ExecuteStatementCommand({ resourceArn: 'not-an-arn', secretArn: secret, sql: 'SELECT 1' })))).name).toBe('BadRequestException');
  });

  it("DeleteDBCluster deletes the cluster's managed master secret", async () => {
    const made = (await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'gone', Engine: 'aurora-postgresql', MasterUsername: 'admin', ManageMasterUserPassword: true }))).DBCluster!;
    const arn = made.MasterUserSecret!.SecretArn!;
    expect((await sm.send(new DescribeSecretCommand({ SecretId: arn }))).ARN).toBe(arn);
    await rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: 'gone', SkipFinalSnapshot: true }));
    expect((await failure(sm.send(new GetSecretValueCommand({ SecretId: arn })))).name).toBe('ResourceNotFoundException');
  });
});
