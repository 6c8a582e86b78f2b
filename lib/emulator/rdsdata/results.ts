// Engine results → RDS Data API shapes: each value a typed Field (booleanValue, longValue, doubleValue,
// stringValue, blobValue, arrayValue, isNull), columnMetadata with the JDBC type codes, and the JSON form that
// formatRecordsAs: JSON returns. The drivers hand over raw text (PostgreSQL) or raw bytes (MySQL).
import type { FieldDef } from 'pg';
import type { FieldPacket } from 'mysql2';
import type { ArrayValue, Field } from './params';

export interface ColumnMetadata {
  name: string;
  type: number;
  typeName: string;
  label: string;
  schemaName: string;
  tableName: string;
  isAutoIncrement: boolean;
  isSigned: boolean;
  isCurrency: boolean;
  isCaseSensitive: boolean;
  nullable: number;
  precision: number;
  scale: number;
  arrayBaseColumnType: number;
}

export interface StatementResult {
  columns: ColumnMetadata[];
  /** Rows of typed fields; undefined for a statement that returns no result set. */
  records?: Field[][];
  /** The same rows as plain values, for formattedRecords. */
  plain?: Record<string, unknown>[];
  numberOfRecordsUpdated: number;
  generatedFields: Field[];
}

type Kind = 'bool' | 'long' | 'double' | 'string' | 'blob';

/** PostgreSQL type OID → name, JDBC type, kind of Field (and the element OID of array types). */
const PG_TYPES: Record<number, [string, number, Kind, number?]> = {
  16: ['bool', -7, 'bool'],
  17: ['bytea', -2, 'blob'],
  18: ['char', 1, 'string'],
  19: ['name', 12, 'string'],
  20: ['int8', -5, 'long'],
  21: ['int2', 5, 'long'],
  23: ['int4', 4, 'long'],
  25: ['text', 12, 'string'],
  26: ['oid', -5, 'long'],
  114: ['json', 1111, 'string'],
  700: ['float4', 7, 'double'],
  701: ['float8', 8, 'double'],
  1042: ['bpchar', 1, 'string'],
  1043: ['varchar', 12, 'string'],
  1082: ['date', 91, 'string'],
  1083: ['time', 92, 'string'],
  1114: ['timestamp', 93, 'string'],
  1184: ['timestamptz', 93, 'string'],
  1700: ['numeric', 2, 'string'],
  2950: ['uuid', 1111, 'string'],
  3802: ['jsonb', 1111, 'string'],
  1000: ['_bool', 2003, 'bool', 16],
  1005: ['_int2', 2003, 'long', 21],
  1007: ['_int4', 2003, 'long', 23],
  1016: ['_int8', 2003, 'long', 20],
  1009: ['_text', 2003, 'string', 25],
  1015: ['_varchar', 2003, 'string', 1043],
  1021: ['_float4', 2003, 'double', 700],
  1022: ['_float8', 2003, 'double', 701],
};

function scalar(kind: Kind, text: string): Field {
  switch (kind) {
    case 'bool':
      return { booleanValue: text === 't' || text === 'true' || text === '1' };
    case 'long':
      return { longValue: Number(text) };
    case 'double':
      return { doubleValue: Number(text) };
    case 'blob':
      return { blobValue: Buffer.from(text.startsWith('\\x') ? text.slice(2) : text, text.startsWith('\\x') ? 'hex' : 'utf8').toString('base64') };
    default:
      return { stringValue: text };
  }
}

/** A one-dimensional PostgreSQL array literal ({1,2,NULL} / {"a b",c}) → its elements (null for NULL). */
function pgArrayElements(text: string): (string | null)[] | undefined {
  if (!text.startsWith('{') || !text.endsWith('}')) return undefined;
  const body = text.slice(1, -1);
  if (body === '') return [];
  if (body.includes('{')) return undefined;
  const out: (string | null)[] = [];
  let i = 0;
  while (i <= body.length) {
    if (body[i] === '"') {
      let s = '';
      i++;
      while (i < body.length && body[i] !== '"') {
        if (body[i] === '\\') i++;
        s += body[i++];
      }
      out.push(s);
      i += 2;
    } else {
      const j = body.indexOf(',', i);
      const end = j < 0 ? body.length : j;
      const s = body.slice(i, end);
      out.push(s === 'NULL' ? null : s);
      i = end + 1;
    }
  }
  return out;
}

