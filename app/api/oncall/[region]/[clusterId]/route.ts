import { NextResponse } from 'next/server';
import { requireUser } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { parseClusterParams } from '@/lib/http/params';
import { getOncallStatus } from '@/lib/oncall/status';

export const dynamic = 'force-dynamic';

/** Authenticated polling of a cluster's on-call status (failover timeline, backtrack progress). Read-only. */
export async function GET(_req: Request, ctx: { params: Promise<{ region: string; clusterId: string }> }) {
  try {
    await requireUser();
    const { region, clusterId } = parseClusterParams(await ctx.params);
    const status = await getOncallStatus(region, clusterId);
    return NextResponse.json(status, { headers: { 'cache-control': 'no-store' } });
  } catch (e) {
    if (isAppError(e)) return NextResponse.json({ error: e.message, code: e.code }, { status: e.status });
    console.error('oncall status route failed:', e instanceof Error ? e.message : 'unknown error');
    return NextResponse.json({ error: 'Could not read the cluster status.' }, { status: 500 });
  }
}
