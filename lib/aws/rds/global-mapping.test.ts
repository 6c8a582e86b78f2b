import { describe, expect, it } from 'vitest';
import { GlobalClusterAlreadyExistsFault, GlobalClusterNotFoundFault, InvalidGlobalClusterStateFault } from '@aws-sdk/client-rds';
import { toAppError } from '../errors';
import { findMember, memberLabel, parseClusterArn } from '../global-types';
import { shapeGlobalLag } from '../global-metrics';
import { regionOrder } from './global-clusters';
import { toGlobalDatabaseDTO } from './global-mapping';

const arn = (region: string, id: string) => `arn:aws:rds:${region}:123456789012:cluster:${id}`;
const meta = { httpStatusCode: 400, requestId: 'req-g' };

describe('toGlobalDatabaseDTO', () => {
  it('marks the writer member primary (listed first), parses region and cluster from each ARN, keeps sync status and the endpoint', () => {
    const d = toGlobalDatabaseDTO({
      GlobalClusterIdentifier: 'Orders-Global',
      Status: 'available',
      Engine: 'aurora-mysql',
      EngineVersion: '8.0.mysql_aurora.3.05.2',
      Endpoint: 'orders-global.global-abc.global.rds.amazonaws.com',
      GlobalClusterMembers: [
        { DBClusterArn: arn('eu-west-1', 'orders-eu'), IsWriter: false, SynchronizationStatus: 'pending-resync' },
        { DBClusterArn: arn('us-east-1', 'orders-prod'), IsWriter: true, Readers: [arn('eu-west-1', 'orders-eu')], SynchronizationStatus: 'connected' },
      ],
    });
    expect(d.id).toBe('orders-global');
    expect(d.members.map((m) => [m.role, m.region, m.clusterId, m.syncStatus])).toEqual([
      ['primary', 'us-east-1', 'orders-prod', 'connected'],
      ['secondary', 'eu-west-1', 'orders-eu', 'pending-resync'],
    ]);
    expect(d.primary?.clusterId).toBe('orders-prod');
    expect(d.failoverState).toBeUndefined();
    expect(d.endpoint).toContain('global');
    expect(findMember(d, 'eu-west-1', 'ORDERS-EU')?.role).toBe('secondary');
    expect(findMember(d, 'us-east-1', 'orders-eu')).toBeUndefined();
  });

  it('reads FailoverState: a failover allows data loss, a switchover does not; an empty FailoverState is no operation', () => {
    const fo = toGlobalDatabaseDTO({
      GlobalClusterIdentifier: 'g',
      Status: 'failing-over',
      FailoverState: { Status: 'failing-over', FromDbClusterArn: arn('us-east-1', 'a'), ToDbClusterArn: arn('eu-west-1', 'b'), IsDataLossAllowed: true },
    });
    expect(fo.transitional).toBe(true);
    expect(fo.failoverState).toMatchObject({ status: 'failing-over', dataLossAllowed: true, from: { region: 'us-east-1', clusterId: 'a' }, to: { region: 'eu-west-1', clusterId: 'b' } });
    expect(toGlobalDatabaseDTO({ GlobalClusterIdentifier: 'g', Status: 'switching-over', FailoverState: { Status: 'pending' } }).failoverState?.dataLossAllowed).toBe(false);
    expect(toGlobalDatabaseDTO({ GlobalClusterIdentifier: 'g', Status: 'available', FailoverState: {} }).failoverState).toBeUndefined();
  });

  it('parses cluster ARNs only', () => {
    expect(parseClusterArn(arn('ap-southeast-2', 'X-1'))).toEqual({ region: 'ap-southeast-2', clusterId: 'x-1' });
    expect(parseClusterArn('arn:aws:rds:us-east-1:123456789012:db:inst-1')).toEqual({});
    expect(memberLabel({ arn: 'weird' })).toBe('weird');
  });
});

describe('global faults, mapped by wire code', () => {
  it('names what to do next', () => {
    const dup = toAppError(new GlobalClusterAlreadyExistsFault({ message: 'Global cluster orders-global already exists', $metadata: meta }));
    expect(dup).toMatchObject({ code: 'GLOBAL_ALREADY_EXISTS', status: 409, awsRequestId: 'req-g' });
    expect(dup.fieldErrors?.globalId?.[0]).toMatch(/unique across every region/);
    const nf = toAppError(new GlobalClusterNotFoundFault({ message: 'Global cluster nope not found.', $metadata: meta }));
    expect(nf).toMatchObject({ code: 'GLOBAL_NOT_FOUND', status: 404 });
    expect(nf.message).toMatch(/^Global cluster nope not found\. It may have been deleted/);
    const st = toAppError(new InvalidGlobalClusterStateFault({ message: 'The global cluster still has members.', $metadata: meta }));
    expect(st).toMatchObject({ code: 'INVALID_GLOBAL_STATE', status: 409 });
    expect(st.message).toContain('members. Wait until the global database');
  });
});

describe('regionOrder (DescribeGlobalClusters fallback)', () => {
  it('asks the configured order, but a region that failed in the last 30 s goes last', () => {
    const now = 1_000_000;
    expect(regionOrder(['us-east-1', 'eu-west-1'], new Map(), now)).toEqual(['us-east-1', 'eu-west-1']);
    expect(regionOrder(['us-east-1', 'eu-west-1'], new Map([['us-east-1', now - 5_000]]), now)).toEqual(['eu-west-1', 'us-east-1']);
    expect(regionOrder(['us-east-1', 'eu-west-1'], new Map([['us-east-1', now - 31_000]]), now)).toEqual(['us-east-1', 'eu-west-1']);
  });
});

describe('shapeGlobalLag', () => {
  it('one series per secondary on one time axis; the latest values; a failed region is an error entry, not a gap in the others', () => {
    const member = (region: string, id: string) => ({ arn: arn(region, id), region, clusterId: id, role: 'secondary' as const });
    const series = (ts: number[], vs: number[]) => ({ key: '', timestamps: ts, values: vs, status: 'Complete', messages: [] });
    const out = shapeGlobalLag([
      { member: member('eu-west-1', 'b'), batch: { series: { glag: series([60_000, 120_000], [80, 120]), grpo: series([60_000, 120_000], [900, 1100]) }, messages: [], calls: 1, metricsRequested: 2, fetchedAt: 0 } },
      { member: member('ap-south-1', 'c'), error: { message: 'Cannot reach AWS in ap-south-1 (ECONNREFUSED).', code: 'UNREACHABLE' } },
    ]);
    expect(out.secondaries).toEqual([
      { region: 'eu-west-1', clusterId: 'b', ok: true, lagMs: 120, rpoMs: 1100, lagAt: 120_000 },
      { region: 'ap-south-1', clusterId: 'c', ok: false, error: 'Cannot reach AWS in ap-south-1 (ECONNREFUSED).', code: 'UNREACHABLE' },
    ]);
    const [lag, rpo] = out.panels;
    expect(lag.id).toBe('global-lag');
    expect(lag.t).toEqual([60_000, 120_000]);
    expect(lag.series.map((s) => s.label)).toEqual(['eu-west-1 / b']);
    expect(rpo.values['eu-west-1']).toEqual([900, 1100]);
  });
});
