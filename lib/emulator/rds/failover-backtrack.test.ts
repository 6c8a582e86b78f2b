import {
  BacktrackDBClusterCommand,
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  DescribeDBClusterBacktracksCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeEventsCommand,
  FailoverDBClusterCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fault, startHarness, type Harness } from '@/lib/testing/emulator-rds';

let h: Harness;
let rds: RDSClient;

async function cluster(id: string, engine: 'aurora-mysql' | 'aurora-postgresql', members: [string, string, number, string?][], extra = {}) {
  await rds.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: id,
      Engine: engine,
      MasterUsername: 'master',
      MasterUserPassword: 'Sup3rSecret!',
      ...extra,
    }),
  );
  for (const [iid, cls, tier, az] of members) {
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: iid,
        DBClusterIdentifier: id,
        Engine: engine,
        DBInstanceClass: cls,
        PromotionTier: tier,
        AvailabilityZone: az,
      }),
    );
  }
  h.advance(2000);
}

const describeCluster = async (id: string) => (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0];
const writerOf = async (id: string) => (await describeCluster(id)).DBClusterMembers!.find((m) => m.IsClusterWriter)!.DBInstanceIdentifier;
const statusOf = async (id: string) => (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances![0].DBInstanceStatus;

beforeAll(async () => {
  h = await startHarness();
  rds = h.client();
});
afterAll(async () => h.close());

describe('FailoverDBCluster', () => {
  it('needs an available cluster with at least two instances', async () => {
    await cluster('solo', 'aurora-mysql', [['solo-1', 'db.r6g.large', 1]]);
    const e = await fault(() => rds.send(new FailoverDBClusterCommand({ DBClusterIdentifier: 'solo' })));
    expect([e.name, e.status, e.message]).toEqual([
      'InvalidDBClusterStateFault',
      400,
      'Database cluster:solo should have at least two database instances for failover',
    ]);
    const nf = await fault(() => rds.send(new FailoverDBClusterCommand({ DBClusterIdentifier: 'nope' })));
    expect([nf.name, nf.status]).toEqual(['DBClusterNotFoundFault', 404]);
  });

  it('picks the reader with the lowest tier, then the larger class; flips the writer at completion with events', async () => {
    await cluster('fo', 'aurora-mysql', [
      ['fo-w', 'db.r6g.large', 0, 'us-east-1a'],
      ['fo-small', 'db.r6g.large', 1, 'us-east-1b'],
      ['fo-big', 'db.r6g.2xlarge', 1, 'us-east-1c'],
      ['fo-tier2', 'db.r6g.4xlarge', 2, 'us-east-1a'],
    ]);
    expect(await writerOf('fo')).toBe('fo-w');
    const startedAt = h.clock.now;
    const out = await rds.send(new FailoverDBClusterCommand({ DBClusterIdentifier: 'FO' }));
    expect(out.DBCluster!.Status).toBe('failing-over');
    expect(await statusOf('fo-w')).toBe('rebooting');
    expect(await statusOf('fo-big')).toBe('rebooting');
    expect(await statusOf('fo-small')).toBe('available');
    expect(await writerOf('fo')).toBe('fo-w');
    const busy = await fault(() => rds.send(new FailoverDBClusterCommand({ DBClusterIdentifier: 'fo' })));
    expect(busy.name).toBe('InvalidDBClusterStateFault');
    h.advance(1999);
    expect((await describeCluster('fo')).Status).toBe('failing-over');
    h.advance(1);
    const c = await describeCluster('fo');
    expect(c.Status).toBe('available');
    expect(c.DBClusterMembers!.filter((m) => m.IsClusterWriter).map((m) => m.DBInstanceIdentifier)).toEqual(['fo-big']);
    expect(await statusOf('fo-w')).toBe('available');

    const ev = await rds.send(new DescribeEventsCommand({ SourceType: 'db-cluster', SourceIdentifier: 'fo', EventCategories: ['failover'] }));
    expect(ev.Events!.map((e) => [e.Message, e.Date!.getTime()])).toEqual([
      ['Started cross AZ failover to DB instance: fo-big', startedAt],
      ['Completed failover to DB instance: fo-big', startedAt + 2000],
    ]);
    expect(ev.Events![0].SourceArn).toBe(c.DBClusterArn);
    const inst = await rds.send(new DescribeEventsCommand({ SourceType: 'db-instance', SourceIdentifier: 'fo-w', EventCategories: ['availability'] }));
    expect(inst.Events!.map((e) => e.Message)).toEqual(['DB instance shutdown', 'DB instance restarted']);
  });

  it('accepts an explicit reader of this cluster; same-AZ failover uses RDS-EVENT-0072 wording', async () => {
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: 'fo-c2', DBClusterIdentifier: 'fo', Engine: 'aurora-mysql', DBInstanceClass: 'db.r6g.large',
        PromotionTier: 3, AvailabilityZone: 'us-east-1c',
      }),
    );
    h.advance(2000);
    const t = h.clock.now;
    await rds.send(new FailoverDBClusterCommand({ DBClusterIdentifier: 'fo', TargetDBInstanceIdentifier: 'fo-c2' }));
    h.advance(2000);
    expect(await writerOf('fo')).toBe('fo-c2');
    const ev = await rds.send(new DescribeEventsCommand({ SourceType: 'db-cluster', SourceIdentifier: 'fo', StartTime: new Date(t) }));
    // fo-big and fo-c2 are both in us-east-1c
    expect(ev.Events!.map((e) => e.Message)).toEqual([
      'Started same AZ failover to DB instance: fo-c2',
      'Completed failover to DB instance: fo-c2',
    ]);
    await rds.send(new FailoverDBClusterCommand({ DBClusterIdentifier: 'fo', TargetDBInstanceIdentifier: 'fo-tier2' }));
    h.advance(2000);
    expect(await writerOf('fo')).toBe('fo-tier2');
  });

  it('refuses a target from another cluster, the writer itself, or an unavailable reader', async () => {
    let e = await fault(() => rds.send(new FailoverDBClusterCommand({ DBClusterIdentifier: 'fo', TargetDBInstanceIdentifier: 'solo-1' })));
    expect([e.name, e.status, e.message]).toEqual(['InvalidParameterValue', 400, 'Cannot find target instance: solo-1']);
    e = await fault(() => rds.send(new FailoverDBClusterCommand({ DBClusterIdentifier: 'fo', TargetDBInstanceIdentifier: 'ghost' })));
    expect(e.name).toBe('InvalidParameterValue');
    e = await fault(() => rds.send(new FailoverDBClusterCommand({ DBClusterIdentifier: 'fo', TargetDBInstanceIdentifier: 'fo-tier2' })));
    expect(e.name).toBe('InvalidParameterValue');
    await rds.send(
      new CreateDBInstanceCommand({ DBInstanceIdentifier: 'fo-new', DBClusterIdentifier: 'fo', Engine: 'aurora-mysql', DBInstanceClass: 'db.r6g.large' }),
    );
    e = await fault(() => rds.send(new FailoverDBClusterCommand({ DBClusterIdentifier: 'fo', TargetDBInstanceIdentifier: 'fo-new' })));
    expect([e.name, e.status, e.message]).toEqual(['InvalidDBInstanceStateFault', 400, 'Instance fo-new should be in valid state for failover.']);
    h.advance(2000);
  });
});

