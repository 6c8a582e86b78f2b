// SDK GlobalCluster → GlobalDatabaseDTO. Pure: no client, no I/O.
import type { GlobalCluster } from '@aws-sdk/client-rds';
import { globalStatusTransitional, parseClusterArn, type GlobalDatabaseDTO, type GlobalMemberDTO } from '../global-types';

export function toGlobalDatabaseDTO(g: GlobalCluster): GlobalDatabaseDTO {
  const members: GlobalMemberDTO[] = (g.GlobalClusterMembers ?? [])
    .filter((m) => !!m.DBClusterArn)
    .map((m) => ({
      arn: m.DBClusterArn!,
      ...parseClusterArn(m.DBClusterArn),
      role: m.IsWriter ? 'primary' : 'secondary',
      syncStatus: m.SynchronizationStatus,
      writeForwarding: m.GlobalWriteForwardingStatus,
    }));
  members.sort((a, b) => Number(b.role === 'primary') - Number(a.role === 'primary') || (a.region ?? a.arn).localeCompare(b.region ?? b.arn));
  const status = g.Status ?? 'unknown';
  const fs = g.FailoverState;
  // AWS leaves FailoverState empty (or without a status) when nothing is scheduled or running.
  const failoverState = fs?.Status
    ? {
        status: fs.Status,
        fromArn: fs.FromDbClusterArn,
        toArn: fs.ToDbClusterArn,
        from: fs.FromDbClusterArn ? parseClusterArn(fs.FromDbClusterArn) : undefined,
        to: fs.ToDbClusterArn ? parseClusterArn(fs.ToDbClusterArn) : undefined,
        dataLossAllowed: !!fs.IsDataLossAllowed,
      }
    : undefined;
  return {
    id: (g.GlobalClusterIdentifier ?? '?').toLowerCase(),
    arn: g.GlobalClusterArn,
    resourceId: g.GlobalClusterResourceId,
    status,
    transitional: globalStatusTransitional(status),
    engine: g.Engine ?? 'unknown',
    engineVersion: g.EngineVersion,
    databaseName: g.DatabaseName,
    storageEncrypted: !!g.StorageEncrypted,
    deletionProtection: !!g.DeletionProtection,
    endpoint: g.Endpoint,
    members,
    primary: members.find((m) => m.role === 'primary'),
    failoverState,
    tags: (g.TagList ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })),
  };
}
