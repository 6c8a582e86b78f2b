// Several console instances on one PostgreSQL (run by vitest.postgres.config.ts after `npx next build`): two
// `next start` processes on two ports share one database and one local endpoint. One failover per cluster across
// both; kill -9 of one mid-failover and the other follows the operation to completion; 2 × 200 concurrent audit
// appends form one chain; a sign-in lock and a sign-out hold on both; a third instance with another session secret
// refuses the session with a sign-in prompt, not a 500.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '@/lib/emulator';
import { getDb, migrate } from '@/lib/db';
import { resetEnvCache } from '@/lib/env';
import { createUser } from '@/lib/auth/users';
import { verifyAuditChain } from '@/lib/audit/log';
import { main as auditCli } from './audit';
import { createPostgresDatabase, TEST_AUDIT_KEY } from '@/lib/testing/store-dialects';
import { actionResult, assertBuilt, ConsoleClient, inParallel, startConsoleInstance, type ConsoleInstance } from '@/lib/testing/console-instances';
import type { OncallStatus } from '@/lib/oncall/status';

const BASE_PORT = Number(process.env.AFC_MULTI_BASE_PORT || 3270);
const REGIONS = ['us-east-1', 'eu-west-1'];
const SECRET = 'multi-instance-session-secret-0123456789';
const PASSWORD = 'Multi-Instance-Passw0rd';
const LOCKED = /^Too many failed sign-in attempts\. This sign-in is locked; try again in \d+ minutes?\.$/;

let emu: RunningEmulator;
let a: ConsoleInstance;
let b: ConsoleInstance;
let dbUrl: string;
let logDir: string;
let instanceEnv: Record<string, string>;
const started: ConsoleInstance[] = [];
let failedOnce = false;

async function failovers(): Promise<number> {
  const r = (await (await fetch(`${emu.url}/_emulator/counters`)).json()) as { counters: Record<string, Record<string, number>> };
  return r.counters.rds?.FailoverDBCluster ?? 0;
}

async function auditRows(): Promise<number> {
  const r = await getDb().selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

const failoverFields = (clusterId: string, key: string) => ({ region: 'us-east-1', clusterId, target: 'auto', confirm: clusterId, reason: 'multi-instance test', idempotencyKey: key });

async function signedInClient(username: string, via: ConsoleInstance, address: string): Promise<ConsoleClient> {
  const c = new ConsoleClient(address);
  const r = await c.signIn(via.url, username, PASSWORD);
  expect(r, `${username} signs in through ${via.name}`).toEqual({ signedIn: true, error: null });
  return c;
}

beforeAll(async () => {
  assertBuilt();
  const t0 = Date.now();
  logDir = mkdtempSync(path.join(tmpdir(), 'afc-multi-'));
  dbUrl = await createPostgresDatabase('multi');
  emu = await startEmulator({ port: BASE_PORT + 9, host: '127.0.0.1', dataDir: ':memory:', profile: 'test', seed: 'demo', regions: REGIONS, durations: { failover: 6_000 } });
  instanceEnv = {
    AFC_BACKEND: 'local',
    AFC_REGIONS: REGIONS.join(','),
    AFC_EMULATOR_URL: emu.url,
    AFC_EMULATOR_ACCESS_KEY_ID: emu.credentials.accessKeyId,
    AFC_EMULATOR_SECRET_ACCESS_KEY: emu.credentials.secretAccessKey,
    AFC_EMULATOR_PROFILE: 'test',
    DATABASE_URL: dbUrl,
    AFC_AUDIT_KEY: TEST_AUDIT_KEY,
    NEXTAUTH_SECRET: SECRET,
    // Each client below signs in from an address of its own (X-Forwarded-For from the loopback "proxy").
    AFC_TRUSTED_PROXIES: '127.0.0.1',
    AFC_TWO_PERSON: 'none',
  };
  // This process is a third client of the same database (users, chain verification).
  Object.assign(process.env, instanceEnv, { AFC_DATA_DIR: path.join(logDir, 'test-process') });
  resetEnvCache();
  await migrate(getDb());
  for (const [username, role] of [['op', 'operator'], ['viewer', 'viewer'], ['lockme', 'operator'], ['leaver', 'operator']] as const)
    await createUser({ username, role, password: PASSWORD, force: true });
  [a, b] = await Promise.all([
    startConsoleInstance('A', BASE_PORT, { ...instanceEnv, AFC_DATA_DIR: path.join(logDir, 'a') }, logDir),
    startConsoleInstance('B', BASE_PORT + 1, { ...instanceEnv, AFC_DATA_DIR: path.join(logDir, 'b') }, logDir),
  ]);
  started.push(a, b);
  console.log(`two console instances on one PostgreSQL ready in ${Date.now() - t0} ms`);
}, 180_000);

afterAll(async () => {
  await Promise.all(started.map((i) => i.stop()));
  await getDb().destroy().catch(() => undefined);
  await emu?.close();
  // The instances' logs stay when a test failed (their path is printed), else they go.
  if (logDir && !failedOnce) rmSync(logDir, { recursive: true, force: true });
  else if (logDir) console.log(`console instance logs kept in ${logDir}`);
});

afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') failedOnce = true;
});

