import { DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import type { Page } from '@playwright/test';
import { E2E, emulator, expect, loginAs, test } from './fixtures';

// The e2e server runs the local endpoint with the demo fleet and profile 'test' (failover ~2 s).
const rds = (region: string) =>
  new RDSClient({ region, endpoint: E2E.emulatorURL, credentials: { accessKeyId: 'local', secretAccessKey: 'localsecret' } });

/** The reader Aurora must promote: lowest promotion tier, ties → larger class; read straight from the endpoint. */
async function expectedAuroraChoice(region: string, clusterId: string) {
  const c = (await rds(region).send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }))).DBClusters![0];
  const inst = (await rds(region).send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [clusterId] }] }))).DBInstances!;
  const size = (cls: string) => {
    const s = cls.split('.').pop()!;
    const m = /^(\d+)xlarge$/.exec(s);
    return m ? 4 + Number(m[1]) : ['micro', 'small', 'medium', 'large', 'xlarge'].indexOf(s);
  };
  const readers = c.DBClusterMembers!.filter((m) => !m.IsClusterWriter).map((m) => ({
    id: m.DBInstanceIdentifier!,
    tier: m.PromotionTier ?? 1,
    size: size(inst.find((i) => i.DBInstanceIdentifier === m.DBInstanceIdentifier)!.DBInstanceClass!),
  }));
  readers.sort((a, b) => a.tier - b.tier || b.size - a.size);
  const writer = c.DBClusterMembers!.find((m) => m.IsClusterWriter)!.DBInstanceIdentifier!;
  return { writer, best: readers[0], tiesAtBest: readers.filter((r) => r.tier === readers[0].tier && r.size === readers[0].size).map((r) => r.id) };
}

async function openFailover(page: Page, clusterId: string) {
  const row = page.getByTestId(`oncall-row-${clusterId}`);
  await row.getByRole('button', { name: /Fail over/ }).click();
  const dialog = page.getByRole('dialog', { name: new RegExp(`Fail over ${clusterId}`) });
  await expect(dialog).toBeVisible();
  return dialog;
}

test('on-call page lists every cluster, trouble first, with writer, readers and lag', async ({ page }) => {
  await loginAs(page, 'operator');
  await page.goto('/oncall');
  for (const id of ['orders-prod', 'analytics-pg', 'billing', 'orders-eu', 'catalog-pg']) {
    await expect(page.getByTestId(`oncall-row-${id}`)).toBeVisible();
  }
  await expect(page.getByTestId('oncall-row-billing')).toContainText('one instance: no failover');
  await expect(page.getByTestId('oncall-row-orders-prod').getByTestId('oncall-lag')).toHaveText(/lag|no lag data/);
});

test('fail over a three-instance cluster letting Aurora choose, then to a chosen reader', async ({ page }) => {
  await loginAs(page, 'operator');
  await page.goto('/oncall');
  const before = await expectedAuroraChoice('us-east-1', 'orders-prod');

  let dialog = await openFailover(page, 'orders-prod');
  await expect(dialog.getByRole('radio', { name: /Let Aurora choose/ })).toBeChecked();
  await dialog.getByLabel(/to confirm/).fill('orders-prod');
  await dialog.getByLabel(/Reason/).fill('e2e: rehearsal');
  await dialog.getByRole('button', { name: 'Fail over now' }).click();
  await expect(dialog.getByTestId('failover-message')).toContainText('Failover of orders-prod started');
  const timeline = dialog.getByTestId('failover-timeline');
  await expect(timeline.getByTestId('failover-duration')).toHaveText(/\d+(\.\d)? s/, { timeout: 30_000 });
  const newWriter = (await timeline.getByTestId('new-writer').textContent())!;
  expect(before.tiesAtBest).toContain(newWriter);
  await expect(timeline.getByTestId('failover-writers')).toContainText(`${before.writer} → ${newWriter}`);
  await dialog.getByRole('button', { name: 'Close' }).click();

  // Now promote a specific reader: the previous writer (a reader again).
  await page.reload();
  await expect(page.getByTestId('oncall-row-orders-prod').getByTestId('oncall-writer')).toHaveText(newWriter);
  dialog = await openFailover(page, 'orders-prod');
  await dialog.getByRole('radio', { name: new RegExp(`^${before.writer} `) }).check();
  await dialog.getByLabel(/to confirm/).fill('orders-prod');
  await dialog.getByRole('button', { name: 'Fail over now' }).click();
  await expect(dialog.getByTestId('failover-message')).toContainText(`promoting ${before.writer}`);
  await expect(dialog.getByTestId('new-writer')).toHaveText(before.writer, { timeout: 30_000 });
  await expect(dialog.getByTestId('failover-duration')).toBeVisible();
});

test('a second failover while one is in progress is refused (second tab)', async ({ page, context }) => {
  // A slower failover on the local endpoint, so the second tab surely lands while the first is running.
  const { durations } = (await emulator('config/durations')) as { durations: Record<string, number> };
  await emulator('config/durations', { failover: 12_000 });
  try {
    await loginAs(page, 'operator');
    const second = await context.newPage();
    await page.goto('/oncall');
    await second.goto('/oncall');
    const d1 = await openFailover(page, 'orders-eu');
    const d2 = await openFailover(second, 'orders-eu');
    await d1.getByLabel(/to confirm/).fill('orders-eu');
    await d2.getByLabel(/to confirm/).fill('orders-eu');
    await d1.getByRole('button', { name: 'Fail over now' }).click();
    await expect(d1.getByTestId('failover-message')).toBeVisible();
    await d2.getByRole('button', { name: 'Fail over now' }).click();
    await expect(d2.getByTestId('failover-error')).toContainText(/A failover of orders-eu is already in progress/);
    await expect(d2.getByTestId('failover-error')).toContainText('operator1');
    // The first one still completes.
    await expect(d1.getByTestId('failover-duration')).toBeVisible({ timeout: 45_000 });
  } finally {
    await emulator('config/durations', { failover: durations.failover });
  }
});

test('a wrong typed identifier is refused and a viewer gets no failover button', async ({ page, browser }) => {
  await loginAs(page, 'operator');
  await page.goto('/oncall');
  const d = await openFailover(page, 'catalog-pg');
  await d.getByLabel(/to confirm/).fill('catalog');
  await d.getByRole('button', { name: 'Fail over now' }).click();
  await expect(d.getByTestId('failover-error')).toContainText('Type the cluster identifier "catalog-pg"');

  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await loginAs(viewer, 'viewer');
  await viewer.goto('/oncall');
  await expect(viewer.getByTestId('oncall-row-orders-prod')).toBeVisible();
  await expect(viewer.getByRole('button', { name: /Fail over/ })).toHaveCount(0);
  await viewerContext.close();
});
