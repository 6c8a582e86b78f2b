/**
 * DATABASE_URL: which store the console uses. Unset = the embedded SQLite file <dataDir>/console.db;
 * postgres:// or postgresql:// = a PostgreSQL server (several console instances may share it).
 * Pure parsing (no I/O), used by lib/env.ts; `describeDatabase` is the only form ever printed (no password).
 */
export type DatabaseConfig =
  | { dialect: 'sqlite'; file?: undefined; url?: undefined }
  | { dialect: 'postgres'; url: string; host: string; port: number; database: string; user?: string };

export function parseDatabaseUrl(raw: string | undefined): { config: DatabaseConfig; problem?: string } {
  const v = raw?.trim();
  if (!v) return { config: { dialect: 'sqlite' } };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(v)?.[1]?.toLowerCase();
  if (scheme !== 'postgres' && scheme !== 'postgresql') {
    return {
      config: { dialect: 'sqlite' },
      problem: `DATABASE_URL must start with postgres:// or postgresql:// (got ${scheme ? `"${scheme}:"` : 'no scheme'}); unset it to use the embedded SQLite store`,
    };
  }
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return { config: { dialect: 'sqlite' }, problem: 'DATABASE_URL is not a valid URL, e.g. postgres://console:PASSWORD@db.example.com:5432/console' };
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!u.hostname && !u.searchParams.get('host')) return { config: { dialect: 'sqlite' }, problem: 'DATABASE_URL must name a host, e.g. postgres://console:PASSWORD@db.example.com:5432/console' };
  if (!database) return { config: { dialect: 'sqlite' }, problem: 'DATABASE_URL must name a database, e.g. postgres://console:PASSWORD@db.example.com:5432/console' };
  return {
    config: {
      dialect: 'postgres',
      url: v,
      host: u.hostname || (u.searchParams.get('host') ?? ''),
      port: Number(u.port || 5432),
      database,
      user: u.username ? decodeURIComponent(u.username) : undefined,
    },
  };
}

/** "postgres://console@db.example.com:5432/console" — never the password. */
export function describeDatabase(c: DatabaseConfig, sqliteFile?: string): string {
  if (c.dialect === 'sqlite') return sqliteFile ? `sqlite ${sqliteFile}` : 'sqlite';
  return `postgres://${c.user ? `${encodeURIComponent(c.user)}@` : ''}${c.host}:${c.port}/${c.database}`;
}
