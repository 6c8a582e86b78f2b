// DBClusterSnapshot as RDS returns it (RDS API reference, DBClusterSnapshot data type).
import { isoTime, xmlList, type XmlValue } from '../protocols/xml';
import { subnetGroupShape } from './shapes';
import type { SnapshotRec } from './snapshot-records';
import { snapshotProgress, snapshotStatus } from './snapshots';

const GIB = 1024 ** 3;

export function snapshotShape(sn: SnapshotRec, now: number, status?: string): XmlValue {
  const vpc = (subnetGroupShape(sn.region) as { VpcId: string }).VpcId;
  return {
    AvailabilityZones: xmlList('AvailabilityZone', sn.availabilityZones),
    DBClusterSnapshotIdentifier: sn.id,
    DBClusterIdentifier: sn.clusterId,
    SnapshotCreateTime: isoTime(sn.createdAt),
    Engine: sn.engine,
    EngineMode: sn.engineMode,
    // GiB, as RDS reports it; a real engine's copy says how big it is.
    AllocatedStorage: sn.real?.bytes !== undefined ? Math.max(1, Math.ceil(sn.real.bytes / GIB)) : 1,
    Status: status ?? snapshotStatus(sn, now),
    Port: sn.port,
    VpcId: vpc,
    ClusterCreateTime: isoTime(sn.clusterCreatedAt),
    MasterUsername: sn.masterUsername,
    EngineVersion: sn.engineVersion,
    LicenseModel: sn.engine === 'aurora-mysql' ? 'aurora-mysql' : 'postgresql-license',
    SnapshotType: sn.type,
    PercentProgress: snapshotProgress(sn, now),
    StorageEncrypted: sn.storageEncrypted,
    KmsKeyId: sn.kmsKeyId,
    DBClusterSnapshotArn: sn.arn,
    IAMDatabaseAuthenticationEnabled: sn.iamAuth,
    TagList: xmlList('Tag', sn.tags.map((t) => ({ Key: t.Key, Value: t.Value }))),
    StorageType: sn.storageType === 'aurora' ? undefined : sn.storageType,
    DbClusterResourceId: sn.clusterResourceId,
  };
}
