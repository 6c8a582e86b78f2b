import 'server-only';
// Events of a cluster and its instances (paged DescribeEvents), shared through the read cache.
import { DescribeEventsCommand } from '@aws-sdk/client-rds';
import { rdsClient } from '../clients';
import { toAppError } from '../errors';
import { collectPages } from '../paginate';
import { readMaxAge } from '../poll-schedule';
import { cachedRead } from '../read-cache';
import type { EventDTO } from '../types';
import { toEventDTO } from './mapping';

/** Pages read per source type (2000 events); a longer listing is cut there rather than failing. */
const EVENT_PAGES = 20;

async function describeAllEvents(region: string, input: { SourceType: string; SourceIdentifier?: string; StartTime: Date; EndTime: Date }): Promise<EventDTO[]> {
  const events = await collectPages(
    (marker) => rdsClient(region).send(new DescribeEventsCommand({ ...input, SourceType: input.SourceType as 'db-cluster', Marker: marker, MaxRecords: 100 })),
    (page) => page.Events,
    undefined,
    EVENT_PAGES,
  );
  return events.map((ev) => toEventDTO(ev, input.SourceType));
}

/** Which events: since `since` (ms) or in the last `hours` (default 24), at most `limit` of them. */
interface EventSpan {
  hours?: number;
  since?: number;
  limit?: number;
}

/**
 * Events of the cluster and its instances since `since` (ms) or in the last `hours` (default 24), newest
 * first. Two paged calls: db-cluster events for the cluster, db-instance events of the region filtered to
 * the given instances, instances named after the cluster (`<cluster>-…`) or named in the cluster's own
 * events, and events that mention the cluster, so removed readers still show.
 */
export function listEvents(region: string, clusterId: string, instanceIds: string[], opts: EventSpan = {}): Promise<EventDTO[]> {
  const span = opts.since !== undefined ? `since=${opts.since}` : `${opts.hours ?? 24}h`;
  const key = `events:${clusterId.toLowerCase()}:${[...instanceIds].map((i) => i.toLowerCase()).sort().join(',')}:${span}:${opts.limit ?? ''}`;
  return cachedRead(region, key, readMaxAge(region, 'events'), () => loadEvents(region, clusterId, instanceIds, opts));
}

/**
 * A removed reader's events have no member to match: accept instances named `<cluster>-<n>`,
 * `<cluster>-instance-<n>` or `<cluster>-<word>` (the console's and AWS console's defaults), but not
 * `<cluster>-<word>-<n>`, which is how another cluster's instances look (`orders` vs `orders-prod-1`).
 */
export function namedAfterCluster(instanceId: string, cid: string): boolean {
  const s = instanceId.toLowerCase();
  return s.startsWith(`${cid}-`) && /^(instance-)?[a-z0-9]+$/.test(s.slice(cid.length + 1));
}

/** The cluster's id as a whole word in an event message (not `orders` inside `orders-prod`). */
export function mentionsCluster(message: string, cid: string): boolean {
  const m = message.toLowerCase();
  for (let i = m.indexOf(cid); i >= 0; i = m.indexOf(cid, i + 1)) {
    const before = i === 0 ? '' : m[i - 1];
    const after = m[i + cid.length] ?? '';
    if (!/[a-z0-9-]/.test(before) && !/[a-z0-9-]/.test(after)) return true;
  }
  return false;
}

async function loadEvents(region: string, clusterId: string, instanceIds: string[], opts: EventSpan): Promise<EventDTO[]> {
  const EndTime = new Date();
  const StartTime = new Date(opts.since ?? EndTime.getTime() - (opts.hours ?? 24) * 3600_000);
  const cid = clusterId.toLowerCase();
  const ids = new Set(instanceIds.map((i) => i.toLowerCase()));
  try {
    const [clusterEvents, instanceEvents] = await Promise.all([
      describeAllEvents(region, { SourceType: 'db-cluster', SourceIdentifier: clusterId, StartTime, EndTime }),
      describeAllEvents(region, { SourceType: 'db-instance', StartTime, EndTime }),
    ]);
    for (const e of clusterEvents) for (const m of e.message.matchAll(/instance:?\s+([a-z][a-z0-9-]*)/gi)) ids.add(m[1].toLowerCase());
    const mine = instanceEvents.filter((e) => ids.has(e.sourceId.toLowerCase()) || namedAfterCluster(e.sourceId, cid) || mentionsCluster(e.message, cid));
    const all = [...clusterEvents, ...mine].sort((a, b) => b.date.localeCompare(a.date));
    return opts.limit ? all.slice(0, opts.limit) : all;
  } catch (e) {
    throw toAppError(e);
  }
}
