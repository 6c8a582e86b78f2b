import { describe, expect, it } from 'vitest';
import type { DataplaneCluster } from './types';
import { RdsSeriesResolver, listRdsMetrics } from './metrics';

const MIN = 60_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');

function cluster(over: Partial<DataplaneCluster> = {}): DataplaneCluster {
  return {
    region: 'us-east-1',
    id: 'c1',
    engine: 'aurora-mysql',
    createdAt: T0,
    backtrackWindow: 3600,
    workload: 'steady',
    instances: [
      { id: 'w', instanceClass: 'db.r6g.large', createdAt: T0, availableAt: T0 + 5 * MIN },
      { id: 'r', instanceClass: 'db.r6g.large', createdAt: T0, availableAt: T0 + 5 * MIN },
    ],
    writerHistory: [{ instanceId: 'w', from: T0 + 5 * MIN }],
    failovers: [],
    backtracks: [],
    reboots: [],
    stopped: [],
    ...over,
  };
}

const inst = (id: string) => [{ Name: 'DBInstanceIdentifier', Value: id }];

function values(c: DataplaneCluster | DataplaneCluster[], metric: string, dims: { Name: string; Value: string }[], from: number, minutes: number, now = from + minutes * MIN + 3_600_000) {
  const r = new RdsSeriesResolver('us-east-1', Array.isArray(c) ? c : [c], now);
  const s = r.series(metric, dims, from, minutes);
  return s ? Array.from(s.sources[0]) : undefined;
}

