// Bad-input suite: hundreds of generated invalid inputs sent straight to every server action (as a crafted POST
// would), as an admin, against the real local endpoint, the real console database and the real audit log.
// Each must come back as { ok: false } with a human message — never a throw, never an "unexpected error" —
// and nothing may change: no mutating call reaches the endpoint, the fleet is the same, no "succeeded" audit row.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fleetSnapshot, mutatingCalls, startConsoleHarness, type ConsoleHarness } from '@/lib/testing/console-harness';

const h = vi.hoisted(() => ({ user: { id: 'bad-input-admin', username: 'admin', role: 'admin' as const } }));
vi.mock('@/lib/auth/session', () => ({
  getSession: async () => h.user,
  requireUser: async () => h.user,
  requireRole: async () => h.user,
}));

import { createClusterAction, retryCreateStepAction } from './(console)/clusters/actions';
import { addReaderAction, deleteClusterAction, modifyInstanceAction, rebootInstanceAction, removeReaderAction } from './(console)/clusters/[region]/[clusterId]/actions';
import { backtrackClusterAction, failoverClusterAction, setBacktrackWindowAction } from '@/lib/oncall/actions';
import { approveRequestAction, rejectRequestAction } from '@/lib/approvals/actions';

type Result = { ok: boolean; error?: string; code?: string; fieldErrors?: Record<string, string[]> };
type Action = (prev: null, fd: FormData) => Promise<Result>;

// ------------------------------------------------------------------------------------------ generators
const LONG = 'x'.repeat(10_000);
const BAD_IDENTIFIERS: Record<string, string> = {
  empty: '',
  blank: '   ',
  tab: '\t',
  'too long (64)': 'a'.repeat(64),
  'very long (10k)': 'a' + LONG,
  'leading digit': '1orders',
  'leading hyphen': '-orders',
  'trailing hyphen': 'orders-',
  'double hyphen': 'orders--prod',
  'inner space': 'orders prod',
  underscore: 'orders_prod',
  dot: 'orders.prod',
  cyrillic: 'кластер',
  'accented latin': 'clustér',
  emoji: 'db😀',
  'zero width': 'orders\u200bprod',
  'nul byte': 'orders\u0000prod',
  newline: 'orders\nprod',
  'sql injection': "x'; DROP TABLE audit_log;--",
  'html injection': '<script>alert(1)</script>',
  'path traversal': '../../etc/passwd',
  'url encoded': 'orders%2Fprod',
};
/** Identifier cases that pass the looser on-call schema but name no cluster (the endpoint is asked, and says no). */
const ONCALL_UNKNOWN = new Set(['trailing hyphen', 'double hyphen']);

const BAD_PASSWORDS: Record<string, string> = {
  empty: '',
  short: 'Ab1!',
  'seven chars': 'Abcdef1',
  '42 chars': 'A'.repeat(42),
  '10k chars': LONG,
  slash: 'Passw0rd/123',
  'double quote': 'Passw0rd"123',
  at: 'Passw0rd@123',
  'single quote': "Passw0rd'123",
  space: 'Passw0rd 123',
  'non-ascii': 'Pässwörd123',
  emoji: 'Password😀123',
  tab: 'Passw0rd\t123',
  newline: 'Passw0rd\n123',
};
const BAD_INTS: Record<string, string> = {
  negative: '-1',
  'big negative': '-999999',
  NaN: 'NaN',
  Infinity: 'Infinity',
  huge: '1e309',
  'huge integer': '99999999999999999999999',
  decimal: '1.5',
  word: 'three',
  hex: '0x10',
  'sql injection': '1; DROP TABLE x',
  'html injection': '<b>1</b>',
  'very long': '9'.repeat(10_000),
};
const BAD_INSTANCE_CLASSES: Record<string, string> = {
  empty: '',
  'no db prefix': 'r6g.large',
  'html injection': '<img src=x onerror=alert(1)>',
  'sql injection': "db.r6g.large' OR '1'='1",
  unicode: 'db.r6g.lärge',
  'very long': 'db.' + LONG,
};
const BAD_REGIONS: Record<string, string> = {
  empty: '',
  'not a region': 'mars-north-1',
  'injection': 'us-east-1; rm -rf /',
  'upper case': 'US-EAST-1',
  'not configured': 'ap-south-1',
  'very long': 'us-east-1' + LONG,
};

const form = (o: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(o)) f.set(k, v);
  return f;
};

