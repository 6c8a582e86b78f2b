// Backups end to end, from the console, on a real PostgreSQL engine behind the local endpoint: a row is written
// through the Query page, a snapshot is taken on the cluster page's Backups section, a second row is written;
// the snapshot is restored to a new cluster and the cluster is restored to a point in time between the two
// rows. Both new clusters are listed on the fleet page, follow their creation live, and hold the first row only
// (checked with a real client). Bad input (a time outside the restorable window, an existing identifier)
// is refused beside the field and nothing is created.
import { CreateDBClusterCommand, CreateDBInstanceCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient, type DBCluster } from '@aws-sdk/client-rds';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import pg from 'pg';
import { E2E, expect, loginAs, test } from './fixtures';

const REGION = 'us-east-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'localsecret' };
const rds = new RDSClient({ region: REGION, endpoint: E2E.emulatorURL, credentials });
const secrets = new SecretsManagerClient({ region: REGION, endpoint: E2E.emulatorURL, credentials, maxAttempts: 1 });
const unique = (p: string) => `${p}-${Date.now().toString(36)}`;
/** Screenshots of the Backups section for a person to look at (SHOTS_DIR, else test-results/). */
async function shot(page: Page, name: string) {
  // A full-page capture clipped to the section: an element capture scrolls, and the sticky header lands inside it.
  const box = await page.getByTestId('backups-section').evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
  });
  await page.screenshot({ path: `${process.env.SHOTS_DIR ?? 'test-results'}/${name}.png`, fullPage: true, clip: box, animations: 'disabled' });
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const describe = async (id: string) => (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0];
const clusterExists = async (id: string) => !!(await describe(id).catch(() => undefined));

async function createPgCluster(id: string): Promise<DBCluster> {
  await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: 'aurora-postgresql', MasterUsername: 'admin', ManageMasterUserPassword: true, BackupRetentionPeriod: 1 }));
  await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: `${id}-1`, DBClusterIdentifier: id, Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large' }));
  return until(`${id} available`, async () => {
    const c = await describe(id);
    const inst = (await rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [id] }] }))).DBInstances ?? [];
    return c?.Status === 'available' && inst.length === 1 && inst[0].DBInstanceStatus === 'available' ? c : undefined;
  }, 120_000);
}

/** Run SQL on the cluster's Query page and wait for this run's success. */
async function runSql(page: Page, sql: string) {
  const history = page.getByTestId('query-history').locator('li');
  const before = await history.count();
  await page.getByLabel('SQL', { exact: true }).fill(sql);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(history).toHaveCount(before + 1, { timeout: 60_000 });
  await expect(page.getByTestId('query-success')).toBeVisible();
}

