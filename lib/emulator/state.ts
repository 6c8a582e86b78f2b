// Persistence for the emulator (SQLite, WAL): one JSON document per resource, an events table,
// and a small key/value table. The same database handle is given to the CloudWatch service.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

export type DocKind = 'cluster' | 'instance' | 'deleted-cluster' | 'cluster-snapshot' | 'global-cluster';

export interface StoredEvent {
  region: string;
  time: number;
  sourceType: string;
  sourceId: string;
  sourceArn: string;
  message: string;
  categories: string[];
}

export class EmulatorState {
  readonly db: Database.Database;
  readonly file: string;
  private readonly putStmt: Database.Statement;
  private readonly delStmt: Database.Statement;
  private readonly evStmt: Database.Statement;

  constructor(dataDir: string) {
    if (dataDir === ':memory:') {
      this.file = ':memory:';
      this.db = new Database(':memory:');
    } else {
      fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      this.file = path.join(dataDir, 'emulator.db');
      // Owner-only (SQLite gives the -wal/-shm files the database file's mode; older ones are fixed here).
      fs.closeSync(fs.openSync(this.file, 'a', 0o600));
      for (const f of [this.file, `${this.file}-wal`, `${this.file}-shm`]) if (fs.existsSync(f)) fs.chmodSync(f, 0o600);
      this.db = new Database(this.file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    }
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS rds_docs (
        region TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL,
        PRIMARY KEY (region, kind, id)
      );
      CREATE TABLE IF NOT EXISTS rds_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        region TEXT NOT NULL, time INTEGER NOT NULL, source_type TEXT NOT NULL, source_id TEXT NOT NULL,
        source_arn TEXT NOT NULL, message TEXT NOT NULL, categories TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS rds_events_by_time ON rds_events (region, time, seq);
      CREATE TABLE IF NOT EXISTS emulator_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    this.putStmt = this.db.prepare('INSERT OR REPLACE INTO rds_docs (region, kind, id, doc) VALUES (?, ?, ?, ?)');
    this.delStmt = this.db.prepare('DELETE FROM rds_docs WHERE region = ? AND kind = ? AND id = ?');
    this.evStmt = this.db.prepare(
      'INSERT INTO rds_events (region, time, source_type, source_id, source_arn, message, categories) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  loadDocs<T>(kind: DocKind): { region: string; id: string; doc: T }[] {
    const rows = this.db.prepare('SELECT region, id, doc FROM rds_docs WHERE kind = ?').all(kind) as {
      region: string;
      id: string;
      doc: string;
    }[];
    return rows.map((r) => ({ region: r.region, id: r.id, doc: JSON.parse(r.doc) as T }));
  }

  putDoc(region: string, kind: DocKind, id: string, doc: unknown): void {
    this.putStmt.run(region, kind, id, JSON.stringify(doc));
  }

  deleteDoc(region: string, kind: DocKind, id: string): void {
    this.delStmt.run(region, kind, id);
  }

  addEvent(e: StoredEvent): void {
    this.evStmt.run(e.region, e.time, e.sourceType, e.sourceId, e.sourceArn, e.message, JSON.stringify(e.categories));
  }

  /** Events in [start, end] of a region, oldest first (source filters applied in SQL). */
  events(region: string, start: number, end: number, sourceType?: string, sourceId?: string): StoredEvent[] {
    let sql = 'SELECT * FROM rds_events WHERE region = ? AND time >= ? AND time <= ?';
    const args: (string | number)[] = [region, start, end];
    if (sourceType) {
      sql += ' AND source_type = ?';
      args.push(sourceType);
    }
    if (sourceId) {
      sql += ' AND source_id = ?';
      args.push(sourceId);
    }
    sql += ' ORDER BY time, seq';
    const rows = this.db.prepare(sql).all(...args) as {
      region: string;
      time: number;
      source_type: string;
      source_id: string;
      source_arn: string;
      message: string;
      categories: string;
    }[];
    return rows.map((r) => ({
      region: r.region,
      time: r.time,
      sourceType: r.source_type,
      sourceId: r.source_id,
      sourceArn: r.source_arn,
      message: r.message,
      categories: JSON.parse(r.categories) as string[],
    }));
  }

  pruneEvents(before: number): void {
    this.db.prepare('DELETE FROM rds_events WHERE time < ?').run(before);
  }

  getMeta(key: string): string | undefined {
    const r = this.db.prepare('SELECT value FROM emulator_meta WHERE key = ?').get(key) as { value: string } | undefined;
    return r?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT OR REPLACE INTO emulator_meta (key, value) VALUES (?, ?)').run(key, value);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  clearRds(): void {
    this.db.exec('DELETE FROM rds_docs; DELETE FROM rds_events;');
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
