import { CreateDBClusterCommand, CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import type { Page } from '@playwright/test';
import { E2E, expect, localTimeAgo, loginAs, test } from './fixtures';

// The tutorial path as a new user walks it, one rough edge per test (each on a cluster of its own, so the demo
// fleet is untouched). The e2e server runs the local endpoint with profile 'test' (transitions take ~1-2 s).

const REGION = 'us-east-1';
const rds = new RDSClient({ region: REGION, endpoint: E2E.emulatorURL, credentials: { accessKeyId: 'local', secretAccessKey: 'localsecret' } });
const unique = (p: string) => `${p}-${Date.now().toString(36)}`;
/** Screenshots for the change's note, only when SHOTS_DIR is set (never in the repository). */
const shot = async (page: Page, name: string) => {
  if (process.env.SHOTS_DIR) await page.screenshot({ path: `${process.env.SHOTS_DIR}/${name}.png`, fullPage: false });
};

/** A new Aurora MySQL cluster made at the endpoint: a writer and `readers` readers, backtrack window 24 h. */
async function newCluster(prefix: string, readers = 0) {
  const id = unique(prefix);
  await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: 'aurora-mysql', MasterUsername: 'dbadmin', MasterUserPassword: 'Newcomer-Passw0rd', BacktrackWindow: 86_400 }));
  for (let n = 1; n <= readers + 1; n++) {
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: `${id}-instance-${n}`, DBClusterIdentifier: id, Engine: 'aurora-mysql', DBInstanceClass: 'db.r6g.large' }));
  }
  return id;
}

async function openCluster(page: Page, id: string) {
  await page.goto(`/clusters/${REGION}/${id}`);
  await expect(page.getByTestId('cluster-status')).toHaveAttribute('data-status', 'available', { timeout: 30_000 });
  for (const row of await page.getByRole('table', { name: 'Instances' }).locator('tbody tr').all()) {
    await expect(row.locator('[data-status]').first()).toHaveAttribute('data-status', 'available', { timeout: 30_000 });
  }
}


test('1. backtrack on a new cluster: a time before its history is clamped with a sentence; the chart hint needs data', async ({ page }) => {
  test.setTimeout(120_000);
  const id = await newCluster('nc-bt');
  await loginAs(page, 'admin');
  await openCluster(page, id);

  // The chart-click hint shows only when some chart has points to click.
  const metrics = page.getByRole('region', { name: 'Metrics' });
  await expect(metrics.getByRole('heading', { level: 3 }).first()).toBeVisible({ timeout: 30_000 });
  const charts = await metrics.getByRole('heading', { level: 3 }).count();
  const empty = await metrics.getByTestId('chart-empty').count();
  if (empty === charts) await expect(metrics.getByTestId('chart-pick-hint')).toHaveCount(0);
  else await expect(metrics.getByTestId('chart-pick-hint')).toBeVisible();

  // "A few minutes ago" is before the new cluster's earliest backtrack time: the form says so at once, with the answer.
  const form = page.getByRole('form', { name: 'Backtrack the cluster' });
  const box = form.getByRole('checkbox', { name: /go back to the earliest time instead/ });
  await form.getByLabel(/^Backtrack to/).fill(await localTimeAgo(page, 10 * 60_000));
  await expect(form.getByTestId('backtrack-clamped')).toContainText('before the earliest backtrack time');
  await expect(form.getByTestId('backtrack-clamped')).toContainText('Tick the box below to go back to the earliest time instead');
  await box.check();
  await expect(form.getByTestId('backtrack-clamped')).toContainText('will go back to the earliest backtrack time instead');
  await shot(page, 'item1-after-clamped');

  // A time inside the window needs no sentence.
  await form.getByLabel(/^Backtrack to/).fill(await localTimeAgo(page, 1_000));
  await expect(form.getByTestId('backtrack-clamped')).toHaveCount(0);

  // Clamped, the request is accepted (recorded for a second admin), not refused.
  await form.getByLabel(/^Backtrack to/).fill(await localTimeAgo(page, 10 * 60_000));
  await expect(box).toBeChecked();
  await form.getByLabel(/to confirm/).fill(id);
  await form.getByRole('button', { name: 'Backtrack' }).click();
  await expect(form.getByTestId('backtrack-message')).toContainText('another admin must approve');
  await expect(form.getByTestId('backtrack-error')).toHaveCount(0);
});