interface Case {
  name: string;
  action: Action;
  input: Record<string, string>;
  /** Field expected to carry the message (when the refusal is a field error). */
  field?: string;
}
const cases: Case[] = [];
const add = (name: string, action: unknown, input: Record<string, string>, field?: string) => cases.push({ name, action: action as Action, input, field });

// Valid baselines (each would succeed as is: the suite only changes one field at a time).
const createBase = {
  region: 'us-east-1',
  engine: 'aurora-mysql',
  engineVersion: '',
  identifier: 'bad-input-new',
  masterUsername: 'dbadmin',
  masterPassword: 'Str0ng-Passw0rd',
  instanceClass: 'db.r6g.large',
  subnetGroup: '',
  backupRetention: '1',
  backtrackHours: '0',
  tags: '',
};
const ref = { region: 'us-east-1', clusterId: 'orders-prod' };
const addReaderBase = { ...ref, instanceId: 'orders-prod-9', instanceClass: 'db.r6g.large', az: '', promotionTier: '1' };
const instanceRef = { ...ref, instanceId: 'orders-prod-2' };
const deleteBase = { region: 'us-east-1', clusterId: 'billing', confirm: 'billing', finalSnapshot: 'skip', finalSnapshotId: '', deleteInstances: 'on' };
const retryBase = { ...ref, kind: 'reader', instanceId: 'orders-prod-9', instanceClass: 'db.r6g.large', az: '' };
const failoverBase = { ...ref, target: 'auto', confirm: 'orders-prod', reason: '' };
const backtrackBase = () => ({ ...ref, backtrackTo: new Date(Date.now() - 10 * 60_000).toISOString(), confirm: 'orders-prod', reason: '' });
const windowBase = { ...ref, hours: '12', confirm: '' };

// Create cluster: every field.
for (const [k, v] of Object.entries(BAD_IDENTIFIERS)) add(`create: identifier ${k}`, createClusterAction, { ...createBase, identifier: v }, 'identifier');
for (const [k, v] of Object.entries(BAD_PASSWORDS)) add(`create: password ${k}`, createClusterAction, { ...createBase, masterPassword: v }, 'masterPassword');
add('create: password with Secrets Manager on', createClusterAction, { ...createBase, manageMasterPassword: 'on' }, 'masterPassword');
for (const [k, v] of Object.entries({ empty: '', 'leading digit': '1admin', reserved: 'rdsadmin', 'reserved sql': 'select', '17 chars': 'a'.repeat(17), hyphen: 'db-admin', unicode: 'админ', 'sql injection': "admin'--", '10k chars': LONG }))
  add(`create: master username ${k}`, createClusterAction, { ...createBase, masterUsername: v }, 'masterUsername');
for (const [k, v] of Object.entries(BAD_INTS)) add(`create: backup retention ${k}`, createClusterAction, { ...createBase, backupRetention: v }, 'backupRetention');
for (const [k, v] of Object.entries({ zero: '0', 'above max': '36' })) add(`create: backup retention ${k}`, createClusterAction, { ...createBase, backupRetention: v }, 'backupRetention');
for (const [k, v] of Object.entries(BAD_INTS)) add(`create: backtrack hours ${k}`, createClusterAction, { ...createBase, backtrackHours: v }, 'backtrackHours');
add('create: backtrack hours above 72', createClusterAction, { ...createBase, backtrackHours: '73' }, 'backtrackHours');
add('create: backtrack on aurora-postgresql', createClusterAction, { ...createBase, engine: 'aurora-postgresql', backtrackHours: '24' }, 'backtrackHours');
for (const [k, v] of Object.entries({ empty: '', mysql: 'mysql', 'upper case': 'AURORA-MYSQL', injection: "aurora-mysql' --" }))
  add(`create: engine ${k}`, createClusterAction, { ...createBase, engine: v }, 'engine');
for (const [k, v] of Object.entries(BAD_INSTANCE_CLASSES)) add(`create: instance class ${k}`, createClusterAction, { ...createBase, instanceClass: v }, 'instanceClass');
for (const [k, v] of Object.entries(BAD_REGIONS)) add(`create: region ${k}`, createClusterAction, { ...createBase, region: v }, 'region');
for (const [k, v] of Object.entries({
  'no equals': 'team',
  'empty key': '=x',
  'empty value': 'team=',
  'aws: prefix': 'aws:owner=me',
  'rds: value': 'team=rds:x',
  'duplicate key': 'a=1\na=2',
  '129-char key': 'k'.repeat(129) + '=v',
  '257-char value': 'k=' + 'v'.repeat(257),
  '51 tags': Array.from({ length: 51 }, (_, i) => `k${i}=v`).join('\n'),
  '10k chars': LONG,
}))
  add(`create: tags ${k}`, createClusterAction, { ...createBase, tags: v }, 'tags');

