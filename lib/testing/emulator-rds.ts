// Test support (not a test file): helpers for the endpoint's RDS conformance tests (real @aws-sdk/client-rds against startEmulator).
import { RDSClient } from '@aws-sdk/client-rds';
import { startEmulator, type RunningEmulator, type StartEmulatorOptions } from '@/lib/emulator';

export interface Harness {
  emu: RunningEmulator;
  clock: { now: number };
  advance(ms: number): void;
  client(region?: string, creds?: { accessKeyId: string; secretAccessKey: string }): RDSClient;
  control(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startHarness(opts: StartEmulatorOptions = {}): Promise<Harness> {
  const clock = { now: Date.parse('2026-03-01T12:00:00.000Z') };
  const emu = await startEmulator({
    port: 0,
    dataDir: ':memory:',
    profile: 'test',
    now: () => clock.now,
    credentials: { accessKeyId: 'local', secretAccessKey: 'localsecret' },
    ...opts,
  });
  const clients: RDSClient[] = [];
  return {
    emu,
    clock,
    advance(ms: number) {
      clock.now += ms;
    },
    client(region = 'us-east-1', creds = { accessKeyId: 'local', secretAccessKey: 'localsecret' }) {
      const c = new RDSClient({ endpoint: emu.url, region, credentials: creds, maxAttempts: 1 });
      clients.push(c);
      return c;
    },
    async control(method: string, path: string, body?: unknown) {
      const res = await fetch(`${emu.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    },
    async close() {
      for (const c of clients) c.destroy();
      await emu.close();
    },
  };
}

/** Runs `fn` and returns the error it throws (fails the test if it does not throw). */
export async function fault(fn: () => Promise<unknown>): Promise<{ name: string; message: string; status?: number; code?: string }> {
  try {
    await fn();
  } catch (e) {
    const err = e as { name: string; message: string; Code?: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode, code: err.Code };
  }
  throw new Error('expected the call to fail, but it succeeded');
}
