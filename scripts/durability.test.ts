// Durability: a console process is SIGKILLed in the middle of a failover and of a create — after AWS (the local
// endpoint) accepted the call, before the outcome row was written. A fresh process (this test) then finds the
// audit chain intact with the "requested" row, and the console's own read path reconciles with what the endpoint
// really did (new writer; cluster exists; the on-call lock is released once the failover is observed).
//
// Determinism on 2 shared cores: the endpoint holds the mutating call for a moment (fault latency), and this
// process takes the SQLite write lock while the call is in flight, so the child is provably between "AWS did it"
// and "the outcome is recorded" when it is killed.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleHarness, type ConsoleHarness } from '@/lib/testing/console-harness';

const root = path.resolve(__dirname, '..');
const ADMIN = { id: 'durability-admin', username: 'oncall-admin', role: 'admin' };

let hx: ConsoleHarness;
beforeAll(async () => {
  hx = await startConsoleHarness({ AFC_TWO_PERSON: 'none' });
}, 60_000);
afterAll(async () => {
  await hx?.close();
});

async function until<T>(what: string, f: () => T | undefined | false, timeoutMs = 30_000, everyMs = 10): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function startChild(kind: 'failover' | 'create', input: Record<string, unknown>) {
  // node itself with tsx's hooks (not the tsx CLI, which runs the script in a grandchild a SIGKILL would orphan).
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=react-server', path.join(root, 'lib/testing/durability-child.ts'), kind, JSON.stringify(input)], {
    cwd: root,
    env: { ...process.env, AFC_DURABILITY_USER: JSON.stringify(ADMIN), NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d) => (out.stdout += d));
  child.stderr!.on('data', (d) => (out.stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  return { child, out, exited };
}

/** Hold the console database's write lock (as a stalled disk or a slow peer would) until released. */
function holdWriteLock(dataDir: string) {
  const db = new Database(path.join(dataDir, 'console.db'), { timeout: 10_000 });
  db.exec('BEGIN IMMEDIATE');
  return () => {
    db.exec('ROLLBACK');
    db.close();
  };
}

async function kill(c: ChildProcess, exited: Promise<unknown>) {
  c.kill('SIGKILL');
  return exited;
}

describe('SIGKILL of the console mid-operation', () => {
  it('mid-failover: chain verifies, "requested" row kept without an outcome, console sees the new writer and releases the lock', async () => {
    const region = 'us-east-1';
    const clusterId = 'orders-prod';
    const t0 = Date.now();
    const oldWriter = hx.emu.model.getCluster(region, clusterId, t0).writerId;
    expect(oldWriter).toBeTruthy();
    hx.emu.faults.add({ operation: 'FailoverDBCluster', latencyMs: 1500 });
    const before = hx.emu.counters.get('rds', 'FailoverDBCluster');

    const { child, out, exited } = startChild('failover', { region, clusterId, target: 'auto', confirm: clusterId, reason: 'durability test' });
    // The call is at the endpoint (counted on arrival, held by the latency): the child already wrote "requested".
    await until('FailoverDBCluster to reach the endpoint', () => hx.emu.counters.get('rds', 'FailoverDBCluster') > before, 60_000);
    const release = holdWriteLock(hx.dataDir);
    let signal: NodeJS.Signals | null = null;
    try {
      // The endpoint carries it out: the writer moves.
      await until('the endpoint to start the failover', () => {
        const c = hx.emu.model.getCluster(region, clusterId, Date.now());
        return c.writerId !== oldWriter || hx.emu.model.clusterStatus(c) === 'failing-over';
      });
      await new Promise((r) => setTimeout(r, 150)); // the response reaches the child, which now waits on the lock
      ({ signal } = (await kill(child, exited)) as { signal: NodeJS.Signals | null });
    } finally {
      release();
      hx.emu.faults.clear();
    }
    expect(signal).toBe('SIGKILL');
    expect(out.stdout).toContain('STARTED');
    expect(out.stdout).not.toContain('DONE');

    // "Restart": this process reads what the killed one left behind.
    const { listAudit, verifyAuditChain } = await import('@/lib/audit/log');
    expect(await verifyAuditChain()).toMatchObject({ ok: true });
    const rows = (await listAudit({ action: 'cluster.failover' })).filter((r) => r.target === clusterId);
    const requested = rows.find((r) => r.phase === 'requested');
    expect(requested, JSON.stringify(rows)).toMatchObject({ actor: ADMIN.username, role: 'admin', region });
    expect(rows.filter((r) => r.phase !== 'requested' && r.phase !== 'refused')).toEqual([]);

    // Reconcile: the console's own describe shows what the endpoint did.
    const { getCluster } = await import('@/lib/aws/rds/clusters');
    const settled = await (async () => {
      const end = Date.now() + 30_000;
      for (;;) {
        const c = await getCluster(region, clusterId, { maxAgeMs: 0 });
        if (c.status === 'available' || Date.now() > end) return c;
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    expect(settled.status).toBe('available');
    expect(settled.writerId).toBe(hx.emu.model.getCluster(region, clusterId, Date.now()).writerId);
    expect(settled.writerId).not.toBe(oldWriter);

    // The on-call lock the killed process took is released by observation, so the next failover is not blocked.
    const { preflightFailover } = await import('@/lib/oncall/preflight');
    const pre = await preflightFailover({ region, clusterId, confirm: clusterId });
    expect(pre.cluster.writerId).toBe(settled.writerId);
    expect(Date.now() - t0).toBeLessThan(60_000);
  }, 90_000);

  it('mid-create: chain verifies, "requested" row kept without an outcome, console lists the cluster the endpoint holds', async () => {
    const region = 'us-east-1';
    const identifier = `durable-${Date.now().toString(36)}`;
    hx.emu.faults.add({ operation: 'CreateDBInstance', latencyMs: 1500 });
    const { child, out, exited } = startChild('create', {
      region,
      engine: 'aurora-mysql',
      identifier,
      masterUsername: 'dbadmin',
      masterPassword: 'Durab1e-Passw0rd',
      instanceClass: 'db.r6g.large',
      backupRetention: '1',
      backtrackHours: '0',
    });
    // The cluster exists at the endpoint and the writer's CreateDBInstance is in flight.
    await until('CreateDBInstance to reach the endpoint', () => hx.emu.counters.get('rds', 'CreateDBInstance') > 0, 60_000);
    const release = holdWriteLock(hx.dataDir);
    let signal: NodeJS.Signals | null = null;
    try {
      ({ signal } = (await kill(child, exited)) as { signal: NodeJS.Signals | null });
      await new Promise((r) => setTimeout(r, 1700)); // the held call finishes (or not) at the endpoint
    } finally {
      release();
      hx.emu.faults.clear();
    }
    expect(signal).toBe('SIGKILL');
    expect(out.stdout).not.toContain('DONE');

    const { listAudit, verifyAuditChain } = await import('@/lib/audit/log');
    expect(await verifyAuditChain()).toMatchObject({ ok: true });
    const rows = (await listAudit({ action: 'cluster.create' })).filter((r) => r.target === identifier);
    expect(rows.map((r) => r.phase)).toEqual(['requested']);
    expect(JSON.stringify(rows)).not.toContain('Durab1e-Passw0rd');

    // Reconcile: the console's read path shows exactly what the endpoint holds.
    const { getCluster } = await import('@/lib/aws/rds/clusters');
    const dto = await getCluster(region, identifier);
    const truth = hx.emu.model.getCluster(region, identifier, Date.now());
    const memberIds = hx.emu.model.members(truth).map((i) => i.id).sort();
    expect(dto.id).toBe(identifier);
    expect(JSON.stringify(dto)).toContain(identifier);
    for (const id of memberIds) expect(JSON.stringify(dto)).toContain(id);
  }, 90_000);
});
