// Shapes of Aurora Global Database responses: GlobalCluster (with GlobalClusterMembers and FailoverState) and a
// member's global fields on DBCluster (RDS API reference).
import { xmlList, type XmlValue } from '../protocols/xml';
import type { GlobalClusterRec } from './global-records';
import { sameRef } from './global-records';
import type { RdsModel } from './model';
import { ACCOUNT_ID, type ClusterRec } from './records';

export const clusterArn = (region: string, id: string) => `arn:aws:rds:${region}:${ACCOUNT_ID}:cluster:${id}`;

export function globalClusterShape(model: RdsModel, g: GlobalClusterRec, now: number): XmlValue {
  const gs = model.globals;
  const primary = gs.primary(g);
  const members = gs.current(g);
  const op = g.op;
  const pc = primary ? gs.cluster(primary) : undefined;
  const real = pc ? model.engines?.clusterAddress(pc) : undefined;
  return {
    GlobalClusterIdentifier: g.id,
    GlobalClusterResourceId: g.resourceId,
    GlobalClusterArn: g.arn,
    Status: op ? (op.kind === 'switchover' ? 'switching-over' : 'failing-over') : 'available',
    Engine: g.engine,
    EngineVersion: g.engineVersion,
    EngineLifecycleSupport: 'open-source-rds-extended-support',
    DatabaseName: g.databaseName,
    StorageEncrypted: g.storageEncrypted,
    DeletionProtection: g.deletionProtection,
    GlobalClusterMembers: xmlList(
      'GlobalClusterMember',
      members.map((m) => {
        const writer = sameRef(primary, m);
        return {
          DBClusterArn: clusterArn(m.region, m.clusterId),
          Readers: xmlList('member', writer ? members.filter((x) => !sameRef(x, m)).map((x) => clusterArn(x.region, x.clusterId)) : []),
          IsWriter: writer,
          GlobalWriteForwardingStatus: writer ? undefined : 'disabled',
          SynchronizationStatus: gs.syncStatus(g, m, now),
        };
      }),
    ),
    Endpoint: real?.writer ?? `${g.id}.global-${g.endpointToken}.global.rds.amazonaws.com`,
    FailoverState: op
      ? {
          Status: now < op.pendingUntil ? 'pending' : op.kind === 'switchover' ? 'switching-over' : 'failing-over',
          FromDbClusterArn: clusterArn(op.from.region, op.from.clusterId),
          ToDbClusterArn: clusterArn(op.to.region, op.to.clusterId),
          IsDataLossAllowed: op.allowDataLoss,
        }
      : undefined,
    TagList: xmlList('Tag', g.tags.map((t) => ({ Key: t.Key, Value: t.Value }))),
  };
}

/** A global member's fields on DBCluster (DescribeDBClusters and every operation returning a DBCluster). */
export function globalClusterFields(model: RdsModel, c: ClusterRec, now: number): { secondary: boolean; fields: { [k: string]: XmlValue } } {
  const x = model.globals.membershipOf({ region: c.region, clusterId: c.id }, now);
  if (!x) return { secondary: false, fields: {} };
  const secondary = !sameRef(model.globals.primary(x.g), { region: c.region, clusterId: c.id });
  return {
    secondary,
    fields: {
      GlobalClusterIdentifier: x.g.id,
      GlobalWriteForwardingStatus: secondary ? 'disabled' : undefined,
      GlobalWriteForwardingRequested: secondary ? false : undefined,
    },
  };
}

