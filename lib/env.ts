import 'server-only';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isRegionName } from '@/lib/aurora/rules';
import { trustedProxyProblems } from './auth/client-address';
import { parseDatabaseUrl, type DatabaseConfig } from './db/url';

/**
 * The console's configuration: the ONLY place that reads process.env.
 * One zod schema; every problem is collected into one readable EnvError (never a stack trace,
 * never a secret value in the message).
 */

export type Role = 'viewer' | 'operator' | 'admin';

/** One rule of AFC_OIDC_ROLE_MAP: `group:dba=admin`, `email:x@y=operator`, `*=viewer`. */
export interface OidcRoleRule {
  kind: 'group' | 'email' | 'any';
  value: string; // '' for kind 'any'
  role: Role;
}

export interface ConsoleEnv {
  backend: 'local' | 'aws';
  regions: string[];
  dataDir: string;
  port: number;
  emulator: { url: string; accessKeyId: string; secretAccessKey: string; profile: 'demo' | 'test' };
  /** From NEXTAUTH_SECRET / AFC_SESSION_SECRET, else generated once and persisted in <dataDir>/session-secret (mode 600). */
  sessionSecret: string;
  adminPassword?: string;
  /**
   * Optional OIDC sign-in. Roles come from `roleMap` (first matching rule wins; group rules are checked
   * before email rules before `*`). A person no rule matches is REFUSED. When AFC_OIDC_ROLE_MAP is unset
   * the map is `*=viewer` (every person the IdP authenticates may read).
   */
  oidc?: { issuer: string; clientId: string; clientSecret: string; roleMap: OidcRoleRule[] };
  twoPersonRule: { backtrack: boolean; clusterDelete: boolean; failover: boolean; snapshotDelete: boolean; globalFailover: boolean };
  lagThresholdsMs: { warn: number; critical: number };
  /** AFC_TRUSTED_PROXIES: IPs/CIDRs of reverse proxies whose X-Forwarded-For is believed (empty = none). */
  trustedProxies: string[];
  /** AFC_AUDIT_KEY: the audit chain's HMAC key; unset = generated once into <dataDir>/audit.key (mode 600). */
  auditKey?: string;
  /** AFC_QUERY_ROLE: the lowest role that may run SQL on a cluster (the `cluster.query` permission); default admin. */
  queryRole: Role;
  /** NEXTAUTH_URL when set (decides secure cookies). */
  publicUrl?: string;
  nodeEnv: 'development' | 'production' | 'test';
  /** DATABASE_URL: SQLite (default, <dataDir>/console.db) or a PostgreSQL server shared by several instances. */
  database: DatabaseConfig;
  /** AFC_METRICS_TOKEN: Bearer token for /api/metrics; unset = loopback clients only. */
  metricsToken?: string;
}

export class EnvError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
    this.problems = problems;
  }
}

const ROLE_VALUES = ['viewer', 'operator', 'admin'] as const;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const optStr = z.preprocess(blankToUndefined, z.string().optional());

function intVar(name: string, def: number, min: number, max: number) {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return def;
        if (!/^\d+$/.test(v)) {
          ctx.addIssue({ code: 'custom', message: `${name} must be a whole number (got "${v}")` });
          return z.NEVER;
        }
        const n = Number(v);
        if (n < min || n > max) {
          ctx.addIssue({ code: 'custom', message: `${name} must be between ${min} and ${max} (got ${n})` });
          return z.NEVER;
        }
        return n;
      }),
  );
}

export function parseRoleMap(raw: string): { rules: OidcRoleRule[]; problems: string[] } {
  const rules: OidcRoleRule[] = [];
  const problems: string[] = [];
  for (const part of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.lastIndexOf('=');
    const lhs = eq > 0 ? part.slice(0, eq).trim() : '';
    const role = eq > 0 ? part.slice(eq + 1).trim() : '';
    if (!lhs || !(ROLE_VALUES as readonly string[]).includes(role)) {
      problems.push(`AFC_OIDC_ROLE_MAP entry "${part}" must look like group:NAME=ROLE, email:ADDRESS=ROLE or *=ROLE with ROLE one of ${ROLE_VALUES.join(', ')}`);
      continue;
    }
    if (lhs === '*') rules.push({ kind: 'any', value: '', role: role as Role });
    else if (lhs.startsWith('group:') && lhs.length > 6) rules.push({ kind: 'group', value: lhs.slice(6), role: role as Role });
    else if (lhs.startsWith('email:') && lhs.includes('@')) rules.push({ kind: 'email', value: lhs.slice(6).toLowerCase(), role: role as Role });
    else problems.push(`AFC_OIDC_ROLE_MAP entry "${part}" must start with group:, email: or be *=ROLE`);
  }
  return { rules, problems };
}