// Add reader.
for (const [k, v] of Object.entries(BAD_IDENTIFIERS)) add(`add reader: instance id ${k}`, addReaderAction, { ...addReaderBase, instanceId: v }, 'instanceId');
for (const [k, v] of Object.entries(BAD_IDENTIFIERS)) add(`add reader: cluster id ${k}`, addReaderAction, { ...addReaderBase, clusterId: v }, 'clusterId');
for (const [k, v] of Object.entries(BAD_INTS)) add(`add reader: promotion tier ${k}`, addReaderAction, { ...addReaderBase, promotionTier: v }, 'promotionTier');
add('add reader: promotion tier 16', addReaderAction, { ...addReaderBase, promotionTier: '16' }, 'promotionTier');
for (const [k, v] of Object.entries(BAD_INSTANCE_CLASSES)) if (v) add(`add reader: instance class ${k}`, addReaderAction, { ...addReaderBase, instanceClass: v }, 'instanceClass');
for (const [k, v] of Object.entries({ region: 'us-east-1', 'other region': 'eu-west-1z9', word: 'anywhere', 'very long': LONG }))
  add(`add reader: availability zone ${k}`, addReaderAction, { ...addReaderBase, az: v }, 'az');
// A well-formed region that is not configured is refused with a message (checked before any call), not a field error.
const regionField = (k: string) => (k === 'not configured' ? undefined : 'region');
for (const [k, v] of Object.entries(BAD_REGIONS)) add(`add reader: region ${k}`, addReaderAction, { ...addReaderBase, region: v }, regionField(k));
add('add reader: cluster that does not exist', addReaderAction, { ...addReaderBase, clusterId: 'no-such-cluster' });

// Remove reader / reboot (instance references).
for (const [k, v] of Object.entries(BAD_IDENTIFIERS)) add(`remove reader: instance id ${k}`, removeReaderAction, { ...instanceRef, instanceId: v }, 'instanceId');
for (const [k, v] of Object.entries(BAD_IDENTIFIERS)) add(`reboot: instance id ${k}`, rebootInstanceAction, { ...instanceRef, instanceId: v }, 'instanceId');
for (const [k, v] of Object.entries(BAD_REGIONS)) add(`reboot: region ${k}`, rebootInstanceAction, { ...instanceRef, region: v }, regionField(k));
add('remove reader: instance that does not exist', removeReaderAction, { ...instanceRef, instanceId: 'orders-prod-99' });
add('remove reader: instance of another cluster', removeReaderAction, { ...instanceRef, instanceId: 'billing-1' });
add('reboot: instance that does not exist', rebootInstanceAction, { ...instanceRef, instanceId: 'orders-prod-99' });

// Modify instance.
for (const [k, v] of Object.entries(BAD_INTS)) add(`modify: promotion tier ${k}`, modifyInstanceAction, { ...instanceRef, promotionTier: v }, 'promotionTier');
for (const [k, v] of Object.entries(BAD_INSTANCE_CLASSES)) if (v) add(`modify: instance class ${k}`, modifyInstanceAction, { ...instanceRef, instanceClass: v }, 'instanceClass');
add('modify: nothing to change', modifyInstanceAction, { ...instanceRef, promotionTier: '', instanceClass: '' }, 'promotionTier');
for (const [k, v] of Object.entries(BAD_IDENTIFIERS)) if (v.length < 100) add(`modify: instance id ${k}`, modifyInstanceAction, { ...instanceRef, instanceId: v, promotionTier: '3' }, 'instanceId');

// Delete cluster (destructive: typed confirmation checked on the server).
for (const [k, v] of Object.entries({ empty: '', 'other cluster': 'orders-prod', prefix: 'bill', 'with suffix': 'billing-x', 'html injection': '<b>billing</b>', 'very long': LONG }))
  add(`delete: confirmation ${k}`, deleteClusterAction, { ...deleteBase, confirm: v }, 'confirm');
for (const [k, v] of Object.entries({ empty: '', 'leading digit': '1snap', 'double hyphen': 'snap--1', 'trailing hyphen': 'snap-', unicode: 'snäp', '256 chars': 's'.repeat(256) }))
  add(`delete: final snapshot id ${k}`, deleteClusterAction, { ...deleteBase, finalSnapshot: 'snapshot', finalSnapshotId: v }, 'finalSnapshotId');
