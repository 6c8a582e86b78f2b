import { NextResponse } from 'next/server';
import { requireUser } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { getEnv } from '@/lib/env';
import { getFleetHealth } from '@/lib/aws/metrics';
import { parseRange } from '@/lib/aws/metrics-period';

export const dynamic = 'force-dynamic';

/** Authenticated polling of the fleet health data: one cluster listing and one metric batch per region. */
export async function GET(req: Request) {
  try {
    await requireUser();
    const url = new URL(req.url);
    const range = parseRange(Object.fromEntries(url.searchParams), Date.now());
    if (!range.ok) return NextResponse.json({ error: range.error, code: 'BAD_RANGE' }, { status: 400 });
    const regions = await getFleetHealth(getEnv().regions, range);
    return NextResponse.json({ regions, fetchedAt: Date.now() }, { headers: { 'cache-control': 'no-store' } });
  } catch (e) {
    if (isAppError(e)) return NextResponse.json({ error: e.message, code: e.code }, { status: e.status });
    console.error('fleet metrics route failed:', e instanceof Error ? e.message : 'unknown error');
    return NextResponse.json({ error: 'Could not read the fleet metrics.' }, { status: 500 });
  }
}
