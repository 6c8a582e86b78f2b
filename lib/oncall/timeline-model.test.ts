import { describe, expect, it } from 'vitest';
import { buildFailoverTimeline, formatDuration, type FailoverOpView } from './timeline-model';

const base: FailoverOpView = { id: 'op1', requestedBy: 'op', requestedAt: 1_000_000, status: 'in-progress', oldWriter: 'w-1' };

describe('buildFailoverTimeline', () => {
  it('marks the first unseen step as current while in progress', () => {
    const t = buildFailoverTimeline({ ...base, failingOverSeenAt: 1_001_500 }, [], 1_003_000);
    expect(t.steps.map((s) => s.state)).toEqual(['done', 'done', 'current', 'pending']);
    expect(t.steps[1].elapsedS).toBe(1.5);
    expect(t.done).toBe(false);
    expect(t.durationMs).toBeUndefined();
    expect(t.elapsedMs).toBe(3000);
  });

  it('gives the measured duration and old → new writer when complete; a missed failing-over is skipped', () => {
    const t = buildFailoverTimeline(
      { ...base, status: 'completed', newWriter: 'r-2', newWriterSeenAt: 1_004_000, completedAt: 1_004_200 },
      [
        { at: new Date(1_000_100).toISOString(), message: 'Started cross AZ failover to DB instance: r-2' },
        { at: new Date(1_002_100).toISOString(), message: 'Completed failover to DB instance: r-2' },
      ],
      2_000_000,
    );
    expect(t.steps.map((s) => s.state)).toEqual(['done', 'skipped', 'done', 'done']);
    expect(t.steps[2].label).toBe('New writer is r-2');
    expect(t.durationMs).toBe(4200);
    expect(t.awsEventDurationMs).toBe(2000);
    expect(formatDuration(t.durationMs!)).toBe('4.2 s');
  });

  it('marks the step that did not happen as failed', () => {
    const t = buildFailoverTimeline({ ...base, status: 'failed', error: 'boom' }, [], 1_001_000);
    expect(t.failed).toBe(true);
    expect(t.steps[1].state).toBe('failed');
  });
});
