import { DescribeDBClustersCommand, FailoverDBClusterCommand, RDSClient } from '@aws-sdk/client-rds';
import { E2E, expect, loginAs, test } from './fixtures';

// The e2e server runs the local endpoint with the demo fleet (profile 'test': failover ~1-2 s).
const rds = (region: string) =>
  new RDSClient({ region, endpoint: E2E.emulatorURL, credentials: { accessKeyId: 'local', secretAccessKey: 'localsecret' } });

async function members(region: string, clusterId: string) {
  const c = (await rds(region).send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }))).DBClusters![0];
  const writer = c.DBClusterMembers!.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;
  const readers = c.DBClusterMembers!.filter((m) => !m.IsClusterWriter).map((m) => m.DBInstanceIdentifier!);
  return { writer, readers, status: c.Status };
}

test('cluster charts draw data points for every reader, and the range changes the period', async ({ page }) => {
  await loginAs(page, 'viewer');
  const { readers } = await members('us-east-1', 'orders-prod');
  expect(readers.length).toBeGreaterThan(0);
  await page.goto('/clusters/us-east-1/orders-prod?range=1h');
  const lag = page.getByTestId('chart-lag');
  await expect(lag).toBeVisible();
  for (const r of readers) {
    const s = lag.locator(`[data-testid="series"][data-series="${r}"]`);
    await expect(s).toBeVisible();
    expect(Number(await s.getAttribute('data-points'))).toBeGreaterThan(30);
  }
  // The SVG lines really are drawn: one path per series, with many segments.
  const paths = lag.locator('path.chart-line');
  await expect(paths.first()).toBeAttached();
  expect(await paths.count()).toBeGreaterThanOrEqual(readers.length + 1);
  expect(((await paths.first().getAttribute('d')) ?? '').split('L').length).toBeGreaterThan(30);
  for (const id of ['commit', 'select', 'dml', 'cpu', 'connections']) await expect(page.getByTestId(`chart-${id}`)).toBeVisible();

  await expect(page.getByTestId('chart-period')).toContainText('period 60 s');
  await page.getByTestId('range-picker').getByRole('button', { name: '1w', exact: true }).click();
  await expect(page).toHaveURL(/range=1w/);
  await expect(page.getByTestId('chart-period')).toContainText('period 900 s');
  const points = Number((await page.getByTestId('chart-period').textContent())!.match(/(\d+) points/)![1]);
  expect(points).toBeGreaterThan(100);
  expect(points).toBeLessThanOrEqual(1000);
});

test('a bad range shows a message in the charts’ place and the page stays usable', async ({ page }) => {
  await loginAs(page, 'viewer');
  await page.goto('/clusters/us-east-1/orders-prod?start=2026-05-02T10:00Z&end=2026-05-01T10:00Z');
  await expect(page.getByTestId('chart-error')).toContainText('end of the range must be after its start');
  await expect(page.getByTestId('range-picker')).toBeVisible();
  await page.getByTestId('range-picker').getByRole('button', { name: '3h', exact: true }).click();
  await expect(page.getByTestId('chart-lag')).toBeVisible();
});

test('after a failover on the local endpoint, a marker appears and the lag chart spikes', async ({ page }) => {
  await loginAs(page, 'viewer');
  const region = 'eu-west-1';
  const clusterId = 'catalog-pg';
  const before = await members(region, clusterId);
  const target = before.readers[0];
  await rds(region).send(new FailoverDBClusterCommand({ DBClusterIdentifier: clusterId, TargetDBInstanceIdentifier: target }));
  await expect.poll(async () => (await members(region, clusterId)).writer, { timeout: 30_000 }).toBe(target);

  // Reload until the event feed (cached briefly, like the RDS console's) shows the completed failover.
  await expect
    .poll(
      async () => {
        await page.goto(`/clusters/${region}/${clusterId}?range=1h`);
        // The charts arrive after the page itself (their code loads beside it): count once they are drawn.
        await expect(page.getByTestId('chart-period')).toBeVisible();
        return page.getByTestId('marker-legend').locator(`li[data-kind="failover"]`, { hasText: target }).count();
      },
      { timeout: 60_000, intervals: [2_000, 5_000] },
    )
    .toBeGreaterThan(0);
  const lag = page.getByTestId('chart-lag');
  await expect(lag.getByTestId('chart-marker').and(lag.locator('[data-kind="failover"]')).first()).toBeAttached();

  // The spike: the cluster maximum around the failover is far above its typical value.
  const res = await page.request.get(`/api/metrics/cluster/${region}/${clusterId}?range=1h`);
  expect(res.ok()).toBe(true);
  const body = await res.json();
  const lagPanel: { t: number[]; values: Record<string, (number | null)[]> } = body.panels.find((p: { id: string }) => p.id === 'lag');
  const maxes = lagPanel.values['lag:max'].filter((v): v is number => typeof v === 'number');
  const typical = [...maxes].sort((a, b) => a - b)[Math.floor(maxes.length / 2)];
  expect(Math.max(...maxes.slice(-5))).toBeGreaterThan(5 * typical);
  // The promoted instance is now labelled writer in the per-instance charts.
  await expect(page.getByTestId('chart-cpu').locator(`[data-series="${target}"]`)).toContainText('reader → writer');
});

