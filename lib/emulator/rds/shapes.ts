// Shapes of RDS responses as XML values, with the model's member and list element names.
import { isoTime, xmlList, type XmlValue } from '../protocols/xml';
import { availabilityZones, ENGINE_VERSIONS, type EngineVersionInfo } from './catalogue';
import type { RdsModel } from './model';
import { endpointToken, hostedZoneId, type BacktrackRec, type ClusterRec, type InstanceRec } from './records';
import type { StoredEvent } from '../state';
import { globalClusterFields } from './global-shapes';

const tagList = (tags: { Key: string; Value: string }[]) => xmlList('Tag', tags.map((t) => ({ Key: t.Key, Value: t.Value })));

function vpcIdFor(region: string): string {
  let h = 0;
  for (const ch of region) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `vpc-${h.toString(16).padStart(8, '0')}${'0a1b2c3d4'.slice(0, 9)}`;
}

export function subnetGroupShape(region: string): XmlValue {
  return {
    DBSubnetGroupName: 'default',
    DBSubnetGroupDescription: 'default',
    VpcId: vpcIdFor(region),
    SubnetGroupStatus: 'Complete',
    Subnets: xmlList(
      'Subnet',
      availabilityZones(region).map((az, n) => ({
        SubnetIdentifier: `subnet-${vpcIdFor(region).slice(4, 12)}${n}${'00000000'.slice(0, 8)}`,
        SubnetAvailabilityZone: { Name: az },
        SubnetOutpost: {},
        SubnetStatus: 'Active',
      })),
    ),
    DBSubnetGroupArn: `arn:aws:rds:${region}:123456789012:subgrp:default`,
    SupportedNetworkTypes: xmlList('member', ['IPV4']),
  };
}

export function clusterShape(model: RdsModel, c: ClusterRec, now: number): XmlValue {
  const status = model.clusterStatus(c);
  const token = endpointToken(c.region);
  const members = model.members(c);
  const earliestBacktrack = model.earliestBacktrackTime(c, now);
  const window = status === 'creating' ? undefined : model.restorableWindow(c, now);
  const real = model.engines?.clusterAddress(c);
  const global = globalClusterFields(model, c, now);
  return {
    ...global.fields,
    AllocatedStorage: 1,
    AvailabilityZones: xmlList('AvailabilityZone', c.availabilityZones),
    BackupRetentionPeriod: c.backupRetentionPeriod,
    DatabaseName: c.databaseName,
    DBClusterIdentifier: c.id,
    DBClusterParameterGroup: c.parameterGroup,
    DBSubnetGroup: c.dbSubnetGroup,
    Status: status,
    EarliestRestorableTime: window ? isoTime(window.earliest) : undefined,
    Endpoint: real?.writer ?? `${c.id}.cluster-${token}.${c.region}.rds.amazonaws.com`,
    ReaderEndpoint: real?.reader ?? `${c.id}.cluster-ro-${token}.${c.region}.rds.amazonaws.com`,
    MultiAZ: new Set(members.map((m) => m.az)).size > 1,
    Engine: c.engine,
    EngineVersion: c.engineVersion,
    LatestRestorableTime: window ? isoTime(window.latest) : undefined,
    Port: real?.port ?? c.port,
    MasterUsername: c.masterUsername,
    PreferredBackupWindow: c.preferredBackupWindow,
    PreferredMaintenanceWindow: c.preferredMaintenanceWindow,
    ReadReplicaIdentifiers: xmlList('ReadReplicaIdentifier', []),
    DBClusterMembers: xmlList(
      'DBClusterMember',
      members.map((m) => ({
        DBInstanceIdentifier: m.id,
        IsClusterWriter: c.writerId === m.id && !global.secondary,
        DBClusterParameterGroupStatus: 'in-sync',
        PromotionTier: m.promotionTier,
      })),
    ),
    VpcSecurityGroups: xmlList(
      'VpcSecurityGroupMembership',
      c.vpcSecurityGroupIds.map((id) => ({ VpcSecurityGroupId: id, Status: 'active' })),
    ),
    HostedZoneId: hostedZoneId(c.region),
    StorageEncrypted: c.storageEncrypted,
    KmsKeyId: c.kmsKeyId,
    DbClusterResourceId: c.resourceId,
    DBClusterArn: c.arn,
    IAMDatabaseAuthenticationEnabled: c.iamAuth,
    ClusterCreateTime: isoTime(c.createdAt),
    EarliestBacktrackTime: earliestBacktrack !== undefined ? isoTime(earliestBacktrack) : undefined,
    BacktrackWindow: c.engine === 'aurora-mysql' && (c.backtrackWindow > 0 || c.createdWithBacktrack) ? c.backtrackWindow : undefined,
    BacktrackConsumedChangeRecords: c.backtrackWindow > 0 ? c.backtrackConsumedChangeRecords : undefined,
    EnabledCloudwatchLogsExports: c.logExports.length ? xmlList('member', c.logExports) : undefined,
    Capacity: undefined,
    PendingModifiedValues: c.pendingModifiedValues
      ? { BackupRetentionPeriod: c.pendingModifiedValues.BackupRetentionPeriod }
      : undefined,
    EngineMode: c.engineMode,
    StorageType: c.storageType === 'aurora' ? undefined : c.storageType,
    DeletionProtection: c.deletionProtection,
    HttpEndpointEnabled: c.httpEndpointEnabled === true,
    ActivityStreamStatus: 'stopped',
    CopyTagsToSnapshot: c.copyTagsToSnapshot,
    CrossAccountClone: false,
    CloneGroupId: c.cloneGroupId,
    DomainMemberships: xmlList('DomainMembership', []),
    TagList: tagList(c.tags),
    AutoMinorVersionUpgrade: true,
    NetworkType: 'IPV4',
    AutomaticRestartTime: c.automaticRestartTime !== undefined ? isoTime(c.automaticRestartTime) : undefined,
    ServerlessV2ScalingConfiguration: c.serverlessV2
      ? {
          MinCapacity: c.serverlessV2.MinCapacity,
          MaxCapacity: c.serverlessV2.MaxCapacity,
          SecondsUntilAutoPause: c.serverlessV2.SecondsUntilAutoPause,
        }
      : undefined,
    PerformanceInsightsEnabled: c.performanceInsights,
    MasterUserSecret: c.masterUserSecretArn
      ? { SecretArn: c.masterUserSecretArn, SecretStatus: status === 'creating' ? 'creating' : 'active', KmsKeyId: c.masterUserSecretKmsKeyId }
      : undefined,
    EngineLifecycleSupport: 'open-source-rds-extended-support',
  };
}

