// The Data API layer against a mocked rds-data client: statement order, stop at the first error, typed fields,
// the row cap, continueAfterTimeout for DDL, and the rds-data error mapping.
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Sent = { name: string; input: Record<string, any> };
const h = vi.hoisted(() => ({
  sent: [] as { name: string; input: Record<string, any> }[],
  answer: (async () => ({})) as (input: Record<string, any>) => Promise<unknown>,
}));
vi.mock('@/lib/aws/clients', () => ({
  rdsDataClient: () => ({
    send: async (cmd: { constructor: { name: string }; input: Record<string, any> }) => {
      h.sent.push({ name: cmd.constructor.name.replace(/Command$/, ''), input: cmd.input });
      return h.answer(cmd.input);
    },
  }),
  rdsClient: () => ({
    send: async (cmd: { constructor: { name: string }; input: Record<string, any> }) => {
      h.sent.push({ name: cmd.constructor.name.replace(/Command$/, ''), input: cmd.input });
      return { ResourceArn: cmd.input.ResourceArn, HttpEndpointEnabled: true, $metadata: { requestId: 'req-enable' } };
    },
  }),
  secretsManagerClient: () => ({ send: async () => ({}) }),
}));

import { enableHttpEndpoint, executeStatements, fieldText } from './rds-data';
import { toAppError } from './errors';

const ARN = 'arn:aws:rds:us-east-1:123456789012:cluster:orders';
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-1-AbCdEf';

function awsError(name: string, message: string, status = 400) {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: status, requestId: 'req-x' } });
}

beforeEach(() => {
  h.sent = [];
  h.answer = async () => ({ numberOfRecordsUpdated: 0, $metadata: {} });
});

describe('fieldText', () => {
  it('turns each Field kind into display text; NULL is null', () => {
    expect(fieldText({ isNull: true })).toBeNull();
    expect(fieldText({ stringValue: 'Alice' })).toBe('Alice');
    expect(fieldText({ longValue: 42 })).toBe('42');
    expect(fieldText({ doubleValue: 1.5 })).toBe('1.5');
    expect(fieldText({ booleanValue: false })).toBe('false');
    expect(fieldText({ blobValue: new Uint8Array([0xde, 0xad]) })).toBe('0xdead');
    expect(fieldText({ arrayValue: { longValues: [1, 2] } })).toBe('[1, 2]');
    expect(fieldText({ arrayValue: { arrayValues: [{ stringValues: ['a'] }] } })).toBe('[["a"]]');
    expect(fieldText({ stringValue: 'x'.repeat(5000) })).toMatch(/… \(5000 characters\)$/);
  });
});

