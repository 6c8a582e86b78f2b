// Starts the console exactly as a person would (`npm start`: bootstrap, local endpoint in-process,
// `next build` when stale, `next start`) on the bench's own ports and data directory, and stops the
// whole process group it started. Nothing else is touched.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

export interface AppHandle {
  baseUrl: string;
  emulatorUrl: string;
  logFile: string;
  stop(): Promise<void>;
}

export interface StartAppOptions {
  root: string;
  port: number;
  emulatorPort: number;
  dataDir: string;
  adminPassword: string;
  regions: string[];
  logDir: string;
  /** How long to wait for the console (a build can take minutes on 2 cores). */
  timeoutMs?: number;
  onProgress?: (line: string) => void;
  /** Extra environment for the console (e.g. AFC_TRUSTED_PROXIES). */
  env?: Record<string, string>;
}

async function answers(url: string): Promise<boolean> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await r.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

export async function startApp(o: StartAppOptions): Promise<AppHandle> {
  const baseUrl = `http://127.0.0.1:${o.port}`;
  const emulatorUrl = `http://127.0.0.1:${o.emulatorPort}`;
  if (await answers(`${baseUrl}/api/health`)) throw new Error(`Port ${o.port} is already in use; pass --port.`);
  if (await answers(`${emulatorUrl}/_emulator/health`)) throw new Error(`Port ${o.emulatorPort} is already in use; pass --emulator-port.`);

  rmSync(o.dataDir, { recursive: true, force: true });
  mkdirSync(o.dataDir, { recursive: true });
  mkdirSync(o.logDir, { recursive: true });
  const logFile = path.join(o.logDir, 'app.log');
  const log = createWriteStream(logFile);

  const child: ChildProcess = spawn('npm', ['start'], {
    cwd: o.root,
    detached: true, // its own process group: stop() ends npm, tsx, the endpoint and next together
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(o.port),
      AFC_BACKEND: 'local',
      AFC_REGIONS: o.regions.join(','),
      AFC_DATA_DIR: o.dataDir,
      AFC_EMULATOR_URL: emulatorUrl,
      AFC_EMULATOR_PROFILE: 'test',
      AFC_ADMIN_PASSWORD: o.adminPassword,
      NEXTAUTH_URL: baseUrl,
      NEXT_TELEMETRY_DISABLED: '1',
      ...o.env,
    },
  });
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  const onData = (d: Buffer) => {
    log.write(d);
    for (const line of d.toString().split('\n')) {
      if (/Building the console|build failed|Compiled|Creating an optimized|Ready in/i.test(line)) o.onProgress?.(line.trim());
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);

  const stop = async () => {
    if (child.pid && exited === undefined) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const gone = await Promise.race([
        new Promise<boolean>((r) => child.once('exit', () => r(true))),
        new Promise<boolean>((r) => setTimeout(() => r(false), 8_000)),
      ]);
      if (!gone) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    log.end();
  };

  const deadline = Date.now() + (o.timeoutMs ?? 15 * 60_000);
  try {
    while (Date.now() < deadline) {
      if (exited !== undefined) throw new Error(`npm start exited (code ${exited}); see ${logFile}`);
      if (await answers(`${baseUrl}/api/health`)) return { baseUrl, emulatorUrl, logFile, stop };
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`The console did not answer on ${baseUrl} in time; see ${logFile}`);
  } catch (e) {
    await stop();
    throw e;
  }
}
