// PutMetricData points, stored in the emulator's SQLite database (table cw_datapoints).
// Each row is a statistic set (SampleCount, Sum, Minimum, Maximum) for one timestamp; a single value
// is stored as a set of one sample. Rows are merged with the simulated AWS/RDS series on read.
import type Database from 'better-sqlite3';

export interface Dimension {
  Name: string;
  Value: string;
}

export interface StoredPoint {
  /** ms since epoch */
  ts: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  unit: string | null;
  /** Raw values (for percentiles); undefined for statistic sets. */
  values?: number[];
}

export interface StoredMetric {
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
}

/** Canonical key of a dimension set: sorted by name, JSON. Exact-match semantics use this. */
export function dimsKey(dims: readonly Dimension[]): string {
  const sorted = [...dims].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  return JSON.stringify(sorted.map((d) => [d.Name, d.Value]));
}

function dimsFromKey(key: string): Dimension[] {
  return (JSON.parse(key) as [string, string][]).map(([Name, Value]) => ({ Name, Value }));
}

export interface PutRow {
  namespace: string;
  metricName: string;
  dims: Dimension[];
  ts: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  unit?: string;
  resolution: number;
}

export class MetricStore {
  private readonly insert: Database.Statement;
  private readonly select: Database.Statement;
  private readonly listStmt: Database.Statement;

  constructor(private readonly db: Database.Database) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS cw_datapoints (
        region TEXT NOT NULL, namespace TEXT NOT NULL, metric_name TEXT NOT NULL, dims TEXT NOT NULL,
        ts INTEGER NOT NULL, sample_count REAL NOT NULL, sum REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL,
        unit TEXT, resolution INTEGER NOT NULL DEFAULT 60
      );
      CREATE INDEX IF NOT EXISTS cw_datapoints_metric ON cw_datapoints (region, namespace, metric_name, dims, ts);
    `);
    this.insert = db.prepare(
      `INSERT INTO cw_datapoints (region, namespace, metric_name, dims, ts, sample_count, sum, min, max, unit, resolution)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.select = db.prepare(
      `SELECT ts, sample_count, sum, min, max, unit FROM cw_datapoints
       WHERE region = ? AND namespace = ? AND metric_name = ? AND dims = ? AND ts >= ? AND ts < ? ORDER BY ts`,
    );
    this.listStmt = db.prepare(
      `SELECT namespace, metric_name, dims, MAX(ts) AS last FROM cw_datapoints WHERE region = ?
       GROUP BY namespace, metric_name, dims ORDER BY namespace, metric_name, dims`,
    );
  }

  put(region: string, rows: readonly PutRow[]): void {
    const tx = this.db.transaction(() => {
      for (const r of rows) {
        this.insert.run(region, r.namespace, r.metricName, dimsKey(r.dims), r.ts, r.count, r.sum, r.min, r.max, r.unit ?? null, r.resolution);
      }
    });
    tx();
  }

  /** Points of one metric (exact dimension set) in [from, to), sorted by time. */
  points(region: string, namespace: string, metricName: string, dims: readonly Dimension[], from: number, to: number): StoredPoint[] {
    const rows = this.select.all(region, namespace, metricName, dimsKey(dims), from, to) as {
      ts: number;
      sample_count: number;
      sum: number;
      min: number;
      max: number;
      unit: string | null;
    }[];
    return rows.map((r) => ({
      ts: r.ts,
      count: r.sample_count,
      sum: r.sum,
      min: r.min,
      max: r.max,
      unit: r.unit,
      values: r.min === r.max ? [r.min] : undefined,
    }));
  }

  /** Distinct stored metrics with the time of their latest point. */
  metrics(region: string): (StoredMetric & { last: number })[] {
    const rows = this.listStmt.all(region) as { namespace: string; metric_name: string; dims: string; last: number }[];
    return rows.map((r) => ({ namespace: r.namespace, metricName: r.metric_name, dimensions: dimsFromKey(r.dims), last: r.last }));
  }

  reset(): void {
    this.db.exec('DELETE FROM cw_datapoints');
  }
}
