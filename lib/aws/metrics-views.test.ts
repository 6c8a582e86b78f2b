import { describe, expect, it } from 'vitest';
import { shapeClusterPanels, toColumns } from './metrics-views';
import type { BatchResult } from './metrics-batch';
import type { ClusterDTO } from './types';

describe('toColumns', () => {
  it('merges series onto one ascending time axis, null where a series has no point, values to 3 decimals', () => {
    const out = toColumns([
      { key: 'a', timestamps: [120, 0, 60], values: [3, 1, 2.00049] },
      { key: 'b', timestamps: [60, 180], values: [NaN, 7] },
    ]);
    expect(out.t).toEqual([0, 60, 120, 180]);
    expect(out.values).toEqual({ a: [1, 2, 3, null], b: [null, null, null, 7] });
  });
  it('a series without points is a column of nulls; no series gives an empty axis', () => {
    expect(toColumns([{ key: 'a', timestamps: [5], values: [1] }, { key: 'z', timestamps: [], values: [] }]).values.z).toEqual([null]);
    expect(toColumns([])).toEqual({ t: [], values: {} });
  });
});

describe('roles in the legend after a failover', () => {
  // Three instances, no lag data before the failover (a new cluster): the data cannot tell who the writer was.
  const cluster = {
    id: 'c',
    region: 'us-east-1',
    engine: 'aurora-postgresql',
    writerId: 'i-2',
    instances: [{ id: 'i-1' }, { id: 'i-2' }, { id: 'i-3' }],
  } as unknown as ClusterDTO;
  const batch = { series: {}, messages: [], calls: 1, metricsRequested: 0, fetchedAt: 0 } as unknown as BatchResult;
  const w = { start: 0, end: 3_600_000 };
  const failovers = [{ t: 1_800_000, to: 'i-2' }];
  const labels = (panels: ReturnType<typeof shapeClusterPanels>) => panels.find((p) => p.id === 'cpu')!.series.map((s) => s.label);

  it('without the console having seen the writer, the old writer is unknown before the failover', () => {
    expect(labels(shapeClusterPanels(cluster, batch, w, failovers))).toEqual(['i-1 (unknown → reader)', 'i-2 (reader → writer)', 'i-3 (unknown → reader)']);
  });
  it('with the writer the console saw before the failover, every role is named', () => {
    const seen = (from: number, before: number) => (from <= 600_000 && before > 600_000 ? 'i-1' : undefined);
    expect(labels(shapeClusterPanels(cluster, batch, w, failovers, seen))).toEqual(['i-1 (writer → reader)', 'i-2 (reader → writer)', 'i-3 (reader)']);
  });
});
