// Pure model of the failover timeline shown on the cluster page (shared by the polling route and the client:
// no server-only imports, only a type from ./operations).
import type { OncallOperation } from './operations';

/** What the timeline needs of an on-call operation record (a type-only import: nothing server-side ships). */
export type FailoverOpView = Pick<
  OncallOperation,
  | 'id' | 'requestedBy' | 'requestedAt' | 'status' | 'oldWriter' | 'target' | 'reason' | 'awsRequestId'
  | 'failingOverSeenAt' | 'newWriter' | 'newWriterSeenAt' | 'completedAt' | 'error'
>;

export interface TimelineEvent {
  at: string; // ISO
  message: string;
  sourceId?: string;
}

export interface TimelineStep {
  key: 'requested' | 'failing-over' | 'new-writer' | 'available';
  label: string;
  /** ms since epoch when the console saw this step; undefined when not (yet) seen. */
  at?: number;
  /** Seconds since the request when the step was seen. */
  elapsedS?: number;
  state: 'done' | 'current' | 'pending' | 'skipped' | 'failed';
}

export interface FailoverTimeline {
  steps: TimelineStep[];
  done: boolean;
  failed: boolean;
  /** Measured: from the request to the first poll that saw the new writer and `available`. */
  durationMs?: number;
  elapsedMs: number;
  oldWriter?: string;
  newWriter?: string;
  /** AWS's own view from events: 'Started … failover' → 'Completed failover', when both were seen. */
  awsEventDurationMs?: number;
}

const sec = (ms: number) => Math.round(ms / 100) / 10;

export function buildFailoverTimeline(op: FailoverOpView, events: TimelineEvent[], now: number): FailoverTimeline {
  const t0 = op.requestedAt;
  const failed = op.status === 'failed';
  const done = op.status === 'completed';
  const step = (key: TimelineStep['key'], label: string, at: number | undefined): TimelineStep => ({
    key,
    label,
    at,
    elapsedS: at === undefined ? undefined : sec(at - t0),
    state: at !== undefined ? 'done' : 'pending',
  });
  const steps: TimelineStep[] = [
    step('requested', `Failover requested by ${op.requestedBy}${op.target ? ` (target ${op.target})` : ' (Aurora chooses by tier)'}`, t0),
    step('failing-over', 'Cluster failing-over', op.failingOverSeenAt),
    step('new-writer', op.newWriter ? `New writer is ${op.newWriter}` : 'New writer', op.newWriterSeenAt),
    step('available', 'Cluster available', op.completedAt),
  ];
  // The failing-over status can be too brief for a poll to see; once the new writer is known it was passed.
  if (steps[1].at === undefined && (steps[2].at !== undefined || done)) steps[1].state = 'skipped';
  if (failed) {
    const firstPending = steps.find((s) => s.state === 'pending');
    if (firstPending) firstPending.state = 'failed';
  } else if (!done && op.status !== 'unconfirmed') {
    const firstPending = steps.find((s) => s.state === 'pending');
    if (firstPending) firstPending.state = 'current';
  }
  const started = events.find((e) => /Started (cross|same) AZ failover/i.test(e.message));
  const completed = events.find((e) => /Completed failover/i.test(e.message));
  const awsEventDurationMs = started && completed ? Date.parse(completed.at) - Date.parse(started.at) : undefined;
  return {
    steps,
    done,
    failed,
    durationMs: done && op.completedAt !== undefined ? op.completedAt - t0 : undefined,
    elapsedMs: (op.completedAt ?? now) - t0,
    oldWriter: op.oldWriter,
    newWriter: op.newWriter,
    awsEventDurationMs: awsEventDurationMs !== undefined && awsEventDurationMs >= 0 ? awsEventDurationMs : undefined,
  };
}

export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${sec(ms).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}
