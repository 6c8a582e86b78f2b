import 'server-only';
import { NextResponse } from 'next/server';
import { isAppError } from '@/lib/errors';
import { assertConfiguredRegion } from '@/lib/aws/regions';

/** Shared by the cluster polling routes: JSON, no caching, AppError → its status, anything else → 500 without internals. */
export async function respond(fn: () => Promise<unknown>): Promise<NextResponse> {
  try {
    return NextResponse.json(await fn(), { headers: { 'cache-control': 'no-store' } });
  } catch (e) {
    if (isAppError(e)) return NextResponse.json({ error: e.message, code: e.code }, { status: e.status, headers: { 'cache-control': 'no-store' } });
    console.error('cluster route failed:', e instanceof Error ? e.message : 'unknown error');
    return NextResponse.json({ error: 'Could not read the cluster.' }, { status: 500 });
  }
}

/** A region from the query string (already decoded by URLSearchParams): configured, or a 404 AppError. */
export function configuredRegion(region: string): string {
  return assertConfiguredRegion(region);
}