test('2. the requester sees their backtrack approved and run, and /approvals moves it out of Pending without a reload', async ({ page, browser }) => {
  test.setTimeout(150_000);
  const id = await newCluster('nc-appr');
  await loginAs(page, 'admin');
  await openCluster(page, id);
  await page.waitForTimeout(1_500); // a moment of history after creation, inside the backtrack window
  const form = page.getByRole('form', { name: 'Backtrack the cluster' });
  await form.getByLabel(/^Backtrack to/).fill(await localTimeAgo(page, 500));
  await form.getByLabel(/to confirm/).fill(id);
  await form.getByRole('button', { name: 'Backtrack' }).click();
  await expect(form.getByTestId('backtrack-message')).toContainText('another admin must approve');
  await shot(page, 'item2-after-requested');

  const ctx2 = await browser.newContext();
  const admin2 = await ctx2.newPage();
  await loginAs(admin2, 'admin2');
  await admin2.goto('/approvals');
  const pendingHeading = admin2.getByRole('heading', { name: /^Pending/ });
  const before = Number(/\((\d+)\)/.exec((await pendingHeading.textContent())!)![1]);
  const req = admin2.getByTestId('approval-pending').filter({ hasText: `Backtrack ${id}` });
  await req.getByRole('button', { name: /^Approve/ }).click();
  await expect(req.getByTestId('approval-message')).toContainText('Approved');
  // Without a reload: it leaves Pending and is listed under Recent decisions.
  await expect(admin2.getByTestId('approval-pending').filter({ hasText: `Backtrack ${id}` })).toHaveCount(0, { timeout: 15_000 });
  await expect(pendingHeading).toHaveText(`Pending (${before - 1})`);
  await expect(admin2.getByTestId('approval-decided').filter({ hasText: `Backtrack ${id}` })).toBeVisible();
  await shot(admin2, 'item2-after-approvals');
  await ctx2.close();

  // The requester's page, never reloaded: the message says it was approved, the history shows it completed.
  await expect(form.getByTestId('backtrack-message')).toContainText('Approved by admin2', { timeout: 20_000 });
  await expect(form.getByTestId('backtrack-message')).not.toContainText('another admin must approve');
  await expect(page.getByTestId('backtrack-history').getByTestId('backtrack-status').first()).toHaveText('completed', { timeout: 30_000 });
  await shot(page, 'item2-after-requester');
});

test('3 + 4. the failover dialog on the cluster page shows each reader’s lag, and after success the outcome, not a new form', async ({ page }) => {
  test.setTimeout(120_000);
  const id = await newCluster('nc-fo', 1);
  await loginAs(page, 'operator');
  await openCluster(page, id);
  await page.getByRole('button', { name: `Fail over ${id}` }).click();
  const dialog = page.getByRole('dialog', { name: new RegExp(`Fail over ${id}`) });
  await expect(dialog).toBeVisible();
  // Item 4: the reader's lag reads like on /oncall (a value, or "no lag data"), never "lag unavailable".
  const reader = dialog.getByRole('radio', { name: new RegExp(`^${id}-instance-2 `) });
  await expect(reader).toBeVisible();
  await expect(dialog.getByText(/ms lag|s lag|no lag data/)).toBeVisible();
  await expect(dialog).not.toContainText('lag unavailable');
  await shot(page, 'item4-after-lag');

  // Item 3: after success the dialog shows what happened and the timeline; no second "Fail over now".
  await dialog.getByLabel(/to confirm/).fill(id);
  await dialog.getByRole('button', { name: 'Fail over now' }).click();
  await expect(dialog.getByTestId('failover-message')).toContainText(`Failover of ${id} started`);
  await expect(dialog.getByTestId('failover-message')).not.toContainText('Follow it on the cluster page');
  await expect(dialog.getByRole('button', { name: 'Fail over now' })).toHaveCount(0);
  await expect(dialog.getByLabel(/to confirm/)).toHaveCount(0);
  await expect(dialog.getByRole('link', { name: 'Open the cluster page' })).toHaveCount(0);
  await expect(dialog.getByTestId('failover-duration')).toBeVisible({ timeout: 30_000 });
  await shot(page, 'item3-after-outcome');
  // Reopened, it is a fresh form again.
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: `Fail over ${id}` }).click();
  await expect(dialog.getByRole('button', { name: 'Fail over now' })).toBeVisible();
});

