import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '@/lib/env';
import { describeDatabase, parseDatabaseUrl } from './url';

const KEY = { AFC_AUDIT_KEY: 'k'.repeat(40) };

describe('DATABASE_URL', () => {
  it('unset = SQLite; postgres:// and postgresql:// = PostgreSQL, described without the password', () => {
    expect(parseEnv({}, { persistSecret: false }).database).toEqual({ dialect: 'sqlite' });
    for (const scheme of ['postgres', 'postgresql']) {
      const e = parseEnv({ DATABASE_URL: `${scheme}://console:s3cr%40t@db.example.com:6543/afc`, ...KEY }, { persistSecret: false });
      expect(e.database).toMatchObject({ dialect: 'postgres', host: 'db.example.com', port: 6543, database: 'afc', user: 'console' });
      expect(describeDatabase(e.database)).toBe('postgres://console@db.example.com:6543/afc');
    }
    expect(describeDatabase(parseDatabaseUrl('postgres://db/afc').config)).toBe('postgres://db:5432/afc');
  });

  it('an unsupported scheme, a missing database or a missing audit key is a clear start-up error that never shows the password', () => {
    const problems = (env: Record<string, string>) => {
      try {
        parseEnv(env, { persistSecret: false });
      } catch (e) {
        if (e instanceof EnvError) return e.message;
      }
      return '';
    };
    const m = problems({ DATABASE_URL: 'mysql://root:hunter22@db/afc' });
    expect(m).toContain('DATABASE_URL must start with postgres:// or postgresql:// (got "mysql:")');
    expect(m).not.toContain('hunter22');
    expect(problems({ DATABASE_URL: 'postgres://u:hunter22@db.example.com', ...KEY })).toContain('DATABASE_URL must name a database');
    const noKey = problems({ DATABASE_URL: 'postgres://u:hunter22@db.example.com/afc' });
    expect(noKey).toContain('AFC_AUDIT_KEY must be set (at least 32 characters, the same on every console instance) when DATABASE_URL is a PostgreSQL server');
    expect(noKey).not.toContain('hunter22');
  });
});
