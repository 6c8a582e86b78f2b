import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';
import { getEnv } from '@/lib/env';
import { normaliseIp, stampedPeer } from '@/lib/auth/client-address';
import { getMetricCounters } from '@/lib/aws/metrics';
import { readCacheSize } from '@/lib/aws/read-cache';
import { databaseHealth } from '@/lib/db/health';
import { renderPrometheus } from './registry';

/**
 * GET /api/metrics: Prometheus text. With AFC_METRICS_TOKEN set, only `Authorization: Bearer <token>` is answered;
 * without it, only loopback clients (the socket peer is 127.0.0.0/8 or ::1 and no forwarded address says
 * otherwise): a scraper on the same host, never a visitor through a proxy.
 */
const isLoopback = (ip: string) => ip === '::1' || /^127\./.test(ip);

function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
}

export function metricsAccess(headers: Headers): { ok: true } | { ok: false; status: 401 | 403; error: string } {
  const token = getEnv().metricsToken;
  if (token) {
    const m = /^Bearer\s+(.+)$/i.exec(headers.get('authorization') ?? '');
    if (m && sameSecret(m[1].trim(), token)) return { ok: true };
    return { ok: false, status: 401, error: 'Send Authorization: Bearer <AFC_METRICS_TOKEN>.' };
  }
  const peer = normaliseIp(stampedPeer(headers));
  const forwarded = (headers.get('x-forwarded-for') ?? '').split(',').map((s) => normaliseIp(s)).filter(Boolean);
  if (peer && isLoopback(peer) && forwarded.every(isLoopback)) return { ok: true };
  return { ok: false, status: 403, error: 'Metrics are served to loopback clients only; set AFC_METRICS_TOKEN to scrape from elsewhere.' };
}

export async function metricsText(): Promise<string> {
  const m = getMetricCounters();
  const db = await databaseHealth(1_000);
  return renderPrometheus([
    { name: 'afc_metric_cache_hits_total', help: 'GetMetricData results served from the console cache.', type: 'counter', samples: [{ value: m.cache.hits }] },
    { name: 'afc_metric_cache_misses_total', help: 'GetMetricData cache misses (an AWS call was made).', type: 'counter', samples: [{ value: m.cache.misses }] },
    { name: 'afc_metric_cache_inflight_joins_total', help: 'Requests that joined an identical GetMetricData call already in flight.', type: 'counter', samples: [{ value: m.cache.joins }] },
    { name: 'afc_rds_read_cache_entries', help: 'Cached RDS describe results.', type: 'gauge', samples: [{ value: readCacheSize() }] },
    { name: 'afc_database_up', help: 'Whether the console database answered (1) or not (0).', type: 'gauge', samples: [{ labels: { dialect: db.dialect }, value: db.reachable ? 1 : 0 }] },
  ]);
}