test('5. one cluster, one truth: header, topology and messages agree while a reader is added; the poller stops after deletion', async ({ page }) => {
  test.setTimeout(150_000);
  const id = await newCluster('nc-live', 1);
  await loginAs(page, 'admin');
  await openCluster(page, id);
  const rows = page.getByRole('table', { name: 'Instances' }).locator('tbody tr');
  const header = page.locator('#failover');
  await expect(header).toContainText('2 instances');

  const add = page.getByRole('form', { name: 'Add reader' });
  await add.getByRole('button', { name: 'Add reader' }).click();
  await expect(add.getByTestId('form-success')).toContainText(`Reader ${id}-instance-3 is being created`);
  // The moment the topology lists 3, so does the failover header (same source).
  await expect(rows).toHaveCount(3, { timeout: 15_000 });
  await expect(header).toContainText('3 instances');
  // Once the reader is available, the message says so (no stale "being created").
  await expect(page.getByTestId(`instance-row-${id}-instance-3`).locator('[data-status]').first()).toHaveAttribute('data-status', 'available', { timeout: 30_000 });
  await expect(add.getByTestId('form-success')).toHaveText(`Reader ${id}-instance-3 is available.`);

  // Delete it (skip the final snapshot) and approve as a second admin; the page then says it is gone and stops polling.
  const requests: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes(`/api/clusters/${REGION}/${id}`) || r.url().includes(`/api/oncall/${REGION}/${id}`)) requests.push(r.url());
  });
  const del = page.getByRole('region', { name: 'Delete cluster' });
  await del.getByRole('button', { name: 'Delete cluster…' }).click();
  const form = del.getByRole('form', { name: 'Delete cluster' });
  await form.getByLabel(/skip/i).check();
  await form.getByLabel(/to confirm/i).fill(id);
  await form.getByRole('button', { name: /Delete/ }).click();
  await expect(del.getByTestId('form-success')).toBeVisible();
  const ctx2 = await page.context().browser()!.newContext();
  const admin2 = await ctx2.newPage();
  await loginAs(admin2, 'admin2');
  await admin2.goto('/approvals');
  const req = admin2.getByTestId('approval-pending').filter({ hasText: id });
  if (await req.count()) await req.getByRole('button', { name: /^Approve/ }).click();
  await ctx2.close();
  await expect(page.getByTestId('cluster-gone')).toContainText('no longer exists', { timeout: 60_000 });
  const seen = requests.length;
  await page.waitForTimeout(6_000);
  expect(requests.length, 'no request for the deleted cluster after the page said it is gone').toBe(seen);
});

test('6. words and small things: plain rule names, distinct Region labels, a favicon, the whole writer name on a phone', async ({ page, request }) => {
  await loginAs(page, 'admin');
  await page.goto('/approvals');
  await expect(page.getByText(/Two-person rule on for: Backtrack, Delete cluster, Global failover with data loss\./)).toBeVisible();
  await expect(page.locator('main')).not.toContainText('clusterDelete');

  await page.goto('/clusters/new');
  await expect(page.getByLabel('Show the fleet of region')).toHaveCount(1);
  await expect(page.getByLabel('Region', { exact: true })).toHaveCount(1);

  expect((await request.get('/favicon.ico')).status()).toBe(200);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/oncall');
  const writer = page.getByTestId('oncall-row-orders-prod').getByTestId('oncall-writer');
  await expect(writer).toBeVisible();
  const clipped = await writer.evaluate((el) => {
    const box = el.parentElement!;
    return box.scrollWidth > box.clientWidth + 1 || getComputedStyle(box).textOverflow === 'ellipsis';
  });
  expect(clipped, 'the writer name is shown whole at 390 px').toBe(false);
});

test('8. the Connect panel says a simulated host does not resolve from this machine', async ({ page }) => {
  const id = await newCluster('nc-conn');
  await loginAs(page, 'viewer');
  await openCluster(page, id);
  const connect = page.getByRole('region', { name: 'Connect' });
  const endpoint = (await connect.getByTestId('writer-endpoint').textContent())!;
  if (/\.rds\.amazonaws\.com$/.test(endpoint)) {
    await expect(connect.getByTestId('connect-simulated')).toContainText('does not resolve from this machine');
    await expect(connect.getByTestId('connect-simulated')).toContainText('simulated');
  } else {
    // A real engine on a loopback address: the command works as shown, no note.
    await expect(connect.getByTestId('connect-simulated')).toHaveCount(0);
  }
});
