import { requireUser } from '@/lib/auth/session';
import { AppError } from '@/lib/errors';
import { loadCatalog } from '@/lib/aws/rds/catalogue';
import { ENGINES } from '@/lib/aws/types';
import { configuredRegion, respond } from '../respond';

export const dynamic = 'force-dynamic';

/** Authenticated: engine versions, orderable instance classes and subnet groups for the create form (refetched when engine/version change). */
export async function GET(req: Request) {
  return respond(async () => {
    await requireUser();
    const q = new URL(req.url).searchParams;
    const region = configuredRegion(q.get('region') ?? '');
    const engine = q.get('engine') ?? '';
    if (!(ENGINES as readonly string[]).includes(engine)) throw new AppError('INVALID_ENGINE', 'engine must be aurora-mysql or aurora-postgresql.', { status: 400 });
    return loadCatalog(region, engine, q.get('version') || undefined);
  });
}