function pgArray(kind: Kind, text: string): Field {
  const els = pgArrayElements(text);
  if (!els) return { stringValue: text };
  const vals = els.map((e) => (e === null ? null : scalar(kind, e)));
  const pick = <T>(f: (x: Field) => T) => vals.map((v) => (v === null ? null : f(v))) as T[];
  const a: ArrayValue =
    kind === 'bool'
      ? { booleanValues: pick((v) => v.booleanValue!) }
      : kind === 'long'
        ? { longValues: pick((v) => v.longValue!) }
        : kind === 'double'
          ? { doubleValues: pick((v) => v.doubleValue!) }
          : { stringValues: pick((v) => v.stringValue!) };
  return { arrayValue: a };
}

function plainOf(f: Field): unknown {
  if (f.isNull) return null;
  if (f.arrayValue) return f.arrayValue.booleanValues ?? f.arrayValue.longValues ?? f.arrayValue.doubleValues ?? f.arrayValue.stringValues ?? [];
  return f.booleanValue ?? f.longValue ?? f.doubleValue ?? f.stringValue ?? f.blobValue ?? null;
}

export function pgResult(fields: FieldDef[], rows: unknown[][] | undefined, command: string, rowCount: number | null): StatementResult {
  const columns: ColumnMetadata[] = fields.map((f) => {
    const [typeName, type, kind, elem] = PG_TYPES[f.dataTypeID] ?? ['unknown', 1111, 'string'];
    const mod = f.dataTypeModifier;
    const numeric = kind === 'long' || kind === 'double' || typeName === 'numeric';
    return {
      name: f.name,
      type,
      typeName,
      label: f.name,
      schemaName: '',
      tableName: '',
      isAutoIncrement: false,
      isSigned: numeric,
      isCurrency: false,
      isCaseSensitive: kind === 'string',
      nullable: 2,
      precision: typeName === 'numeric' && mod > 0 ? (mod - 4) >> 16 : (typeName === 'varchar' || typeName === 'bpchar') && mod > 0 ? mod - 4 : f.dataTypeSize > 0 ? f.dataTypeSize : 2147483647,
      scale: typeName === 'numeric' && mod > 0 ? (mod - 4) & 0xffff : 0,
      arrayBaseColumnType: elem !== undefined ? (PG_TYPES[elem]?.[1] ?? 0) : 0,
    };
  });
  const dml = ['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY'].includes(command);
  const updated = dml ? (rowCount ?? 0) : 0;
  if (fields.length === 0 || !rows) return { columns, numberOfRecordsUpdated: updated, generatedFields: [] };
  const kinds = fields.map((f) => PG_TYPES[f.dataTypeID] ?? (['unknown', 1111, 'string'] as const));
  const records = rows.map((r) => r.map((v, i): Field => (v === null || v === undefined ? { isNull: true } : kinds[i][3] !== undefined ? pgArray(kinds[i][2], String(v)) : scalar(kinds[i][2], String(v)))));
  return { columns, records, plain: plainRows(columns, records), numberOfRecordsUpdated: updated, generatedFields: [] };
}

function plainRows(columns: ColumnMetadata[], records: Field[][]): Record<string, unknown>[] {
  return records.map((r) => Object.fromEntries(r.map((f, i) => [columns[i].name, plainOf(f)])));
}

