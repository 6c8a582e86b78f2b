// A global database whose primary runs a real engine: the secondary says plainly that it is simulated (no
// cross-region replica of real data is built), and switchover/failover still move the roles.
import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  CreateGlobalClusterCommand,
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
  RDSClient,
  SwitchoverGlobalClusterCommand,
} from '@aws-sdk/client-rds';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clusterAvailable, startRealEndpoint, until } from '@/lib/testing/real-engines';

let endpoint: Awaited<ReturnType<typeof startRealEndpoint>> | undefined;

beforeAll(async () => {
  endpoint = await startRealEndpoint('afc-global-');
}, 60_000);
afterAll(() => endpoint?.close(), 60_000);

it('keeps the primary real, marks the secondary simulated, and switches roles over', async () => {
  const { rds, cfg } = endpoint!;
  const west = new RDSClient({ ...cfg, region: 'eu-west-1' });
  try {
    await rds.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'gr-east', Engine: 'aurora-postgresql', MasterUsername: 'app', MasterUserPassword: 'Tutorial-Passw0rd' }));
    await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'gr-east-1', DBClusterIdentifier: 'gr-east', Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large' }));
    await until('primary available', () => clusterAvailable(rds, 'gr-east'), 60_000);
    await rds.send(new CreateGlobalClusterCommand({ GlobalClusterIdentifier: 'gr', SourceDBClusterIdentifier: 'arn:aws:rds:us-east-1:123456789012:cluster:gr-east' }));
    await west.send(new CreateDBClusterCommand({ DBClusterIdentifier: 'gr-west', Engine: 'aurora-postgresql', GlobalClusterIdentifier: 'gr' }));
    await west.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'gr-west-1', DBClusterIdentifier: 'gr-west', Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large' }));
    await until('secondary available', () => clusterAvailable(west, 'gr-west'), 30_000);
    const tag = async (client: RDSClient, id: string) =>
      (await client.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0].TagList!.find((t) => t.Key === 'afc:engine')?.Value;
    expect(await tag(rds, 'gr-east')).toMatch(/^real /);
    expect(await tag(west, 'gr-west')).toMatch(/^simulated - secondary of a global database/);
    await west.send(new SwitchoverGlobalClusterCommand({ GlobalClusterIdentifier: 'gr', TargetDbClusterIdentifier: 'arn:aws:rds:eu-west-1:123456789012:cluster:gr-west' }));
    const writer = await until(
      'switchover done',
      async () => {
        const g = (await rds.send(new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: 'gr' }))).GlobalClusters![0];
        return g.FailoverState ? undefined : g.GlobalClusterMembers!.find((m) => m.IsWriter)!.DBClusterArn;
      },
      20_000,
    );
    expect(writer).toBe('arn:aws:rds:eu-west-1:123456789012:cluster:gr-west');
  } finally {
    west.destroy();
  }
}, 120_000);