export function instanceShape(model: RdsModel, i: InstanceRec): XmlValue {
  const c = model.clusterOf(i);
  const status = model.instanceStatus(i, c);
  const token = endpointToken(i.region);
  const family = c?.family ?? (i.engine === 'aurora-mysql' ? 'aurora-mysql8.0' : 'aurora-postgresql16');
  const real = c?.realEngine ? model.engines?.instanceAddress(i) : undefined;
  return {
    DBInstanceIdentifier: i.id,
    DBInstanceClass: i.instanceClass,
    Engine: i.engine,
    DBInstanceStatus: status,
    MasterUsername: c?.masterUsername,
    DBName: c?.databaseName,
    Endpoint:
      status === 'creating'
        ? undefined
        : {
            Address: real?.host ?? `${i.id}.${token}.${i.region}.rds.amazonaws.com`,
            Port: real?.port ?? c?.port,
            HostedZoneId: hostedZoneId(i.region),
          },
    AllocatedStorage: 1,
    InstanceCreateTime: status === 'creating' ? undefined : isoTime(i.availableAt),
    PreferredBackupWindow: c?.preferredBackupWindow,
    BackupRetentionPeriod: c?.backupRetentionPeriod,
    DBSecurityGroups: xmlList('DBSecurityGroup', []),
    VpcSecurityGroups: xmlList(
      'VpcSecurityGroupMembership',
      (c?.vpcSecurityGroupIds ?? []).map((id) => ({ VpcSecurityGroupId: id, Status: 'active' })),
    ),
    DBParameterGroups: xmlList('DBParameterGroup', [{ DBParameterGroupName: `default.${family}`, ParameterApplyStatus: 'in-sync' }]),
    AvailabilityZone: i.az,
    DBSubnetGroup: subnetGroupShape(i.region),
    PreferredMaintenanceWindow: c?.preferredMaintenanceWindow,
    PendingModifiedValues: i.op?.kind === 'modify' && i.op.instanceClass ? { DBInstanceClass: i.op.instanceClass } : {},
    MultiAZ: false,
    EngineVersion: i.engineVersion,
    AutoMinorVersionUpgrade: i.autoMinorVersionUpgrade,
    ReadReplicaDBInstanceIdentifiers: xmlList('ReadReplicaDBInstanceIdentifier', []),
    LicenseModel: i.engine === 'aurora-mysql' ? 'general-public-license' : 'postgresql-license',
    OptionGroupMemberships: xmlList('OptionGroupMembership', [
      { OptionGroupName: `default:${i.engine}-${family.replace(/^aurora-(mysql|postgresql)/, '').replace('.', '-')}`, Status: 'in-sync' },
    ]),
    PubliclyAccessible: i.publiclyAccessible,
    StorageType: 'aurora',
    DbInstancePort: 0,
    DBClusterIdentifier: i.clusterId,
    StorageEncrypted: c?.storageEncrypted ?? false,
    KmsKeyId: c?.kmsKeyId,
    DbiResourceId: i.resourceId,
    CACertificateIdentifier: 'rds-ca-rsa2048-g1',
    DomainMemberships: xmlList('DomainMembership', []),
    CopyTagsToSnapshot: c?.copyTagsToSnapshot ?? false,
    MonitoringInterval: i.monitoringInterval,
    PromotionTier: i.promotionTier,
    DBInstanceArn: i.arn,
    IAMDatabaseAuthenticationEnabled: c?.iamAuth ?? false,
    PerformanceInsightsEnabled: i.performanceInsights,
    EnabledCloudwatchLogsExports: c && c.logExports.length ? xmlList('member', c.logExports) : undefined,
    DeletionProtection: false,
    TagList: tagList(i.tags),
    CustomerOwnedIpEnabled: false,
    BackupTarget: 'region',
    NetworkType: 'IPV4',
    StorageThroughput: 0,
    IsStorageConfigUpgradeAvailable: false,
    EngineLifecycleSupport: 'open-source-rds-extended-support',
  };
}

