import { describe, expect, it } from 'vitest';
import { statusTone } from './status-badge';

describe('statusTone', () => {
  it('RDS statuses: available is ok, transitional is busy, failed is bad, anything else idle', () => {
    expect(statusTone('available')).toBe('ok');
    for (const s of ['creating', 'failing-over', 'backtracking', 'modifying', 'deleting']) expect(statusTone(s)).toBe('busy');
    for (const s of ['failed', 'storage-full', 'incompatible-parameters']) expect(statusTone(s)).toBe('bad');
    for (const s of ['stopped', 'unknown', '', undefined]) expect(statusTone(s)).toBe('idle');
  });

  it('audit phases: outcomes read as ok or bad, waiting phases as warn, a request as info', () => {
    expect(statusTone('succeeded')).toBe('ok');
    expect(statusTone('approved')).toBe('ok');
    for (const s of ['failed', 'refused', 'rejected']) expect(statusTone(s)).toBe('bad');
    expect(statusTone('pending-approval')).toBe('warn');
    expect(statusTone('expired')).toBe('warn');
    expect(statusTone('requested')).toBe('info');
  });
});
