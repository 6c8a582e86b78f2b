import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addReaderBlockedReason, checkIdentifier, checkMasterUsername, checkPassword, parseTagLines } from './rds-rules';
import { addReaderSchema, createClusterSchema, deleteClusterSchema, modifyInstanceSchema } from './rds-validation';

const good = {
  region: 'us-east-1',
  engine: 'aurora-mysql',
  engineVersion: '',
  identifier: 'orders-db',
  masterUsername: 'admin',
  masterPassword: 'Sup3r-secret!',
  instanceClass: 'db.r6g.large',
  multiAZ: 'on',
  subnetGroup: 'default',
  backupRetention: '7',
  backtrackHours: '24',
  encrypted: 'on',
  tags: 'team=orders\nenv = prod\n',
};

function errorsOf(input: Record<string, unknown>) {
  const r = createClusterSchema.safeParse(input);
  return r.success ? {} : z.flattenError(r.error).fieldErrors as Record<string, string[]>;
}

describe('identifier rules (CreateDBCluster DBClusterIdentifier)', () => {
  it.each([
    ['a', null],
    ['orders-db-1', null],
    ['A'.repeat(63), null],
    ['', /required/],
    ['1abc', /start with a letter/],
    ['-abc', /start with a letter/],
    ['ab_c', /letters, digits and hyphens/],
    ['ab c', /letters, digits and hyphens/],
    ['ab--c', /two consecutive hyphens/],
    ['abc-', /end with a hyphen/],
    ['a'.repeat(64), /at most 63 characters \(it has 64\)/],
  ])('%s', (v, expected) => {
    const m = checkIdentifier(v);
    if (expected === null) expect(m).toBeNull();
    else expect(m).toMatch(expected);
  });
  it('snapshot identifiers may be 255 long', () => {
    expect(checkIdentifier('s'.repeat(255), 'snapshot')).toBeNull();
    expect(checkIdentifier('s'.repeat(256), 'snapshot')).toMatch(/255/);
  });
});

describe('master username (CreateDBCluster MasterUsername)', () => {
  it.each([
    ['admin', null],
    ['a1234567890123456'.slice(0, 16), null],
    ['', /required/],
    ['1admin', /start with a letter/],
    ['ad_min', /only letters and digits/],
    ['a'.repeat(17), /1 to 16 characters \(it has 17\)/],
    ['rdsadmin', /reserved word/],
    ['SELECT', /reserved word/],
  ])('%s', (v, expected) => {
    const m = checkMasterUsername(v);
    if (expected === null) expect(m).toBeNull();
    else expect(m).toMatch(expected);
  });
});

