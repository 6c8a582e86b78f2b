// Backups of a real PostgreSQL cluster: continuous WAL archiving plus base backups, which is what a snapshot and a
// point-in-time restore are made of. Layout under the cluster's data folder:
//   archive/        every WAL segment (1 MB) and timeline history file the writer completed (archive_command)
//   base/<label>/   base backups (pg_backup_start, file copy, pg_backup_stop) and base/index.json listing them
//   restore-wal/    while a restored writer recovers: the WAL its bundle brought (restore_command reads it)
// A bundle (exportData) is data/ (one base backup), wal/ (the segments from its start on) and bundle.json (the
// recovery target and the engine's admin password). Restoring copies it into a new data directory and lets
// PostgreSQL recover to the target, then promote.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { withAdmin } from './postgres-files';
import { chownTree, poll, type RunAs } from './postgres-process';

interface BaseBackup {
  label: string;
  /** First WAL segment the backup needs (from backup_label). */
  startWal: string;
  /** When pg_backup_stop returned: the earliest time a restore from this base can target. */
  endTime: number;
}

interface BackupIndex {
  bases: BaseBackup[];
  /** Everything committed before this time is in the archive, followed by a later commit (the last flush). */
  archivedThrough: number;
}

/** A bundle's recovery target: a time, the backup's consistent point, or the end of the WAL it carries. */
export type RecoveryTarget = { time: number } | 'immediate' | 'end';

export interface BundleMeta {
  family: 'postgres';
  adminPassword: string;
  target: RecoveryTarget;
  base: string;
}

const WAL_NAME = /^[0-9A-F]{24}$/;
const HISTORY = /^[0-9A-F]{8}\.history$/;
const ARCHIVE_TIMEOUT_MS = 30_000;

const confString = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
/** A path inside a shell command run by archive_command / restore_command. */
const shellPath = (v: string) => `"${v.replace(/(["\\$`])/g, '\\$1')}"`;

/** recovery_target_time as PostgreSQL reads it (UTC, milliseconds). */
export function pgTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '+00');
}

/** `cp -a` (or `cp -al`, hard links, for files nobody changes afterwards) of `sources` into the folder `dst`. A
 * file that vanishes while a running server's directory is copied is no error (WAL replay settles it). */
function cp(sources: string[], dst: string, link = false): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('cp', [link ? '-al' : '-a', ...sources, dst], (err, _out, stderr) => {
      const real = stderr.split('\n').filter((l) => l && !/No such file or directory/.test(l));
      if (err && real.length > 0) reject(new Error(`copy failed: ${real.slice(0, 3).join(' ')}`));
      else resolve();
    });
  });
}

function chownAll(targets: string[], who: RunAs): Promise<void> {
  if (who.uid === undefined) return Promise.resolve();
  return new Promise((resolve, reject) => execFile('chown', ['-R', `${who.uid}:${who.gid}`, ...targets], (err) => (err ? reject(err) : resolve())));
}

/** Copies a folder's contents into `dst` (created), hard-linked where the file system allows. */
async function linkTree(src: string, dst: string): Promise<void> {
  await fsp.mkdir(dst, { recursive: true, mode: 0o700 });
  const items = (await fsp.readdir(src)).map((n) => path.join(src, n));
  if (items.length === 0) return;
  await cp(items, dst, true).catch(() => cp(items, dst));
}

// What a base backup leaves out (the pg_basebackup list): runtime files and the contents of WAL and
// transient-state folders; the archive has the WAL.
const SKIP = new Set(['postmaster.pid', 'postmaster.opts', 'backup_label', 'tablespace_map', 'standby.signal', 'recovery.signal', 'instance.conf']);
const EMPTY = ['pg_wal', 'pg_replslot', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_stat_tmp', 'pg_subtrans'];

async function copyDataDir(src: string, dst: string): Promise<void> {
  await fsp.mkdir(dst, { mode: 0o700 });
  const items = (await fsp.readdir(src)).filter((n) => !SKIP.has(n) && !EMPTY.includes(n));
  await cp(items.map((n) => path.join(src, n)), dst);
  for (const d of EMPTY) await fsp.mkdir(path.join(dst, d), { mode: 0o700 });
  await fsp.mkdir(path.join(dst, 'pg_wal', 'archive_status'), { mode: 0o700 });
}

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await fsp.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? await dirBytes(p) : (await fsp.stat(p)).size;
  }
  return total;
}

export class PgBackups {
  readonly archiveDir: string;
  private readonly baseRoot: string;
  private readonly restoreWal: string;