const TWO_PERSON_NAMES: Record<string, keyof ConsoleEnv['twoPersonRule']> = {
  backtrack: 'backtrack',
  'cluster.backtrack': 'backtrack',
  'cluster.delete': 'clusterDelete',
  delete: 'clusterDelete',
  clusterdelete: 'clusterDelete',
  failover: 'failover',
  'cluster.failover': 'failover',
  'snapshot.delete': 'snapshotDelete',
  snapshotdelete: 'snapshotDelete',
  'global.failover': 'globalFailover',
};

const schema = z.object({
  AFC_BACKEND: z.preprocess(
    blankToUndefined,
    z.enum(['local', 'aws'], { error: (i) => `AFC_BACKEND must be "local" or "aws" (got "${String(i.input)}")` }).default('local'),
  ),
  AFC_REGIONS: optStr,
  AWS_REGION: optStr,
  AWS_DEFAULT_REGION: optStr,
  AFC_DATA_DIR: optStr,
  PORT: intVar('PORT', 3000, 1, 65535),
  AFC_EMULATOR_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .default('http://127.0.0.1:4566')
      .refine((v) => /^https?:\/\/[^/\s]+/.test(v) && URL.canParse(v), { message: 'AFC_EMULATOR_URL must be an http(s) URL, e.g. http://127.0.0.1:4566' }),
  ),
  AFC_EMULATOR_ACCESS_KEY_ID: z.preprocess(blankToUndefined, z.string().default('local')),
  AFC_EMULATOR_SECRET_ACCESS_KEY: z.preprocess(blankToUndefined, z.string().default('localsecret')),
  AFC_EMULATOR_PROFILE: z.preprocess(
    blankToUndefined,
    z.enum(['demo', 'test'], { error: (i) => `AFC_EMULATOR_PROFILE must be "demo" or "test" (got "${String(i.input)}")` }).default('demo'),
  ),
  NEXTAUTH_SECRET: optStr,
  AFC_SESSION_SECRET: optStr,
  AFC_ADMIN_PASSWORD: optStr,
  AFC_OIDC_ISSUER: optStr,
  AFC_OIDC_CLIENT_ID: optStr,
  AFC_OIDC_CLIENT_SECRET: optStr,
  AFC_OIDC_ROLE_MAP: optStr,
  AFC_TWO_PERSON: z.string().optional(),
  AFC_LAG_WARN_MS: intVar('AFC_LAG_WARN_MS', 100, 0, 86_400_000),
  AFC_LAG_CRITICAL_MS: intVar('AFC_LAG_CRITICAL_MS', 1000, 0, 86_400_000),
  NEXTAUTH_URL: optStr,
  NODE_ENV: optStr,
  AFC_TRUSTED_PROXIES: optStr,
  AFC_AUDIT_KEY: optStr,
  DATABASE_URL: optStr,
  AFC_METRICS_TOKEN: optStr,
  AFC_QUERY_ROLE: z.preprocess(
    blankToUndefined,
    z.enum(ROLE_VALUES, { error: (i) => `AFC_QUERY_ROLE must be one of ${ROLE_VALUES.join(', ')} (got "${String(i.input)}")` }).default('admin'),
  ),
});

/**
 * Read `<dir>/<name>`, creating it with 32 random bytes (file mode 600, directory 700) when missing; trimmed.
 * Safe against two processes racing. Used for the session secret and the audit key.
 */
export function readOrCreateSecretFile(dir: string, name: string): { file: string; value: string } {
  const file = path.join(dir, name);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, randomBytes(32).toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  try {
    chmodSync(file, 0o600);
  } catch {
    /* best effort */
  }
  return { file, value: readFileSync(file, 'utf8').trim() };
}

/** The persisted session secret (created on first use). */
function persistedSecret(dataDir: string): string {
  const { file, value: s } = readOrCreateSecretFile(dataDir, 'session-secret');
  if (s.length < 32) throw new EnvError([`${file} holds a session secret shorter than 32 characters; delete it to have a new one generated`]);
  return s;
}

