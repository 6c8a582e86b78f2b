// The Query page end to end, on real engines behind the local endpoint: a new cluster with a managed master
// password → the Query link → enable the Data API → the tutorial's step 3 → the SELECT shows the two rows, and a
// real client on the reader endpoint sees them too; a syntax error shows the engine's message; a viewer sees no
// Query link and a crafted POST to the action is refused.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CreateDBClusterCommand, CreateDBInstanceCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient, type DBCluster } from '@aws-sdk/client-rds';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { E2E, expect, loginAs, test } from './fixtures';

const REGION = 'us-east-1';
const root = path.resolve(__dirname, '..');
const credentials = { accessKeyId: 'local', secretAccessKey: 'localsecret' };
const rds = new RDSClient({ region: REGION, endpoint: E2E.emulatorURL, credentials });
const secrets = new SecretsManagerClient({ region: REGION, endpoint: E2E.emulatorURL, credentials, maxAttempts: 1 });
const unique = (p: string) => `${p}-${Date.now().toString(36)}`;

function mysqlServerOnPath(): boolean {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin'];
  return dirs.some((d) => d && (existsSync(path.join(d, 'mariadbd')) || existsSync(path.join(d, 'mysqld'))));
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** A cluster with a managed master password (its secret on the endpoint's Secrets Manager), a writer and a reader. */
async function createCluster(id: string, engine: 'aurora-mysql' | 'aurora-postgresql', instances = 2): Promise<DBCluster> {
  await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: engine, MasterUsername: 'admin', ManageMasterUserPassword: true }));
  for (let n = 1; n <= instances; n++) {
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: `${id}-${n}`, DBClusterIdentifier: id, Engine: engine, DBInstanceClass: 'db.r6g.large' }));
  }
  return until(`${id} available`, async () => {
    const c = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0];
    const inst = (await rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [id] }] }))).DBInstances ?? [];
    return c?.Status === 'available' && inst.length === instances && inst.every((i) => i.DBInstanceStatus === 'available') ? c : undefined;
  }, 120_000);
}

function serverActionId(exportedName: string): string {
  const manifest = JSON.parse(readFileSync(path.join(root, '.next/server/server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { exportedName?: string }>;
  };
  const hit = Object.entries(manifest.node).find(([, v]) => v.exportedName === exportedName);
  if (!hit) throw new Error(`server action ${exportedName} not in the build manifest`);
  return hit[0];
}

/** The multipart body React sends for `action(prevState, formData)`. */
function actionBody(fields: Record<string, string>) {
  const multipart: Record<string, string> = { '0': JSON.stringify([null, '$K1']) };
  for (const [k, v] of Object.entries(fields)) multipart[`1_${k}`] = v;
  return multipart;
}

/** The master credentials from the cluster's managed secret, as a SQL client on the reader endpoint needs them. */
async function masterCredentials(c: DBCluster): Promise<{ username: string; password: string }> {
  const out = await secrets.send(new GetSecretValueCommand({ SecretId: c.MasterUserSecret!.SecretArn! }));
  return JSON.parse(out.SecretString ?? '{}') as { username: string; password: string };
}

const ENGINES = [
  { engine: 'aurora-postgresql' as const, syntaxError: /syntax error at or near "SELEC"/ },
  { engine: 'aurora-mysql' as const, syntaxError: /You have an error in your SQL syntax/ },
];

for (const { engine, syntaxError } of ENGINES) {
  test(`${engine}: enable the Data API, run the tutorial's step 3, see the two rows (also on the reader), and the engine's syntax error`, async ({ page }) => {
    test.setTimeout(240_000);
    test.skip(engine === 'aurora-mysql' && !mysqlServerOnPath(), 'no mariadbd/mysqld on PATH: Aurora MySQL clusters are simulated here');
    const id = unique(engine === 'aurora-mysql' ? 'q-my' : 'q-pg');
    const cluster = await createCluster(id, engine);

    await loginAs(page, 'admin');
    await page.goto(`/clusters/${REGION}/${id}`);
    await page.getByTestId('query-link').click();
    await expect(page).toHaveURL(new RegExp(`/clusters/${REGION}/${id}/query$`));
    await expect(page.getByRole('heading', { name: `Query ${id}` })).toBeVisible();

    // The HTTP endpoint starts off; an admin turns it on here.
    await expect(page.getByTestId('http-endpoint-state')).toHaveText('disabled');
    await page.getByRole('button', { name: 'Enable the Data API' }).click();
    await expect(page.getByTestId('http-endpoint-state')).toHaveText('enabled', { timeout: 20_000 });
    const described = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0];
    expect(described.HttpEndpointEnabled).toBe(true);
    await expect(page.getByTestId('secret-source')).toContainText('managed master secret');

    // The tutorial's step 3, in one click; Ctrl+Enter runs it.
    await page.getByTestId('tutorial-sample').click();
    await expect(page.getByLabel('SQL', { exact: true })).toHaveValue(/INSERT INTO/);
    await page.getByLabel('SQL', { exact: true }).press('Control+Enter');
    await expect(page.getByTestId('query-success')).toBeVisible({ timeout: 60_000 });
    const results = page.getByTestId('statement-result');
    const last = results.last();
    await expect(last.getByRole('columnheader', { name: /name/ })).toBeVisible();
    await expect(last.getByTestId('result-table').locator('tbody tr')).toHaveCount(2);
    await expect(last.getByTestId('result-table')).toContainText('Alice');
    await expect(last.getByTestId('result-table')).toContainText('bob@example.com');
    await expect(results.filter({ hasText: 'INSERT INTO' }).getByTestId('statement-summary')).toContainText('2 rows affected');

    // A real client on the reader endpoint sees the rows too.
    const creds = await masterCredentials(cluster);
    if (engine === 'aurora-postgresql') {
      await until('the rows on the reader', async () => {
        const client = new pg.Client({ host: cluster.ReaderEndpoint, port: cluster.Port, user: creds.username, password: creds.password, database: 'postgres', connectionTimeoutMillis: 5000 });
        try {
          await client.connect();
          return Number((await client.query('SELECT count(*) AS n FROM users')).rows[0].n) === 2;
        } finally {
          await client.end().catch(() => undefined);
        }
      }, 10_000);
    } else {
      await until('the rows on the reader', async () => {
        const conn = await mysql.createConnection({ host: cluster.ReaderEndpoint, port: cluster.Port, user: creds.username, password: creds.password, connectTimeout: 5000 });
        try {
          const [rows] = (await conn.query('SELECT count(*) AS n FROM myapp.users')) as unknown as [{ n: number }[]];
          return Number(rows[0].n) === 2;
        } finally {
          await conn.end().catch(() => undefined);
        }
      }, 10_000);
    }

    // A syntax error: the engine's own message, in the page; the earlier statement's result stays.
    await page.getByLabel('SQL', { exact: true }).fill('SELECT 1;\nSELEC 1;\nSELECT 2');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.getByTestId('statement-error')).toContainText(syntaxError, { timeout: 30_000 });
    await expect(page.getByTestId('query-error')).toContainText('Statement 2 of 3 failed');
    await expect(page.getByTestId('statements-skipped')).toContainText('1 later statement was not run');

    // History: this user's runs, newest first, from the audit log.
    await expect(page.getByTestId('query-history').locator('li').first()).toContainText('SELEC 1', { timeout: 10_000 });
    await expect(page.getByTestId('query-history').locator('li')).toHaveCount(2);

    // Every run is in the audit log as cluster.query.
    await page.goto(`/audit?target=${id}`);
    await expect(page.getByTestId('audit-row').filter({ hasText: 'cluster.query' }).first()).toBeVisible();
  });
}

