import { describe, expect, it } from 'vitest';
import type { GetMetricDataCommand, GetMetricDataCommandOutput } from '@aws-sdk/client-cloudwatch';
import { fetchMetricBatches, type MetricQuery } from './metrics-batch';

const queries = (n: number): MetricQuery[] =>
  Array.from({ length: n }, (_, i) => ({ key: `s${i}`, metricName: 'CPUUtilization', dimensions: { DBInstanceIdentifier: `db-${i}` }, stat: 'Average' }));

/** A recording fake: answers each query with one point per page; `pages` pages per batch. */
function fake(pages = 1) {
  const calls: GetMetricDataCommand['input'][] = [];
  return {
    calls,
    async send(cmd: GetMetricDataCommand): Promise<GetMetricDataCommandOutput> {
      const input = cmd.input;
      calls.push(input);
      const page = input.NextToken ? Number(input.NextToken) : 0;
      const t0 = +input.StartTime! + page * 60_000;
      return {
        $metadata: {},
        MetricDataResults: input.MetricDataQueries!.map((q) => ({
          Id: q.Id,
          Label: q.Id,
          StatusCode: page + 1 < pages ? 'PartialData' : 'Complete',
          Timestamps: [new Date(t0)],
          Values: [page],
        })),
        NextToken: page + 1 < pages ? String(page + 1) : undefined,
        Messages: [],
      };
    },
  };
}

const w = { start: Date.UTC(2026, 0, 1), end: Date.UTC(2026, 0, 1, 1) };

describe('fetchMetricBatches', () => {
  it('puts up to 500 queries in one call and splits above: 1,200 queries → 3 calls', async () => {
    const f = fake();
    const res = await fetchMetricBatches(f, queries(1200), w, 60);
    expect(f.calls).toHaveLength(3);
    expect(f.calls.map((c) => c.MetricDataQueries!.length).sort((a, b) => b - a)).toEqual([500, 500, 200]);
    expect(res.calls).toBe(3);
    expect(res.metricsRequested).toBe(1200);
    expect(Object.keys(res.series)).toHaveLength(1200);
    expect(res.series.s1199.values).toEqual([0]);
  });

  it('uses one call for a view of 500 queries, and query Ids CloudWatch accepts', async () => {
    const f = fake();
    await fetchMetricBatches(f, queries(500), w, 300);
    expect(f.calls).toHaveLength(1);
    const ids = f.calls[0].MetricDataQueries!.map((q) => q.Id!);
    expect(new Set(ids).size).toBe(500);
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z0-9_]{0,254}$/);
    expect(f.calls[0].MetricDataQueries![0].MetricStat!.Period).toBe(300);
  });

  it('follows NextToken and merges pages per series, ascending', async () => {
    const f = fake(3);
    const res = await fetchMetricBatches(f, queries(2), w, 60);
    expect(f.calls).toHaveLength(3);
    expect(f.calls[1].NextToken).toBe('1');
    expect(res.series.s0.values).toEqual([0, 1, 2]);
    expect(res.series.s0.timestamps).toEqual([w.start, w.start + 60_000, w.start + 120_000]);
    expect(res.series.s0.status).toBe('Complete');
  });

  it('reports per-series status (PartialData) instead of hiding it', async () => {
    const f = {
      async send(): Promise<GetMetricDataCommandOutput> {
        return {
          $metadata: {},
          MetricDataResults: [
            { Id: 'q0', StatusCode: 'PartialData', Timestamps: [], Values: [] },
            { Id: 'q1', StatusCode: 'Complete', Timestamps: [new Date(w.start)], Values: [3] },
          ],
          Messages: [{ Code: 'MaxQueryTimeRangeExceeded', Value: 'too long' }],
        };
      },
    };
    const res = await fetchMetricBatches(f, queries(2), w, 60);
    expect(res.series.s0.status).toBe('PartialData');
    expect(res.series.s1.status).toBe('Complete');
    expect(res.messages[0]).toContain('MaxQueryTimeRangeExceeded');
  });
});
