// Security against the running console (production build, `npm start`): headers, cookie flags,
// cross-origin server-action POSTs, forged/replayed sign-in forms, sign-in rate limiting, and what the
// browser is ever sent (client bundles scanned for SDK code and secrets).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { request as pwRequest } from '@playwright/test';
import { test, expect, loginAs, emulator, E2E } from './fixtures';

const root = path.resolve(__dirname, '..');

function serverActionId(exportedName: string): string {
  const manifest = JSON.parse(readFileSync(path.join(root, '.next/server/server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { exportedName?: string; filename?: string }>;
  };
  const hit = Object.entries(manifest.node).find(([, v]) => v.exportedName === exportedName);
  if (!hit) throw new Error(`server action ${exportedName} not in the build manifest`);
  return hit[0];
}

/**
 * Server-action ids come from the build on disk; they only mean something when the running server serves that
 * same build (another process may rebuild .next while a reused server keeps running the old one).
 */
async function sameBuildAsServer(get: (url: string) => Promise<{ text(): Promise<string> }>): Promise<boolean> {
  const id = readFileSync(path.join(root, '.next/BUILD_ID'), 'utf8').trim();
  return (await (await get('/login')).text()).includes(id);
}

/**
 * The multipart body React sends for `action(prevState, formData)`: the form's fields prefixed "_1_", then the
 * root "0" = [null, $K1] last (the server decodes fields as they stream in, so the root must come after them).
 */
function actionBody(fields: Record<string, string>): FormData {
  const multipart = new FormData();
  for (const [k, v] of Object.entries(fields)) multipart.append(`_1_${k}`, v);
  multipart.append('0', JSON.stringify([null, '$K1']));
  return multipart;
}

/** /api/auth/session answers {} when nobody is signed in, and { uid, expires } (this console's JWT) when someone is. */
function signedIn(session: unknown): boolean {
  const s = session as { uid?: unknown; user?: unknown } | null;
  return !!(s && (s.uid || s.user));
}

async function rdsCount(op: string): Promise<number> {
  const c = (await emulator('counters')) as Record<string, unknown>;
  const find = (o: unknown): number => {
    if (!o || typeof o !== 'object') return 0;
    let n = 0;
    for (const [k, v] of Object.entries(o as Record<string, unknown>)) n += k === op && typeof v === 'number' ? v : find(v);
    return n;
  };
  return find(c);
}

test.describe('security headers and cookies', () => {
  test('pages carry a strict CSP (no unsafe-eval), frame-ancestors none, referrer policy, nosniff', async ({ page }) => {
    for (const url of ['/login', '/api/health']) {
      const res = await page.request.get(url);
      const hd = res.headers();
      const csp = hd['content-security-policy'] ?? '';
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).not.toContain('unsafe-eval');
      expect(csp, url).toMatch(/script-src [^;]*'self'/);
      expect(csp, url).toContain("object-src 'none'");
      expect(hd['referrer-policy'], url).toMatch(/^(same-origin|strict-origin|strict-origin-when-cross-origin|no-referrer)$/);
      expect(hd['x-content-type-options'], url).toBe('nosniff');
      expect(hd['x-frame-options'], url).toBe('DENY');
      expect(hd['x-powered-by'], url).toBeUndefined();
    }
    // A signed-in console page too.
    await loginAs(page, 'viewer');
    const res = await page.request.get('/');
    expect(res.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers()['content-security-policy']).not.toContain('unsafe-eval');
  });

  test('the session cookie is HttpOnly and SameSite=Lax; the CSRF cookie is HttpOnly', async ({ page, context }) => {
    await loginAs(page, 'viewer');
    const cookies = await context.cookies();
    const session = cookies.find((c) => /next-auth\.session-token$/.test(c.name));
    expect(session, cookies.map((c) => c.name).join(',')).toBeDefined();
    expect(session!.httpOnly).toBe(true);
    expect(session!.sameSite).toBe('Lax');
    expect(session!.path).toBe('/');
    // Sessions expire (not a forever cookie).
    expect(session!.expires).toBeGreaterThan(Date.now() / 1000);
    expect(session!.expires).toBeLessThan(Date.now() / 1000 + 31 * 24 * 3600);
    const csrf = cookies.find((c) => /next-auth\.csrf-token$/.test(c.name));
    if (csrf) expect(csrf.httpOnly).toBe(true);
  });
});

test.describe('forged and cross-origin requests', () => {
  test('a cross-origin POST to a server action is refused even with an admin session; nothing is created', async ({ page }) => {
    test.skip(!(await sameBuildAsServer((u) => page.request.get(u))), 'the running e2e server is not serving the build in .next (rebuilt meanwhile); restart it');
    await loginAs(page, 'admin');
    const id = serverActionId('createClusterAction');
    const identifier = `xorigin-${Date.now().toString(36)}`;
    const fields = {
      region: 'us-east-1',
      engine: 'aurora-mysql',
      identifier,
      masterUsername: 'dbadmin',
      masterPassword: 'Str0ng-Passw0rd',
      instanceClass: 'db.r6g.large',
      backupRetention: '1',
      backtrackHours: '0',
    };
    const before = await rdsCount('CreateDBCluster');
    const res = await page.request.post('/clusters/new', {
      headers: { 'Next-Action': id, Origin: 'http://evil.example', Accept: 'text/x-component' },
      multipart: actionBody(fields),
      maxRedirects: 0,
    });
    expect(res.status(), 'cross-origin server action must not succeed').toBeGreaterThanOrEqual(400);
    expect(await rdsCount('CreateDBCluster')).toBe(before);
    // Not even a "requested" audit row: the action never ran.
    await page.goto(`/audit?target=${identifier}`);
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
    await expect(page.getByTestId('audit-row')).toHaveCount(0);
  });

  test('control: the same crafted POST from the right origin reaches the action, which refuses a viewer itself', async ({ page }) => {
    test.skip(!(await sameBuildAsServer((u) => page.request.get(u))), 'the running e2e server is not serving the build in .next (rebuilt meanwhile); restart it');
    await loginAs(page, 'viewer');
    const before = await rdsCount('CreateDBCluster');
    const res = await page.request.post('/clusters/new', {
      headers: { 'Next-Action': serverActionId('createClusterAction'), Origin: E2E.baseURL, Accept: 'text/x-component' },
      multipart: actionBody({ region: 'us-east-1', engine: 'aurora-mysql', identifier: `viewer-${Date.now().toString(36)}` }),
      maxRedirects: 0,
    });
    expect(res.status()).toBe(200);
    const text = await res.text();
    expect(text).toContain('FORBIDDEN');
    expect(text).toContain('You need the admin role');
    expect(await rdsCount('CreateDBCluster')).toBe(before);
  });

  test('a forged sign-in without the CSRF token is refused, even with the right password', async () => {
    const ctx = await pwRequest.newContext({ baseURL: E2E.baseURL });
    try {
      const u = E2E.users.admin;
      const res = await ctx.post('/api/auth/callback/credentials', {
        form: { username: u.username, password: u.password, callbackUrl: '/', json: 'true' },
        maxRedirects: 0,
      });
      const setCookie = res.headersArray().filter((x) => x.name.toLowerCase() === 'set-cookie').map((x) => x.value).join('\n');
      expect(setCookie).not.toMatch(/next-auth\.session-token=[^;]+/);
      const state = await ctx.storageState();
      expect(state.cookies.some((c) => /session-token/.test(c.name))).toBe(false);
      expect(signedIn(await (await ctx.get('/api/auth/session')).json())).toBe(false);
    } finally {
      await ctx.dispose();
    }
  });

  test('a replayed sign-in form (CSRF token from another browser) is refused', async () => {
    const victim = await pwRequest.newContext({ baseURL: E2E.baseURL });
    const attacker = await pwRequest.newContext({ baseURL: E2E.baseURL });
    try {
      const { csrfToken } = (await (await victim.get('/api/auth/csrf')).json()) as { csrfToken: string };
      expect(csrfToken).toMatch(/^[a-f0-9]{32,}$/);
      const u = E2E.users.admin;
      // The attacker replays the token without the matching cookie (it is HttpOnly and bound to the victim's browser).
      const res = await attacker.post('/api/auth/callback/credentials', {
        form: { username: u.username, password: u.password, csrfToken, callbackUrl: '/', json: 'true' },
        maxRedirects: 0,
      });
      const setCookie = res.headersArray().filter((x) => x.name.toLowerCase() === 'set-cookie').map((x) => x.value).join('\n');
      expect(setCookie).not.toMatch(/next-auth\.session-token=[^;]+/);
      expect(signedIn(await (await attacker.get('/api/auth/session')).json())).toBe(false);
      // And a garbage token with a cookie of its own is refused too.
      await attacker.get('/api/auth/csrf');
      const res2 = await attacker.post('/api/auth/callback/credentials', {
        form: { username: u.username, password: u.password, csrfToken: 'f'.repeat(64), callbackUrl: '/', json: 'true' },
        maxRedirects: 0,
      });
      const sc2 = res2.headersArray().filter((x) => x.name.toLowerCase() === 'set-cookie').map((x) => x.value).join('\n');
      expect(sc2).not.toMatch(/next-auth\.session-token=[^;]+/);
    } finally {
      await victim.dispose();
      await attacker.dispose();
    }
  });

  test('data routes refuse a viewer for admin-only data and everyone without a session', async ({ page }) => {
    const anon = await page.request.get('/api/metrics/counters');
    expect(anon.status()).toBe(401);
    await loginAs(page, 'viewer');
    const v = await page.request.get('/api/metrics/counters');
    expect(v.status()).toBe(403);
    const body = await v.text();
    expect(body).not.toMatch(/\n\s+at /);
  });
});

test.describe('sign-in rate limiting', () => {
  // Each test signs in from an address of its own (X-Forwarded-For, which the console believes from loopback because
  // the e2e server trusts it as a proxy: AFC_TRUSTED_PROXIES in e2e-env.ts), so the shared e2e server's localhost budget is never spent and other specs are never locked out.
  const ownAddress = () => `198.51.100.${1 + Math.floor(Math.random() * 250)}, 10.${Date.now() % 250}.0.1`;
  async function signInClient(address: string) {
    const ctx = await pwRequest.newContext({ baseURL: E2E.baseURL, extraHTTPHeaders: { 'x-forwarded-for': address } });
    const signIn = async (username: string, pw: string) => {
      const { csrfToken } = (await (await ctx.get('/api/auth/csrf')).json()) as { csrfToken: string };
      const res = await ctx.post('/api/auth/callback/credentials', { form: { username, password: pw, csrfToken, callbackUrl: '/', json: 'true' }, maxRedirects: 0 });
      const body = (await res.json().catch(() => ({}))) as { url?: string };
      const loc = body.url ?? res.headers()['location'] ?? '';
      const error = loc ? new URL(loc, E2E.baseURL).searchParams.get('error') : null;
      return { error, signedIn: signedIn(await (await ctx.get('/api/auth/session')).json()) };
    };
    return { ctx, signIn };
  }
  const LOCKED = /^Too many failed sign-in attempts\. This sign-in is locked; try again in \d+ minutes?\.$/;

  test('after 5 wrong passwords a user is locked, with a clear message, even for the right password', async () => {
    // A user of its own (created with the users CLI, as a person would), so no shared e2e user gets locked.
    const who = `ratelimit${Date.now().toString(36)}`;
    const password = 'Rate-limit-Passw0rd';
    execFileSync('npm', ['run', '--silent', 'users', '--', 'add', who, '--role', 'viewer', '--password', password, '--force'], {
      cwd: root,
      env: { ...process.env, ...E2E.serverEnv },
      stdio: 'ignore',
    });
    const { ctx, signIn } = await signInClient(ownAddress());
    try {
      expect(await signIn(who, password)).toEqual({ error: null, signedIn: true }); // the account works
      await ctx.clearCookies();
      for (let i = 0; i < 5; i++) expect(await signIn(who, `wrong-${i}`)).toEqual({ error: 'Wrong username or password.', signedIn: false });
      const locked = await signIn(who, password);
      expect(locked.signedIn).toBe(false);
      expect(locked.error).toMatch(LOCKED);
    } finally {
      await ctx.dispose();
    }
  });

  test('after 20 failures from one address, that address is locked for every user', async () => {
    test.setTimeout(120_000);
    const { ctx, signIn } = await signInClient(ownAddress());
    try {
      for (let i = 0; i < 20; i++) expect((await signIn(`spray${i}-${Date.now().toString(36)}`, 'Summer2026!')).error).toBe('Wrong username or password.');
      const u = E2E.users.viewer;
      const r = await signIn(u.username, u.password);
      expect(r.signedIn).toBe(false);
      expect(r.error).toMatch(LOCKED);
    } finally {
      await ctx.dispose();
    }
  });

  test('the sign-in page shows the lock message from the server in words', async ({ page }) => {
    const msg = 'Too many failed sign-in attempts. This sign-in is locked; try again in 15 minutes.';
    await page.goto(`/login?error=${encodeURIComponent(msg)}`);
    await expect(page.getByTestId('login-error')).toHaveText(msg);
    // An error text the server never sends is not echoed (no reflected content).
    await page.goto(`/login?error=${encodeURIComponent('<b>Call 555-0100 to unlock</b>')}`);
    await expect(page.getByText('Call 555-0100')).toHaveCount(0);
  });
});

test.describe('client bundles', () => {
  test('no SDK code, server-only packages, env names or secrets in .next/static', async () => {
    const dir = path.join(root, '.next/static');
    expect(existsSync(dir)).toBe(true);
    const files: string[] = [];
    const walk = (d: string) => {
      for (const n of readdirSync(d)) {
        const p = path.join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(js|mjs|css|json|map)$/.test(n)) files.push(p);
      }
    };
    walk(dir);
    expect(files.filter((f) => f.endsWith('.js')).length).toBeGreaterThan(5);
    const needles: string[] = ['@aws-sdk', 'SignatureV4', 'AWS4-HMAC-SHA256', 'localsecret', 'AFC_', 'better-sqlite3', 'E2e-admin-Passw0rd'];
    for (const f of [path.join(root, E2E.dataDir, 'session-secret'), path.join(root, 'data', 'session-secret')]) {
      if (existsSync(f)) {
        const s = readFileSync(f, 'utf8').trim();
        if (s.length >= 16) needles.push(s);
      }
    }
    const hits: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const n of needles) if (text.includes(n)) hits.push(`${path.relative(root, f)}: ${n.length > 20 ? '<secret value>' : n}`);
    }
    expect(hits).toEqual([]);
  });
});