/** The notes a real client reads on a cluster's writer endpoint, with the source's master credentials. */
async function notesOn(id: string, creds: { username: string; password: string }): Promise<string[]> {
  const c = await until(`${id} endpoint`, async () => {
    const x = await describe(id);
    return x?.Status === 'available' && x.Endpoint ? x : undefined;
  }, 120_000);
  return until(`rows on ${id}`, async () => {
    const client = new pg.Client({ host: c.Endpoint, port: c.Port, user: creds.username, password: creds.password, database: 'postgres', connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      return (await client.query('SELECT note FROM notes ORDER BY id')).rows.map((r: { note: string }) => r.note);
    } finally {
      await client.end().catch(() => undefined);
    }
  }, 30_000);
}

/** A datetime-local value for an ISO instant, in the browser's own time zone. */
const localInput = (page: Page, iso: string) =>
  page.evaluate((s) => {
    const d = new Date(s);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  }, iso);

test('take a snapshot, restore it, restore to a point in time — all from the console; the new clusters hold the first row only', async ({ page }) => {
  test.setTimeout(420_000);
  const id = unique('bk-pg');
  const src = await createPgCluster(id);
  const creds = JSON.parse((await secrets.send(new GetSecretValueCommand({ SecretId: src.MasterUserSecret!.SecretArn! }))).SecretString ?? '{}') as { username: string; password: string };
  await loginAs(page, 'admin');

  // Row 1, through the Query page.
  await page.goto(`/clusters/${REGION}/${id}/query`);
  await page.getByRole('button', { name: 'Enable the Data API' }).click();
  await expect(page.getByTestId('http-endpoint-state')).toHaveText('enabled', { timeout: 20_000 });
  await runSql(page, "CREATE TABLE notes (id int PRIMARY KEY, note text);\nINSERT INTO notes VALUES (1, 'before the snapshot')");

  // The snapshot, from the Backups section.
  await page.goto(`/clusters/${REGION}/${id}`);
  const backups = page.getByTestId('backups-section');
  await expect(backups.getByTestId('backup-retention')).toHaveText('1 day(s) of automated backups');
  const snapId = `${id}-snap`;
  const take = backups.getByRole('form', { name: 'Take a snapshot' });
  await take.getByLabel('Snapshot identifier').fill(snapId);
  await take.getByRole('button', { name: 'Take snapshot' }).click();
  await expect(take.getByTestId('form-success')).toContainText(`Snapshot ${snapId} of ${id} is being created.`);
  await expect(backups.getByTestId(`snapshot-row-${snapId}`)).toHaveAttribute('data-status', 'available', { timeout: 60_000 });
  await expect(backups.getByTestId(`snapshot-row-${snapId}`)).toHaveAttribute('data-type', 'manual');

  // The moment between the two rows, then row 2.
  await page.waitForTimeout(1500);
  const between = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
  await page.waitForTimeout(1500);
  await page.goto(`/clusters/${REGION}/${id}/query`);
  await runSql(page, "INSERT INTO notes VALUES (2, 'after the snapshot')");
  expect(await notesOn(id, creds)).toEqual(['before the snapshot', 'after the snapshot']);

  // The engine's archived log reaches past the moment (LatestRestorableTime trails the present).
  await until('LatestRestorableTime past the moment between the rows', async () => {
    const c = await describe(id);
    return !!c?.LatestRestorableTime && c.LatestRestorableTime.getTime() >= Date.parse(between);
  }, 120_000);

  // Restore the snapshot to a new cluster (its row's Restore… button picks it).
  await page.goto(`/clusters/${REGION}/${id}`);
  await backups.getByTestId(`snapshot-row-${snapId}`).getByRole('button', { name: `Restore ${snapId} to a new cluster` }).click();
  const rs = backups.getByRole('form', { name: 'Restore a snapshot to a new cluster' });
  await expect(rs.getByLabel('Snapshot')).toHaveValue(snapId);
  const rsId = `${id}-rs`;
  await rs.getByLabel('New cluster identifier').fill(rsId);
  await rs.getByRole('button', { name: 'Restore snapshot' }).click();
  await expect(rs.getByTestId('form-success')).toContainText(`cluster ${rsId} is being created with 1 instance(s)`, { timeout: 30_000 });

  // Restore to the moment between the rows; first a time after the latest restorable time is refused beside the field.
  await backups.getByRole('button', { name: 'Restore to a point in time…' }).click();
  const rt = backups.getByRole('form', { name: 'Restore to a point in time' });
  const pitrId = `${id}-pitr`;
  await rt.getByLabel('New cluster identifier').fill(pitrId);
  await rt.getByLabel(/^Restore to \(your time zone/).fill(await localInput(page, new Date(Date.now() + 3_600_000).toISOString()));
  await expect(rt.getByTestId('error-rt-restoreTo')).toContainText(`That is after the latest restorable time of ${id}`);
  await rt.getByRole('button', { name: 'Restore to point in time' }).click();
  await expect(rt.getByTestId('error-rt-restoreTo')).toContainText('after the latest restorable time');
  await expect(rt.getByTestId('form-error')).toContainText('Nothing was created');
  await shot(page, 'backups-refused');
  expect(await clusterExists(pitrId)).toBe(false);
  // An identifier that exists: refused beside it, nothing created.
  await rt.getByLabel(/^Restore to \(your time zone/).fill(await localInput(page, between));
  await expect(rt.getByTestId('restore-utc')).toHaveText(`= ${between.replace('.000Z', 'Z')} UTC`);
  await rt.getByLabel('New cluster identifier').fill(id);
  await rt.getByRole('button', { name: 'Restore to point in time' }).click();
  await expect(rt.getByTestId('error-rt-identifier')).toContainText('already exists');
  await rt.getByLabel('New cluster identifier').fill(pitrId);
  await rt.getByRole('button', { name: 'Restore to point in time' }).click();
  await expect(rt.getByTestId('form-success')).toContainText(`cluster ${pitrId} is being created`, { timeout: 30_000 });
  await shot(page, 'backups-restored');

  // The new cluster's page follows its creation live.
  await rt.getByTestId('restored-cluster-link').click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${REGION}/${pitrId}$`));
  await expect(page.getByTestId('cluster-status')).toHaveAttribute('data-status', 'available', { timeout: 90_000 });
  await expect(page.getByTestId(`instance-row-${pitrId}-instance-1`)).toHaveAttribute('data-role', 'writer', { timeout: 90_000 });
  await expect(page.getByTestId('instances-progress')).toHaveCount(0, { timeout: 90_000 });

  // Both are on the fleet page, and hold the first row only.
  await page.goto('/');
  await expect(page.getByRole('link', { name: rsId, exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('link', { name: pitrId, exact: true })).toBeVisible();
  expect(await notesOn(rsId, creds)).toEqual(['before the snapshot']);
  expect(await notesOn(pitrId, creds)).toEqual(['before the snapshot']);

  // The section with both restore forms open: no serious or critical axe violation, light and dark.
  await page.goto(`/clusters/${REGION}/${id}?restore=time`);
  await backups.getByRole('button', { name: 'Restore a snapshot…' }).click();
  await expect(backups.getByRole('form', { name: 'Restore to a point in time' })).toBeVisible();
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
    const { violations } = await new AxeBuilder({ page }).include('[data-testid="backups-section"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${colorScheme} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(bad, bad.join('\n')).toEqual([]);
    await shot(page, `backups-forms-${colorScheme}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });

  // Audited.
  await page.goto(`/audit?target=${pitrId}`);
  await expect(page.getByRole('table').locator('tbody tr').filter({ hasText: 'cluster.restore-to-time' }).first()).toBeVisible();
});

test('an operator takes a snapshot but sees no delete or restore; the PostgreSQL backtrack note links to the point-in-time form', async ({ page }) => {
  test.setTimeout(180_000);
  const id = unique('bk-op');
  await createPgCluster(id);
  await loginAs(page, 'operator');
  await page.goto(`/clusters/${REGION}/${id}`);
  const backups = page.getByTestId('backups-section');
  await expect(backups.getByRole('form', { name: 'Take a snapshot' })).toBeVisible();
  await expect(backups.getByRole('button', { name: 'Restore to a point in time…' })).toHaveCount(0);
  await expect(backups.getByRole('button', { name: /^Delete snapshot/ })).toHaveCount(0);
  await page.getByRole('link', { name: 'Sign out' }).or(page.getByRole('button', { name: 'Sign out' })).first().click();
  await loginAs(page, 'admin');
  await page.goto(`/clusters/${REGION}/${id}`);
  await page.getByTestId('restore-time-link').click();
  await expect(page).toHaveURL(/restore=time/);
  await expect(page.getByRole('form', { name: 'Restore to a point in time' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Restore to a point in time' }).getByLabel(/^Restore to \(your time zone/)).toBeVisible();
});
