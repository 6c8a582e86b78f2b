import type { ReactNode } from 'react';
import { cx } from './cx';

export type Tone = 'neutral' | 'good' | 'busy' | 'warn' | 'bad' | 'info';

const TONES: Record<Tone, string> = {
  neutral: 'bg-zinc-100 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200',
  good: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200',
  busy: 'bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200',
  warn: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200',
  bad: 'bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200',
  info: 'bg-violet-100 text-violet-900 dark:bg-violet-950 dark:text-violet-200',
};

export function Badge({ tone = 'neutral', className, children, title }: { tone?: Tone; className?: string; children: ReactNode; title?: string }) {
  return (
    <span title={title} className={cx('inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap', TONES[tone], className)}>
      {children}
    </span>
  );
}

/** Tone for an RDS status or an audit phase. Unknown statuses are neutral. */
export function statusTone(status: string): Tone {
  const s = status.toLowerCase();
  if (['available', 'succeeded', 'approved', 'completed', 'in-sync'].includes(s)) return 'good';
  if (['failed', 'incompatible-parameters', 'incompatible-network', 'inaccessible-encryption-credentials', 'storage-full', 'refused', 'rejected', 'deleting'].includes(s)) return 'bad';
  if (['stopped', 'stopping', 'expired', 'pending-approval', 'maintenance'].includes(s)) return 'warn';
  if (s.endsWith('ing') || s === 'requested' || s === 'pending' || s === 'in-progress') return 'busy';
  return 'neutral';
}

export function StatusBadge({ status, className }: { status: string; className?: string }) {
  return (
    <Badge tone={statusTone(status)} className={className}>
      {status}
    </Badge>
  );
}
