import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import type { Page } from '@playwright/test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { E2E, expect, loginAs, test } from './fixtures';

// The tutorial path in the browser: create → watch it become available → endpoints → readers → remove → events + audit.
// The e2e server runs the local endpoint with profile 'test' (transitions take ~1-2 s) and real engines: a new
// cluster's endpoints are loopback addresses a stock client connects to (MariaDB from Debian, PostgreSQL from npm).

const REGION = 'us-east-1';
const rds = new RDSClient({ region: REGION, endpoint: E2E.emulatorURL, credentials: { accessKeyId: 'local', secretAccessKey: 'localsecret' } });
const instancesOf = async (clusterId: string) =>
  ((await rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [clusterId] }] }))).DBInstances ?? []).map(
    (i) => i.DBInstanceIdentifier,
  );
const unique = (p: string) => `${p}-${Date.now().toString(36)}`;

async function fillCreate(page: Page, o: { id: string; engine: 'aurora-mysql' | 'aurora-postgresql'; password?: string; backtrack?: string; multiAZ?: boolean }) {
  await page.goto('/clusters/new');
  // The shell's region switcher is also labelled Region: use the form's own field.
  await page.getByRole('form', { name: 'Create cluster' }).getByLabel('Region').selectOption(REGION);
  await page.getByLabel('Engine', { exact: true }).selectOption(o.engine);
  // Versions and classes are refetched for the engine.
  await expect(page.getByLabel('Engine version').locator('option').first()).toBeAttached();
  await expect(page.getByLabel('Instance class').locator('option').first()).toBeAttached();
  await page.getByLabel('Cluster identifier').fill(o.id);
  await page.getByLabel('Master password', { exact: true }).fill(o.password ?? 'Tutorial-Passw0rd');
  if (o.backtrack !== undefined) await page.getByLabel('Backtrack window (hours)').fill(o.backtrack);
  const multi = page.getByLabel(/Multi-AZ/);
  if (o.multiAZ === false) await multi.uncheck();
  else await multi.check();
}

