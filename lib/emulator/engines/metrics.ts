// Metrics measured on the real engines: the supervisor samples each instance's counters every few seconds and
// folds them into 1-minute points (per-second rates for the throughput metrics, the average connection count, the
// largest replica lag), kept in the emulator's database. The CloudWatch side reads them in place of the simulated
// values from the moment the cluster's engine exists (dataplane/metrics.ts).
import type Database from 'better-sqlite3';
import { measuredClusterKey, MEASURED_METRICS } from '../dataplane/metrics';
import type { MeasuredSeries } from '../dataplane/types';
import type { EngineCounters } from './types';

type MeasuredMetric = (typeof MEASURED_METRICS)[number];

const MINUTE = 60_000;

interface MinuteAcc {
  minute: number;
  commits: number;
  dml: number;
  selects: number;
  seconds: number;
  connSum: number;
  connSamples: number;
  lagMax: number;
}

export class EngineMetrics {
  private readonly last = new Map<string, EngineCounters>();
  private readonly acc = new Map<string, MinuteAcc>();
  /** Change-record counts of the last five minutes per cluster, for the creation rate. */
  private readonly records = new Map<string, { at: number; n: number }[]>();
  private readonly upsert: Database.Statement;
  private readonly select: Database.Statement;

  constructor(private readonly db: Database.Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS engine_minutes (
        region TEXT NOT NULL, instance_id TEXT NOT NULL, metric TEXT NOT NULL, minute INTEGER NOT NULL, value REAL NOT NULL,
        PRIMARY KEY (region, instance_id, metric, minute)
      );
      CREATE TABLE IF NOT EXISTS engine_measured (region TEXT NOT NULL, instance_id TEXT NOT NULL, since INTEGER NOT NULL,
        PRIMARY KEY (region, instance_id));
    `);
    this.upsert = db.prepare('INSERT OR REPLACE INTO engine_minutes (region, instance_id, metric, minute, value) VALUES (?, ?, ?, ?, ?)');
    this.select = db.prepare(
      'SELECT minute, value FROM engine_minutes WHERE region = ? AND instance_id = ? AND metric = ? AND minute >= ? AND minute < ? ORDER BY minute',
    );
  }

  /** Marks an instance as measured from `since` (its engine's first start). */
  begin(region: string, instanceId: string, since: number): void {
    this.db.prepare('INSERT OR IGNORE INTO engine_measured (region, instance_id, since) VALUES (?, ?, ?)').run(region, instanceId, since);
  }

  /** Folds one sample of an instance's counters into its current minute. */
  record(region: string, instanceId: string, c: EngineCounters): void {
    const k = `${region}/${instanceId}`;
    const prev = this.last.get(k);
    this.last.set(k, c);
    const minute = Math.floor(c.at / MINUTE) * MINUTE;
    let a = this.acc.get(k);
    if (!a || a.minute !== minute) {
      a = { minute, commits: 0, dml: 0, selects: 0, seconds: 0, connSum: 0, connSamples: 0, lagMax: NaN };
      this.acc.set(k, a);
    }
    a.connSum += c.connections;
    a.connSamples++;
    if (c.replicaLagMs !== undefined && !(c.replicaLagMs <= a.lagMax)) a.lagMax = c.replicaLagMs;
    if (prev && c.at > prev.at) {
      // Counters start again from 0 when the engine restarts.
      const delta = (now: number, before: number) => (now >= before ? now - before : now);
      a.commits += delta(c.commits, prev.commits);
      a.dml += delta(c.dml, prev.dml);
      a.selects += delta(c.selects, prev.selects);
      a.seconds += (c.at - prev.at) / 1000;
    }
    const put = (metric: MeasuredMetric, v: number) => {
      if (Number.isFinite(v)) this.upsert.run(region, instanceId, metric, minute, Math.round(v * 1000) / 1000);
    };
    if (a.seconds > 0) {
      // Per second over the minute so far: never over less time than has passed in it, so the first seconds an
      // instance is measured (two samples a few ms apart) do not turn a handful of commits into hundreds a second.
      const seconds = Math.max(a.seconds, (c.at - minute) / 1000);
      put('CommitThroughput', a.commits / seconds);
      put('DMLThroughput', a.dml / seconds);
      put('SelectThroughput', a.selects / seconds);
    }
    put('DatabaseConnections', a.connSum / a.connSamples);
    put('AuroraReplicaLag', a.lagMax);
  }

  /**
   * What an aurora-mysql engine retains for backtrack, sampled: BacktrackWindowActual (whole minutes, at most the
   * target window) on the writer; BacktrackChangeRecordsStored and BacktrackChangeRecordsCreationRate (records
   * created in the last five minutes) on the cluster.
   */
  recordBacktrack(region: string, clusterId: string, writerId: string | undefined, at: number, v: { earliest: number; changeRecords: number; targetSeconds: number }): void {
    const minute = Math.floor(at / MINUTE) * MINUTE;
    const k = measuredClusterKey(clusterId);
    this.begin(region, k, at);
    const recent = (this.records.get(`${region}/${k}`) ?? []).filter((r) => r.at > at - 5 * MINUTE && r.n <= v.changeRecords);
    recent.push({ at, n: v.changeRecords });
    this.records.set(`${region}/${k}`, recent);
    this.upsert.run(region, k, 'BacktrackChangeRecordsStored', minute, v.changeRecords);
    this.upsert.run(region, k, 'BacktrackChangeRecordsCreationRate', minute, v.changeRecords - recent[0].n);
    if (!writerId) return;
    this.begin(region, writerId, at);
    const minutes = Math.floor(Math.min(v.targetSeconds * 1000, Math.max(0, at - v.earliest)) / MINUTE);
    this.upsert.run(region, writerId, 'BacktrackWindowActual', minute, minutes);
  }

  /** The instance's measured series, or undefined while it has none. */
  measured(region: string, instanceId: string): MeasuredSeries | undefined {
    const row = this.db.prepare('SELECT since FROM engine_measured WHERE region = ? AND instance_id = ?').get(region, instanceId) as
      | { since: number }
      | undefined;
    if (!row) return undefined;
    return {
      since: row.since,
      minutes: (metric: string, from: number, to: number) => {
        const out = new Map<number, number>();
        for (const r of this.select.all(region, instanceId, metric, from, to) as { minute: number; value: number }[]) out.set(r.minute, r.value);
        return out;
      },
    };
  }
}
