import { requireUser } from '@/lib/auth/session';
import { getCluster } from '@/lib/aws/rds/clusters';
import { listEvents } from '@/lib/aws/rds/events';
import { parseClusterParams } from '@/lib/http/params';
import { respond } from '../../../respond';

export const dynamic = 'force-dynamic';

/** Authenticated: the cluster's and its instances' events, last `hours` (default 24, max 336), newest first. */
export async function GET(req: Request, ctx: { params: Promise<{ region: string; clusterId: string }> }) {
  return respond(async () => {
    await requireUser();
    const { region, clusterId } = parseClusterParams(await ctx.params);
    const h = Number(new URL(req.url).searchParams.get('hours') ?? 24);
    const hours = Number.isFinite(h) && h > 0 ? Math.min(h, 336) : 24;
    const cluster = await getCluster(region, clusterId);
    return { events: await listEvents(region, cluster.id, cluster.instances.map((i) => i.id), { hours, limit: 200 }) };
  });
}
