import type { AuditRow } from './log';

const AUDIT_CSV_COLUMNS = ['seq', 'time', 'actor', 'role', 'action', 'phase', 'region', 'target', 'aws_request_id', 'error', 'correlation_id', 'params', 'hash'] as const;

/**
 * One CSV cell (RFC 4180 quoting). Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR)
 * are prefixed with a quote so an exported audit log cannot execute anything.
 */
export function csvCell(v: unknown): string {
  let s = v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function auditCsvHeader(): string {
  return AUDIT_CSV_COLUMNS.join(',') + '\r\n';
}

export function auditCsvLine(r: AuditRow): string {
  return (
    [r.seq, r.at, r.actor, r.role, r.action, r.phase, r.region, r.target, r.awsRequestId, r.error, r.correlationId, r.params, r.hash]
      .map(csvCell)
      .join(',') + '\r\n'
  );
}
