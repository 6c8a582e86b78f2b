'use client';

import { TimelineSteps } from './timeline-steps';
import { formatDuration, type FailoverOpView, type FailoverTimeline as Timeline } from '@/lib/oncall/timeline-model';

/** requested → failing-over → new writer → available, with elapsed seconds; the measured duration when done. */
export function FailoverTimeline({ op, timeline, clusterId }: { op: FailoverOpView; timeline: Timeline; clusterId: string }) {
  return (
    <section aria-label={`Failover timeline of ${clusterId}`} data-testid="failover-timeline" className="rounded border border-zinc-200 p-3 dark:border-zinc-700">
      <h3 className="mb-2 text-sm font-semibold">
        {timeline.done ? 'Last failover' : timeline.failed ? 'Failover failed' : 'Failover in progress'}{' '}
        <span className="font-normal text-zinc-500">
          requested {new Date(op.requestedAt).toLocaleString()} by {op.requestedBy}
          {op.reason ? ` — “${op.reason}”` : ''}
        </span>
      </h3>
      <TimelineSteps steps={timeline.steps} testIdPrefix="timeline-step" />
      {timeline.done ? (
        <p className="mt-2 text-sm" data-testid="failover-outcome">
          Completed in <strong data-testid="failover-duration">{formatDuration(timeline.durationMs!)}</strong> (measured by the console, from the
          request to the first poll that saw the new writer and <code>available</code>):{' '}
          <span data-testid="failover-writers">
            <code>{timeline.oldWriter ?? '?'}</code> → <code data-testid="new-writer">{timeline.newWriter ?? '?'}</code>
          </span>
          {timeline.awsEventDurationMs !== undefined ? (
            <span className="text-zinc-500"> · AWS events: {formatDuration(timeline.awsEventDurationMs)} from start to completion</span>
          ) : null}
        </p>
      ) : timeline.failed ? (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          {op.error ?? 'The failover request failed.'}
        </p>
      ) : op.status === 'unconfirmed' ? (
        <p className="mt-2 text-sm text-zinc-500">The console stopped watching before it saw the new writer; check the cluster events.</p>
      ) : (
        <p className="mt-2 text-sm tabular-nums text-zinc-500">Elapsed {formatDuration(timeline.elapsedMs)}</p>
      )}
    </section>
  );
}
