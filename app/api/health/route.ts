import { databaseHealth } from '@/lib/db/health';

export const dynamic = 'force-dynamic';

/**
 * Liveness for e2e and load balancers. No auth; no data beyond the store this instance uses (dialect and
 * host/database, never a password) and whether it answers. Always 200 while the process serves (pages of AWS
 * data still render without the database); a load balancer that should prefer instances whose actions can be
 * recorded checks `database.reachable`.
 */
export async function GET(): Promise<Response> {
  const database = await databaseHealth();
  return Response.json({ ok: true, database }, { headers: { 'Cache-Control': 'no-store' } });
}
