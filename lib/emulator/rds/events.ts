// DescribeEvents over the stored event log (RDS API reference, DescribeEvents): the time window
// defaults to the last hour, nothing older than the event retention (14 days) is returned.
import type { StoredEvent } from '../state';
import { Faults } from './errors';
import { EVENT_RETENTION_MS, type EventQuery } from './records';
import { settle } from './settle';
import type { RdsStore } from './store';

export function describeEvents(s: RdsStore, region: string, q: EventQuery, now: number): StoredEvent[] {
  settle(s, region, now);
  const types = [
    'db-instance', 'db-parameter-group', 'db-security-group', 'db-snapshot', 'db-cluster', 'db-cluster-snapshot',
    'custom-engine-version', 'db-proxy', 'blue-green-deployment', 'db-shard-group', 'zero-etl', 'global-cluster',
  ];
  if (q.SourceType !== undefined && !types.includes(q.SourceType)) {
    throw Faults.InvalidParameterValue(`Invalid value ${q.SourceType} for SourceType.`);
  }
  if (q.SourceIdentifier !== undefined && q.SourceType === undefined) {
    throw Faults.InvalidParameterCombination('Cannot specify source identifier without source type');
  }
  let start: number;
  let end: number;
  if (q.StartTime !== undefined || q.EndTime !== undefined) {
    end = q.EndTime ?? now;
    start = q.StartTime ?? (q.Duration !== undefined ? end - q.Duration * 60_000 : end - 60 * 60_000);
  } else {
    end = now;
    start = now - (q.Duration ?? 60) * 60_000;
  }
  start = Math.max(start, now - EVENT_RETENTION_MS);
  if (start > end) return [];
  let list = s.state.events(region, start, end, q.SourceType, q.SourceIdentifier?.toLowerCase());
  if (q.EventCategories && q.EventCategories.length > 0) {
    const cats = new Set(q.EventCategories.map((x) => x.toLowerCase()));
    list = list.filter((e) => e.categories.some((x) => cats.has(x)));
  }
  return list;
}