test('the fleet health page shows every demo cluster with a sparkline', async ({ page }) => {
  await loginAs(page, 'viewer');
  await page.goto('/health');
  const table = page.getByTestId('fleet-health');
  for (const id of ['orders-prod', 'analytics-pg', 'billing', 'orders-eu', 'catalog-pg']) {
    const row = table.locator(`[data-testid="fleet-row"][data-cluster="${id}"]`);
    await expect(row).toBeVisible();
    // Commit throughput is reported for every cluster (a writer always exists).
    const spark = row.getByTestId('sparkline');
    await expect(spark.first()).toBeVisible();
    expect(Number(await spark.last().getAttribute('data-points'))).toBeGreaterThan(30);
  }
  // Clusters with readers have a lag sparkline and a coloured worst lag.
  await expect(table.locator('[data-cluster="orders-prod"] [data-testid="worst-lag"]')).toContainText(/ms|s$/);
  await expect(table.locator('[data-cluster="orders-prod"]').getByTestId('sparkline')).toHaveCount(2);
  // Filter by engine through the URL.
  await page.goto('/health?engine=aurora-postgresql');
  await expect(table.locator('[data-cluster="catalog-pg"]')).toBeVisible();
  await expect(table.locator('[data-cluster="analytics-pg"]')).toBeVisible();
  await expect(table.locator('[data-cluster="orders-prod"]')).toHaveCount(0);
});