describe('executeStatements', () => {
  it('runs the statements in order with result metadata, the database and DDL continueAfterTimeout', async () => {
    h.answer = async (input) =>
      /^SELECT/.test(input.sql)
        ? {
            columnMetadata: [
              { name: 'id', label: 'id', typeName: 'INT' },
              { name: 'name', label: 'name', typeName: 'VARCHAR' },
              { name: 'email', label: 'email', typeName: 'VARCHAR' },
            ],
            records: [
              [{ longValue: 1 }, { stringValue: 'Alice' }, { isNull: true }],
              [{ longValue: 2 }, { stringValue: 'Bob' }, { stringValue: 'bob@example.com' }],
            ],
            numberOfRecordsUpdated: 0,
            $metadata: {},
          }
        : { numberOfRecordsUpdated: /^INSERT/.test(input.sql) ? 2 : 0, $metadata: {} };
    const r = await executeStatements('us-east-1', ARN, SECRET, 'myapp', "CREATE TABLE users (id INT);\nINSERT INTO users VALUES (1,'Alice',NULL),(2,'Bob','b');\nSELECT * FROM users", {
      dialect: 'mysql',
    });
    expect(h.sent.map((s) => s.input.sql)).toEqual(['CREATE TABLE users (id INT)', "INSERT INTO users VALUES (1,'Alice',NULL),(2,'Bob','b')", 'SELECT * FROM users']);
    expect(h.sent.every((s) => s.name === 'ExecuteStatement' && s.input.includeResultMetadata === true && s.input.resourceArn === ARN && s.input.secretArn === SECRET && s.input.database === 'myapp')).toBe(true);
    expect(h.sent.map((s) => s.input.continueAfterTimeout)).toEqual([true, false, false]);
    expect(r.skipped).toBe(0);
    expect(r.statements[1]).toMatchObject({ ok: true, numberOfRecordsUpdated: 2, columns: [] });
    expect(r.statements[2]).toMatchObject({
      ok: true,
      columns: [
        { name: 'id', typeName: 'INT' },
        { name: 'name', typeName: 'VARCHAR' },
        { name: 'email', typeName: 'VARCHAR' },
      ],
      rows: [
        ['1', 'Alice', null],
        ['2', 'Bob', 'bob@example.com'],
      ],
      totalRows: 2,
      truncated: false,
    });
    expect(typeof r.statements[2].durationMs).toBe('number');
  });

  it('an empty database field sends no database', async () => {
    await executeStatements('us-east-1', ARN, SECRET, undefined, 'SELECT 1', { dialect: 'postgresql' });
    expect(h.sent[0].input.database).toBeUndefined();
  });

  it('stops at the first error and keeps the engine message verbatim', async () => {
    const msg = "Database error code: 1064. Message: You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'SELEC 1' at line 1.";
    h.answer = async (input) => {
      if (/SELEC /.test(input.sql)) throw awsError('DatabaseErrorException', msg);
      return { numberOfRecordsUpdated: 1, $metadata: {} };
    };
    const r = await executeStatements('us-east-1', ARN, SECRET, undefined, 'INSERT INTO t VALUES (1); SELEC 1; SELECT 2; SELECT 3', { dialect: 'mysql' });
    expect(h.sent).toHaveLength(2);
    expect(r.statements).toHaveLength(2);
    expect(r.statements[1]).toMatchObject({ ok: false, error: msg, errorCode: 'DATABASE_ERROR' });
    expect(r.skipped).toBe(2);
  });

  it('caps the rows shown and says how many there were', async () => {
    h.answer = async () => ({ columnMetadata: [{ name: 'n', typeName: 'int8' }], records: Array.from({ length: 1500 }, (_, i) => [{ longValue: i }]), $metadata: {} });
    const r = await executeStatements('us-east-1', ARN, SECRET, undefined, 'SELECT generate_series(1, 1500)', { dialect: 'postgresql' });
    expect(r.statements[0]).toMatchObject({ totalRows: 1500, truncated: true });
    expect(r.statements[0].rows).toHaveLength(1000);
  });

  it('a statement timeout says so; DDL adds that it keeps running', async () => {
    h.answer = async () => {
      throw awsError('StatementTimeoutException', 'Request timed out');
    };
    const dml = await executeStatements('us-east-1', ARN, SECRET, undefined, 'UPDATE big SET x = 1', { dialect: 'mysql' });
    expect(dml.statements[0].error).toMatch(/45 seconds/);
    expect(dml.statements[0].error).not.toMatch(/continueAfterTimeout/);
    const ddl = await executeStatements('us-east-1', ARN, SECRET, undefined, 'ALTER TABLE big ADD COLUMN y INT', { dialect: 'mysql' });
    expect(ddl.statements[0].error).toMatch(/continueAfterTimeout: it keeps running on the cluster/);
  });

  it('enableHttpEndpoint sends EnableHttpEndpoint with the cluster ARN', async () => {
    const r = await enableHttpEndpoint('us-east-1', ARN);
    expect(h.sent).toEqual<Sent[]>([{ name: 'EnableHttpEndpoint', input: { ResourceArn: ARN } }]);
    expect(r).toEqual({ enabled: true, awsRequestId: 'req-enable' });
  });
});

describe('rds-data errors → AppError', () => {
  it.each([
    ['HttpEndpointNotEnabledException', 'HTTP endpoint is not enabled for arn:…', 'HTTP_ENDPOINT_NOT_ENABLED', /Enable the Data API/],
    ['BadRequestException', 'Database returned more than the allowed response size limit', 'BAD_REQUEST', /at most 1 MiB per call/],
    ['BadRequestException', 'Invalid database name', 'BAD_REQUEST', /^Invalid database name\.$/],
    ['TransactionNotFoundException', 'Transaction abc is not found', 'TRANSACTION_NOT_FOUND', /timed out or been committed/],
    ['ForbiddenException', 'Forbidden', 'AWS_ACCESS_DENIED', /rds-data:ExecuteStatement/],
    ['InvalidSecretException', 'Secret is invalid', 'INVALID_SECRET', /holds the cluster's username and password/],
    ['ResourceNotFoundException', "Secrets Manager can't find the specified secret.", 'SECRET_NOT_FOUND', /ARN of a Secrets Manager secret/],
    ['DatabaseNotFoundException', 'Unknown database nope', 'DATABASE_NOT_FOUND', /database name/],
  ])('%s', (name, message, code, text) => {
    const e = toAppError(awsError(name, message));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(text);
    expect(e.awsRequestId).toBe('req-x');
  });

  it('DatabaseErrorException keeps the engine message exactly', () => {
    const m = 'ERROR: relation "nope" does not exist\n  Position: 15; SQLState: 42P01';
    expect(toAppError(awsError('DatabaseErrorException', m)).message).toBe(m);
  });
});
