// RDS Data API parameters: `:name` placeholders in the SQL become the engine's own ($1… for PostgreSQL,
// ? for MySQL), and each SqlParameter's typed Field becomes a driver value (typeHint casts on PostgreSQL).
import { DataApiFault } from './errors';

export interface Field {
  isNull?: boolean;
  booleanValue?: boolean;
  longValue?: number;
  doubleValue?: number;
  stringValue?: string;
  /** Base64 on the wire. */
  blobValue?: string;
  arrayValue?: ArrayValue;
}

export interface ArrayValue {
  booleanValues?: boolean[];
  longValues?: number[];
  doubleValues?: number[];
  stringValues?: string[];
  arrayValues?: ArrayValue[];
}

export interface SqlParameter {
  name?: string;
  value?: Field;
  typeHint?: string;
}

const TYPE_HINTS: Record<string, string> = { DATE: 'date', DECIMAL: 'numeric', JSON: 'jsonb', TIME: 'time', TIMESTAMP: 'timestamp', UUID: 'uuid' };

function arrayToJs(a: ArrayValue): unknown[] {
  return a.booleanValues ?? a.longValues ?? a.doubleValues ?? a.stringValues ?? (a.arrayValues ?? []).map(arrayToJs);
}

export function fieldToJs(f: Field | undefined, name: string): unknown {
  if (!f || typeof f !== 'object') throw DataApiFault.badRequest(`The parameter ${name} has no value.`);
  const set = Object.keys(f).filter((k) => (f as Record<string, unknown>)[k] !== undefined);
  if (set.length !== 1) throw DataApiFault.badRequest(`The parameter ${name} must have exactly one value type set.`);
  if (f.isNull) return null;
  if (f.booleanValue !== undefined) return f.booleanValue;
  if (f.longValue !== undefined) return f.longValue;
  if (f.doubleValue !== undefined) return f.doubleValue;
  if (f.stringValue !== undefined) return f.stringValue;
  if (f.blobValue !== undefined) return Buffer.from(f.blobValue, 'base64');
  if (f.arrayValue !== undefined) throw DataApiFault.badRequest('Array parameters are not supported.');
  return null;
}

/**
 * Rewrites `:name` placeholders outside quotes and comments (`::` casts stay) into positional ones, and orders
 * the values to match. A placeholder without a parameter is BadRequest.
 */
export function bindParameters(sql: string, params: SqlParameter[] | undefined, family: 'postgres' | 'mysql'): { sql: string; values: unknown[] } {
  const byName = new Map<string, SqlParameter>();
  for (const p of params ?? []) {
    if (!p || typeof p.name !== 'string' || !p.name) throw DataApiFault.badRequest('Every parameter must have a name.');
    byName.set(p.name, p);
  }
  if (byName.size === 0) return { sql, values: [] };
  const values: unknown[] = [];
  const pgIndex = new Map<string, number>();
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    const two = sql.slice(i, i + 2);
    if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === ch && sql[j + 1] !== ch)) j += sql[j] === ch || (sql[j] === '\\' && family === 'mysql') ? 2 : 1;
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (two === '--' || (ch === '#' && family === 'mysql')) {
      const j = sql.indexOf('\n', i);
      const end = j < 0 ? sql.length : j;
      out += sql.slice(i, end);
      i = end;
    } else if (two === '/*') {
      const j = sql.indexOf('*/', i + 2);
      const end = j < 0 ? sql.length : j + 2;
      out += sql.slice(i, end);
      i = end;
    } else if (two === '::') {
      out += two;
      i += 2;
    } else if (ch === ':' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))!;
      const name = m[0];
      const p = byName.get(name);
      if (!p) throw DataApiFault.badRequest(`No value specified for parameter: ${name}`);
      if (family === 'postgres') {
        let n = pgIndex.get(name);
        if (n === undefined) {
          values.push(fieldToJs(p.value, name));
          n = values.length;
          pgIndex.set(name, n);
        }
        const hint = p.typeHint ? TYPE_HINTS[p.typeHint] : undefined;
        out += hint ? `$${n}::${hint}` : `$${n}`;
      } else {
        values.push(fieldToJs(p.value, name));
        out += '?';
      }
      i += 1 + name.length;
    } else {
      out += ch;
      i++;
    }
  }
  return { sql: out, values };
}
