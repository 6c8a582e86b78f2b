// Test support (not a test file): the real local endpoint on an ephemeral port plus the console's own
// configuration, database and audit log in a temp directory, so server actions run end to end in Vitest
// (only the session is mocked by the caller). Also the "nothing changed" probes the safety suites assert on.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator, type RunningEmulator } from '@/lib/emulator';

export const HARNESS_REGIONS = ['us-east-1', 'eu-west-1'];

/** RDS operations that only read. Anything else reaching the endpoint is a mutation attempt. */
export function isReadOnlyOperation(op: string): boolean {
  return /^(Describe|List|Get)/.test(op);
}

/** Mutating operations the endpoint has received (from its own per-operation counters), e.g. { CreateDBCluster: 1 }. */
export function mutatingCalls(emu: RunningEmulator): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [service, ops] of Object.entries(emu.counters.snapshot())) {
    for (const [op, n] of Object.entries(ops)) if (!isReadOnlyOperation(op) && n > 0) out[`${service}:${op}`] = n;
  }
  return out;
}

/**
 * A stable picture of the fleet as the endpoint holds it: clusters, their members, writer, classes, tiers,
 * backtrack windows. Time-derived statuses are left out on purpose (they move on their own).
 */
export function fleetSnapshot(emu: RunningEmulator, regions = HARNESS_REGIONS): string {
  const now = Date.now();
  const pick = (o: unknown, keys: string[]): Record<string, unknown> => Object.fromEntries(keys.map((k) => [k, (o as Record<string, unknown>)[k]]));
  const out: Record<string, unknown> = {};
  for (const r of regions) {
    out[r] = {
      clusters: emu.model
        .listClusters(r, now)
        .map((c) => ({
          ...pick(c, ['id', 'engine', 'engineVersion', 'backtrackWindow', 'deletionProtection']),
          members: emu.model
            .members(c)
            .map((i) => ({ ...pick(i, ['id', 'instanceClass', 'promotionTier']), writer: (c as unknown as { writerId?: string }).writerId === i.id }))
            .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
        }))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      instances: emu.model
        .listInstances(r, now)
        .map((i) => i.id)
        .sort(),
    };
  }
  return JSON.stringify(out);
}

export interface ConsoleHarness {
  emu: RunningEmulator;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Start the endpoint (in memory, demo fleet, quick transitions), point the console's configuration at it
 * (process.env is the configuration's only source), reset the cached configuration and migrate the console db.
 * `env` adds or overrides variables (e.g. AFC_TWO_PERSON).
 */
export async function startConsoleHarness(env: Record<string, string> = {}): Promise<ConsoleHarness> {
  const emu = await startEmulator({ port: 0, dataDir: ':memory:', profile: 'test', seed: 'demo', regions: HARNESS_REGIONS });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'afc-harness-'));
  const vars: Record<string, string> = {
    AFC_BACKEND: 'local',
    AFC_REGIONS: HARNESS_REGIONS.join(','),
    AFC_DATA_DIR: dataDir,
    AFC_EMULATOR_URL: emu.url,
    AFC_EMULATOR_ACCESS_KEY_ID: emu.credentials.accessKeyId,
    AFC_EMULATOR_SECRET_ACCESS_KEY: emu.credentials.secretAccessKey,
    AFC_EMULATOR_PROFILE: 'test',
    NEXTAUTH_SECRET: 'harness-session-secret-0123456789abcdef',
    ...env,
  };
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  const { resetEnvCache } = await import('@/lib/env');
  resetEnvCache();
  const { ensureMigrated } = await import('@/lib/db');
  await ensureMigrated();
  return {
    emu,
    dataDir,
    async close() {
      await emu.close();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      resetEnvCache();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
