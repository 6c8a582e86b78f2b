'use client';

import { TimelineSteps } from './timeline-steps';
import { formatDuration, type FailoverOpView, type FailoverTimeline } from '@/lib/oncall/timeline-model';
import type { GlobalOpMode } from '@/lib/oncall/global-timeline';

/** requested → Aurora switching → new primary → available, with elapsed seconds; the measured duration when done. */
export function GlobalTimeline({ mode, op, timeline, globalId }: { mode: GlobalOpMode; op: FailoverOpView; timeline: FailoverTimeline; globalId: string }) {
  const what = mode === 'switchover' ? 'switchover' : 'failover';
  return (
    <section aria-label={`Timeline of the ${what} of ${globalId}`} data-testid="global-timeline" data-mode={mode} className="rounded border border-zinc-200 p-3 dark:border-zinc-700">
      <h3 className="mb-2 text-sm font-semibold">
        {timeline.done ? `Last ${what}` : timeline.failed ? `The ${what} failed` : `${mode === 'switchover' ? 'Switchover' : 'Failover'} in progress`}{' '}
        <span className="font-normal text-zinc-600 dark:text-zinc-400">
          requested {new Date(op.requestedAt).toLocaleString()} by {op.requestedBy}
          {op.reason ? ` — “${op.reason}”` : ''}
        </span>
      </h3>
      <TimelineSteps steps={timeline.steps} testIdPrefix="global-step" />
      {timeline.done ? (
        <p className="mt-2 text-sm" data-testid="global-outcome">
          Completed in <strong data-testid="global-duration">{formatDuration(timeline.durationMs!)}</strong> (measured by the console, from the request to the
          first poll that saw the new primary and the global database <code>available</code>):{' '}
          <span data-testid="global-primaries">
            <code>{timeline.oldWriter ?? '?'}</code> → <code data-testid="global-new-primary">{timeline.newWriter ?? '?'}</code>
          </span>
        </p>
      ) : timeline.failed ? (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          {op.error ?? `The ${what} request failed.`}
        </p>
      ) : op.status === 'unconfirmed' ? (
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">The console stopped watching before it saw the new primary; check the events.</p>
      ) : (
        <p className="mt-2 text-sm tabular-nums text-zinc-600 dark:text-zinc-400">Elapsed {formatDuration(timeline.elapsedMs)}</p>
      )}
    </section>
  );
}