  constructor(
    private readonly clusterDir: string,
    private readonly who: RunAs,
  ) {
    this.archiveDir = path.join(clusterDir, 'archive');
    this.baseRoot = path.join(clusterDir, 'base');
    this.restoreWal = path.join(clusterDir, 'restore-wal');
  }

  /** instance.conf lines every instance gets: completed WAL segments go to the cluster's archive. */
  confLines(): string[] {
    const dst = (f: string) => shellPath(path.join(this.archiveDir, f));
    return [`archive_command = ${confString(`cp %p ${dst('%f.tmp')} && mv ${dst('%f.tmp')} ${dst('%f')}`)}`];
  }

  async prepare(): Promise<void> {
    for (const d of [this.archiveDir, this.baseRoot]) {
      await fsp.mkdir(d, { recursive: true, mode: 0o700 });
      await chownTree(d, this.who);
    }
  }

  private index(): BackupIndex {
    try {
      return JSON.parse(fs.readFileSync(path.join(this.baseRoot, 'index.json'), 'utf8')) as BackupIndex;
    } catch {
      return { bases: [], archivedThrough: 0 };
    }
  }

  private async saveIndex(idx: BackupIndex): Promise<void> {
    const file = path.join(this.baseRoot, 'index.json');
    await fsp.writeFile(`${file}.tmp`, JSON.stringify(idx), { mode: 0o600 });
    await fsp.rename(`${file}.tmp`, file);
  }

  /** What a restore can reach: from the oldest base backup to now (writer running) or the last archived commit. */
  window(writerRunning: boolean): { earliest: number; latest: number } | undefined {
    const idx = this.index();
    if (idx.bases.length === 0) return undefined;
    return { earliest: idx.bases[0].endTime + 1, latest: writerRunning ? Date.now() : idx.archivedThrough };
  }

  /** A base backup of the running writer into base/<label>; pg_backup_stop waits until its WAL is archived. */
  async takeBase(writerDir: string, port: number, password: string): Promise<BaseBackup> {
    await this.prepare();
    const label = `base-${Date.now()}`;
    const dst = path.join(this.baseRoot, label);
    let labelfile = '';
    await withAdmin(port, password, async (c) => {
      await c.query(`SET statement_timeout = ${ARCHIVE_TIMEOUT_MS}`);
      await c.query('SELECT pg_backup_start($1, true)', [label]);
      let stopped = false;
      try {
        await copyDataDir(writerDir, dst);
        const res = await c.query<{ labelfile: string; spcmapfile: string }>('SELECT labelfile, spcmapfile FROM pg_backup_stop(true)');
        stopped = true;
        labelfile = res.rows[0].labelfile;
        await fsp.writeFile(path.join(dst, 'backup_label'), labelfile, { mode: 0o600 });
        if (res.rows[0].spcmapfile) await fsp.writeFile(path.join(dst, 'tablespace_map'), res.rows[0].spcmapfile, { mode: 0o600 });
      } finally {
        if (!stopped) await c.query('SELECT pg_backup_stop(false)').catch(() => undefined);
      }
    });
    const startWal = /START WAL LOCATION: .*\(file ([0-9A-F]{24})\)/.exec(labelfile)?.[1];
    if (!startWal) throw new Error(`base backup ${label}: no START WAL LOCATION in its backup_label`);
    const base: BaseBackup = { label, startWal, endTime: Date.now() };
    const idx = this.index();
    idx.bases.push(base);
    await this.saveIndex(idx);
    return base;
  }

  /**
   * Makes everything committed until now part of the archive: one more commit (so a recovery target before now
   * has a transaction after it to stop at), a switch to a new WAL segment, and a wait until that one is archived.
   */
  async flush(port: number, password: string, after?: number): Promise<void> {
    if (after !== undefined) while (Date.now() <= after + 1) await new Promise((r) => setTimeout(r, 2));
    // Everything committed before `at` is archived, and the marker commit after it gives recovery a place to stop.
    const at = Date.now();
    const file = await withAdmin(port, password, async (c) => {
      await c.query('SELECT txid_current()');
      return (await c.query<{ f: string }>('SELECT pg_walfile_name(pg_switch_wal()) AS f')).rows[0].f;
    });
    await poll(`WAL segment ${file} to be archived`, ARCHIVE_TIMEOUT_MS, () => (fs.existsSync(path.join(this.archiveDir, file)) ? true : undefined), 20);
    const idx = this.index();
    idx.archivedThrough = Math.max(idx.archivedThrough, at);
    await this.saveIndex(idx);
  }