describe('master password (CreateDBCluster MasterUserPassword)', () => {
  it.each([
    ['12345678', null],
    ['x'.repeat(41), null],
    ['!#$%&()*+,-.:;<=>?[]^_`{|}~', null],
    ['short', /at least 8 characters \(it has 5\)/],
    ['x'.repeat(42), /at most 41/],
    ['has space1', /spaces/],
    ['slash/slash', /must not contain \//],
    ['quote"quote', /must not contain "/],
    ['at@sign12', /must not contain @/],
    ["apos'trophe", /must not contain '/],
    ['ünïcode123', /printable ASCII/],
    ['tab\there12', /printable ASCII/],
  ])('%s', (v, expected) => {
    const m = checkPassword(v);
    if (expected === null) expect(m).toBeNull();
    else expect(m).toMatch(expected);
  });
});

describe('tags', () => {
  it('parses key=value lines', () => {
    expect(parseTagLines('a=b\n\n c = d e \n')).toEqual({ tags: [{ key: 'a', value: 'b' }, { key: 'c', value: 'd e' }], error: null });
  });
  it.each([
    ['novalue', /line 1: write it as key=value/],
    ['a=b\n=x', /line 2: the key must be 1 to 128/],
    ['a=', /value must be 1 to 256/],
    ['aws:x=1', /must not start with "aws:" or "rds:"/],
    ['RDS:x=1', /must not start with/],
    [`${'k'.repeat(129)}=v`, /1 to 128/],
    [`k=${'v'.repeat(257)}`, /1 to 256/],
    ['a=1\na=2', /appears twice/],
  ])('%s', (text, expected) => {
    expect(parseTagLines(text).error).toMatch(expected);
  });
});

describe('createClusterSchema', () => {
  it('accepts a good form and converts types', () => {
    const r = createClusterSchema.parse(good);
    expect(r).toMatchObject({ multiAZ: true, encrypted: true, deletionProtection: false, backupRetention: 7, backtrackHours: 24, engineVersion: undefined, manageMasterPassword: false });
    expect(r.tagList).toEqual([{ key: 'team', value: 'orders' }, { key: 'env', value: 'prod' }]);
  });
  it('defaults backup retention to 1 and backtrack to 0 when blank', () => {
    const r = createClusterSchema.parse({ ...good, backupRetention: '', backtrackHours: '' });
    expect(r.backupRetention).toBe(1);
    expect(r.backtrackHours).toBe(0);
  });
  it('puts each error beside its field', () => {
    const f = errorsOf({ ...good, identifier: '9lives', masterPassword: 'short', backupRetention: '36', backtrackHours: '73', tags: 'aws:x=1', engine: 'mysql' });
    expect(f.identifier[0]).toMatch(/start with a letter/);
    expect(f.masterPassword[0]).toMatch(/at least 8/);
    expect(f.backupRetention[0]).toBe('Backup retention must be between 1 and 35.');
    expect(f.backtrackHours[0]).toBe('Backtrack window must be between 0 and 72.');
    expect(f.engine[0]).toMatch(/aurora-mysql or aurora-postgresql/);
  });
  it('refuses backtrack on PostgreSQL and accepts 0', () => {
    expect(errorsOf({ ...good, engine: 'aurora-postgresql' }).backtrackHours[0]).toMatch(/only for Aurora MySQL/);
    expect(errorsOf({ ...good, engine: 'aurora-postgresql', backtrackHours: '0' })).toEqual({});
  });
  it('rejects fractional and non-numeric numbers', () => {
    expect(errorsOf({ ...good, backupRetention: '2.5' }).backupRetention[0]).toMatch(/whole number/);
    expect(errorsOf({ ...good, backupRetention: 'abc' }).backupRetention[0]).toMatch(/whole number/);
    expect(errorsOf({ ...good, backupRetention: '0' }).backupRetention[0]).toMatch(/between 1 and 35/);
  });
  it('Secrets Manager excludes a password; otherwise a password is required', () => {
    expect(errorsOf({ ...good, manageMasterPassword: 'on', masterPassword: '' })).toEqual({});
    expect(errorsOf({ ...good, manageMasterPassword: 'on' }).masterPassword[0]).toMatch(/Leave the password empty/);
    expect(errorsOf({ ...good, masterPassword: '' }).masterPassword[0]).toMatch(/required/);
  });
  it('does not trim the password (a trailing space is an error, not silently removed)', () => {
    expect(errorsOf({ ...good, masterPassword: 'Sup3r-secret! ' }).masterPassword[0]).toMatch(/spaces/);
  });
});

describe('instance schemas', () => {
  const ref = { region: 'us-east-1', clusterId: 'orders-db' };
  it('promotion tier 0–15, default 1', () => {
    expect(addReaderSchema.parse({ ...ref, instanceId: 'r1', instanceClass: 'db.r6g.large', az: '', promotionTier: '' }).promotionTier).toBe(1);
    expect(addReaderSchema.safeParse({ ...ref, instanceId: 'r1', instanceClass: 'db.r6g.large', az: '', promotionTier: '16' }).success).toBe(false);
    expect(addReaderSchema.safeParse({ ...ref, instanceId: 'r1', instanceClass: 'db.r6g.large', az: '', promotionTier: '-1' }).success).toBe(false);
    expect(addReaderSchema.safeParse({ ...ref, instanceId: 'r1', instanceClass: 'db.r6g.large', az: 'us-east-1b', promotionTier: '15' }).success).toBe(true);
  });
  it('modify needs a change', () => {
    expect(modifyInstanceSchema.safeParse({ ...ref, instanceId: 'r1', promotionTier: '', instanceClass: '' }).success).toBe(false);
    expect(modifyInstanceSchema.parse({ ...ref, instanceId: 'r1', promotionTier: '0', instanceClass: '' })).toMatchObject({ promotionTier: 0, instanceClass: undefined });
  });
  it('delete confirmation must match the identifier, and a snapshot needs a valid name', () => {
    const bad = deleteClusterSchema.safeParse({ ...ref, confirm: 'orders', finalSnapshot: 'snapshot', finalSnapshotId: '1bad' });
    expect(bad.success).toBe(false);
    if (!bad.success) {
      const f = z.flattenError(bad.error).fieldErrors as Record<string, string[]>;
      expect(f.confirm[0]).toMatch(/Type the cluster identifier "orders-db"/);
      expect(f.finalSnapshotId[0]).toMatch(/start with a letter/);
    }
    expect(deleteClusterSchema.safeParse({ ...ref, confirm: 'orders-db', finalSnapshot: 'skip', finalSnapshotId: '' }).success).toBe(true);
  });
  it('add reader is blocked at 15 readers or when not available', () => {
    expect(addReaderBlockedReason({ id: 'c', status: 'available', readerCount: 14 })).toBeNull();
    expect(addReaderBlockedReason({ id: 'c', status: 'available', readerCount: 15 })).toMatch(/already has 15 readers/);
    expect(addReaderBlockedReason({ id: 'c', status: 'modifying', readerCount: 1 })).toMatch(/is modifying/);
  });
});
