import { requireUser } from '@/lib/auth/session';
import { getCluster } from '@/lib/aws/rds/clusters';
import { parseClusterParams } from '@/lib/http/params';
import { respond } from '../../respond';

export const dynamic = 'force-dynamic';

/** Authenticated polling of one cluster (DTO). 401 without a session; 400/404 for a bad address; 404 when the cluster is gone. Read-only. */
export async function GET(_req: Request, ctx: { params: Promise<{ region: string; clusterId: string }> }) {
  return respond(async () => {
    await requireUser();
    const { region, clusterId } = parseClusterParams(await ctx.params);
    return { cluster: await getCluster(region, clusterId) };
  });
}
