import { expect, localTimeAgo, loginAs, test } from './fixtures';

const PANEL = '/oncall/us-east-1/orders-prod#backtrack';

test('backtrack orders-prod: change the window, request, approve as a second admin, watch it complete, see history and audit', async ({ page, browser }) => {
  await loginAs(page, 'admin');
  await page.goto(PANEL);
  const panel = page.locator('#backtrack');
  // The demo seed creates orders-prod with a 24 h window (a re-run against the same server finds 12 h).
  await expect(panel.getByTestId('backtrack-window')).toContainText(/^(24|12) h/);
  await expect(panel.getByTestId('earliest-backtrack')).toContainText('UTC');
  const hours = (await panel.getByTestId('backtrack-window').textContent())!.startsWith('24') ? 12 : 24;

  // Change the window.
  await panel.getByLabel(/Target backtrack window/).fill(String(hours));
  await panel.getByRole('button', { name: 'Change window' }).click();
  await expect(panel.getByTestId('window-message')).toContainText(`${hours} h (${hours * 3600} s)`);
  await expect(panel.getByTestId('backtrack-window')).toContainText(`${hours} h`, { timeout: 20_000 });

  // 0 without "disable for good" is refused.
  await panel.getByLabel(/Target backtrack window/).fill('0');
  await panel.getByRole('button', { name: 'Change window' }).click();
  await expect(panel.getByTestId('window-error')).toContainText('for good');
  await panel.getByLabel(/Target backtrack window/).fill(String(hours));

  // Bad input first: a time in the future, a time before the earliest backtrack time.
  const form = panel.getByRole('form', { name: 'Backtrack the cluster' });
  await form.getByLabel(/^Backtrack to/).fill(await localTimeAgo(page, -3_600_000));
  await form.getByLabel(/to confirm/).fill('orders-prod');
  await form.getByRole('button', { name: 'Backtrack' }).click();
  await expect(form.getByTestId('backtrack-error')).toContainText('in the future');
  await form.getByLabel(/^Backtrack to/).fill(await localTimeAgo(page, 3 * 86_400_000));
  await form.getByRole('button', { name: 'Backtrack' }).click();
  await expect(form.getByTestId('backtrack-error')).toContainText('before the earliest backtrack time');

  // A valid request: recorded as pending (two-person rule on by default). The window change must have settled.
  await expect(page.getByTestId('oncall-cluster-status')).toHaveText('available', { timeout: 20_000 });
  await form.getByLabel(/^Backtrack to/).fill(await localTimeAgo(page, 10 * 60_000));
  await expect(form.getByTestId('backtrack-utc')).toContainText(/UTC/);
  await form.getByLabel(/to confirm/).fill('orders-prod');
  await form.getByLabel(/Reason/).fill('e2e: bad deploy');
  await form.getByRole('button', { name: 'Backtrack' }).click();
  await expect(form.getByTestId('backtrack-message')).toContainText('another admin must approve');
  await expect(panel.getByTestId('backtrack-pending-approval')).toBeVisible({ timeout: 20_000 });

  // The requester cannot approve their own request.
  await page.goto('/approvals');
  const mine = page.getByTestId('approval-pending').filter({ hasText: 'Backtrack orders-prod' });
  await mine.getByRole('button', { name: /^Approve/ }).click();
  await expect(mine.getByTestId('approval-error')).toContainText('own request');

  // A second admin approves: the call is made now.
  const ctx2 = await browser.newContext();
  const admin2 = await ctx2.newPage();
  await loginAs(admin2, 'admin2');
  await admin2.goto('/approvals');
  const req = admin2.getByTestId('approval-pending').filter({ hasText: 'Backtrack orders-prod' });
  await expect(req).toContainText('Requested by admin');
  await req.getByRole('button', { name: /^Approve/ }).click();
  await expect(req.getByTestId('approval-message')).toContainText('Approved');
  await ctx2.close();

  // Watch it complete and see it in the history.
  await page.goto(PANEL);
  await expect(panel.getByTestId('backtrack-history').getByTestId('backtrack-status').first()).toHaveText('completed', { timeout: 30_000 });

  // And in the audit log: pending-approval → approved → succeeded.
  await page.goto('/audit?action=cluster.backtrack');
  const cell = (name: string) => page.getByRole('cell', { name, exact: true });
  const row = (actor: string, phase: string) => page.getByRole('row').filter({ has: cell(actor) }).filter({ has: cell(phase) }).filter({ has: cell('orders-prod') });
  await expect(row('admin', 'pending-approval').first()).toBeVisible();
  await expect(row('admin2', 'approved').first()).toBeVisible();
  // The AWS call made on approval: succeeded, by the approver, with the AWS request id.
  await expect(row('admin2', 'succeeded').filter({ hasText: /[0-9a-f]{8}-[0-9a-f]{4}-/ }).first()).toBeVisible();
});

test('PostgreSQL and window-less clusters explain why there is no backtrack', async ({ page }) => {
  await loginAs(page, 'admin');
  await page.goto('/oncall/us-east-1/analytics-pg');
  await expect(page.getByTestId('backtrack-unsupported')).toContainText('Aurora MySQL feature');
  await page.goto('/oncall/us-east-1/billing');
  await expect(page.getByTestId('backtrack-unsupported').first()).toContainText(/backtrack window|Aurora MySQL/);
});

test('an operator sees backtrack information but no backtrack form', async ({ page }) => {
  await loginAs(page, 'operator');
  await page.goto(PANEL);
  await expect(page.locator('#backtrack').getByTestId('backtrack-window')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Backtrack' })).toHaveCount(0);
  await expect(page.getByText('Only admins can backtrack')).toBeVisible();
});
