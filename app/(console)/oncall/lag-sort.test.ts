import { describe, expect, it, vi } from 'vitest';
import type { ClusterDTO, InstanceDTO } from '@/lib/aws/types';

const h = vi.hoisted(() => ({ fail: false, queries: [] as { key: string }[] }));
vi.mock('@/lib/aws/metrics', () => ({
  planWindow: (start: number, end: number) => ({ start, end, periodSec: 60 }),
  getMetricBatch: vi.fn(async (_region: string, queries: { key: string }[]) => {
    if (h.fail) throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
    h.queries = queries;
    const series: Record<string, { key: string; timestamps: number[]; values: number[]; status: string; messages: string[] }> = {};
    for (const q of queries) series[q.key] = { key: q.key, timestamps: [1, 2], values: [5, q.key.endsWith('-3') ? 1500 : 20], status: 'Complete', messages: [] };
    return { series, messages: [], calls: 1, metricsRequested: queries.length };
  }),
}));

import { getLagForFleet } from '@/lib/oncall/lag';
import { troubleScore } from './sort';

type Fixture = Pick<ClusterDTO, 'region' | 'id' | 'engine' | 'status' | 'writerId'> & {
  instances: Pick<InstanceDTO, 'id' | 'instanceClass' | 'promotionTier' | 'status' | 'role'>[];
};
const cluster = (id: string, status = 'available', n = 3): Fixture => ({
  region: 'us-east-1',
  id,
  engine: 'aurora-mysql',
  status,
  writerId: `${id}-1`,
  instances: Array.from({ length: n }, (_, i) => ({ id: `${id}-${i + 1}`, instanceClass: 'db.r6g.large', promotionTier: 1, status: 'available', role: i === 0 ? 'writer' : 'reader' })),
});

describe('on-call lag + ordering', () => {
  it('one batch holds the fleet series and every reader; latest value per reader', async () => {
    const r = await getLagForFleet('us-east-1', [cluster('a'), cluster('b', 'available', 1)]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.byCluster.a.byInstance).toEqual({ 'a-2': 20, 'a-3': 1500 });
    expect(h.queries.filter((q) => q.key.startsWith('rlag:')).map((q) => q.key)).toEqual(['rlag:a/a-2', 'rlag:a/a-3']);
    expect(r.byCluster.b.byInstance).toEqual({});
  });

  it("the page's two reads: each cluster's worst lag for the whole fleet, readers only for the clusters shown", async () => {
    const fleet = Array.from({ length: 1000 }, (_, i) => cluster(`c${i}`, 'available', 6));
    const worst = await getLagForFleet('us-east-1', fleet, 0, { parts: 'worst', maxAgeMs: 60_000 });
    // One cluster-level lag and one commit series per cluster; no reader's own series.
    expect(h.queries).toHaveLength(2000);
    expect(h.queries.some((q) => q.key.startsWith('rlag:'))).toBe(false);
    expect(worst.ok && worst.byCluster.c7.worst).toBe(20);
    const readers = await getLagForFleet('us-east-1', fleet.slice(0, 50), 0, { parts: 'readers', maxAgeMs: 60_000 });
    expect(h.queries).toHaveLength(250);
    expect(h.queries.every((q) => q.key.startsWith('rlag:'))).toBe(true);
    expect(readers.ok && readers.byCluster.c0.byInstance).toEqual({ 'c0-2': 20, 'c0-3': 1500, 'c0-4': 20, 'c0-5': 20, 'c0-6': 20 });
    // Without the cluster-level series, the worst lag is the worst reader's.
    expect(readers.ok && readers.byCluster.c0.worst).toBe(1500);
  });

  it('degrades to "lag unavailable" when the metric layer fails', async () => {
    h.fail = true;
    const r = await getLagForFleet('us-east-1', [cluster('a')]);
    h.fail = false;
    expect(r.ok).toBe(false);
  });

  it('puts trouble first: non-available, then critical lag, then warning lag', () => {
    const t = { warn: 100, critical: 1000 };
    const rows = [
      { c: cluster('calm'), lag: 10 },
      { c: cluster('warn'), lag: 200 },
      { c: cluster('crit'), lag: 2000 },
      { c: cluster('busy', 'failing-over'), lag: 0 },
    ];
    rows.sort((x, y) => troubleScore(y.c, y.lag, t) - troubleScore(x.c, x.lag, t));
    expect(rows.map((r) => r.c.id)).toEqual(['busy', 'crit', 'warn', 'calm']);
  });
});
