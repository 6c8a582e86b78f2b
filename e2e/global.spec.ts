import {
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DeleteGlobalClusterCommand,
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
  RDSClient,
  RemoveFromGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import type { Locator, Page } from '@playwright/test';
import { E2E, emulator, expect, loginAs, test } from './fixtures';

// Aurora Global Database end to end on the local endpoint (profile 'test': seconds, not minutes): make a demo
// cluster the primary of a global database, add a secondary in the second region, switch over and back, then
// rehearse a regional outage of the primary and fail over with data loss, approved by a second admin.
const PRIMARY = { region: 'us-east-1', id: 'analytics-pg' };
// Set per attempt (see dismantleLeftovers): the first uses these names, a retry adds its number.
let GLOBAL = 'analytics-global';
const SECONDARY = { region: 'eu-west-1', id: 'analytics-eu' };
const SHOTS = 'test-results/global';

const rds = (region: string) => new RDSClient({ region, endpoint: E2E.emulatorURL, credentials: { accessKeyId: 'local', secretAccessKey: 'localsecret' } });

async function writerOf(region: string) {
  const g = (await rds(region).send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: GLOBAL }))).GlobalClusters![0];
  return g.GlobalClusterMembers!.find((m) => m.IsWriter)?.DBClusterArn ?? '';
}

/**
 * A retry starts where the demo fleet was: a global database that a failed attempt left with the primary in it is
 * taken apart (members detached, its other clusters deleted, the global cluster removed), the primary region is
 * made reachable, and the attempt uses fresh names (a deleted cluster lingers as "deleting", and a recreated one
 * would continue its predecessor's CloudWatch series, as on AWS).
 */
async function dismantleLeftovers() {
  await emulator(`regions/${PRIMARY.region}/outage`, { unreachable: false });
  const east = rds(PRIMARY.region);
  const all = (await east.send(new DescribeGlobalClustersCommand({}))).GlobalClusters ?? [];
  for (let g of all.filter((x) => x.GlobalClusterMembers?.some((m) => m.DBClusterArn?.endsWith(`:cluster:${PRIMARY.id}`)))) {
    const id = g.GlobalClusterIdentifier!;
    // A switchover or failover the failed attempt started runs to its end first.
    for (let i = 0; g.FailoverState && i < 60; i++) {
      await new Promise((r) => setTimeout(r, 500));
      g = (await east.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: id }))).GlobalClusters![0];
    }
    for (const m of [...(g.GlobalClusterMembers ?? [])].sort((a, b) => Number(a.IsWriter) - Number(b.IsWriter))) {
      const [region, clusterId] = [m.DBClusterArn!.split(':')[3], m.DBClusterArn!.split(':').at(-1)!];
      const client = rds(region);
      await client.send(new RemoveFromGlobalClusterCommand({ GlobalClusterIdentifier: id, DbClusterIdentifier: m.DBClusterArn }));
      if (clusterId === PRIMARY.id) continue;
      const c = (await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }))).DBClusters![0];
      for (const i of c.DBClusterMembers ?? []) await client.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: i.DBInstanceIdentifier }));
      // The cluster can go once its instances are gone.
      await expect
        .poll(() => client.send(new DeleteDBClusterCommand({ DBClusterIdentifier: clusterId, SkipFinalSnapshot: true })).then(() => 'deleted', (e: Error) => e.name), { timeout: 30_000 })
        .toBe('deleted');
    }
    await east.send(new DeleteGlobalClusterCommand({ GlobalClusterIdentifier: id }));
  }
}

const member = (card: Locator, region: string) => card.getByTestId(`global-member-${region}`);

async function inSync(card: Locator) {
  for (const r of [PRIMARY.region, SECONDARY.region]) await expect(member(card, r)).toContainText('connected', { timeout: 30_000 });
}

async function switchOver(page: Page, card: Locator, to: { region: string; id: string }, shot?: string) {
  await inSync(card);
  await card.getByRole('button', { name: `Switch over to ${to.region}` }).click();
  const dialog = page.getByRole('dialog', { name: new RegExp(`Switch over to ${to.region}`) });
  await expect(dialog.getByTestId('switchover-explainer')).toContainText(`waits until ${to.region} / ${to.id} is in sync`);
  await expect(dialog.getByTestId('switchover-explainer')).toContainText('No data is lost');
  await dialog.getByLabel(/to confirm/).fill(GLOBAL);
  if (shot) await dialog.screenshot({ path: `${SHOTS}/${shot}-form.png` });
  await dialog.getByRole('button', { name: 'Switch over now' }).click();
  await expect(dialog.getByTestId('global-switch-message')).toContainText(`Switchover of ${GLOBAL} to ${to.region} / ${to.id} started`);
  const timeline = dialog.getByTestId('global-timeline');
  await expect(timeline.getByTestId('global-duration')).toHaveText(/\d+(\.\d)? s/, { timeout: 30_000 });
  await expect(timeline.getByTestId('global-new-primary')).toHaveText(`${to.region} / ${to.id}`);
  if (shot) await dialog.screenshot({ path: `${SHOTS}/${shot}-done.png` });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(member(card, to.region)).toHaveAttribute('data-role', 'primary', { timeout: 15_000 });
}