test('a viewer sees no Query link, is refused on the page, and a crafted POST to runQueryAction is refused', async ({ page }) => {
  test.setTimeout(120_000);
  const id = unique('q-view');
  await createCluster(id, 'aurora-postgresql', 1);
  await loginAs(page, 'viewer');
  await page.goto(`/clusters/${REGION}/${id}`);
  await expect(page.getByTestId('cluster-status')).toBeVisible();
  await expect(page.getByTestId('query-link')).toHaveCount(0);
  await page.goto(`/clusters/${REGION}/${id}/query`);
  await expect(page.getByTestId('query-unavailable')).toContainText('You need the admin role to run SQL');
  await expect(page.getByTestId('sql-editor')).toHaveCount(0);

  const res = await page.request.post(`/clusters/${REGION}/${id}/query`, {
    headers: { 'Next-Action': serverActionId('runQueryAction'), Origin: E2E.baseURL, Accept: 'text/x-component' },
    multipart: actionBody({ region: REGION, clusterId: id, database: '', sql: 'DROP TABLE users' }),
    maxRedirects: 0,
  });
  expect(res.status()).toBe(200);
  const text = await res.text();
  expect(text).toContain('FORBIDDEN');
  expect(text).toContain('You need the admin role to run SQL on a cluster');
});

test('the Query page is labelled and fits a 390 px phone', async ({ page }) => {
  test.setTimeout(120_000);
  const id = unique('q-phone');
  await createCluster(id, 'aurora-postgresql', 1);
  await page.setViewportSize({ width: 390, height: 844 });
  await loginAs(page, 'admin');
  await page.goto(`/clusters/${REGION}/${id}/query`);
  await expect(page.getByRole('heading', { name: `Query ${id}` })).toBeVisible();
  await expect(page.getByLabel('SQL', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Database', { exact: true })).toBeVisible();
  await expect(page.getByTestId('query-output')).toHaveAttribute('aria-live', 'polite');
  await page.getByTestId('tutorial-sample').click();
  await expect(page.getByLabel('SQL', { exact: true })).toHaveValue(/CREATE TABLE users \(id SERIAL PRIMARY KEY/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
