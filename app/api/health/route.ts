export const dynamic = 'force-dynamic';

/** Liveness for e2e and load balancers. No auth, no data. */
export function GET(): Response {
  return Response.json({ ok: true }, { headers: { 'Cache-Control': 'no-store' } });
}
