import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { CreateGlobalClusterCommand, DescribeGlobalClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { E2E, expect, loginAs, test } from './fixtures';
import type { E2EUser } from './e2e-env';

// axe-core (WCAG 2.0/2.1 A + AA) over every page, signed in as each role, light and dark, desktop and phone
// width. Any serious or critical violation fails the test, listed with its rule, help and the offending nodes.
// One page per role; each page is loaded once and scanned in the four looks (the theme and width change in place).

const PAGES: { path: string; ready?: (page: Page) => Promise<void> }[] = [
  { path: '/' },
  {
    path: '/clusters/us-east-1/orders-prod',
    ready: async (page) => {
      await expect(page.getByTestId('oncall-panel')).toBeVisible({ timeout: 30_000 });
      await expect(page.getByRole('region', { name: 'Metrics' }).getByRole('heading', { level: 3 }).first()).toBeVisible({ timeout: 30_000 });
      await expect(page.getByTestId('backups-section')).toBeVisible({ timeout: 30_000 });
    },
  },
  {
    path: '/clusters/us-east-1/orders-prod/query',
    // An admin gets the editor; other roles the message that says which role may run SQL.
    ready: async (page) => expect(page.getByRole('heading', { name: /Query orders-prod/ }).or(page.getByTestId('query-unavailable'))).toBeVisible(),
  },
  { path: '/clusters/new' },
  { path: '/oncall' },
  // A global database of its own (made from the demo's single-instance cluster in beforeAll).
  { path: '/global/billing-global', ready: async (page) => expect(page.getByTestId('global-card-billing-global')).toBeVisible() },
  { path: '/health' },
  { path: '/approvals' },
  { path: '/audit' },
];

const LOOKS = [
  { name: 'light desktop', colorScheme: 'light', width: 1280, height: 900 },
  { name: 'dark desktop', colorScheme: 'dark', width: 1280, height: 900 },
  { name: 'light 390px', colorScheme: 'light', width: 390, height: 844 },
  { name: 'dark 390px', colorScheme: 'dark', width: 390, height: 844 },
] as const;

test.beforeAll(async () => {
  const rds = new RDSClient({ region: 'us-east-1', endpoint: E2E.emulatorURL, credentials: { accessKeyId: 'local', secretAccessKey: 'localsecret' } });
  const existing = await rds.send(new DescribeGlobalClustersCommand({})).then((o) => o.GlobalClusters ?? []);
  if (!existing.some((g) => g.GlobalClusterIdentifier === 'billing-global')) {
    await rds.send(new CreateGlobalClusterCommand({ GlobalClusterIdentifier: 'billing-global', SourceDBClusterIdentifier: 'arn:aws:rds:us-east-1:123456789012:cluster:billing' }));
  }
});

async function scan(page: Page, where: string): Promise<string[]> {
  const found: string[] = [];
  for (const look of LOOKS) {
    await page.setViewportSize({ width: look.width, height: look.height });
    await page.emulateMedia({ colorScheme: look.colorScheme });
    // Colours fade on a theme change (transition-colors): measure the settled colours, not a frame of the fade.
    await page.evaluate(() => Promise.all(document.getAnimations().filter((a) => a instanceof CSSTransition).map((a) => a.finished.catch(() => undefined))));
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    for (const v of violations.filter((x) => x.impact === 'serious' || x.impact === 'critical')) {
      const nodes = v.nodes.slice(0, 5).map((n) => `      ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ').trim() ?? ''}`);
      found.push(`${where} [${look.name}] ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} node(s))\n${nodes.join('\n')}`);
    }
  }
  return found;
}

test('sign-in page: no serious or critical axe violation', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  const found = await scan(page, '/login');
  expect(found, found.join('\n')).toEqual([]);
});

for (const role of ['admin', 'operator', 'viewer'] as E2EUser[]) {
  test(`every page as ${role}: no serious or critical axe violation`, async ({ page }) => {
    test.setTimeout(180_000);
    await loginAs(page, role);
    const found: string[] = [];
    for (const p of PAGES) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(p.path);
      await expect(page.locator('main').first()).toBeVisible();
      if (p.ready) await p.ready(page);
      found.push(...(await scan(page, `${p.path} as ${role}`)));
    }
    expect(found, found.join('\n')).toEqual([]);
  });
}
