// A small, realistic engine catalogue: versions, parameter group families, orderable classes.

export type Engine = 'aurora-mysql' | 'aurora-postgresql';
export const ENGINES: Engine[] = ['aurora-mysql', 'aurora-postgresql'];

export interface EngineVersionInfo {
  engine: Engine;
  version: string;
  major: string;
  family: string;
  status: 'available' | 'deprecated';
  isDefault: boolean;
  description: string;
  classes: string[];
  serverlessV2: { min: number; max: number };
}

const SIZES = ['large', 'xlarge', '2xlarge', '4xlarge'];
const fam = (f: string) => SIZES.map((s) => `db.${f}.${s}`);
const MODERN = [...fam('r5'), ...fam('r6g'), ...fam('r7g'), 'db.t3.medium', 'db.t4g.medium', 'db.serverless'];
const LEGACY = [...fam('r5'), ...fam('r6g'), 'db.t3.medium', 'db.t4g.medium'];

function mysql(version: string, status: 'available' | 'deprecated', isDefault = false): EngineVersionInfo {
  const v2 = version.startsWith('5.7');
  const aurora = version.split('.mysql_aurora.')[1];
  return {
    engine: 'aurora-mysql',
    version,
    major: v2 ? '5.7' : '8.0',
    family: v2 ? 'aurora-mysql5.7' : 'aurora-mysql8.0',
    status,
    isDefault,
    description: `Aurora MySQL ${v2 ? '2' : '3'}.${aurora.split('.').slice(1).join('.')} (compatible with MySQL ${v2 ? '5.7.12' : '8.0.' + (aurora >= '3.06' ? '34' : '32')})`,
    classes: v2 ? LEGACY : MODERN,
    serverlessV2: { min: 0.5, max: v2 ? 0 : aurora >= '3.06' ? 256 : 128 },
  };
}

function pg(version: string, isDefault = false): EngineVersionInfo {
  const major = version.split('.')[0];
  return {
    engine: 'aurora-postgresql',
    version,
    major,
    family: `aurora-postgresql${major}`,
    status: 'available',
    isDefault,
    description: `Aurora (PostgreSQL ${version})`,
    classes: MODERN,
    serverlessV2: { min: Number(major) >= 16 ? 0 : 0.5, max: 256 },
  };
}

export const ENGINE_VERSIONS: EngineVersionInfo[] = [
  mysql('5.7.mysql_aurora.2.11.5', 'deprecated'),
  mysql('5.7.mysql_aurora.2.12.4', 'deprecated', true),
  mysql('8.0.mysql_aurora.3.04.3', 'available'),
  mysql('8.0.mysql_aurora.3.05.2', 'available', true),
  mysql('8.0.mysql_aurora.3.06.1', 'available'),
  mysql('8.0.mysql_aurora.3.07.1', 'available'),
  mysql('8.0.mysql_aurora.3.08.0', 'available'),
  pg('14.10'),
  pg('14.12', true),
  pg('15.6'),
  pg('15.7', true),
  pg('16.2'),
  pg('16.3', true),
];

/** The version picked when EngineVersion is omitted. */
const DEFAULT_VERSION: Record<Engine, string> = {
  'aurora-mysql': '8.0.mysql_aurora.3.05.2',
  'aurora-postgresql': '16.3',
};

/** Resolves "8.0", "5.7", "16" or an exact version; undefined when unknown. */
export function resolveEngineVersion(engine: Engine, requested?: string): EngineVersionInfo | undefined {
  const versions = ENGINE_VERSIONS.filter((v) => v.engine === engine);
  if (!requested) return versions.find((v) => v.version === DEFAULT_VERSION[engine]);
  const exact = versions.find((v) => v.version === requested);
  if (exact) return exact;
  return versions.find((v) => v.isDefault && v.major === requested);
}

export function isOrderable(info: EngineVersionInfo, instanceClass: string): boolean {
  return info.classes.includes(instanceClass);
}

export function availabilityZones(region: string): string[] {
  return [`${region}a`, `${region}b`, `${region}c`];
}

export const LOG_EXPORTS: Record<Engine, string[]> = {
  'aurora-mysql': ['audit', 'error', 'general', 'instance', 'slowquery', 'iam-db-auth-error'],
  'aurora-postgresql': ['instance', 'postgresql', 'iam-db-auth-error'],
};

export const DEFAULT_PORT: Record<Engine, number> = { 'aurora-mysql': 3306, 'aurora-postgresql': 5432 };