export function backtrackShape(model: RdsModel, clusterId: string, b: BacktrackRec, now: number): { [k: string]: XmlValue } {
  return {
    DBClusterIdentifier: clusterId,
    BacktrackIdentifier: b.id,
    BacktrackTo: isoTime(b.backtrackTo),
    BacktrackedFrom: isoTime(b.backtrackedFrom),
    BacktrackRequestCreationTime: isoTime(b.requestedAt),
    Status: model.backtrackStatus(b, now),
  };
}

export function eventShape(e: StoredEvent): XmlValue {
  return {
    SourceIdentifier: e.sourceId,
    SourceType: e.sourceType,
    Message: e.message,
    EventCategories: xmlList('EventCategory', e.categories),
    Date: isoTime(e.time),
    SourceArn: e.sourceArn,
  };
}

export function engineVersionShape(v: EngineVersionInfo): XmlValue {
  const newer = ENGINE_VERSIONS.filter(
    (o) => o.engine === v.engine && o.status === 'available' && o.version !== v.version && compareVersions(o.version, v.version) > 0,
  );
  return {
    Engine: v.engine,
    MajorEngineVersion: v.major,
    EngineVersion: v.version,
    DBParameterGroupFamily: v.family,
    DBEngineDescription: v.engine === 'aurora-mysql' ? 'Aurora MySQL' : 'Aurora (PostgreSQL)',
    DBEngineVersionDescription: v.description,
    ValidUpgradeTarget: xmlList(
      'UpgradeTarget',
      newer.map((o) => ({
        Engine: o.engine,
        EngineVersion: o.version,
        Description: o.description,
        AutoUpgrade: false,
        IsMajorVersionUpgrade: o.major !== v.major,
        SupportedEngineModes: xmlList('member', ['provisioned']),
      })),
    ),
    ExportableLogTypes: xmlList('member', v.engine === 'aurora-mysql' ? ['audit', 'error', 'general', 'slowquery'] : ['postgresql']),
    SupportsLogExportsToCloudwatchLogs: true,
    SupportsReadReplica: false,
    SupportedEngineModes: xmlList('member', ['provisioned']),
    SupportedFeatureNames: xmlList('member', []),
    Status: v.status,
    SupportsParallelQuery: v.engine === 'aurora-mysql',
    SupportsGlobalDatabases: true,
    SupportsBabelfish: v.engine === 'aurora-postgresql',
    SupportsLocalWriteForwarding: v.engine === 'aurora-mysql' && v.major === '8.0',
    SupportsIntegrations: false,
    ServerlessV2FeaturesSupport: v.serverlessV2.max > 0 ? { MinCapacity: v.serverlessV2.min, MaxCapacity: v.serverlessV2.max } : undefined,
  };
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[._a-z]+/).filter(Boolean).map(Number);
  const pb = b.split(/[._a-z]+/).filter(Boolean).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function orderableShape(region: string, v: EngineVersionInfo, cls: string): XmlValue {
  return {
    Engine: v.engine,
    EngineVersion: v.version,
    DBInstanceClass: cls,
    LicenseModel: v.engine === 'aurora-mysql' ? 'general-public-license' : 'postgresql-license',
    AvailabilityZoneGroup: region,
    AvailabilityZones: xmlList('AvailabilityZone', availabilityZones(region).map((Name) => ({ Name }))),
    MultiAZCapable: true,
    ReadReplicaCapable: false,
    Vpc: true,
    SupportsStorageEncryption: true,
    StorageType: 'aurora',
    SupportsIops: false,
    SupportsEnhancedMonitoring: true,
    SupportsIAMDatabaseAuthentication: true,
    SupportsPerformanceInsights: !cls.startsWith('db.t3'),
    SupportedEngineModes: xmlList('member', ['provisioned']),
    SupportsStorageAutoscaling: false,
    SupportsKerberosAuthentication: false,
    OutpostCapable: false,
    SupportedActivityStreamModes: xmlList('member', []),
    SupportsGlobalDatabases: !cls.startsWith('db.t'),
    SupportedNetworkTypes: xmlList('member', ['IPV4', 'DUAL']),
    SupportsClusters: false,
    SupportsDedicatedLogVolume: false,
    SupportsHttpEndpoint: false,
  };
}
