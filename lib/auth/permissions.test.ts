import { describe, expect, it } from 'vitest';
import { ACTIONS, ROLES, can, roleAtLeast, type AuditAction } from './permissions';

describe('permission table', () => {
  it('orders roles viewer < operator < admin', () => {
    expect(roleAtLeast('admin', 'operator')).toBe(true);
    expect(roleAtLeast('operator', 'operator')).toBe(true);
    expect(roleAtLeast('viewer', 'operator')).toBe(false);
    expect(roleAtLeast('operator', 'admin')).toBe(false);
  });

  it('gives operators the on-call actions and admins everything', () => {
    expect(can('operator', 'cluster.failover')).toBe(true);
    expect(can('operator', 'instance.create')).toBe(true);
    expect(can('operator', 'cluster.backtrack')).toBe(false);
    expect(can('operator', 'cluster.delete')).toBe(false);
    expect(can('viewer', 'instance.reboot')).toBe(false);
    expect(can('viewer', 'auth.signin')).toBe(true);
    for (const a of Object.keys(ACTIONS) as AuditAction[]) expect(can('admin', a)).toBe(true);
  });

  it('refuses unknown actions and roles (fail closed)', () => {
    expect(can('admin', 'cluster.explode' as AuditAction)).toBe(false);
    expect(can('root' as never, 'auth.signin')).toBe(false);
    expect(ROLES).toEqual(['viewer', 'operator', 'admin']);
  });
});
