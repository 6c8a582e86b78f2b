import { NextResponse } from 'next/server';
import { requireUser } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { parseClusterParams } from '@/lib/http/params';
import { getClusterMetrics } from '@/lib/aws/metrics';
import { parseRange } from '@/lib/aws/metrics-period';

export const dynamic = 'force-dynamic';

/** Authenticated polling of a cluster's chart data (?range=3h or ?start=&end=). Read-only, cached server-side. */
export async function GET(req: Request, ctx: { params: Promise<{ region: string; clusterId: string }> }) {
  try {
    await requireUser();
    const { region, clusterId } = parseClusterParams(await ctx.params);
    const url = new URL(req.url);
    const range = parseRange(Object.fromEntries(url.searchParams), Date.now());
    if (!range.ok) return NextResponse.json({ error: range.error, code: 'BAD_RANGE' }, { status: 400 });
    const data = await getClusterMetrics(region, clusterId, range);
    return NextResponse.json(data, { headers: { 'cache-control': 'no-store' } });
  } catch (e) {
    if (isAppError(e)) return NextResponse.json({ error: e.message, code: e.code }, { status: e.status });
    console.error('metrics route failed:', e instanceof Error ? e.message : 'unknown error');
    return NextResponse.json({ error: 'Could not read the metrics.' }, { status: 500 });
  }
}