describe('BacktrackDBCluster / DescribeDBClusterBacktracks', () => {
  it('is refused for aurora-postgresql and for clusters created without a window', async () => {
    await cluster('bt-pg', 'aurora-postgresql', [['bt-pg-1', 'db.r6g.large', 1]]);
    await cluster('bt-none', 'aurora-mysql', [['bt-none-1', 'db.r6g.large', 1]]);
    let e = await fault(() => rds.send(new BacktrackDBClusterCommand({ DBClusterIdentifier: 'bt-pg', BacktrackTo: new Date(h.clock.now - 1000) })));
    expect([e.name, e.status]).toEqual(['InvalidParameterCombination', 400]);
    e = await fault(() => rds.send(new BacktrackDBClusterCommand({ DBClusterIdentifier: 'bt-none', BacktrackTo: new Date(h.clock.now - 1000) })));
    expect(e.name).toBe('InvalidDBClusterStateFault');
  });

  it('validates BacktrackTo against now and EarliestBacktrackTime; runs pending → applying → completed', async () => {
    const created = h.clock.now;
    await cluster('bt', 'aurora-mysql', [['bt-1', 'db.r6g.large', 0], ['bt-2', 'db.r6g.large', 1]], { BacktrackWindow: 3600 });
    h.advance(2 * 3600_000); // window is full: earliest = now - 1 h
    let c = await describeCluster('bt');
    expect(c.EarliestBacktrackTime!.getTime()).toBe(h.clock.now - 3600_000);
    expect(c.EarliestBacktrackTime!.getTime()).toBeGreaterThan(created);

    let e = await fault(() => rds.send(new BacktrackDBClusterCommand({ DBClusterIdentifier: 'bt', BacktrackTo: new Date(h.clock.now + 60_000) })));
    expect(e.name).toBe('InvalidParameterValue');
    e = await fault(() => rds.send(new BacktrackDBClusterCommand({ DBClusterIdentifier: 'bt', BacktrackTo: new Date(h.clock.now - 2 * 3600_000) })));
    expect(e.name).toBe('InvalidParameterValue');

    const earliest = h.clock.now - 3600_000;
    const out = await rds.send(
      new BacktrackDBClusterCommand({
        DBClusterIdentifier: 'bt',
        BacktrackTo: new Date(h.clock.now - 2 * 3600_000),
        UseEarliestTimeOnPointInTimeUnavailable: true,
      }),
    );
    expect(out.BacktrackIdentifier).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(out.BacktrackTo!.getTime()).toBe(earliest);
    expect(out.BacktrackedFrom!.getTime()).toBe(h.clock.now);
    expect(out.Status).toBe('pending');
    expect((await describeCluster('bt')).Status).toBe('backtracking');
    expect(await statusOf('bt-2')).toBe('backtracking');
    const again = await fault(() => rds.send(new BacktrackDBClusterCommand({ DBClusterIdentifier: 'bt', BacktrackTo: new Date(h.clock.now - 1000) })));
    expect(again.name).toBe('InvalidDBClusterStateFault');

    h.advance(500);
    let list = await rds.send(new DescribeDBClusterBacktracksCommand({ DBClusterIdentifier: 'bt', BacktrackIdentifier: out.BacktrackIdentifier }));
    expect(list.DBClusterBacktracks![0].Status).toBe('applying');
    h.advance(1000);
    list = await rds.send(new DescribeDBClusterBacktracksCommand({ DBClusterIdentifier: 'bt' }));
    expect(list.DBClusterBacktracks!.map((b) => [b.BacktrackIdentifier, b.Status])).toEqual([[out.BacktrackIdentifier, 'completed']]);
    c = await describeCluster('bt');
    expect(c.Status).toBe('available');
    expect(await statusOf('bt-2')).toBe('available');

    // a second backtrack to an explicit, lenient ISO time (no seconds)
    const iso = new Date(h.clock.now - 10 * 60_000).toISOString().slice(0, 16) + 'Z';
    const b2 = await rds.send(new BacktrackDBClusterCommand({ DBClusterIdentifier: 'bt', BacktrackTo: new Date(iso) }));
    expect(b2.BacktrackTo!.toISOString().slice(0, 16)).toBe(iso.slice(0, 16));
    h.advance(1500);
    const filtered = await rds.send(
      new DescribeDBClusterBacktracksCommand({ DBClusterIdentifier: 'bt', Filters: [{ Name: 'db-cluster-backtrack-status', Values: ['completed'] }] }),
    );
    expect(filtered.DBClusterBacktracks).toHaveLength(2);
    expect(filtered.DBClusterBacktracks![0].BacktrackIdentifier).toBe(b2.BacktrackIdentifier); // newest first
    const pending = await rds.send(
      new DescribeDBClusterBacktracksCommand({ DBClusterIdentifier: 'bt', Filters: [{ Name: 'db-cluster-backtrack-status', Values: ['pending'] }] }),
    );
    expect(pending.DBClusterBacktracks).toEqual([]);

    e = await fault(() =>
      rds.send(new DescribeDBClusterBacktracksCommand({ DBClusterIdentifier: 'bt', BacktrackIdentifier: '00000000-0000-0000-0000-000000000000' })),
    );
    expect([e.name, e.status]).toEqual(['DBClusterBacktrackNotFoundFault', 404]);
    const ev = await rds.send(new DescribeEventsCommand({ SourceType: 'db-cluster', SourceIdentifier: 'bt', EventCategories: ['backtrack'], Duration: 120 }));
    expect(ev.Events!.map((x) => x.Message!.split(' ')[0])).toEqual(['Started', 'Completed', 'Started', 'Completed']);
  });
});
