// Parameter validation with AWS-like messages. Every function throws an RdsFault on bad input.
import { BACKTRACK_WINDOW_MAX_SECONDS } from '../../aurora/rules';
import { resolveEngineVersion, type Engine } from './catalogue';
import { Faults } from './errors';

const ID_RE = /^[a-zA-Z][a-zA-Z0-9-]*$/;

/** DBClusterIdentifier / DBInstanceIdentifier rules (1–63; letter first; letters, digits, hyphens; no `--`, no trailing `-`). */
export function validateIdentifier(param: string, value: string, max = 63): string {
  const ok = value.length >= 1 && value.length <= max && ID_RE.test(value) && !value.includes('--') && !value.endsWith('-');
  if (!ok) {
    const what = param === 'DBInstanceIdentifier' ? 'DB instance' : param === 'FinalDBSnapshotIdentifier' ? 'snapshot' : 'DB cluster';
    throw Faults.InvalidParameterValue(
      `The parameter ${param} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.` +
        (value.length > max ? ` The ${what} identifier must be at most ${max} characters.` : ''),
    );
  }
  return value.toLowerCase();
}

const RESERVED_USERNAMES = new Set([
  'rdsadmin', 'rdsrepladmin', 'rds_superuser', 'rdsproxyadmin', 'mysql', 'root_rds', 'select', 'insert', 'update',
  'delete', 'table', 'user', 'grant', 'from', 'where', 'create', 'drop', 'alter', 'index', 'primary', 'key',
  'database', 'schema', 'order', 'group', 'null', 'all', 'and', 'or', 'not', 'pg_signal_backend',
]);

export function validateMasterUsername(value: string | undefined): string {
  if (value === undefined || value === '') {
    throw Faults.InvalidParameterValue('The parameter MasterUsername must be provided and must not be blank.');
  }
  if (!/^[a-zA-Z][a-zA-Z0-9_]{0,15}$/.test(value)) {
    throw Faults.InvalidParameterValue(
      'The parameter MasterUsername is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and underscores; and must be 1 to 16 characters long.',
    );
  }
  if (RESERVED_USERNAMES.has(value.toLowerCase())) {
    throw Faults.InvalidParameterValue(`MasterUsername ${value} cannot be used as it is a reserved word used by the engine`);
  }
  return value;
}

export function validatePassword(value: string | undefined, param = 'MasterUserPassword'): void {
  if (value === undefined || value === '') {
    throw Faults.InvalidParameterValue(`The parameter ${param} must be provided and must not be blank.`);
  }
  if (value.length < 8) {
    throw Faults.InvalidParameterValue(`The parameter ${param} is not a valid password because it is shorter than 8 characters.`);
  }
  if (value.length > 41) {
    throw Faults.InvalidParameterValue(`The parameter ${param} is not a valid password because it is longer than 41 characters.`);
  }
  if (!/^[\x21-\x7e]+$/.test(value) || /[/"@']/.test(value)) {
    throw Faults.InvalidParameterValue(
      `The parameter ${param} is not a valid password. Only printable ASCII characters besides '/', '@', '"', ''', ' ' may be used.`,
    );
  }
}

export function parseBool(param: string, v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  const l = v.toLowerCase();
  if (l === 'true') return true;
  if (l === 'false') return false;
  throw Faults.InvalidParameterValue(`Invalid boolean value for ${param}: ${v}`);
}

export function parseInteger(param: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v.trim())) throw Faults.InvalidParameterValue(`Invalid value for ${param}: ${v}. It must be an integer.`);
  return Number(v);
}

export function parseNumber(param: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw Faults.InvalidParameterValue(`Invalid value for ${param}: ${v}`);
  return n;
}

/** ISO 8601, leniently: `2017-07-08T18:00Z`, fractional seconds of any length, offsets. */
export function parseTimestamp(param: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  let s = v.trim();
  // Trim sub-millisecond digits (botocore may send microseconds).
  s = s.replace(/(\.\d{3})\d+/, '$1');
  // Accept hh:mm without seconds.
  s = s.replace(/T(\d{2}):(\d{2})(Z|[+-]\d{2}:?\d{2})?$/, (_m, h, mi, z) => `T${h}:${mi}:00${z ?? 'Z'}`);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(s)) s += 'Z';
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const t = Date.parse(s);
  if (!Number.isFinite(t)) throw Faults.InvalidParameterValue(`Invalid value for ${param}: ${v}. It must be an ISO 8601 timestamp.`);
  return t;
}