/** MySQL column type code → name, JDBC type, kind of Field. */
const MYSQL_TYPES: Record<number, [string, number, Kind]> = {
  0: ['DECIMAL', 3, 'string'],
  1: ['TINYINT', -6, 'long'],
  2: ['SMALLINT', 5, 'long'],
  3: ['INT', 4, 'long'],
  4: ['FLOAT', 7, 'double'],
  5: ['DOUBLE', 8, 'double'],
  6: ['NULL', 0, 'string'],
  7: ['TIMESTAMP', 93, 'string'],
  8: ['BIGINT', -5, 'long'],
  9: ['MEDIUMINT', 4, 'long'],
  10: ['DATE', 91, 'string'],
  11: ['TIME', 92, 'string'],
  12: ['DATETIME', 93, 'string'],
  13: ['YEAR', 91, 'long'],
  15: ['VARCHAR', 12, 'string'],
  16: ['BIT', -7, 'bool'],
  245: ['JSON', -1, 'string'],
  246: ['DECIMAL', 3, 'string'],
  247: ['ENUM', 1, 'string'],
  248: ['SET', 1, 'string'],
  249: ['TINYBLOB', -3, 'blob'],
  250: ['MEDIUMBLOB', -4, 'blob'],
  251: ['LONGBLOB', -4, 'blob'],
  252: ['BLOB', -4, 'blob'],
  253: ['VARCHAR', 12, 'string'],
  254: ['CHAR', 1, 'string'],
};
const BINARY_CHARSET = 63;
const NOT_NULL = 1;
const UNSIGNED = 32;
const AUTO_INCREMENT = 512;

function mysqlColumn(f: FieldPacket): [ColumnMetadata, Kind] {
  const t = f.columnType ?? 253;
  let [typeName, type, kind] = MYSQL_TYPES[t] ?? ['VARCHAR', 12, 'string'];
  const binary = f.characterSet === BINARY_CHARSET;
  if (kind === 'blob' && !binary) [typeName, type, kind] = [typeName.replace('BLOB', 'TEXT'), -1, 'string'];
  if ((t === 253 || t === 254) && binary) [typeName, type, kind] = [t === 253 ? 'VARBINARY' : 'BINARY', t === 253 ? -3 : -2, 'blob'];
  if (t === 16 && (f.columnLength ?? 1) > 1) kind = 'long';
  const flags = Number(f.flags ?? 0);
  const unsigned = (flags & UNSIGNED) !== 0;
  return [
    {
      name: f.name,
      type,
      typeName: unsigned && kind !== 'bool' ? `${typeName} UNSIGNED` : typeName,
      label: f.name,
      schemaName: '',
      tableName: f.orgTable ?? '',
      isAutoIncrement: (flags & AUTO_INCREMENT) !== 0,
      isSigned: (kind === 'long' || kind === 'double' || t === 0 || t === 246) && !unsigned,
      isCurrency: false,
      isCaseSensitive: kind === 'string' && binary,
      nullable: flags & NOT_NULL ? 0 : 1,
      precision: f.columnLength ?? 0,
      scale: f.decimals ?? 0,
      arrayBaseColumnType: 0,
    },
    kind,
  ];
}

export function mysqlResult(rows: unknown, fields: FieldPacket[] | undefined): StatementResult {
  if (!Array.isArray(rows) || !fields) {
    const h = (rows ?? {}) as { affectedRows?: number; insertId?: number };
    const generatedFields: Field[] = h.insertId ? [{ longValue: Number(h.insertId) }] : [];
    return { columns: [], numberOfRecordsUpdated: h.affectedRows ?? 0, generatedFields };
  }
  const cols = fields.map(mysqlColumn);
  const columns = cols.map((c) => c[0]);
  const records = (rows as unknown[][]).map((r) =>
    r.map((v, i): Field => {
      if (v === null || v === undefined) return { isNull: true };
      const buf = Buffer.isBuffer(v) ? v : Buffer.from(String(v));
      const kind = cols[i][1];
      if (kind === 'blob') return { blobValue: buf.toString('base64') };
      if (kind === 'bool') return { booleanValue: buf.length === 1 ? buf[0] !== 0 && buf[0] !== 0x30 : buf.toString() !== '0' };
      if (kind === 'long' && cols[i][0].typeName === 'BIT') return { longValue: Number(buf.readUIntBE(0, Math.min(buf.length, 6))) };
      return scalar(kind, buf.toString('utf8'));
    }),
  );
  return { columns, records, plain: plainRows(columns, records), numberOfRecordsUpdated: 0, generatedFields: [] };
}
