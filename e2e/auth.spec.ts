import { test, expect, loginAs, E2E } from './fixtures';

test.describe('sign-in, roles and the audit trail', () => {
  test('an anonymous visitor is sent to the sign-in page', async ({ page }) => {
    await page.goto('/audit');
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Faudit/);
    await expect(page.getByLabel('Username')).toBeVisible();
    await expect(page.getByLabel('Password')).toBeVisible();
    // Data routes refuse on their own, with a clean 401 and no redirect.
    const res = await page.request.get('/api/audit/export');
    expect(res.status()).toBe(401);
    expect(await res.json()).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
  });

  test('a wrong password is refused with a clear message and audited', async ({ page }) => {
    const who = `intruder-${Date.now().toString(36)}`;
    await page.goto('/login');
    await page.getByLabel('Username').fill(who);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('login-error')).toHaveText('Wrong username or password.');
    await expect(page).toHaveURL(/\/login/);

    await loginAs(page, 'admin');
    await page.goto(`/audit?actor=${who}`);
    const row = page.getByTestId('audit-row').first();
    await expect(row).toContainText(who);
    await expect(row).toContainText('auth.signin');
    await expect(row).toContainText('failed');
    await expect(row).toContainText('Wrong username or password.');
    await expect(page.getByTestId('audit-chain')).toContainText(/Chain verified: \d+ rows/);
  });

  for (const who of ['viewer', 'operator', 'admin'] as const) {
    test(`${who} signs in, sees the role, and signs out`, async ({ page }) => {
      const u = E2E.users[who];
      await loginAs(page, who);
      await expect(page.getByTestId('current-user')).toHaveText(`${u.username} · ${u.role}`);
      await expect(page.getByText('Local endpoint, not AWS — each cluster page says whether a real engine runs it')).toBeVisible();
      const nav = page.getByRole('navigation', { name: 'Main' });
      for (const name of ['Fleet', 'On-call', 'Health', 'Audit']) await expect(nav.getByRole('link', { name })).toBeVisible();

      // Every role may read the audit log; its own sign-in is there.
      await nav.getByRole('link', { name: 'Audit' }).click();
      await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
      await page.getByLabel('Actor').fill(u.username);
      await page.getByRole('button', { name: 'Filter' }).click();
      await expect(page.getByTestId('audit-row').first()).toContainText('succeeded');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await expect(page).toHaveURL(/\/login/);
      await page.goto('/');
      await expect(page).toHaveURL(/\/login/);
      await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    });
  }

  test('the region switcher filters the fleet overview', async ({ page }) => {
    await loginAs(page, 'operator');
    await page.goto('/audit');
    await page.getByLabel('Region').selectOption('eu-west-1');
    await expect(page).toHaveURL(/\/\?region=eu-west-1$/);
    await expect(page.getByLabel('Region')).toHaveValue('eu-west-1');
    await page.getByLabel('Region').selectOption('');
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByLabel('Region')).toHaveValue('');
  });

  test('the audit CSV export carries the filtered rows', async ({ page }) => {
    await loginAs(page, 'viewer');
    const res = await page.request.get(`/api/audit/export?actor=${E2E.users.viewer.username}&action=auth.signin`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('text/csv');
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toContain('seq,time,actor,role,action,phase');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines.slice(1)) expect(l).toContain(`,${E2E.users.viewer.username},`);
  });
});