export function validateMaxRecords(v: string | undefined, min = 20, max = 100, dflt = 100): number {
  const n = parseInteger('MaxRecords', v);
  if (n === undefined) return dflt;
  if (n < min || n > max) throw Faults.InvalidParameterValue(`Invalid value for MaxRecords: ${n}. Must be between ${min} and ${max}.`);
  return n;
}

export function validateTags(tags: { Key?: string; Value?: string }[]): { Key: string; Value: string }[] {
  return tags.map((t) => {
    const key = t.Key ?? '';
    const value = t.Value ?? '';
    if (key.length < 1 || key.length > 128) throw Faults.InvalidParameterValue('Tag key must be between 1 and 128 characters.');
    if (value.length > 256) throw Faults.InvalidParameterValue('Tag value must be at most 256 characters.');
    if (/^(aws|rds):/i.test(key)) throw Faults.InvalidParameterValue(`Tag key ${key} uses a reserved prefix (aws: or rds:).`);
    return { Key: key, Value: value };
  });
}

export function encodeMarker(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

export function decodeMarker(marker: string | undefined): number {
  if (marker === undefined || marker === '') return 0;
  try {
    const v = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof v.o === 'number' && Number.isInteger(v.o) && v.o >= 0) return v.o;
  } catch {
    /* fall through */
  }
  throw Faults.InvalidParameterValue('The marker provided is invalid.');
}

// ---------------------------------------------------------------- cluster settings

export function checkBackupWindow(w: string): void {
  const m = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(w);
  if (!m) throw Faults.InvalidParameterValue(`The backup window must be in the format hh24:mi-hh24:mi: ${w}`);
  const a = Number(m[1]) * 60 + Number(m[2]);
  let b = Number(m[3]) * 60 + Number(m[4]);
  if (b < a) b += 1440;
  if (b - a < 30) throw Faults.InvalidParameterValue('The backup window must be at least 30 minutes.');
}

export function checkMaintenanceWindow(w: string): void {
  if (!/^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/i.test(w)) {
    throw Faults.InvalidParameterValue(`The maintenance window must be in the format ddd:hh24:mi-ddd:hh24:mi: ${w}`);
  }
}

export function checkBacktrackWindow(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > BACKTRACK_WINDOW_MAX_SECONDS) {
    throw Faults.InvalidParameterValue(
      `The specified value (${n}) is not a valid Backtrack Window. Allowed values are within the range of 0 to ${BACKTRACK_WINDOW_MAX_SECONDS}`,
    );
  }
}

export function checkRetention(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 35) {
    throw Faults.InvalidParameterValue(`Invalid backup retention period: ${n}. The value must be between 1 and 35.`);
  }
}

export interface ServerlessV2Scaling {
  MinCapacity: number;
  MaxCapacity: number;
  SecondsUntilAutoPause?: number;
}

/** ServerlessV2ScalingConfiguration against the engine version's capacity range. */
export function checkServerlessV2(
  engine: Engine,
  engineVersion: string,
  s: { MinCapacity?: number; MaxCapacity?: number; SecondsUntilAutoPause?: number },
): ServerlessV2Scaling {
  const version = resolveEngineVersion(engine, engineVersion)!;
  const min = s.MinCapacity;
  const max = s.MaxCapacity;
  if (min === undefined || max === undefined) {
    throw Faults.InvalidParameterCombination('ServerlessV2ScalingConfiguration requires both MinCapacity and MaxCapacity.');
  }
  const lowest = version.serverlessV2.min;
  const highest = version.serverlessV2.max;
  if (highest === 0) throw Faults.InvalidParameterCombination(`Serverless v2 is not supported for ${engine} ${version.version}.`);
  if (min < lowest || max > highest || min > max || (min * 2) % 1 !== 0 || (max * 2) % 1 !== 0 || max < 1) {
    throw Faults.InvalidParameterValue(
      `Invalid ServerlessV2ScalingConfiguration: capacity must be in 0.5 ACU steps with ${lowest} <= MinCapacity <= MaxCapacity <= ${highest} and MaxCapacity >= 1.`,
    );
  }
  const pause = s.SecondsUntilAutoPause;
  if (pause !== undefined && (pause < 300 || pause > 86400)) {
    throw Faults.InvalidParameterValue('SecondsUntilAutoPause must be between 300 and 86400.');
  }
  return { MinCapacity: min, MaxCapacity: max, SecondsUntilAutoPause: min === 0 ? (pause ?? 300) : undefined };
}