describe('data plane', () => {
  it('is deterministic: the same window gives the same values on every read', () => {
    const a = values(cluster(), 'CPUUtilization', inst('w'), T0 + 60 * MIN, 120);
    const b = values(cluster(), 'CPUUtilization', inst('w'), T0 + 60 * MIN, 120);
    expect(a).toEqual(b);
    // Sub-windows agree with the larger window minute by minute.
    const c = values(cluster(), 'CPUUtilization', inst('w'), T0 + 90 * MIN, 10);
    expect(c).toEqual(a!.slice(30, 40));
    // Varies over time (noise + wave), stays in range.
    expect(new Set(a).size).toBeGreaterThan(50);
    for (const v of a!) expect(v).toBeGreaterThan(0), expect(v).toBeLessThan(100);
  });

  it('has no data before the instance was available, after deletion, while stopped, or in the future', () => {
    const c = cluster({
      instances: [
        { id: 'w', instanceClass: 'db.r6g.large', createdAt: T0, availableAt: T0 + 5 * MIN },
        { id: 'r', instanceClass: 'db.r6g.large', createdAt: T0 + 20 * MIN, availableAt: T0 + 30 * MIN, deletedAt: T0 + 50 * MIN },
      ],
      stopped: [{ from: T0 + 70 * MIN, to: T0 + 80 * MIN }],
    });
    const v = values(c, 'DatabaseConnections', inst('r'), T0, 60)!;
    for (let i = 0; i < 60; i++) {
      const has = !Number.isNaN(v[i]);
      expect(has, `minute ${i}`).toBe(i >= 30 && i < 50);
    }
    const w = values(c, 'CommitThroughput', inst('w'), T0 + 60 * MIN, 30)!;
    expect(w.slice(0, 10).every((x) => !Number.isNaN(x))).toBe(true);
    expect(w.slice(10, 20).every((x) => Number.isNaN(x))).toBe(true);
    expect(w.slice(20).every((x) => !Number.isNaN(x))).toBe(true);
    const future = values(c, 'CommitThroughput', inst('w'), T0 + 100 * MIN, 10, T0 + 104 * MIN + 5_000)!;
    expect(future.map((x) => !Number.isNaN(x))).toEqual([true, true, true, true, true, false, false, false, false, false]);
  });

  it('at failover: lag spike on readers, connection drop, and roles swap at completion', () => {
    const fo = T0 + 60 * MIN + 10_000;
    const c = cluster({
      failovers: [{ startedAt: fo, completedAt: fo + 20_000, from: 'w', to: 'r' }],
      writerHistory: [
        { instanceId: 'w', from: T0 + 5 * MIN },
        { instanceId: 'r', from: fo + 20_000 },
      ],
    });
    const from = T0 + 50 * MIN;
    const lagR = values(c, 'AuroraReplicaLag', inst('r'), from, 20)!;
    const lagW = values(c, 'AuroraReplicaLag', inst('w'), from, 20)!;
    // Before: r is the reader (small lag), w reports none. After: the reverse.
    expect(lagR.slice(0, 10).every((x) => x > 0 && x < 1_000)).toBe(true);
    expect(lagW.slice(0, 10).every(Number.isNaN)).toBe(true);
    expect(lagR.slice(11).every(Number.isNaN)).toBe(true);
    // The old writer, now a reader, shows a several-second spike that decays.
    expect(lagW[11]).toBeGreaterThan(1_000);
    expect(lagW[19]).toBeLessThan(lagW[11]);
    const maxW = values(c, 'AuroraReplicaLagMaximum', inst('w'), from, 20)!;
    const maxR = values(c, 'AuroraReplicaLagMaximum', inst('r'), from, 20)!;
    expect(maxW.slice(0, 10).every((x) => x > 0)).toBe(true);
    expect(maxR.slice(0, 10).every(Number.isNaN)).toBe(true);
    expect(maxR.slice(11), JSON.stringify(maxR)).toSatisfy((a: number[]) => a.every((x) => x > 0));
    const conn = values(c, 'DatabaseConnections', inst('w'), from, 20)!;
    expect(conn[10]).toBeLessThan(Math.min(...conn.slice(0, 10)) / 2);
    // The writer-role aggregate follows whichever instance was writer that minute.
    const commitRole = values(c, 'CommitThroughput', [{ Name: 'DBClusterIdentifier', Value: 'c1' }, { Name: 'Role', Value: 'WRITER' }], from, 20);
    const r = new RdsSeriesResolver('us-east-1', [c], from + 3 * 3_600_000).series('CommitThroughput', [{ Name: 'DBClusterIdentifier', Value: 'c1' }, { Name: 'Role', Value: 'WRITER' }], from, 20)!;
    expect(commitRole).toBeDefined();
    for (let i = 0; i < 20; i++) {
      const present = r.sources.map((s) => !Number.isNaN(s[i]));
      expect(present.filter(Boolean).length, `minute ${i}`).toBe(1);
      // The failover completes 30 s into minute 10, so r is the writer from minute 10 on.
      expect(present[i < 10 ? 0 : 1]).toBe(true);
    }
  });

  it('a new reader lags a few tens of ms more at first (cold caches), never seconds', () => {
    const c = cluster({
      instances: [
        { id: 'w', instanceClass: 'db.r6g.large', createdAt: T0, availableAt: T0 + 5 * MIN },
        { id: 'n', instanceClass: 'db.r6g.large', createdAt: T0 + 30 * MIN, availableAt: T0 + 40 * MIN },
      ],
    });
    const lag = values(c, 'AuroraReplicaLag', inst('n'), T0 + 40 * MIN, 30)!;
    const avg = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    // Aurora readers are typically within tens of ms of the writer once available.
    for (const v of lag) expect(v).toBeLessThan(100);
    expect(lag[0]).toBeGreaterThan(20);
    expect(avg(lag.slice(0, 2))).toBeGreaterThan(avg(lag.slice(-10)) + 15);
  });

  it('backtrack pauses throughput; workload scales it', () => {
    const bt = T0 + 60 * MIN;
    const c = cluster({ backtracks: [{ startedAt: bt, completedAt: bt + 90_000, backtrackTo: bt - 30 * MIN }] });
    const dml = values(c, 'DMLThroughput', inst('w'), T0 + 55 * MIN, 10)!;
    expect(dml[5]).toBeLessThan(dml[4] * 0.1);
    expect(dml[6]).toBeLessThan(dml[4] * 0.1);
    const steady = values(cluster(), 'DMLThroughput', inst('w'), T0 + 60 * MIN, 60)!;
    const heavy = values(cluster({ workload: 'write-heavy' }), 'DMLThroughput', inst('w'), T0 + 60 * MIN, 60)!;
    const idle = values(cluster({ workload: 'idle' }), 'DMLThroughput', inst('w'), T0 + 60 * MIN, 60)!;
    const avg = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    expect(avg(heavy)).toBeGreaterThan(2 * avg(steady));
    expect(avg(idle)).toBeLessThan(0.1 * avg(steady));
    // A workload change takes effect from its timestamp.
    const changed = values(cluster({ workloadHistory: [{ workload: 'idle', from: T0 + 90 * MIN }] }), 'DMLThroughput', inst('w'), T0 + 60 * MIN, 60)!;
    expect(changed.slice(0, 30)).toEqual(steady.slice(0, 30));
    expect(avg(changed.slice(30))).toBeLessThan(0.1 * avg(steady.slice(30)));
  });

  it('publishes the AWS/RDS dimension sets and respects engine rules', () => {
    const pg = cluster({ id: 'p1', engine: 'aurora-postgresql', backtrackWindow: 0, instances: [{ id: 'p1-a', instanceClass: 'db.r6g.large', createdAt: T0, availableAt: T0 }], writerHistory: [{ instanceId: 'p1-a', from: T0 }] });
    const list = listRdsMetrics([cluster(), pg]);
    const key = (m: { MetricName: string; Dimensions: { Name: string; Value: string }[] }) => `${m.MetricName}|${m.Dimensions.map((d) => `${d.Name}=${d.Value}`).join(',')}`;
    const keys = new Set(list.map(key));
    expect(keys.has('AuroraReplicaLag|DBInstanceIdentifier=r')).toBe(true);
    expect(keys.has('AuroraReplicaLag|DBClusterIdentifier=c1,Role=READER')).toBe(true);
    expect(keys.has('AuroraReplicaLagMaximum|DBInstanceIdentifier=w')).toBe(true);
    expect(keys.has('BacktrackWindowActual|DBInstanceIdentifier=w')).toBe(true);
    expect(keys.has('BacktrackChangeRecordsStored|DBClusterIdentifier=c1')).toBe(true);
    expect(keys.has('VolumeBytesUsed|DBClusterIdentifier=c1')).toBe(true);
    expect(keys.has('DMLThroughput|DBInstanceIdentifier=p1-a')).toBe(false);
    expect(keys.has('BacktrackWindowActual|DBInstanceIdentifier=p1-a')).toBe(false);
    // An instance still being created has published nothing yet; one deleted 20 days ago has aged out.
    const later = cluster({
      instances: [
        { id: 'w', instanceClass: 'db.r6g.large', createdAt: T0, availableAt: T0 + 5 * MIN },
        { id: 'new', instanceClass: 'db.r6g.large', createdAt: T0 + 30 * 86_400_000, availableAt: T0 + 30 * 86_400_000 + 10 * MIN },
        { id: 'old', instanceClass: 'db.r6g.large', createdAt: T0, availableAt: T0 + 5 * MIN, deletedAt: T0 + 10 * 86_400_000 },
      ],
    });
    const ids = new Set(listRdsMetrics([later], T0 + 30 * 86_400_000 + MIN).flatMap((m) => m.Dimensions.filter((d) => d.Name === 'DBInstanceIdentifier').map((d) => d.Value)));
    expect([...ids]).toEqual(['w']);
    // Exact dimension matching: cluster + unknown dimension → nothing.
    const r = new RdsSeriesResolver('us-east-1', [cluster()], T0 + 3 * 3_600_000);
    expect(r.series('CPUUtilization', [{ Name: 'DBClusterIdentifier', Value: 'c1' }, { Name: 'Foo', Value: 'x' }], T0, 10)).toBeUndefined();
    expect(r.series('CPUUtilization', [], T0, 10)).toBeUndefined();
    expect(r.series('VolumeBytesUsed', inst('w'), T0, 10)).toBeUndefined();
    const vol = r.series('VolumeBytesUsed', [{ Name: 'DBClusterIdentifier', Value: 'c1' }], T0 + 60 * MIN, 60)!.sources[0];
    expect(vol[59]).toBeGreaterThan(vol[0]);
    const bw = r.series('BacktrackWindowActual', inst('w'), T0 + 120 * MIN, 1)!.sources[0];
    expect(bw[0]).toBe(60);
  });
});
