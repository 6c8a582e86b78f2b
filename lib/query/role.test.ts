import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '@/lib/env';
import { ACTIONS } from '@/lib/auth/permissions';

describe('AFC_QUERY_ROLE', () => {
  it('cluster.query is admin by default', () => {
    expect(ACTIONS['cluster.query']).toBe('admin');
    expect(parseEnv({}, { persistSecret: false }).queryRole).toBe('admin');
  });

  it('accepts viewer, operator or admin', () => {
    expect(parseEnv({ AFC_QUERY_ROLE: 'operator' }, { persistSecret: false }).queryRole).toBe('operator');
    expect(parseEnv({ AFC_QUERY_ROLE: ' viewer ' }, { persistSecret: false }).queryRole).toBe('viewer');
  });

  it('refuses anything else with a readable problem', () => {
    expect(() => parseEnv({ AFC_QUERY_ROLE: 'root' }, { persistSecret: false })).toThrow(EnvError);
    try {
      parseEnv({ AFC_QUERY_ROLE: 'root' }, { persistSecret: false });
    } catch (e) {
      expect((e as EnvError).problems).toEqual(['AFC_QUERY_ROLE must be one of viewer, operator, admin (got "root")']);
    }
  });
});