test('tutorial: create Aurora MySQL Multi-AZ, watch it come up, endpoints, readers to 3, remove one, events and audit', async ({ page }) => {
  test.setTimeout(120_000);
  const id = unique('tut-mysql');
  await loginAs(page, 'admin');
  await page.goto('/');
  await page.getByRole('link', { name: 'Create cluster' }).click();
  await expect(page).toHaveURL(/\/clusters\/new/);
  await fillCreate(page, { id, engine: 'aurora-mysql', backtrack: '24' });
  await page.getByLabel('Tags').fill('team=tutorial');
  await page.getByRole('button', { name: 'Create cluster' }).click();

  // Redirected to the cluster page; it becomes available without a reload.
  await expect(page).toHaveURL(new RegExp(`/clusters/${REGION}/${id}$`), { timeout: 20_000 });
  await expect(page.getByTestId('cluster-status')).toHaveAttribute('data-status', 'available', { timeout: 30_000 });
  await expect(page.getByTestId('instances-progress')).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByRole('table', { name: 'Instances' }).getByText('Writer', { exact: true })).toBeVisible();
  await expect(page.getByTestId(`instance-row-${id}-instance-2`)).toHaveAttribute('data-role', 'reader');

  // Endpoints and the ready-to-paste command: loopback addresses of the real engine, and they work.
  await expect(page.getByTestId('writer-endpoint')).toHaveText(/^127\.0\.\d+\.1$/);
  await expect(page.getByTestId('reader-endpoint')).toHaveText(/^127\.0\.\d+\.2$/);
  const writer = (await page.getByTestId('writer-endpoint').textContent())!;
  const port = (await page.getByTestId('cluster-port').textContent())!;
  expect(port).toMatch(/^\d+$/);
  await expect(page.getByTestId('connect-command')).toHaveText(`mysql -h ${writer} -P ${port} -u admin -p`);
  await expect(page.getByTestId('connect-real')).toContainText('A real MariaDB');
  const db = await mysql.createConnection({ host: writer, port: Number(port), user: 'admin', password: 'Tutorial-Passw0rd' });
  await db.query('CREATE DATABASE myapp');
  await db.query('USE myapp');
  await db.query('CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100), email VARCHAR(100))');
  await db.query("INSERT INTO users (name, email) VALUES ('John Doe', 'john@example.com')");
  const [rows] = await db.query('SELECT name FROM users');
  expect(rows).toEqual([{ name: 'John Doe' }]);
  await db.end();
  await expect(page.getByTestId('config-backtrack-window')).toHaveText('24 h');

  // Add a reader → 3 instances.
  const add = page.getByRole('form', { name: 'Add reader' });
  await expect(add.getByLabel('Reader identifier')).toHaveValue(`${id}-instance-3`);
  await add.getByLabel('Promotion tier').fill('2');
  await add.getByRole('button', { name: 'Add reader' }).click();
  await expect(add.getByTestId('form-success')).toContainText(`${id}-instance-3`);
  await expect(page.getByRole('table', { name: 'Instances' }).locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('instances-progress')).toHaveCount(0, { timeout: 30_000 });
  expect((await instancesOf(id)).sort()).toEqual([`${id}-instance-1`, `${id}-instance-2`, `${id}-instance-3`]);

  // Remove one reader.
  const row = page.getByTestId(`instance-row-${id}-instance-2`);
  await row.getByRole('button', { name: `Remove reader ${id}-instance-2` }).click();
  await row.getByRole('button', { name: `Confirm removing ${id}-instance-2` }).click();
  await expect(page.getByTestId(`instance-row-${id}-instance-2`)).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByRole('table', { name: 'Instances' }).locator('tbody tr')).toHaveCount(2);

  // Each step in the events list…
  const events = page.getByRole('table', { name: 'Recent events' });
  await expect(events).toContainText(`${id}-instance-3`, { timeout: 20_000 });
  await expect(events.locator('tr', { hasText: `${id}-instance-2` }).filter({ hasText: /deleted/i })).not.toHaveCount(0, { timeout: 20_000 });
  await expect(events.locator('tr', { hasText: id }).filter({ hasText: /created/i }).first()).toBeVisible();

  // …and in the audit log.
  await page.goto('/audit');
  // The action filter's <select> lists every action name too: look in the audit table's rows.
  const auditRows = page.getByRole('table').locator('tbody tr');
  for (const action of ['cluster.create', 'instance.create', 'instance.delete']) {
    await expect(auditRows.filter({ hasText: action }).filter({ hasText: id }).first()).toBeVisible();
  }
});