/**
 * Parse an environment (a plain record, so tests need not touch process.env). Throws EnvError listing every problem.
 * `persistSecret: false` skips creating the session-secret file (tests).
 */
export function parseEnv(source: Record<string, string | undefined>, opts: { persistSecret?: boolean; cwd?: string } = {}): ConsoleEnv {
  const problems: string[] = [];
  // Each variable is parsed on its own so one bad value never hides another (or a later cross-field check).
  const v = {} as { [K in keyof typeof schema.shape]: z.infer<(typeof schema.shape)[K]> };
  const bad = new Set<string>();
  for (const [key, fieldSchema] of Object.entries(schema.shape) as [keyof typeof schema.shape, z.ZodType][]) {
    const r = fieldSchema.safeParse(source[key]);
    if (r.success) (v as Record<string, unknown>)[key] = r.data;
    else {
      bad.add(key);
      for (const issue of r.error.issues) problems.push(issue.message.includes(key) ? issue.message : `${key}: ${issue.message}`);
    }
  }

  // Regions
  let regions: string[] = [];
  if (v.AFC_REGIONS) regions = v.AFC_REGIONS.split(',').map((s) => s.trim()).filter(Boolean);
  else if (v.AFC_BACKEND !== 'aws') regions = ['us-east-1', 'eu-west-1']; // local (or an invalid backend, already reported)
  else if (v.AWS_REGION || v.AWS_DEFAULT_REGION) regions = [(v.AWS_REGION ?? v.AWS_DEFAULT_REGION) as string];
  if (regions.length === 0) problems.push('AFC_REGIONS (or AWS_REGION) must name at least one region when AFC_BACKEND=aws, e.g. AFC_REGIONS=us-east-1,eu-west-1');
  for (const r of regions) if (!isRegionName(r)) problems.push(`AFC_REGIONS: "${r}" is not a region name like us-east-1`);
  regions = [...new Set(regions)];

  // Secrets
  const explicitSecret = v.NEXTAUTH_SECRET ?? v.AFC_SESSION_SECRET;
  if (explicitSecret !== undefined && explicitSecret.length < 32) problems.push('NEXTAUTH_SECRET / AFC_SESSION_SECRET must be at least 32 characters (unset it to have one generated)');
  if (v.AFC_ADMIN_PASSWORD !== undefined && v.AFC_ADMIN_PASSWORD.length < 8) problems.push('AFC_ADMIN_PASSWORD must be at least 8 characters');

  // OIDC
  let oidc: ConsoleEnv['oidc'];
  const oidcVars = { AFC_OIDC_ISSUER: v.AFC_OIDC_ISSUER, AFC_OIDC_CLIENT_ID: v.AFC_OIDC_CLIENT_ID, AFC_OIDC_CLIENT_SECRET: v.AFC_OIDC_CLIENT_SECRET };
  const setOidc = Object.entries(oidcVars).filter(([, x]) => x !== undefined);
  if (setOidc.length > 0 && setOidc.length < 3) {
    const missing = Object.entries(oidcVars).filter(([, x]) => x === undefined).map(([k]) => k);
    problems.push(`OIDC sign-in needs AFC_OIDC_ISSUER, AFC_OIDC_CLIENT_ID and AFC_OIDC_CLIENT_SECRET together; missing ${missing.join(', ')}`);
  } else if (setOidc.length === 3) {
    if (!/^https?:\/\//.test(v.AFC_OIDC_ISSUER!) || !URL.canParse(v.AFC_OIDC_ISSUER!)) problems.push('AFC_OIDC_ISSUER must be the issuer URL, e.g. https://login.example.com/realms/ops');
    const rm = parseRoleMap(v.AFC_OIDC_ROLE_MAP ?? '*=viewer');
    problems.push(...rm.problems);
    oidc = { issuer: v.AFC_OIDC_ISSUER!, clientId: v.AFC_OIDC_CLIENT_ID!, clientSecret: v.AFC_OIDC_CLIENT_SECRET!, roleMap: rm.rules };
  } else if (v.AFC_OIDC_ROLE_MAP) {
    problems.push('AFC_OIDC_ROLE_MAP is set but OIDC is not configured (set AFC_OIDC_ISSUER, AFC_OIDC_CLIENT_ID, AFC_OIDC_CLIENT_SECRET)');
  }

  // Two-person rule
  const twoPersonRule = { backtrack: false, clusterDelete: false, failover: false, globalFailover: false, snapshotDelete: false };
  const tp = (v.AFC_TWO_PERSON ?? 'backtrack,cluster.delete,global.failover').trim();
  if (tp !== '' && tp.toLowerCase() !== 'none' && tp.toLowerCase() !== 'off') {
    for (const item of tp.split(',').map((s) => s.trim()).filter(Boolean)) {
      const k = TWO_PERSON_NAMES[item.toLowerCase()];
      if (!k) problems.push(`AFC_TWO_PERSON: unknown action "${item}" (use backtrack, cluster.delete, failover, global.failover, snapshot.delete, or none)`);
      else twoPersonRule[k] = true;
    }
  }

  // Lag thresholds
  if (!bad.has('AFC_LAG_WARN_MS') && !bad.has('AFC_LAG_CRITICAL_MS') && v.AFC_LAG_WARN_MS >= v.AFC_LAG_CRITICAL_MS) problems.push(`AFC_LAG_WARN_MS (${v.AFC_LAG_WARN_MS}) must be lower than AFC_LAG_CRITICAL_MS (${v.AFC_LAG_CRITICAL_MS})`);

  const trustedProxies = (v.AFC_TRUSTED_PROXIES ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  problems.push(...trustedProxyProblems(trustedProxies));
  if (v.AFC_AUDIT_KEY !== undefined && v.AFC_AUDIT_KEY.length < 32) problems.push('AFC_AUDIT_KEY must be at least 32 characters (unset it to have one generated)');

  if (v.NEXTAUTH_URL && !URL.canParse(v.NEXTAUTH_URL)) problems.push('NEXTAUTH_URL must be the console URL, e.g. https://aurora.example.com');

  const db = parseDatabaseUrl(v.DATABASE_URL);
  if (db.problem) problems.push(db.problem);
  // Every instance must hash the one shared audit chain with the same key; a generated per-host key cannot be shared.
  if (db.config.dialect === 'postgres' && v.AFC_AUDIT_KEY === undefined) problems.push('AFC_AUDIT_KEY must be set (at least 32 characters, the same on every console instance) when DATABASE_URL is a PostgreSQL server');
  if (v.AFC_METRICS_TOKEN !== undefined && v.AFC_METRICS_TOKEN.length < 16) problems.push('AFC_METRICS_TOKEN must be at least 16 characters (unset it to allow loopback clients only)');

  if (problems.length) throw new EnvError(problems);

  const dataDir = path.resolve(opts.cwd ?? process.cwd(), v.AFC_DATA_DIR ?? './data');
  const sessionSecret = explicitSecret ?? (opts.persistSecret === false ? 'x'.repeat(32) : persistedSecret(dataDir));
  const nodeEnv = v.NODE_ENV === 'production' ? 'production' : v.NODE_ENV === 'test' ? 'test' : 'development';

  return {
    backend: v.AFC_BACKEND,
    regions,
    dataDir,
    port: v.PORT,
    emulator: {
      url: v.AFC_EMULATOR_URL.replace(/\/+$/, ''),
      accessKeyId: v.AFC_EMULATOR_ACCESS_KEY_ID,
      secretAccessKey: v.AFC_EMULATOR_SECRET_ACCESS_KEY,
      profile: v.AFC_EMULATOR_PROFILE,
    },
    sessionSecret,
    adminPassword: v.AFC_ADMIN_PASSWORD,
    oidc,
    twoPersonRule,
    lagThresholdsMs: { warn: v.AFC_LAG_WARN_MS, critical: v.AFC_LAG_CRITICAL_MS },
    trustedProxies,
    auditKey: v.AFC_AUDIT_KEY,
    queryRole: v.AFC_QUERY_ROLE,
    publicUrl: v.NEXTAUTH_URL,
    nodeEnv,
    database: db.config,
    metricsToken: v.AFC_METRICS_TOKEN,
  };
}

let cached: ConsoleEnv | undefined;

/** The console configuration, parsed once per process. Throws EnvError listing every problem. */
export function getEnv(): ConsoleEnv {
  if (!cached) cached = parseEnv(process.env);
  return cached;
}

/** Tests only: forget the cached configuration. */
export function resetEnvCache(): void {
  cached = undefined;
}