describe('two console instances on one PostgreSQL', () => {
  it('/api/health names the database (no password) and says it answers', async () => {
    for (const inst of [a, b]) {
      const h = (await (await fetch(`${inst.url}/api/health`)).json()) as { ok: boolean; database: Record<string, unknown> };
      expect(h.database).toMatchObject({ dialect: 'postgres', reachable: true, location: expect.stringMatching(/^postgres@127\.0\.0\.1:\d+\/multi_[0-9a-f]+$/) });
      expect(JSON.stringify(h)).not.toContain('test-password');
    }
  });

  it('20 concurrent failover requests for one cluster, spread over both instances → exactly one FailoverDBCluster', async () => {
    const op = await signedInClient('op', a, '198.51.100.10');
    const before = await failovers();
    const rs = await Promise.all(
      Array.from({ length: 20 }, (_, i) => op.action(i % 2 ? b.url : a.url, '/oncall', 'failoverClusterAction', failoverFields('orders-prod', `fo-${i}`))),
    );
    const results = rs.map((r) => actionResult(r.text));
    expect(results.every(Boolean), rs.filter((r) => !actionResult(r.text)).map((r) => `${r.status} ${r.text.slice(0, 2000)}`).join('\n')).toBe(true);
    expect(results.filter((r) => r!.ok)).toHaveLength(1);
    for (const r of results.filter((x) => !x!.ok)) expect(r!.code).toMatch(/FAILOVER_IN_PROGRESS|CLUSTER_NOT_AVAILABLE|INVALID_CLUSTER_STATE/);
    expect((await failovers()) - before).toBe(1);
    // Both instances show the same operation.
    const views = await Promise.all([a, b].map(async (i) => (await (await op.request(i.url, '/api/oncall/us-east-1/orders-prod')).json()) as OncallStatus));
    expect(views[0].failover?.op.id).toBeDefined();
    expect(views[1].failover?.op.id).toBe(views[0].failover?.op.id);
    // Each instance counted its own AWS calls; together they made one FailoverDBCluster.
    let counted = 0;
    for (const i of [a, b]) {
      const text = await (await fetch(`${i.url}/api/metrics`)).text();
      expect(text).toContain('# TYPE afc_aws_calls_total counter');
      for (const m of text.matchAll(/^afc_aws_calls_total\{[^}]*operation="FailoverDBCluster"[^}]*outcome="ok"[^}]*\} (\d+)$/gm)) counted += Number(m[1]);
    }
    expect(counted).toBe(1);
  });

  it('2 × 200 concurrent audit appends (one per refused request, through both instances) form one chain that verifies', async () => {
    const viewer = await signedInClient('viewer', b, '198.51.100.20');
    const before = await auditRows();
    const t0 = Date.now();
    // 200 requests per instance, all in flight together on each (up to 100 open connections per instance).
    const send = (inst: ConsoleInstance, n: number) =>
      inParallel(100, Array.from({ length: n }, (_, i) => () => viewer.action(inst.url, '/oncall', 'failoverClusterAction', failoverFields('billing', `audit-${inst.name}-${i}`))));
    const rs = (await Promise.all([send(a, 200), send(b, 200)])).flat();
    const ms = Date.now() - t0;
    expect(rs.map((r) => actionResult(r.text)?.code)).toEqual(Array(400).fill('FORBIDDEN'));
    expect((await auditRows()) - before).toBe(400);
    console.log(`400 refused actions (400 audit appends) over two instances on PostgreSQL in ${ms} ms: ${((400 / ms) * 1000).toFixed(0)} appends/s`);
    const rows = await auditRows();
    expect(await verifyAuditChain(getDb())).toEqual({ ok: true, rows });
    const lines: string[] = [];
    expect(await auditCli(['verify'], (l) => lines.push(l))).toBe(0);
    expect(lines).toEqual([`Audit chain verified: ${rows} rows.`]);
  });

  it('a sign-in limit reached through one instance holds on the other', async () => {
    const c = new ConsoleClient('198.51.100.30');
    for (let i = 0; i < 5; i++) expect(await c.signIn(a.url, 'lockme', `wrong-${i}`)).toEqual({ signedIn: false, error: 'Wrong username or password.' });
    const onB = await c.signIn(b.url, 'lockme', PASSWORD);
    expect(onB.signedIn).toBe(false);
    expect(onB.error).toMatch(LOCKED);
    const text = await (await fetch(`${a.url}/api/metrics`)).text();
    expect(Number(/^afc_signin_failures_total\{reason="wrong"\} (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(5);
  });

  it('a sign-out on one instance ends the session on both', async () => {
    const c = await signedInClient('leaver', a, '198.51.100.40');
    const other = new ConsoleClient('198.51.100.41');
    other.copyCookiesFrom(c); // a copy of the cookie, as a second tab (or a thief) would hold it
    for (const i of [a, b]) expect((await other.request(i.url, '/api/oncall/us-east-1/billing')).status, i.name).toBe(200);
    await c.signOut(a.url);
    const api = await other.request(b.url, '/api/oncall/us-east-1/billing');
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: string }).error).toMatch(/not signed in|session has expired/i);
    const page = await other.request(b.url, '/oncall');
    expect(page.status).toBe(307);
    expect(page.headers.get('location')).toMatch(/\/login/);
  });

  it('kill -9 of the instance that started a failover: the other shows the operation and its timeline to completion', async () => {
    const op = await signedInClient('op', a, '198.51.100.50');
    const r = actionResult((await op.action(a.url, '/oncall', 'failoverClusterAction', failoverFields('analytics-pg', 'kill-1'))).text);
    expect(r).toMatchObject({ ok: true });
    a.kill9();
    const seen: string[] = [];
    let last: OncallStatus | undefined;
    const deadline = Date.now() + 40_000;
    while (Date.now() < deadline) {
      const res = await op.request(b.url, '/api/oncall/us-east-1/analytics-pg');
      expect(res.status).toBe(200);
      last = (await res.json()) as OncallStatus;
      seen.push(`${last.cluster.status}/${last.failover?.op.status}`);
      if (last.failover?.timeline.done) break;
      await new Promise((x) => setTimeout(x, 500));
    }
    expect(seen[0]).toMatch(/failing-over\/in-progress/);
    expect(last?.failover?.op).toMatchObject({ status: 'completed', requestedBy: 'op', reason: 'multi-instance test' });
    expect(last?.failover?.timeline.steps.map((s) => `${s.key}:${s.state}`)).toEqual(['requested:done', 'failing-over:done', 'new-writer:done', 'available:done']);
    expect(last?.failover?.timeline.durationMs).toBeGreaterThan(0);
    expect(last?.failover?.op.newWriter).not.toBe(last?.failover?.op.oldWriter);
    // The lock went with the completion: B takes a new failover of that cluster.
    const again = actionResult((await op.action(b.url, '/oncall', 'failoverClusterAction', failoverFields('analytics-pg', 'kill-2'))).text);
    expect(again).toMatchObject({ ok: true });
  });

  it('an instance with another session secret refuses the session with a sign-in prompt, not a 500', async () => {
    const op = await signedInClient('op', b, '198.51.100.60');
    const c = await startConsoleInstance('C', BASE_PORT + 2, { ...instanceEnv, NEXTAUTH_SECRET: 'another-session-secret-abcdefghijklmnopq', AFC_DATA_DIR: path.join(logDir, 'c') }, logDir);
    started.push(c);
    const page = await op.request(c.url, '/oncall');
    expect(page.status).toBe(307);
    expect(page.headers.get('location')).toMatch(/\/login/);
    const api = await op.request(c.url, '/api/oncall/us-east-1/billing');
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: string }).error).toMatch(/Sign in again/);
  });
});
