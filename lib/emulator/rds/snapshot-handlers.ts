// The RDS Query handlers of snapshots and restores (params → model → shape): CreateDBClusterSnapshot,
// DescribeDBClusterSnapshots, DeleteDBClusterSnapshot, RestoreDBClusterFromSnapshot, RestoreDBClusterToPointInTime.
import type { QueryParams } from '../protocols/query';
import { xmlList } from '../protocols/xml';
import { filters, page, required, serverlessV2Of, tagsOf, type Handler } from './handler-kit';
import type { RestoreSettings } from './restore';
import { clusterShape } from './shapes';
import { snapshotShape } from './snapshot-shapes';
import { parseBool, parseInteger, parseTimestamp } from './validation';

/** The settings both restores take (RDS API reference: RestoreDBClusterFromSnapshot, RestoreDBClusterToPointInTime). */
function restoreSettings(p: QueryParams): RestoreSettings {
  return {
    DBClusterIdentifier: required(p, 'DBClusterIdentifier'),
    EngineVersion: p.str('EngineVersion'),
    Port: parseInteger('Port', p.str('Port')),
    DBSubnetGroupName: p.str('DBSubnetGroupName'),
    DBClusterParameterGroupName: p.str('DBClusterParameterGroupName'),
    VpcSecurityGroupIds: p.strList('VpcSecurityGroupIds', 'VpcSecurityGroupId'),
    AvailabilityZones: p.strList('AvailabilityZones', 'AvailabilityZone'),
    Tags: tagsOf(p),
    KmsKeyId: p.str('KmsKeyId'),
    EnableIAMDatabaseAuthentication: parseBool('EnableIAMDatabaseAuthentication', p.str('EnableIAMDatabaseAuthentication')),
    BacktrackWindow: parseInteger('BacktrackWindow', p.str('BacktrackWindow')),
    EnableCloudwatchLogsExports: p.strList('EnableCloudwatchLogsExports'),
    DeletionProtection: parseBool('DeletionProtection', p.str('DeletionProtection')),
    CopyTagsToSnapshot: parseBool('CopyTagsToSnapshot', p.str('CopyTagsToSnapshot')),
    StorageType: p.str('StorageType'),
    DatabaseName: p.str('DatabaseName'),
    ServerlessV2ScalingConfiguration: serverlessV2Of(p),
  };
}

export const snapshotHandlers: Record<string, Handler> = {
  CreateDBClusterSnapshot: ({ p, region, now, model }) => {
    const sn = model.createSnapshot(
      region,
      {
        DBClusterIdentifier: required(p, 'DBClusterIdentifier'),
        DBClusterSnapshotIdentifier: required(p, 'DBClusterSnapshotIdentifier'),
        Tags: tagsOf(p),
      },
      now,
    );
    return { DBClusterSnapshot: snapshotShape(sn, now) };
  },

  DescribeDBClusterSnapshots: ({ p, region, now, model }) => {
    const list = model.listSnapshots(
      region,
      {
        DBClusterIdentifier: p.str('DBClusterIdentifier') || undefined,
        DBClusterSnapshotIdentifier: p.str('DBClusterSnapshotIdentifier') || undefined,
        SnapshotType: p.str('SnapshotType') || undefined,
        Filters: filters(p),
      },
      now,
    );
    const pg = page(p, list);
    return { Marker: pg.marker, DBClusterSnapshots: xmlList('DBClusterSnapshot', pg.items.map((sn) => snapshotShape(sn, now))) };
  },

  DeleteDBClusterSnapshot: ({ p, region, now, model }) => {
    const sn = model.deleteSnapshot(region, required(p, 'DBClusterSnapshotIdentifier'), now);
    return { DBClusterSnapshot: snapshotShape(sn, now, 'deleted') };
  },

  RestoreDBClusterFromSnapshot: ({ p, region, now, model }) => {
    const c = model.restoreFromSnapshot(
      region,
      { ...restoreSettings(p), SnapshotIdentifier: required(p, 'SnapshotIdentifier'), Engine: required(p, 'Engine') },
      now,
    );
    return { DBCluster: clusterShape(model, c, now) };
  },

  RestoreDBClusterToPointInTime: ({ p, region, now, model }) => {
    const c = model.restoreToPointInTime(
      region,
      {
        ...restoreSettings(p),
        SourceDBClusterIdentifier: required(p, 'SourceDBClusterIdentifier'),
        RestoreType: p.str('RestoreType'),
        RestoreToTime: parseTimestamp('RestoreToTime', p.str('RestoreToTime')),
        UseLatestRestorableTime: parseBool('UseLatestRestorableTime', p.str('UseLatestRestorableTime')),
      },
      now,
    );
    return { DBCluster: clusterShape(model, c, now) };
  },
};
