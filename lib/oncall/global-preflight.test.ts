import { describe, expect, it } from 'vitest';
import type { GlobalDatabaseDTO } from '@/lib/aws/global-types';
import { checkGlobalSwitch, observedOf } from './global-preflight';
import { globalSchemas } from './global-schemas';
import { buildGlobalTimeline } from './global-timeline';

const arn = (region: string, id: string) => `arn:aws:rds:${region}:123456789012:cluster:${id}`;
function db(over: Partial<GlobalDatabaseDTO> = {}): GlobalDatabaseDTO {
  const primary = { arn: arn('us-east-1', 'orders-prod'), region: 'us-east-1', clusterId: 'orders-prod', role: 'primary' as const, syncStatus: 'connected' };
  return {
    id: 'orders-global',
    status: 'available',
    transitional: false,
    engine: 'aurora-mysql',
    storageEncrypted: false,
    deletionProtection: false,
    members: [primary, { arn: arn('eu-west-1', 'orders-eu'), region: 'eu-west-1', clusterId: 'orders-eu', role: 'secondary', syncStatus: 'connected' }],
    primary,
    tags: [],
    ...over,
  };
}
const req = { globalId: 'orders-global', targetRegion: 'eu-west-1', targetClusterId: 'orders-eu', confirm: 'orders-global' };

describe('checkGlobalSwitch', () => {
  it('passes a switchover to an in-sync secondary, and a failover only with the data loss accepted', () => {
    expect(checkGlobalSwitch(db(), 'switchover', req)).toMatchObject({ ok: true, value: { target: { clusterId: 'orders-eu' } } });
    expect(checkGlobalSwitch(db(), 'failover', req)).toMatchObject({ ok: false, code: 'DATA_LOSS_NOT_ACCEPTED', field: 'acceptDataLoss' });
    expect(checkGlobalSwitch(db(), 'failover', { ...req, acceptDataLoss: true })).toMatchObject({ ok: true });
  });

  it('refuses the wrong typed identifier, a non-member, the primary as target, a running operation', () => {
    expect(checkGlobalSwitch(db(), 'switchover', { ...req, confirm: 'orders' })).toMatchObject({ ok: false, code: 'CONFIRMATION_MISMATCH', message: expect.stringContaining('"orders-global"') });
    expect(checkGlobalSwitch(db(), 'switchover', { ...req, targetClusterId: 'billing' })).toMatchObject({ ok: false, code: 'TARGET_NOT_MEMBER' });
    expect(checkGlobalSwitch(db(), 'switchover', { ...req, targetRegion: 'us-east-1', targetClusterId: 'orders-prod' })).toMatchObject({ ok: false, code: 'TARGET_IS_PRIMARY' });
    const busy = db({ failoverState: { status: 'failing-over', dataLossAllowed: true, to: { region: 'eu-west-1' } } });
    expect(checkGlobalSwitch(busy, 'failover', { ...req, acceptDataLoss: true })).toMatchObject({ ok: false, code: 'GLOBAL_OPERATION_IN_PROGRESS', message: expect.stringContaining('failover of orders-global is already failing-over (to eu-west-1)') });
  });

  it('a switchover needs every member in sync; a failover does not (it is for when the primary is down)', () => {
    const resync = db();
    resync.members[0] = { ...resync.members[0], syncStatus: 'pending-resync' };
    expect(checkGlobalSwitch(resync, 'switchover', req)).toMatchObject({ ok: false, code: 'MEMBER_NOT_IN_SYNC', message: expect.stringContaining('us-east-1 / orders-prod is pending-resync') });
    expect(checkGlobalSwitch(resync, 'failover', { ...req, acceptDataLoss: true })).toMatchObject({ ok: true });
  });

  it('what a poll tells the operation observer: the primary as "writer", a FailoverState as failing-over', () => {
    expect(observedOf(db())).toEqual({ status: 'available', writer: 'us-east-1 / orders-prod' });
    expect(observedOf(db({ failoverState: { status: 'pending', dataLossAllowed: false } })).status).toBe('failing-over');
  });
});

describe('global schemas', () => {
  it('validate identifiers, regions, instance counts and typed confirmations on the server', () => {
    expect(globalSchemas.attach.safeParse({ globalId: 'g', region: 'eu-west-1', clusterId: 'g-eu', instanceClass: 'db.r6g.large', instanceCount: '2' }).data?.instanceCount).toBe(2);
    const bad = globalSchemas.attach.safeParse({ globalId: '9g', region: 'mars', clusterId: 'g--eu', instanceClass: 'large', instanceCount: '0x2' });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path[0]);
    expect(paths).toEqual(expect.arrayContaining(['globalId', 'region', 'clusterId', 'instanceClass', 'instanceCount']));
    expect(bad.error!.issues.find((i) => i.path[0] === 'globalId')?.message).toBe('Global database identifier must start with a letter.');
    expect(globalSchemas.detach.safeParse({ globalId: 'g', region: 'eu-west-1', clusterId: 'g-eu', confirm: 'g' }).success).toBe(false);
    expect(globalSchemas.delete.safeParse({ globalId: 'G', region: 'us-east-1', confirm: 'g' }).success).toBe(true);
    expect(globalSchemas.failover.parse({ ...req, acceptDataLoss: 'on' }).acceptDataLoss).toBe(true);
  });
});

describe('buildGlobalTimeline', () => {
  it('speaks of the primary and measures from the request to the first poll that saw the new primary available', () => {
    const t0 = 1_000_000;
    const op = { id: 'x', requestedBy: 'admin', requestedAt: t0, status: 'completed' as const, oldWriter: 'us-east-1 / a', target: 'eu-west-1 / b', newWriter: 'eu-west-1 / b', failingOverSeenAt: t0 + 1_000, newWriterSeenAt: t0 + 3_000, completedAt: t0 + 3_500 };
    const t = buildGlobalTimeline('switchover', op, t0 + 10_000);
    expect(t.steps.map((s) => s.label)).toEqual([
      'Switchover to eu-west-1 / b requested by admin',
      'Aurora waits until the target is in sync, then swaps the roles',
      'New primary is eu-west-1 / b',
      'Global database available',
    ]);
    expect(t.durationMs).toBe(3_500);
    expect(buildGlobalTimeline('failover', { ...op, status: 'in-progress', completedAt: undefined, newWriter: undefined, newWriterSeenAt: undefined }, t0 + 2_000).steps.map((s) => s.state)).toEqual(['done', 'done', 'current', 'pending']);
  });
});
