import { requireUser } from '@/lib/auth/session';
import { getCluster } from '@/lib/aws/rds/clusters';
import { configuredRegion, respond } from '../../respond';

export const dynamic = 'force-dynamic';

/** Authenticated polling of one cluster (DTO). 401 without a session; 404 when the cluster is gone. Read-only. */
export async function GET(_req: Request, ctx: { params: Promise<{ region: string; clusterId: string }> }) {
  return respond(async () => {
    await requireUser();
    const { region, clusterId } = await ctx.params;
    return { cluster: await getCluster(configuredRegion(region), decodeURIComponent(clusterId)) };
  });
}
