// Pure model of the live timeline of a global switchover / failover: the failover timeline's steps (requested →
// Aurora working → new primary → available, measured by the console's polls), in the words of a global database.
import { buildFailoverTimeline, type FailoverOpView, type FailoverTimeline } from './timeline-model';

export type GlobalOpMode = 'switchover' | 'failover';

export function buildGlobalTimeline(mode: GlobalOpMode, op: FailoverOpView, now: number): FailoverTimeline {
  const t = buildFailoverTimeline(op, [], now);
  const what = mode === 'switchover' ? 'Switchover' : 'Failover (data loss allowed)';
  const labels: Record<string, string> = {
    requested: `${what} to ${op.target ?? '?'} requested by ${op.requestedBy}`,
    'failing-over':
      mode === 'switchover'
        ? 'Aurora waits until the target is in sync, then swaps the roles'
        : 'Aurora promotes the target at once (what had not replicated is lost)',
    'new-writer': op.newWriter ? `New primary is ${op.newWriter}` : 'New primary',
    available: 'Global database available',
  };
  return { ...t, steps: t.steps.map((s) => ({ ...s, label: labels[s.key] ?? s.label })) };
}

export function modeOfKind(kind: string): GlobalOpMode {
  return kind === 'global-failover' ? 'failover' : 'switchover';
}