for (const [k, v] of Object.entries({ empty: '', word: 'maybe', injection: "skip' OR 1=1" })) add(`delete: final snapshot choice ${k}`, deleteClusterAction, { ...deleteBase, finalSnapshot: v }, 'finalSnapshot');
for (const [k, v] of Object.entries(BAD_IDENTIFIERS)) if (v.length < 100) add(`delete: cluster id ${k}`, deleteClusterAction, { ...deleteBase, clusterId: v, confirm: v }, 'clusterId');

// Retry a create step.
for (const [k, v] of Object.entries({ empty: '', primary: 'primary', upper: 'WRITER', injection: 'reader; drop' })) add(`retry step: kind ${k}`, retryCreateStepAction, { ...retryBase, kind: v }, 'kind');
for (const [k, v] of Object.entries(BAD_IDENTIFIERS)) if (v.length < 100) add(`retry step: instance id ${k}`, retryCreateStepAction, { ...retryBase, instanceId: v }, 'instanceId');

// Failover.
for (const [k, v] of Object.entries(BAD_IDENTIFIERS))
  add(`failover: cluster id ${k}`, failoverClusterAction, { ...failoverBase, clusterId: v, confirm: v }, ONCALL_UNKNOWN.has(k) ? undefined : 'clusterId');
for (const [k, v] of Object.entries({ empty: '', 'other cluster': 'billing', 'case changed': 'ORDERS-PROD', prefix: 'orders', 'html injection': '<i>orders-prod</i>', 'very long': LONG }))
  add(`failover: confirmation ${k}`, failoverClusterAction, { ...failoverBase, confirm: v }, 'confirm');
for (const [k, v] of Object.entries({ 'unknown instance': 'orders-prod-99', 'instance of another cluster': 'billing-1', 'the current writer': 'WRITER', injection: "orders-prod-2' --", 'very long': LONG }))
  add(`failover: target ${k}`, failoverClusterAction, { ...failoverBase, target: v }, 'target');
add('failover: reason of 10k characters', failoverClusterAction, { ...failoverBase, reason: LONG }, 'reason');
for (const [k, v] of Object.entries(BAD_REGIONS)) add(`failover: region ${k}`, failoverClusterAction, { ...failoverBase, region: v });

// Backtrack.
const H = 3_600_000;
for (const [k, v] of Object.entries({
  empty: '',
  word: 'yesterday',
  'month 13': '2024-13-01T00:00:00Z',
  'day 45': '2024-01-45T00:00:00Z',
  'hour 25': '2024-01-01T25:00:00Z',
  'not a date': 'NaN',
  'sql injection': "2024-01-01' OR 1=1 --",
  'html injection': '<script>1</script>',
  'very long': LONG,
  'one hour in the future': 'FUTURE_1H',
  'one year in the future': 'FUTURE_1Y',
  'before the earliest time (48 h ago)': 'PAST_48H',
  'before the epoch': '1969-12-31T23:59:59Z',
}))
  add(`backtrack: time ${k}`, backtrackClusterAction, { ...backtrackBase(), backtrackTo: v }, 'backtrackTo');
for (const [k, v] of Object.entries({ empty: '', 'other cluster': 'billing', prefix: 'orders', 'very long': LONG })) add(`backtrack: confirmation ${k}`, backtrackClusterAction, { ...backtrackBase(), confirm: v }, 'confirm');
add('backtrack: aurora-postgresql cluster', backtrackClusterAction, { ...backtrackBase(), clusterId: 'analytics-pg', confirm: 'analytics-pg' });
add('backtrack: cluster without a backtrack window', backtrackClusterAction, { ...backtrackBase(), clusterId: 'billing', confirm: 'billing' });
for (const [k, v] of Object.entries(BAD_IDENTIFIERS)) if (v.length < 100) add(`backtrack: cluster id ${k}`, backtrackClusterAction, { ...backtrackBase(), clusterId: v, confirm: v }, ONCALL_UNKNOWN.has(k) ? undefined : 'clusterId');

// Backtrack window.
// (1.5 h is a valid window, so BAD_INTS' decimal is not a bad input here.)
for (const [k, v] of Object.entries({ ...BAD_INTS, decimal: '72.5', 'above 72': '73', empty: '' }))
  add(`window: hours ${k}`, setBacktrackWindowAction, { ...windowBase, hours: v }, 'hours');