  /**
   * Writes a bundle into `dir`: for 'now', a fresh base backup (writer running) or the latest base plus all
   * archived WAL (no writer); for a time, the latest base that ends before it plus the WAL after it.
   */
  async exportTo(at: number | 'now', dir: string, adminPassword: string, writer?: { dir: string; port: number }): Promise<{ bytes: number }> {
    let base: BaseBackup | undefined;
    let target: RecoveryTarget;
    if (at === 'now') {
      base = writer ? await this.takeBase(writer.dir, writer.port, adminPassword) : this.index().bases.at(-1);
      target = writer ? 'immediate' : 'end';
      if (!base) throw new Error('this cluster has no backup yet: its writer has never run');
    } else {
      const idx = this.index();
      base = idx.bases.filter((b) => b.endTime < at).at(-1);
      if (!base) throw new Error(`${new Date(at).toISOString()} is before the earliest restorable time of this cluster`);
      if (writer) await this.flush(writer.port, adminPassword, at);
      target = writer || at < idx.archivedThrough ? { time: at } : 'end';
    }
    // Base backups and archived segments never change: the bundle hard-links them (its own copy of the inodes).
    await linkTree(path.join(this.baseRoot, base.label), path.join(dir, 'data'));
    const wal = path.join(dir, 'wal');
    await fsp.mkdir(wal, { mode: 0o700 });
    const segments = (await fsp.readdir(this.archiveDir)).filter((f) => HISTORY.test(f) || (WAL_NAME.test(f) && f.slice(8) >= base.startWal.slice(8)));
    if (segments.length) await cp(segments.map((f) => path.join(this.archiveDir, f)), wal, true).catch(() => cp(segments.map((f) => path.join(this.archiveDir, f)), wal));
    const meta: BundleMeta = { family: 'postgres', adminPassword, target, base: base.label };
    await fsp.writeFile(path.join(dir, 'bundle.json'), JSON.stringify(meta), { mode: 0o600 });
    return { bytes: await dirBytes(dir) };
  }

  /**
   * Puts a bundle's data into a new writer's data directory and returns its admin password and the recovery
   * settings for the writer's first start (restore_command, the target, promote when reached).
   */
  async restoreInto(bundleDir: string, dataDir: string): Promise<{ adminPassword: string; conf: string[] }> {
    const meta = JSON.parse(await fsp.readFile(path.join(bundleDir, 'bundle.json'), 'utf8')) as BundleMeta;
    if (meta.family !== 'postgres') throw new Error(`the bundle holds ${meta.family} data, not PostgreSQL`);
    await this.prepare();
    await fsp.rm(dataDir, { recursive: true, force: true });
    await fsp.rm(this.restoreWal, { recursive: true, force: true });
    // A real copy: the server changes its data files, the bundle's must stay as they are.
    await fsp.mkdir(dataDir, { mode: 0o700 });
    await cp((await fsp.readdir(path.join(bundleDir, 'data'))).map((n) => path.join(bundleDir, 'data', n)), dataDir);
    await fsp.mkdir(this.restoreWal, { mode: 0o700 });
    const wal = (await fsp.readdir(path.join(bundleDir, 'wal'))).map((n) => path.join(bundleDir, 'wal', n));
    if (wal.length) await cp(wal, this.restoreWal, true).catch(() => cp(wal, this.restoreWal));
    await fsp.writeFile(path.join(dataDir, 'recovery.signal'), '', { mode: 0o600 });
    await chownAll([dataDir, this.restoreWal], this.who);
    const src = (f: string) => shellPath(path.join(this.restoreWal, f));
    const conf = [`restore_command = ${confString(`cp ${src('%f')} %p`)}`, "recovery_target_timeline = 'latest'"];
    if (meta.target === 'immediate') conf.push("recovery_target = 'immediate'");
    else if (meta.target !== 'end') conf.push(`recovery_target_time = ${confString(pgTime(meta.target.time))}`, 'recovery_target_inclusive = on');
    if (meta.target !== 'end') conf.push("recovery_target_action = 'promote'");
    return { adminPassword: meta.adminPassword, conf };
  }

  /** Waits until the restored writer has finished recovery and promoted itself; then its bundle's WAL goes. */
  async finishRestore(port: number, password: string): Promise<void> {
    await poll('the restored writer to finish recovery', 60_000, () =>
      withAdmin(port, password, async (c) => ((await c.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0].r ? undefined : true)).catch(() => undefined),
    100);
    await fsp.rm(this.restoreWal, { recursive: true, force: true });
  }
}
