// Fault injection: with 20% throttling, 5% 5xx and +300 ms on every AWS call (the endpoint's control API),
// the console's pages still render — with a notice where data is missing, never an error page — and an action
// either succeeds or says what failed, and is carried out at most once. Faults are cleared afterwards.
import { RDSClient, CreateDBClusterCommand, CreateDBInstanceCommand, DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { test, expect, loginAs, emulator, E2E } from './fixtures';

const REGION = 'us-east-1';
const FAULTS = { operation: '*', throttleRate: 0.2, errorRate: 0.05, latencyMs: 300 };

function rds() {
  return new RDSClient({ region: REGION, endpoint: E2E.emulatorURL, credentials: { accessKeyId: 'local', secretAccessKey: 'localsecret' }, maxAttempts: 1 });
}

test.describe('pages and actions under injected AWS faults', () => {
  test.afterEach(async () => {
    await emulator('faults', { operation: '*', throttleRate: 0, errorRate: 0, latencyMs: 0 }).catch(() => undefined);
    await emulator('faults', undefined, 'DELETE').catch(() => undefined);
  });

  test('fleet, cluster, health and on-call pages render (no error page, no 5xx) with a notice where data failed', async ({ page }) => {
    test.setTimeout(180_000);
    await loginAs(page, 'viewer');
    await emulator('faults', FAULTS);
    const pages = ['/', `/clusters/${REGION}/orders-prod`, '/health', '/oncall'];
    for (const url of pages) {
      for (let round = 0; round < 2; round++) {
        const res = await page.goto(url);
        expect(res?.status(), url).toBeLessThan(500);
        await expect(page.getByTestId('current-user'), url).toBeVisible();
        const body = (await page.locator('body').innerText()).toLowerCase();
        expect(body, url).not.toContain('application error');
        expect(body, url).not.toContain('internal server error');
        expect(body, url).not.toMatch(/\n\s+at [\w.]+ \(/); // no stack trace
        // Either the data is there, or a notice says what is missing.
        const hasData = (await page.getByText(/orders-prod|analytics-pg|billing/).count()) > 0;
        const notice = (await page.getByRole('alert').count()) + (await page.getByText(/could not|failed|unavailable|partial|try again|throttl/i).count());
        expect(hasData || notice > 0, `${url}: neither data nor a notice`).toBe(true);
      }
    }
  });

  test('adding a reader under faults succeeds or says what failed, and is carried out at most once', async ({ page }) => {
    test.setTimeout(180_000);
    const id = `faults-${Date.now().toString(36)}`;
    // A cluster of our own (made directly at the endpoint, with no faults yet), so the shared demo fleet is untouched.
    const client = rds();
    await client.send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: 'aurora-mysql', MasterUsername: 'dbadmin', MasterUserPassword: 'Faults-Passw0rd' }));
    await client.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: `${id}-instance-1`, DBClusterIdentifier: id, Engine: 'aurora-mysql', DBInstanceClass: 'db.r6g.large' }));

    await loginAs(page, 'operator');
    await page.goto(`/clusters/${REGION}/${id}`);
    await expect(page.getByTestId('cluster-status')).toHaveAttribute('data-status', 'available', { timeout: 30_000 });
    const add = page.getByRole('form', { name: 'Add reader' });
    await expect(add.getByLabel('Reader identifier')).toHaveValue(`${id}-instance-2`);

    await emulator('faults', FAULTS);
    await add.getByRole('button', { name: 'Add reader' }).click();
    // Next's route announcer is an empty role=alert on every page: only an alert with words counts.
    const outcome = add.getByTestId('form-success').or(add.getByTestId('form-error')).or(page.getByRole('alert').filter({ hasText: /\w{3,}/ }));
    await expect(outcome.first()).toBeVisible({ timeout: 60_000 });
    const text = (await outcome.first().innerText()).trim();
    expect(text.length).toBeGreaterThan(10);
    await emulator('faults', { operation: '*', throttleRate: 0, errorRate: 0, latencyMs: 0 });

    const members = ((await client.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [id] }] }))).DBInstances ?? []).map((i) => i.DBInstanceIdentifier);
    const readers = members.filter((m) => m !== `${id}-instance-1`);
    // At most once: never two readers from one click.
    expect(readers.length).toBeLessThanOrEqual(1);
    if ((await add.getByTestId('form-success').count()) > 0) expect(readers).toEqual([`${id}-instance-2`]);
    else expect(text).toMatch(/AWS|endpoint|try again|throttl|unavailable|failed|could not/i);
  });
});
