// Backtrack in place on MariaDB. The writer's binary log (ROW format, full row images) holds every row change since
// its history base; `mariadb-binlog --flashback` turns the changes after T into their inverse (an insert becomes a
// delete, an update swaps its images), newest first, and the writer applies them as new transactions — so the
// readers, which replicate the writer, follow by themselves. During the rewind the writer is fenced: client sessions
// are dropped and it is read-only to them.
//
// Not reverted (flashback works on row events only): DDL after T (a table created after T stays, emptied of its
// rows; a table dropped or altered after T stays as it is — changes to a dropped table are skipped), accounts and
// grants changed after T. T is rounded to its whole second (binary log timestamps are whole seconds): changes
// committed within T's own second are kept.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RowDataPacket } from 'mysql2/promise';
import { binlogCut, binlogDatetime, binlogFiles, requireMariadb, sqlFileInto, toolToFile, type HistoryAccess } from './mysql-backup';
import { companionBinary } from './mysql-server';
import { gtidPosition, killClientConnections, setReadOnly, waitForPosition } from './mysql-sql';

const ROW_EVENT = /^(Write|Update|Delete)_rows/;

export interface BacktrackResult {
  /** Row events undone. */
  reverted: number;
  /** Reverse changes that could not apply because their table no longer exists (dropped after T). */
  skipped: number;
}

/** Rewinds the writer's data to `toTime` and waits until every running reader has applied the rewind. */
export async function backtrackWriter(h: HistoryAccess, toTime: number): Promise<BacktrackResult> {
  requireMariadb(h.server, 'Backtrack');
  const w = h.writer();
  if (w.baseAt === undefined) throw new Error(`the binary log of ${w.id} does not reach back to a known base; it cannot be backtracked`);
  if (toTime < w.baseAt) {
    throw new Error(`${new Date(toTime).toISOString()} is before the earliest backtrack time of this cluster (${new Date(w.baseAt).toISOString()})`);
  }
  const cut = binlogCut(toTime);
  await h.admin(w.id, async (conn) => {
    const [[fmt]] = await conn.query<RowDataPacket[]>('SELECT @@GLOBAL.binlog_format AS f, @@GLOBAL.binlog_row_image AS i');
    if (fmt.f !== 'ROW' || fmt.i !== 'FULL') throw new Error(`backtrack needs binlog_format=ROW and binlog_row_image=FULL (the writer has ${fmt.f}/${fmt.i})`);
    await killClientConnections(conn);
    await setReadOnly(conn, 'mariadb', true);
    await killClientConnections(conn);
    await conn.query('FLUSH BINARY LOGS');
  });
  const part = path.join(w.dir, 'backtrack-part.sql');
  const sql = path.join(w.dir, 'backtrack.sql');
  try {
    // Newest file first: the inverse changes must apply in the reverse order of the originals.
    let text = '';
    for (const log of (await binlogFiles(h, w)).reverse()) {
      await toolToFile(companionBinary(h.server, 'binlog'), ['--flashback', `--start-datetime=${binlogDatetime(cut)}`, log], part, {
        ...process.env,
        TZ: 'UTC',
      });
      text += await readFile(part, 'utf8');
    }
    const reverted = (text.match(/^#\d{6} .*\t(Write|Update|Delete)_rows/gm) ?? []).length;
    // The inverse changes are made now: without the originals' timestamps the log stays in time order.
    await writeFile(sql, text.replace(/^SET TIMESTAMP=[\d.]+\/\*!\*\/;$/gm, ''), { mode: 0o600 });
    const { code, errors } = await sqlFileInto(h, w.socket, sql, ['--force']);
    const failures = errors.split('\n').filter((l) => l.startsWith('ERROR'));
    const missingTable = failures.filter((l) => l.startsWith('ERROR 1146'));
    if (code !== 0 && failures.length > missingTable.length) {
      throw new Error(`backtrack could not undo every change: ${failures.filter((l) => !l.startsWith('ERROR 1146')).slice(0, 3).join('; ')}`);
    }
    const position = await h.admin(w.id, (conn) => gtidPosition(conn, 'mariadb'));
    await Promise.all(h.readers().map((r) => h.admin(r.id, (conn) => waitForPosition(conn, 'mariadb', position, 60))));
    return { reverted, skipped: missingTable.length };
  } finally {
    await h.admin(w.id, (conn) => setReadOnly(conn, 'mariadb', false)).catch(() => undefined);
    await rm(part, { force: true });
    await rm(sql, { force: true });
  }
}

/**
 * The change records backtrack can undo: row events in the writer's binary log, counted incrementally (each file
 * from where the last count stopped), so reading the figure stays cheap.
 */
export class BinlogTally {
  changeRecords = 0;
  private writer?: string;
  private readonly files = new Map<string, { pos: number; rows: number }>();
  private running?: Promise<void>;

  /** Starts a count in the background (one at a time); the figure updates when it finishes. */
  refresh(h: HistoryAccess): Promise<void> {
    this.running ??= this.count(h)
      .catch(() => undefined)
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async count(h: HistoryAccess): Promise<void> {
    const w = h.writer();
    if (w.id !== this.writer) {
      this.writer = w.id;
      this.files.clear();
    }
    await h.admin(w.id, async (conn) => {
      const logs = (await conn.query<RowDataPacket[]>('SHOW BINARY LOGS'))[0].map((r) => String(r.Log_name));
      for (const f of [...this.files.keys()]) if (!logs.includes(f)) this.files.delete(f);
      for (const f of logs) {
        const st = this.files.get(f) ?? { pos: 0, rows: 0 };
        for (;;) {
          const from = st.pos ? ` FROM ${Number(st.pos)}` : '';
          const [events] = await conn.query<RowDataPacket[]>(`SHOW BINLOG EVENTS IN ?${from} LIMIT 5000`, [f]);
          for (const e of events) if (ROW_EVENT.test(String(e.Event_type))) st.rows++;
          if (events.length) st.pos = Number(events[events.length - 1].End_log_pos);
          if (events.length < 5000) break;
        }
        this.files.set(f, st);
      }
      this.changeRecords = [...this.files.values()].reduce((a, b) => a + b.rows, 0);
    });
  }
}
