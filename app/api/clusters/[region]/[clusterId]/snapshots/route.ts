import { requireUser } from '@/lib/auth/session';
import { listClusterSnapshots } from '@/lib/aws/rds/snapshots';
import { parseClusterParams } from '@/lib/http/params';
import { respond } from '../../../respond';

export const dynamic = 'force-dynamic';

/** Authenticated: one page of the cluster's snapshots (manual and automated), `?marker=` for the next page. Read-only. */
export async function GET(req: Request, ctx: { params: Promise<{ region: string; clusterId: string }> }) {
  return respond(async () => {
    await requireUser();
    const { region, clusterId } = parseClusterParams(await ctx.params);
    const marker = new URL(req.url).searchParams.get('marker')?.slice(0, 1024) || undefined;
    return await listClusterSnapshots(region, clusterId, { marker });
  });
}
