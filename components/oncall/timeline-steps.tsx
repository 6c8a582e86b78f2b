'use client';
// The steps of a watched operation (a cluster failover, a global switchover or failover): a dot per step
// (done, current, pending, too brief to see, failed) and the seconds since the request when it was seen.
import type { FailoverTimeline } from '@/lib/oncall/timeline-model';

const dot: Record<string, string> = {
  done: 'bg-emerald-500',
  current: 'bg-amber-500 animate-pulse',
  pending: 'bg-zinc-300 dark:bg-zinc-600',
  skipped: 'bg-emerald-300 dark:bg-emerald-800',
  failed: 'bg-red-600',
};

/** `testIdPrefix` names each step `<prefix>-<key>` (e.g. timeline-step-new-writer). */
export function TimelineSteps({ steps, testIdPrefix }: { steps: FailoverTimeline['steps']; testIdPrefix: string }) {
  return (
    <ol className="space-y-1" aria-live="polite">
      {steps.map((s) => (
        <li key={s.key} className="flex items-center gap-2 text-sm" data-state={s.state} data-testid={`${testIdPrefix}-${s.key}`}>
          <span aria-hidden className={`inline-block h-2.5 w-2.5 shrink-0 rounded-full ${dot[s.state]}`} />
          <span className={s.state === 'pending' ? 'text-zinc-600 dark:text-zinc-400' : ''}>{s.label}</span>
          <span className="ml-auto tabular-nums text-zinc-600 dark:text-zinc-400">
            {s.elapsedS !== undefined ? `+${s.elapsedS.toFixed(1)} s` : s.state === 'skipped' ? 'too brief to see' : s.state === 'current' ? '…' : ''}
          </span>
        </li>
      ))}
    </ol>
  );
}
