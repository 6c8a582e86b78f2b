import { metricsAccess, metricsText } from '@/lib/metrics/endpoint';

export const dynamic = 'force-dynamic';

/** Prometheus scrape endpoint: AFC_METRICS_TOKEN as a Bearer token, or loopback clients only (see README). */
export async function GET(req: Request): Promise<Response> {
  const access = metricsAccess(req.headers);
  if (!access.ok) return Response.json({ error: access.error }, { status: access.status, headers: { 'cache-control': 'no-store' } });
  return new Response(await metricsText(), { headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' } });
}