test('create Aurora PostgreSQL: the psql command reaches its real engine, no backtrack', async ({ page }) => {
  const id = unique('tut-pg');
  await loginAs(page, 'admin');
  await fillCreate(page, { id, engine: 'aurora-postgresql', multiAZ: false });
  await expect(page.getByLabel('Backtrack window (hours)')).toBeDisabled();
  await expect(page.getByText('Backtrack is available only for Aurora MySQL.')).toBeVisible();
  await page.getByRole('button', { name: 'Create cluster' }).click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${REGION}/${id}$`), { timeout: 20_000 });
  await expect(page.getByTestId('cluster-status')).toHaveAttribute('data-status', 'available', { timeout: 30_000 });
  await expect(page.getByTestId('writer-endpoint')).toHaveText(/^127\.0\.\d+\.1$/);
  const writer = (await page.getByTestId('writer-endpoint').textContent())!;
  const port = (await page.getByTestId('cluster-port').textContent())!;
  await expect(page.getByTestId('connect-command')).toHaveText(`psql -h ${writer} -p ${port} -U postgres -d postgres`);
  await expect(page.getByTestId('connect-real')).toContainText('A real PostgreSQL 16');
  const db = new pg.Client({ host: writer, port: Number(port), user: 'postgres', password: 'Tutorial-Passw0rd', database: 'postgres' });
  await db.connect();
  expect((await db.query('SELECT current_user AS u')).rows).toEqual([{ u: 'postgres' }]);
  await db.end();
  await expect(page.getByTestId('config-backtrack-window')).toContainText('not available');
});

test('create form: field errors beside the fields, from the server, nothing created', async ({ page }) => {
  await loginAs(page, 'admin');
  await fillCreate(page, { id: '9-bad--id-', engine: 'aurora-mysql', password: 'short', backtrack: '80' });
  await page.getByLabel('Master username').fill('select');
  // Bypass browser-side constraint checks so the server's validation is what answers.
  await page.locator('form[aria-label="Create cluster"]').evaluate((f) => f.setAttribute('novalidate', ''));
  await page.getByRole('button', { name: 'Create cluster' }).click();
  await expect(page.getByTestId('error-identifier')).toContainText('must start with a letter');
  await expect(page.getByTestId('error-masterPassword')).toContainText('at least 8 characters');
  await expect(page.getByTestId('error-masterUsername')).toContainText('reserved word');
  await expect(page.getByTestId('error-backtrackHours')).toContainText('between 0 and 72');
  await expect(page).toHaveURL(/\/clusters\/new/);
  // A password with a forbidden character.
  await page.getByLabel('Cluster identifier').fill(unique('ok'));
  await page.getByLabel('Master username').fill('admin');
  await page.getByLabel('Master password', { exact: true }).fill('has@sign-12');
  await page.getByLabel('Backtrack window (hours)').fill('1');
  await page.getByRole('button', { name: 'Create cluster' }).click();
  await expect(page.getByTestId('error-masterPassword')).toContainText('must not contain @');
});

test('viewer sees no mutating controls, and a replayed action POST is refused', async ({ browser }) => {
  // Admin: capture the Add reader action request (id + body) on a demo cluster.
  const adminCtx = await browser.newContext();
  const admin = await adminCtx.newPage();
  await loginAs(admin, 'admin');
  const clusterId = 'orders-prod';
  await admin.goto(`/clusters/${REGION}/${clusterId}`);
  const before = await instancesOf(clusterId);
  let captured: { headers: Record<string, string>; body: Buffer | null } | undefined;
  await admin.route(`**/clusters/${REGION}/${clusterId}`, async (route) => {
    const req = route.request();
    if (req.method() === 'POST' && req.headers()['next-action']) {
      captured = { headers: req.headers(), body: req.postDataBuffer() };
      await route.abort();
    } else await route.continue();
  });
  await admin.getByRole('form', { name: 'Add reader' }).getByRole('button', { name: 'Add reader' }).click();
  await expect.poll(() => !!captured).toBe(true);
  await adminCtx.close();

  const viewerCtx = await browser.newContext();
  const viewer = await viewerCtx.newPage();
  await loginAs(viewer, 'viewer');
  await viewer.goto(`/clusters/${REGION}/${clusterId}`);
  await expect(viewer.getByRole('table', { name: 'Instances' })).toBeVisible();
  for (const name of [/^Reboot/, /^Remove reader/, /^Set promotion tier/, 'Add reader', /Delete cluster/]) {
    await expect(viewer.getByRole('button', { name })).toHaveCount(0);
  }
  await expect(viewer.getByRole('form', { name: 'Add reader' })).toHaveCount(0);
  await viewer.goto('/');
  await expect(viewer.getByRole('link', { name: 'Create cluster' })).toHaveCount(0);

  // Replay the admin's action POST with the viewer's session.
  const h = captured!.headers;
  const res = await viewer.request.post(`/clusters/${REGION}/${clusterId}`, {
    headers: { 'next-action': h['next-action'], 'content-type': h['content-type'], accept: 'text/x-component', 'next-router-state-tree': h['next-router-state-tree'] ?? '' },
    data: captured!.body ?? undefined,
  });
  const text = await res.text();
  expect(text).toMatch(/FORBIDDEN|not allowed|permission/i);
  expect((await instancesOf(clusterId)).sort()).toEqual(before.sort());
  await viewerCtx.close();
});