test('global database: create, add a region, switch over and back, regional outage, failover with data loss approved by a second admin', async ({ page, browser }, testInfo) => {
  test.setTimeout(170_000);
  await dismantleLeftovers();
  const attempt = testInfo.retry + testInfo.repeatEachIndex * 2;
  GLOBAL = attempt ? `analytics-global-${attempt}` : 'analytics-global';
  SECONDARY.id = attempt ? `analytics-eu-${attempt}` : 'analytics-eu';
  await loginAs(page, 'admin');

  // 1. Create the global database from a demo cluster (fleet page, admin).
  await page.goto('/');
  const section = page.getByTestId('global-dbs');
  await section.getByText('Create a global database from a cluster').click();
  const create = section.getByRole('form', { name: 'Create a global database' });
  await create.getByLabel('Primary cluster').selectOption(`${PRIMARY.region}|${PRIMARY.id}`);
  await create.getByLabel('Global database identifier').fill(GLOBAL);
  await create.getByRole('button', { name: 'Create global database' }).click();
  await expect(create.getByTestId('create-global-message')).toContainText(`Global database ${GLOBAL} created with ${PRIMARY.id} (${PRIMARY.region}) as its primary`);

  // 2. Add a secondary in the second region (global view, admin).
  await page.goto(`/global/${GLOBAL}`);
  const card = page.getByTestId(`global-card-${GLOBAL}`);
  await expect(member(card, PRIMARY.region)).toHaveAttribute('data-role', 'primary');
  await card.getByText('Add a secondary region').click();
  const add = card.getByRole('form', { name: 'Add a secondary region' });
  await add.getByLabel('Region').selectOption(SECONDARY.region);
  await add.getByLabel('Secondary cluster identifier').fill(SECONDARY.id);
  await add.getByLabel('Instances').fill('1');
  await add.getByRole('button', { name: 'Add region' }).click();
  await expect(add.getByTestId('add-secondary-message')).toContainText(`Secondary ${SECONDARY.id} is being created in ${SECONDARY.region}`);
  await expect(member(card, SECONDARY.region)).toHaveAttribute('data-role', 'secondary', { timeout: 15_000 });
  await expect(member(card, SECONDARY.region).getByTestId('member-state')).toContainText('available · 1 instance', { timeout: 30_000 });
  await inSync(card);
  // The fleet marks both clusters and shows the secondary's replication lag.
  await page.goto('/');
  await expect(page.getByTestId(`cluster-row-${PRIMARY.id}`).getByTestId('global-marker')).toHaveText(`primary of ${GLOBAL}`);
  await expect(page.getByTestId(`cluster-row-${SECONDARY.id}`).getByTestId('global-marker')).toHaveText(`secondary of ${GLOBAL}`);
  await expect(page.getByTestId(`global-db-${GLOBAL}`).getByTestId(`global-db-member-${SECONDARY.region}`)).toContainText(/connected · (lag \d+ ms|no lag data)/);
  await page.screenshot({ path: `${SHOTS}/fleet.png`, fullPage: true });

  // 3. Switch over to the secondary region and back (on-call page).
  await page.goto(`/global/${GLOBAL}`);
  await page.screenshot({ path: `${SHOTS}/global-view.png`, fullPage: true });
  await switchOver(page, card, SECONDARY, 'switchover');
  expect(await writerOf(PRIMARY.region)).toContain(`:cluster:${SECONDARY.id}`);
  await page.goto('/oncall');
  const oncall = page.getByTestId('oncall-global').getByTestId(`global-card-${GLOBAL}`);
  await switchOver(page, oncall, PRIMARY);
  expect(await writerOf(SECONDARY.region)).toContain(`:cluster:${PRIMARY.id}`);
  await inSync(oncall);

  // 4. Rehearsal: the primary's region becomes unreachable. Every page still renders the other region.
  await emulator(`regions/${PRIMARY.region}/outage`, { unreachable: true });
  try {
    await page.goto('/');
    await expect(page.getByTestId(`region-error-${PRIMARY.region}`)).toContainText(PRIMARY.region, { timeout: 30_000 });
    await expect(page.getByTestId(`cluster-row-${SECONDARY.id}`)).toBeVisible();
    await expect(page.getByTestId(`global-db-${GLOBAL}`)).toBeVisible();
    await page.goto('/oncall');
    await expect(page.getByTestId(`oncall-row-orders-eu`)).toBeVisible();
    await expect(member(oncall, PRIMARY.region).getByTestId('member-region-error')).toContainText(`${PRIMARY.region} unreachable`);
    await page.screenshot({ path: `${SHOTS}/oncall-outage.png`, fullPage: true });
    await page.goto('/health');
    await expect(page.getByText(`Could not list clusters in ${PRIMARY.region}`).first()).toBeVisible();
    await expect(page.getByText('orders-eu').first()).toBeVisible();
    await page.goto(`/global/${GLOBAL}`);
    await expect(member(card, PRIMARY.region).getByTestId('member-region-error')).toContainText(`${PRIMARY.region} unreachable`);
    await expect(member(card, SECONDARY.region).getByTestId('member-state')).toContainText('available');
    await page.screenshot({ path: `${SHOTS}/global-view-outage.png`, fullPage: true });

    // 5. Fail over with data loss: the dialog shows the RPO lag; the two-person rule records it for a second admin.
    await card.getByRole('button', { name: `Fail over to ${SECONDARY.region}` }).click();
    const dialog = page.getByRole('dialog', { name: new RegExp(`Fail over to ${SECONDARY.region}`) });
    await expect(dialog.getByTestId('data-loss')).toContainText('Data that will be lost');
    await expect(dialog.getByTestId('rpo-lag')).toHaveText(/\d+(\.\d)? (ms|s)|no data points yet/);
    await dialog.getByLabel(/to confirm/).fill(GLOBAL);
    await dialog.getByRole('button', { name: 'Request failover' }).click();
    await expect(dialog.getByTestId('global-switch-error')).toContainText('tick "I accept losing them"');
    await dialog.getByLabel(/I accept losing the writes/).check();
    await dialog.getByLabel(/Reason/).fill('e2e: us-east-1 outage rehearsal');
    await dialog.screenshot({ path: `${SHOTS}/failover-form.png` });
    await dialog.getByRole('button', { name: 'Request failover' }).click();
    await expect(dialog.getByTestId('global-switch-message')).toContainText('another admin must approve');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(card.getByTestId('global-pending')).toContainText(`Fail over global database ${GLOBAL} to ${SECONDARY.region} / ${SECONDARY.id}, allowing data loss`);

    const ctx2 = await browser.newContext();
    const admin2 = await ctx2.newPage();
    await loginAs(admin2, 'admin2');
    await admin2.goto('/approvals');
    const req = admin2.getByTestId('approval-pending').filter({ hasText: `Fail over global database ${GLOBAL}` });
    await expect(req).toContainText('Requested by admin');
    await req.getByRole('button', { name: /^Approve/ }).click();
    await expect(req.getByTestId('approval-message')).toContainText(`Approved: failover of ${GLOBAL}`);
    await ctx2.close();

    // 6. The requester watches it complete: the secondary region is the primary and takes writes.
    const timeline = card.getByTestId('global-timeline');
    await expect(timeline).toHaveAttribute('data-mode', 'failover', { timeout: 15_000 });
    await expect(timeline.getByTestId('global-duration')).toHaveText(/\d+(\.\d)? s/, { timeout: 30_000 });
    await expect(timeline.getByTestId('global-new-primary')).toHaveText(`${SECONDARY.region} / ${SECONDARY.id}`);
    await expect(member(card, SECONDARY.region)).toHaveAttribute('data-role', 'primary');
    await page.screenshot({ path: `${SHOTS}/global-view-after-failover.png`, fullPage: true });
    expect(await writerOf(SECONDARY.region)).toContain(`:cluster:${SECONDARY.id}`);
  } finally {
    await emulator(`regions/${PRIMARY.region}/outage`, { unreachable: false });
  }

  // 7. Audited: the failover's pending-approval → approved → succeeded rows.
  await page.goto('/audit?action=global.failover');
  const cell = (name: string) => page.getByRole('cell', { name, exact: true });
  const row = (actor: string, phase: string) => page.getByRole('row').filter({ has: cell(actor) }).filter({ has: cell(phase) });
  await expect(row('admin', 'pending-approval').first()).toBeVisible();
  await expect(row('admin2', 'succeeded').first()).toBeVisible();
});