test('hovering a chart shows exact values and roles; clicking a moment (or Enter) pre-fills the backtrack form', async ({ page }) => {
  await loginAs(page, 'admin');
  await page.goto('/clusters/us-east-1/orders-prod?range=1h');
  const chart = page.getByTestId('chart-commit');
  const plot = chart.getByRole('application', { name: /series from/ });
  await plot.scrollIntoViewIfNeeded();
  const box = (await plot.boundingBox())!;
  const at = { x: Math.round(box.width * 0.6), y: Math.round(box.height / 2) };
  const tip = chart.getByTestId('chart-tooltip');
  // Hover until the chart is hydrated and answers the pointer.
  await expect(async () => {
    await plot.hover({ position: { x: at.x - 5, y: at.y } });
    await plot.hover({ position: at });
    await expect(tip).toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(tip).toBeVisible();
  await expect(tip).toContainText('(writer)');
  await expect(tip).toContainText('/s');
  await expect(tip).toContainText('Click to backtrack to this moment');
  const shown = (await tip.textContent())!.match(/(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) UTC/)!;

  await plot.click({ position: at });
  await expect(page).toHaveURL(/backtrackTo=/);
  const form = page.getByRole('form', { name: 'Backtrack the cluster' });
  await expect(form.getByTestId('backtrack-utc')).toContainText(`${shown[1]}T${shown[2]}Z`);

  // Keyboard: with the mouse off the chart (a pointer resting on it keeps the tooltip where it points),
  // focus the chart (the cursor starts on the first sample), step two samples right and pick that moment
  // with Enter: the form follows.
  await page.mouse.move(0, 0);
  await plot.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(tip).toBeVisible();
  const picked = (await tip.textContent())!.match(/(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) UTC/)!;
  expect(picked[0]).not.toBe(shown[0]);
  await page.keyboard.press('Enter');
  await expect(form.getByTestId('backtrack-utc')).toContainText(`${picked[1]}T${picked[2]}Z`);
  // Keyboard focus follows to the pre-filled time, so the next Tab continues in the form.
  await expect(form.getByLabel(/^Backtrack to/)).toBeFocused();
});

test('clicking an instance in a legend shows only that instance in every chart, and back', async ({ page }) => {
  await loginAs(page, 'viewer');
  await page.goto('/clusters/us-east-1/orders-prod?range=1h');
  const { readers } = await members('us-east-1', 'orders-prod');
  const reader = readers[0];
  const cpu = page.getByTestId('chart-cpu');
  const lag = page.getByTestId('chart-lag');
  await expect(cpu.locator('path.chart-line')).toHaveCount(3);
  const entry = cpu.getByRole('button', { name: new RegExp(`^${reader} `) });
  await expect(async () => {
    await entry.click();
    await expect(page.getByTestId('isolated')).toContainText(reader, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(entry).toHaveAttribute('aria-pressed', 'true');
  // Every panel: that instance's line only; the lag chart keeps the cluster maximum.
  await expect(cpu.locator('path.chart-line')).toHaveCount(1);
  await expect(cpu.locator(`path.chart-line[data-line="${reader}"]`)).toHaveCount(1);
  await expect(page.getByTestId('chart-commit').locator('path.chart-line')).toHaveCount(1);
  await expect(lag.locator('path.chart-line')).toHaveCount(2);
  await expect(lag.locator('path.chart-line[data-line="lag:max"]')).toHaveCount(1);
  await page.getByRole('button', { name: 'Show all instances' }).click();
  await expect(cpu.locator('path.chart-line')).toHaveCount(3);
  await expect(page.getByTestId('isolated')).toHaveCount(0);
});

test('a viewer sees tooltips but no backtrack picking', async ({ page }) => {
  await loginAs(page, 'viewer');
  await page.goto('/clusters/us-east-1/orders-prod?range=3h');
  const chart = page.getByTestId('chart-lag');
  const plot = chart.getByRole('application', { name: /series from/ });
  await plot.scrollIntoViewIfNeeded();
  const tip = chart.getByTestId('chart-tooltip');
  await expect(async () => {
    await plot.hover({ position: { x: 200, y: 60 } });
    await plot.hover({ position: { x: 205, y: 60 } });
    await expect(tip).toContainText('(reader)', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(tip).not.toContainText('Click to backtrack');
  await plot.click({ position: { x: 205, y: 60 } });
  await expect(page.getByText('Click a moment on any chart')).toHaveCount(0);
  await expect(page).not.toHaveURL(/backtrackTo=/);
});

test.describe('on a touch screen', () => {
  test.use({ hasTouch: true, viewport: { width: 820, height: 1000 } });

  test('charts fit a narrow screen and follow a resize; the first tap shows values, a second tap picks', async ({ page }) => {
    await loginAs(page, 'admin');
    await page.goto('/clusters/us-east-1/orders-prod?range=1h');
    const chart = page.getByTestId('chart-commit');
    const plot = chart.getByRole('application', { name: /series from/ });
    await plot.scrollIntoViewIfNeeded();
    const wide = (await plot.boundingBox())!;
    expect(wide.x + wide.width).toBeLessThanOrEqual(820);
    await page.setViewportSize({ width: 600, height: 1000 });
    await expect.poll(async () => (await plot.boundingBox())!.width).toBeLessThan(wide.width - 100);
    const narrow = (await plot.boundingBox())!;
    expect(narrow.x + narrow.width).toBeLessThanOrEqual(600);

    const at = { x: Math.round(narrow.width * 0.5), y: Math.round(narrow.height / 2) };
    const tip = chart.getByTestId('chart-tooltip');
    await expect(async () => {
      await plot.tap({ position: at });
      await expect(tip).toContainText('UTC', { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(page).not.toHaveURL(/backtrackTo=/);
    await plot.tap({ position: at });
    await expect(page).toHaveURL(/backtrackTo=/);
  });
});
