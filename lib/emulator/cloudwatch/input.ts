// CloudWatch input accessors over the decoded request (the same plain shape for JSON, Query and CBOR),
// with CloudWatch's messages for missing and malformed members, and the NextToken encoding.
import { isHighResPeriod } from './statistics';
import { CwFaults } from './errors';
import type { Dimension } from './store';

export interface HandlerContext {
  region: string;
  now: number;
}

const UNITS = new Set([
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes',
  'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second',
  'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second',
  'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
]);

export type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !Buffer.isBuffer(v);
}

export function str(o: Obj, k: string, path: string): string | undefined {
  const v = o[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw CwFaults.InvalidParameterValue(`The parameter ${path} must be a string.`);
  return v;
}

export function reqStr(o: Obj, k: string, path: string): string {
  const v = str(o, k, path);
  if (v === undefined || v === '') throw CwFaults.MissingParameter(`The parameter ${path} is required.`);
  return v;
}

export function num(o: Obj, k: string, path: string): number | undefined {
  const v = o[k];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (typeof v === 'string' && /^(NaN|[+-]?Infinity)$/.test(v)) return Number(v);
  if (Number.isNaN(n)) throw CwFaults.InvalidParameterValue(`The parameter ${path} must be a number.`);
  return n;
}

export function int(o: Obj, k: string, path: string): number | undefined {
  const n = num(o, k, path);
  if (n !== undefined && !Number.isInteger(n)) throw CwFaults.InvalidParameterValue(`The parameter ${path} must be an integer.`);
  return n;
}

export function bool(o: Obj, k: string, path: string): boolean | undefined {
  const v = o[k];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw CwFaults.InvalidParameterValue(`The parameter ${path} must be a boolean.`);
}

/** Epoch seconds (JSON), Date (CBOR) or ISO 8601 / epoch string (Query) → ms. */
export function time(o: Obj, k: string, path: string): number | undefined {
  const v = o[k];
  if (v === undefined || v === null || v === '') return undefined;
  let ms: number;
  if (v instanceof Date) ms = v.getTime();
  else if (typeof v === 'number') ms = v * 1000;
  else if (typeof v === 'string') ms = /^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v);
  else ms = NaN;
  if (!Number.isFinite(ms)) throw CwFaults.InvalidParameterValue(`The parameter ${path} must be a valid timestamp.`);
  return Math.round(ms);
}

export function reqTime(o: Obj, k: string, path: string): number {
  const v = time(o, k, path);
  if (v === undefined) throw CwFaults.MissingParameter(`The parameter ${path} is required.`);
  return v;
}

export function list(o: Obj, k: string, path: string): unknown[] | undefined {
  const v = o[k];
  if (v === undefined || v === null) return undefined;
  if (v === '') return [];
  if (Array.isArray(v)) return v;
  throw CwFaults.InvalidParameterValue(`The parameter ${path} must be a list.`);
}

export function obj(v: unknown, path: string): Obj {
  if (!isObj(v)) throw CwFaults.InvalidParameterValue(`The parameter ${path} must be a structure.`);
  return v;
}

export function dimensions(o: Obj, k: string, path: string, requireValue = true): Dimension[] {
  const l = list(o, k, path) ?? [];
  if (l.length > 30) throw CwFaults.InvalidParameterValue(`The collection ${path} must not have a size greater than 30.`);
  const seen = new Set<string>();
  return l.map((d, i) => {
    const p = `${path}.member.${i + 1}`;
    const dd = obj(d, p);
    const Name = reqStr(dd, 'Name', `${p}.Name`);
    const Value = requireValue ? reqStr(dd, 'Value', `${p}.Value`) : (str(dd, 'Value', `${p}.Value`) ?? '');
    if (Name.length > 255) throw CwFaults.InvalidParameterValue(`The parameter ${p}.Name must be shorter than 256 characters.`);
    if (Value.length > 1024) throw CwFaults.InvalidParameterValue(`The parameter ${p}.Value must be shorter than 1025 characters.`);
    if (requireValue && seen.has(Name)) throw CwFaults.InvalidParameterValue(`No two dimensions may have the same name; ${Name} appears twice in ${path}.`);
    seen.add(Name);
    return { Name, Value };
  });
}

export function checkUnit(u: string | undefined, path: string): string | undefined {
  if (u !== undefined && !UNITS.has(u)) {
    throw CwFaults.InvalidParameterValue(`The parameter ${path} must be a value in the set [ ${[...UNITS].join(', ')} ].`);
  }
  return u;
}

export function checkPeriod(period: number, path: string): void {
  if (!(period >= 1) || !(period % 60 === 0 || isHighResPeriod(period))) {
    throw CwFaults.InvalidParameterValue(`The parameter ${path} must be 1, 5, 10, 20, 30, or any multiple of 60.`);
  }
}

const MAX_MAGNITUDE = 2 ** 360;
export function checkValue(v: number, path: string): void {
  if (!Number.isFinite(v)) throw CwFaults.InvalidParameterValue(`The value ${v} for parameter ${path} is invalid: NaN and Infinity are not supported.`);
  if (Math.abs(v) > MAX_MAGNITUDE) throw CwFaults.InvalidParameterValue(`The value ${v} for parameter ${path} is out of range.`);
}

interface Token {
  o: number;
  p?: number;
  n: number;
  f: string;
}

export function encodeToken(t: Token): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

export function decodeToken(s: string): Token | undefined {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Token;
    if (typeof t.o !== 'number' || typeof t.n !== 'number' || typeof t.f !== 'string' || t.o < 0) return undefined;
    return t;
  } catch {
    return undefined;
  }
}
