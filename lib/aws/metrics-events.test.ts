import { describe, expect, it } from 'vitest';
import { failoversFromEvents, roleAt, roleLabel, rolesOverTime, toMarker, type RawEvent } from './metrics-events';

const M = 60_000;
const t0 = Date.UTC(2026, 0, 1, 12);

const ev = (min: number, message: string, sourceId = 'c1', categories: string[] = []): RawEvent => ({
  date: t0 + min * M,
  message,
  sourceId,
  categories,
});

describe('role labelling across a failover', () => {
  const events = [
    ev(20, 'Started cross AZ failover to DB instance: db-2', 'c1', ['failover']),
    ev(21, 'Completed failover to DB instance: db-2', 'c1', ['failover']),
  ];
  const failovers = failoversFromEvents(events);

  it('labels the old writer reader after the failover and the promoted reader writer', () => {
    const roles = rolesOverTime({ instances: ['db-1', 'db-2', 'db-3'], currentWriter: 'db-2', failovers, start: t0, end: t0 + 60 * M, initialWriter: 'db-1' });
    expect(roleAt(roles['db-1'], t0 + 10 * M)).toBe('writer');
    expect(roleAt(roles['db-1'], t0 + 30 * M)).toBe('reader');
    expect(roleAt(roles['db-2'], t0 + 10 * M)).toBe('reader');
    expect(roleAt(roles['db-2'], t0 + 30 * M)).toBe('writer');
    expect(roleAt(roles['db-3'], t0 + 30 * M)).toBe('reader');
    expect(roleLabel(roles['db-1'])).toBe('writer → reader');
    expect(roleLabel(roles['db-2'])).toBe('reader → writer');
    expect(roleLabel(roles['db-3'])).toBe('reader');
  });

  it('infers the writer before the failover in a two-instance cluster', () => {
    const roles = rolesOverTime({ instances: ['db-1', 'db-2'], currentWriter: 'db-2', failovers, start: t0, end: t0 + 60 * M });
    expect(roleLabel(roles['db-1'])).toBe('writer → reader');
    expect(roleLabel(roles['db-2'])).toBe('reader → writer');
  });

  it('handles two failovers (there and back) and one after the window', () => {
    const fo = failoversFromEvents([
      ev(10, 'Completed failover to DB instance: db-2'),
      ev(40, 'Completed failover to DB instance: db-1'),
      ev(90, 'Completed failover to DB instance: db-2'),
    ]);
    const roles = rolesOverTime({ instances: ['db-1', 'db-2', 'db-3'], currentWriter: 'db-2', failovers: fo, start: t0, end: t0 + 60 * M, initialWriter: 'db-1' });
    expect(roleLabel(roles['db-1'])).toBe('writer → reader → writer');
    expect(roleLabel(roles['db-2'])).toBe('reader → writer → reader');
    // After minute 40 and until the window end db-1 was the writer, though db-2 is the writer now.
    expect(roleAt(roles['db-1'], t0 + 59 * M)).toBe('writer');
    expect(roles['db-1'][roles['db-1'].length - 1].to).toBe(t0 + 60 * M);
  });

  it('uses the current writer when there was no failover', () => {
    const roles = rolesOverTime({ instances: ['a', 'b'], currentWriter: 'b', failovers: [], start: t0, end: t0 + M });
    expect(roleLabel(roles.a)).toBe('reader');
    expect(roleLabel(roles.b)).toBe('writer');
  });
});

describe('event markers', () => {
  it('classifies failover, backtrack, reader added/removed and reboot', () => {
    expect(toMarker(ev(1, 'Completed failover to DB instance: db-2', 'c1', ['failover']))).toMatchObject({ kind: 'failover', label: 'Failover → db-2' });
    expect(toMarker(ev(1, 'Started cross AZ failover to DB instance: db-2', 'c1', ['failover']))).toBeUndefined();
    expect(toMarker(ev(1, 'Backtrack to 2026-01-01T10:00:00Z completed.', 'c1', ['backtrack']))?.kind).toBe('backtrack');
    expect(toMarker(ev(1, 'DB instance created.', 'db-4', ['creation']))?.kind).toBe('reader-added');
    expect(toMarker(ev(1, 'DB instance deleted.', 'db-4', ['deletion']))?.kind).toBe('reader-removed');
    expect(toMarker(ev(1, 'DB instance restarted.', 'db-3', ['availability']))?.kind).toBe('reboot');
    expect(toMarker(ev(1, 'DB cluster created.', 'c1', ['creation']))).toBeUndefined();
  });
});
