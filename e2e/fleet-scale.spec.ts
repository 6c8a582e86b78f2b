import type { Page } from '@playwright/test';
import { E2E, emulator, expect, test } from './fixtures';

// A big fleet on the shared endpoint: 1,000 simulated clusters (prefix "scale") over both regions, removed again
// afterwards so the other specs see the demo fleet as before.
const PREFIX = 'scale';

/** Sign in through the form as fixtures.loginAs does, allowing for the first listing of the big fleet (every page of it). */
async function loginAs(page: Page, who: 'viewer') {
  const u = E2E.users[who];
  await page.goto('/login');
  await page.getByLabel('Username').fill(u.username);
  await page.getByLabel('Password').fill(u.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toContainText(u.username, { timeout: 60_000 });
}

test.describe('a fleet of 1,000 clusters', () => {
  test.describe.configure({ mode: 'serial' });
  test.beforeAll(async () => {
    await emulator('seed', { size: 1000, maxInstances: 1, prefix: PREFIX, regions: ['us-east-1', 'eu-west-1'] });
  });
  test.afterAll(async () => {
    await emulator('seed/remove', { prefix: PREFIX, regions: ['us-east-1', 'eu-west-1'] });
    // The console serves a region's listing for up to 15 s while idle: let it forget the big fleet.
    await new Promise((r) => setTimeout(r, 16_000));
  });

  test('the fleet page shows one page of 50 at a time, with the filters and the page in the URL', async ({ page }) => {
    test.setTimeout(240_000);
    await loginAs(page, 'viewer');
    // The console shares a listing for up to 15 s: wait until it has seen the new fleet.
    await expect(async () => {
      await page.goto('/');
      await expect(page.getByTestId('pager-range')).toContainText(/of 1,0\d\d$/, { timeout: 1_000 });
    }).toPass({ timeout: 90_000 });
    await expect(page.getByTestId('fleet-table').locator('tbody tr')).toHaveCount(50);

    // Search + engine through the form: the URL carries them, every row matches, sorted by name.
    await page.getByLabel('Search').fill('scale-01');
    await page.getByLabel('Engine').selectOption('aurora-postgresql');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(/[?&]q=scale-01(&|$)/);
    await expect(page).toHaveURL(/engine=aurora-postgresql/);
    const rows = page.getByTestId('fleet-table').locator('tbody tr');
    // scale-0100 … scale-0199: k % 3 = 2 is aurora-postgresql (33 of them), one page.
    await expect(rows).toHaveCount(33);
    await expect(page.getByTestId('pager-range')).toHaveText('Showing 1–33 of 33');
    const ids = await rows.locator('td:first-child a').allTextContents();
    expect(ids.every((id) => id.startsWith('scale-01'))).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    for (const engine of await rows.locator('td:nth-child(2)').allTextContents()) expect(engine).toContain('aurora-postgresql');

    // Paging through the whole prefix: page 2 starts where page 1 ended.
    await page.goto(`/?q=${PREFIX}-`);
    await expect(page.getByTestId('pager-range')).toHaveText('Showing 1–50 of 1,000');
    await expect(rows.first()).toContainText('scale-0000');
    await page.getByRole('link', { name: 'Next ›' }).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(page.getByTestId('pager-range')).toHaveText('Showing 51–100 of 1,000');
    await expect(rows.first()).toContainText('scale-0050');
    // Region from the URL (the region switcher's parameter) narrows it to one region's half.
    await page.goto(`/?q=${PREFIX}-&region=eu-west-1`);
    await expect(page.getByTestId('pager-range')).toHaveText('Showing 1–50 of 500');
    for (const r of await rows.locator('td:last-child').allTextContents()) expect(r).toBe('eu-west-1');
  });

  test('a bad page number or an unknown filter says what was wrong and still shows the list', async ({ page }) => {
    test.setTimeout(180_000);
    await loginAs(page, 'viewer');
    for (const [url, message] of [
      ['/?page=abc', '“abc” is not a page number'],
      ['/?page=999', 'There is no page 999'],
      ['/?colour=red', 'Unknown filter “colour” ignored'],
      ['/?engine=oracle', 'No engine “oracle” here'],
      ['/health?page=-1', '“-1” is not a page number'],
      ['/oncall?page=zz', '“zz” is not a page number'],
    ] as const) {
      const res = await page.goto(url);
      expect(res?.status(), url).toBe(200);
      await expect(page.getByTestId('list-notice'), url).toContainText(message);
      await expect(page.getByTestId('pager'), url).toBeVisible();
    }
  });

  test('fleet health and cluster charts show what each auto-refresh choice costs', async ({ page }) => {
    test.setTimeout(180_000);
    await loginAs(page, 'viewer');
    await page.goto('/health');
    const count = Number((await page.getByText(/^\d+ clusters in /).textContent())!.match(/^(\d+)/)![1]);
    const cost = page.getByTestId('refresh-cost');
    // Two cluster-level metrics per cluster per refresh; default every 15 minutes = 2,880 refreshes a month.
    const metrics = 2 * count;
    // Shown as cents below $100 and whole dollars above.
    const usd = (m: number, perMonth: number) => {
      const v = (m * perMonth * 0.01) / 1000;
      return v < 100 ? `$${v.toFixed(2)}` : `$${Math.round(v).toLocaleString('en-US')}`;
    };
    await expect(cost).toContainText(`${metrics.toLocaleString('en-US')} metrics per refresh`);
    await expect(cost).toContainText(`≈ ${usd(metrics, 2880)}/month left open`);
    const select = page.getByLabel('Auto-refresh');
    await expect(select).toHaveValue(String(15 * 60_000));
    await expect(select.locator(`option[value="${5 * 60_000}"]`)).toHaveText(`5 min · ≈ ${usd(metrics, 8640)}/mo`);
    await expect(select.locator('option[value="0"]')).toHaveText('Off · ≈ $0/mo');
    await select.selectOption({ label: `5 min · ≈ ${usd(metrics, 8640)}/mo` });
    await expect(cost).toContainText(`≈ ${usd(metrics, 8640)}/month left open`);

    await page.goto('/clusters/us-east-1/orders-prod?range=3h');
    const chartsCost = page.getByTestId('cluster-metrics').getByTestId('refresh-cost');
    await expect(chartsCost).toContainText(/≈ \$\d+\.\d\d\/month left open · \d+ metrics per refresh/);
    const off = Number((await chartsCost.textContent())!.match(/\$(\d+\.\d\d)/)![1]);
    const perRefresh = Number((await chartsCost.textContent())!.match(/(\d+) metrics per refresh/)![1]);
    await page.getByTestId('cluster-metrics').getByLabel('Auto-refresh').selectOption(String(60_000));
    await expect(chartsCost).not.toContainText(`$${off.toFixed(2)}/month`);
    const oneMin = Number((await chartsCost.textContent())!.match(/\$(\d+\.\d\d)/)![1]);
    // Charts every minute add their metrics × 43,200 refreshes to what the open page costs anyway.
    expect(oneMin - off).toBeCloseTo((perRefresh * 43_200 * 0.01) / 1000, 1);
  });
});