add('window: hours 0.0001 (rounds to 0 = disable) without confirmation', setBacktrackWindowAction, { ...windowBase, hours: '0.0001' }, 'disableForGood');
add('window: 0 without "disable for good"', setBacktrackWindowAction, { ...windowBase, hours: '0' }, 'disableForGood');
add('window: 0 with a wrong confirmation', setBacktrackWindowAction, { ...windowBase, hours: '0', disableForGood: 'on', confirm: 'billing' }, 'disableForGood');
add('window: same as now (24 h)', setBacktrackWindowAction, { ...windowBase, hours: '24' }, 'hours');
add('window: aurora-postgresql cluster', setBacktrackWindowAction, { ...windowBase, clusterId: 'analytics-pg' });

// Approvals.
for (const [k, v] of Object.entries({ empty: '', word: 'approve-all', 'sql injection': "1' OR '1'='1", 'very long': LONG, 'unknown uuid': '00000000-0000-4000-8000-000000000000' })) {
  add(`approve: id ${k}`, approveRequestAction, { id: v }, k === 'unknown uuid' ? undefined : 'id');
  add(`reject: id ${k}`, rejectRequestAction, { id: v, note: '' }, k === 'unknown uuid' ? undefined : 'id');
}
add('reject: note of 10k characters', rejectRequestAction, { id: '00000000-0000-4000-8000-000000000000', note: LONG }, 'note');

function materialise(input: Record<string, string>): Record<string, string> {
  const now = Date.now();
  const map: Record<string, string> = {
    FUTURE_1H: new Date(now + H).toISOString(),
    FUTURE_1Y: new Date(now + 365 * 24 * H).toISOString(),
    PAST_48H: new Date(now - 48 * H).toISOString(),
    WRITER: hx.emu.model.getCluster('us-east-1', 'orders-prod', now).writerId ?? 'unknown',
  };
  return Object.fromEntries(Object.entries(input).map(([k, v]) => [k, map[v] ?? v]));
}

// ------------------------------------------------------------------------------------------ the suite
let hx: ConsoleHarness;
let before: string;

beforeAll(async () => {
  // Two-person rule off: a bad input that slipped through validation would reach AWS at once (so the suite can fail).
  hx = await startConsoleHarness({ AFC_TWO_PERSON: 'none' });
  before = fleetSnapshot(hx.emu);
  hx.emu.counters.reset();
}, 60_000);

afterAll(async () => {
  await hx?.close();
});

describe(`bad input: ${cases.length} generated invalid inputs across every server action`, () => {
  it('has at least 200 cases and covers every action', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    const covered = new Set(cases.map((c) => c.action));
    for (const a of [createClusterAction, retryCreateStepAction, addReaderAction, removeReaderAction, rebootInstanceAction, modifyInstanceAction, deleteClusterAction, failoverClusterAction, backtrackClusterAction, setBacktrackWindowAction, approveRequestAction, rejectRequestAction])
      expect(covered.has(a as unknown as Action)).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s → refused with a clear message', async (_n, c) => {
    let r: Result;
    try {
      r = await c.action(null, form(materialise(c.input)));
    } catch (e) {
      throw new Error(`threw instead of returning a refusal: ${e instanceof Error ? e.message : String(e)}`);
    }
    expect(r.ok, JSON.stringify(r).slice(0, 300)).toBe(false);
    expect(r.code).not.toBe('INTERNAL');
    expect(r.error?.trim().length ?? 0).toBeGreaterThan(0);
    expect(r.error).not.toMatch(/^\s*at |TypeError|ReferenceError|undefined is not|\[object Object\]/);
    if (c.field) {
      const msgs = r.fieldErrors?.[c.field] ?? [];
      expect(msgs.length, `expected a message on "${c.field}", got ${JSON.stringify(r).slice(0, 300)}`).toBeGreaterThan(0);
      for (const m of msgs) expect(m.trim().length).toBeGreaterThan(3);
    }
    // A human message never echoes a 10k-character input back in full.
    expect(JSON.stringify(r).length).toBeLessThan(12_000);
  });

  it('nothing changed: no mutating call reached the endpoint, the fleet is the same, nothing succeeded', async () => {
    expect(mutatingCalls(hx.emu)).toEqual({});
    expect(fleetSnapshot(hx.emu)).toBe(before);
    const { listAudit, verifyAuditChain } = await import('@/lib/audit/log');
    const rows = await listAudit({});
    expect(rows.filter((r) => r.phase === 'succeeded' || r.phase === 'pending-approval')).toEqual([]);
    expect(await verifyAuditChain()).toMatchObject({ ok: true });
    // The audit never keeps a submitted password, however malformed.
    const text = JSON.stringify(rows);
    for (const p of Object.values(BAD_PASSWORDS)) if (p.length >= 8 && p.length < 100) expect(text).not.toContain(p);
  });
});
