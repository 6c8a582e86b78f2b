import { test as base, expect, type Page } from '@playwright/test';
import { E2E, type E2EUser } from './e2e-env';

/** Sign in through the real sign-in form, as a person would. */
export async function loginAs(page: Page, who: E2EUser) {
  const u = E2E.users[who];
  await page.goto('/login');
  await page.getByLabel('Username').fill(u.username);
  await page.getByLabel('Password').fill(u.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toContainText(u.username);
}

/** Call the local endpoint's control API (reset, seed, faults, counters). */
export async function emulator(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') {
  const res = await fetch(`${E2E.emulatorURL}/_emulator/${path}`, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`emulator ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** datetime-local value for `msAgo` before now, in the browser's own timezone. */
export async function localTimeAgo(page: Page, msAgo: number) {
  return page.evaluate((ago) => {
    const d = new Date(Date.now() - ago);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  }, msAgo);
}

export const test = base;
export { expect, E2E };
