import { requireUser } from '@/lib/auth/session';
import { isAppError } from '@/lib/errors';
import { listAudit } from '@/lib/audit/log';
import { auditCsvHeader, auditCsvLine } from '@/lib/audit/csv';
import { parseAuditQuery } from '@/lib/audit/filters';

export const dynamic = 'force-dynamic';

const BATCH = 1000;
const MAX_ROWS = 200_000;

/** GET /api/audit/export?actor=&action=&target=&phase=&from=&to= — the filtered audit rows as CSV, streamed. */
export async function GET(req: Request): Promise<Response> {
  try {
    await requireUser();
  } catch (e) {
    if (isAppError(e)) return Response.json({ ok: false, code: e.code, error: e.message }, { status: e.status });
    throw e;
  }
  const { filter } = parseAuditQuery(new URL(req.url).searchParams);
  const enc = new TextEncoder();
  let offset = 0;
  let headerSent = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(enc.encode('\uFEFF' + auditCsvHeader()));
        return;
      }
      const rows = await listAudit({ ...filter, limit: BATCH, offset });
      offset += rows.length;
      if (rows.length) controller.enqueue(enc.encode(rows.map(auditCsvLine).join('')));
      if (rows.length < BATCH || offset >= MAX_ROWS) controller.close();
    },
  });
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return new Response(stream, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="aurora-console-audit-${stamp}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
