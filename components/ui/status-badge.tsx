import { FAILED_STATUSES, isTransitional } from '@/lib/aws/types';

type StatusTone = 'ok' | 'busy' | 'warn' | 'bad' | 'info' | 'idle';

/** Outcomes (audit phases) that read as success or as refusal; RDS statuses never use these words. */
const OK_STATUSES: ReadonlySet<string> = new Set(['available', 'succeeded', 'approved']);
const REFUSED_STATUSES: ReadonlySet<string> = new Set(['refused', 'rejected']);
const WAITING_STATUSES: ReadonlySet<string> = new Set(['pending-approval', 'expired']);

/**
 * The one status → tone mapping for RDS cluster/instance statuses and audit phases: `available` is ok, a
 * transitional status is busy, a failed status is bad; anything unknown (e.g. `stopped`) is idle.
 */
export function statusTone(status: string | undefined): StatusTone {
  if (!status) return 'idle';
  if (OK_STATUSES.has(status)) return 'ok';
  if (isTransitional(status)) return 'busy';
  if (FAILED_STATUSES.has(status) || REFUSED_STATUSES.has(status)) return 'bad';
  if (WAITING_STATUSES.has(status)) return 'warn';
  if (status === 'requested') return 'info';
  return 'idle';
}

const TONES: Record<StatusTone, string> = {
  ok: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300',
  busy: 'bg-amber-100 text-amber-900 ring-1 ring-amber-400 dark:bg-amber-950 dark:text-amber-300',
  warn: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-300',
  bad: 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300',
  info: 'bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-300',
  idle: 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300',
};

/** A status pill; a transitional status also gets a pulsing dot. */
export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  const busy = isTransitional(status);
  return (
    <span
      data-testid={testId}
      data-status={status}
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium ${TONES[statusTone(status)]}`}
    >
      {busy ? <span aria-hidden className="inline-block h-1.5 w-1.5 animate-pulse rounded-full bg-current" /> : null}
      {status}
    </span>
  );
}