test.describe('crafted addresses, region scope and role-restricted pages', () => {
  const NOWHERE = 'zz-nowhere-9';

  test('a viewer opening /clusters/new gets a 403 page that says which role is needed', async ({ page }) => {
    await loginAs(page, 'viewer');
    const res = await page.goto('/clusters/new');
    expect(res?.status()).toBe(403);
    await expect(page.getByTestId('forbidden-message')).toContainText('You need the admin role to create clusters; you are signed in as viewer');
    await expect(page.getByRole('heading', { name: /Not allowed/ })).toBeVisible();
  });

  test('crafted path parameters answer 400/404 with a message, never 500, and reach no AWS', async ({ page }) => {
    await loginAs(page, 'viewer');
    await page.goto('/audit'); // a page without AWS calls: the fleet page's reads are over before counting
    const before = await rdsCount('DescribeDBClusters');
    const crafted = ['%ff', '%E0%A4%A', 'orders%00prod', 'a'.repeat(10_240), '%D0%BA%D0%BB%D0%B0'];
    for (const id of crafted) {
      for (const url of [`/clusters/us-east-1/${id}`, `/oncall/us-east-1/${id}`]) {
        const res = await page.request.get(url);
        expect(res.status(), url.slice(0, 80)).toBeLessThan(500);
        const text = await res.text();
        expect(text, url.slice(0, 80)).toMatch(/cluster identifier in the address|Bad Request|400|404/);
        expect(text).not.toMatch(/\n\s+at /);
      }
      for (const url of [`/api/clusters/us-east-1/${id}`, `/api/clusters/us-east-1/${id}/events`, `/api/oncall/us-east-1/${id}`, `/api/metrics/cluster/us-east-1/${id}?range=1h`]) {
        const res = await page.request.get(url);
        expect([400, 404], `${url.slice(0, 80)}: ${res.status()}`).toContain(res.status());
        const body = (await res.json().catch(() => ({}))) as { error?: string; code?: string };
        if (res.headers()['content-type']?.includes('json')) expect(body.error?.length ?? 0, url.slice(0, 80)).toBeGreaterThan(10);
      }
    }
    // The page for %ff says what is wrong, in words (unless Next itself refused the address first).
    const ff = await page.goto('/clusters/us-east-1/%ff');
    if (ff?.status() === 200) await expect(page.getByTestId('address-refusal')).toContainText('not valid percent-encoding');
    expect(await rdsCount('DescribeDBClusters')).toBe(before);
  });

  test('an unconfigured region: pages say so, routes answer 404 JSON, a crafted failover by an operator is refused; no AWS call', async ({ page }) => {
    test.skip(!(await sameBuildAsServer((u) => page.request.get(u))), 'the running e2e server is not serving the build in .next (rebuilt meanwhile); restart it');
    await loginAs(page, 'operator');
    await page.goto('/audit');
    const [describes, failovers] = [await rdsCount('DescribeDBClusters'), await rdsCount('FailoverDBCluster')];
    for (const url of [`/clusters/${NOWHERE}/x`, `/oncall/${NOWHERE}/orders-prod`]) {
      await page.goto(url);
      await expect(page.getByTestId('address-refusal'), url).toContainText(`Region ${NOWHERE} is not configured for this console (AFC_REGIONS = us-east-1, eu-west-1).`);
      await expect(page.getByRole('heading', { name: /Region not configured/ })).toBeVisible();
    }
    for (const url of [`/api/clusters/${NOWHERE}/orders-prod`, `/api/clusters/${NOWHERE}/orders-prod/events`, `/api/oncall/${NOWHERE}/orders-prod`, `/api/metrics/cluster/${NOWHERE}/orders-prod?range=1h`, `/api/clusters/catalog?region=${NOWHERE}&engine=aurora-mysql`]) {
      const res = await page.request.get(url);
      expect(res.status(), url).toBe(404);
      expect(await res.json(), url).toMatchObject({ code: 'INVALID_REGION', error: expect.stringContaining(`Region ${NOWHERE} is not configured`) });
    }
    expect(await rdsCount('DescribeDBClusters')).toBe(describes);
    const res = await page.request.post('/oncall', {
      headers: { 'Next-Action': serverActionId('failoverClusterAction'), Origin: E2E.baseURL, Accept: 'text/x-component' },
      multipart: actionBody({ region: NOWHERE, clusterId: 'orders-prod', target: 'auto', confirm: 'orders-prod', reason: 'crafted' }),
      maxRedirects: 0,
    });
    expect(res.status()).toBe(200);
    const text = await res.text();
    expect(text).toContain('INVALID_REGION');
    expect(text).toContain(`Region ${NOWHERE} is not configured for this console`);
    expect(await rdsCount('FailoverDBCluster')).toBe(failovers);
  });
});
