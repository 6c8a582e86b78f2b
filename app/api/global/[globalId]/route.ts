import { requireUser } from '@/lib/auth/session';
import { parseGlobalIdParam } from '@/lib/http/global-params';
import { getGlobalStatus } from '@/lib/oncall/global-status';
import { respond } from '../../clusters/respond';

export const dynamic = 'force-dynamic';

/** Authenticated polling of a global database: members per region, lag, the switchover/failover timeline. Read-only. */
export async function GET(_req: Request, ctx: { params: Promise<{ globalId: string }> }) {
  return respond(async () => {
    await requireUser();
    return getGlobalStatus(parseGlobalIdParam((await ctx.params).globalId));
  });
}
