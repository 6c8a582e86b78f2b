import { NextResponse } from 'next/server';
import { requireRole } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { getAwsCallCounters } from '@/lib/aws/clients';
import { getMetricCounters } from '@/lib/aws/metrics';

export const dynamic = 'force-dynamic';

/** Admins: GetMetricData calls, metrics requested (what AWS bills), cache hits and the AWS call counters. */
export async function GET() {
  try {
    await requireRole('admin');
    return NextResponse.json({ metrics: getMetricCounters(), aws: getAwsCallCounters() }, { headers: { 'cache-control': 'no-store' } });
  } catch (e) {
    if (isAppError(e)) return NextResponse.json({ error: e.message, code: e.code }, { status: e.status });
    return NextResponse.json({ error: 'Could not read the counters.' }, { status: 500 });
  }
}
