// RDS over the AWS Query protocol: thin handlers (params → model → shape).
import type { EmulatorRequest, EmulatorResponse } from '../http-types';
import { parseQueryBody, QueryParams, queryErrorResponse, queryOk, queryResponse } from '../protocols/query';
import { xmlList, type XmlValue } from '../protocols/xml';
import { ENGINE_VERSIONS, ENGINES, resolveEngineVersion } from './catalogue';
import { Faults, RdsFault } from './errors';
import { applyFilters, ENGINE_VERSION_FILTERS } from './filters';
import type { RdsModel } from './model';
import { withGlobalDatabases } from './global-handlers';
import { generatedPassword } from '../secrets/service';
import {
  backtrackShape,
  clusterShape,
  compareVersions,
  engineVersionShape,
  eventShape,
  instanceShape,
  orderableShape,
  subnetGroupShape,
} from './shapes';
import { parseBool, parseInteger, parseTimestamp } from './validation';
import { filters, page, required, serverlessV2Of, tagsOf, type Ctx, type Handler } from './handler-kit';
import { snapshotHandlers } from './snapshot-handlers';

const RDS_XMLNS = 'http://rds.amazonaws.com/doc/2014-10-31/';
const RDS_VERSION = '2014-10-31';

/** EnableHttpEndpoint / DisableHttpEndpoint (RDS API reference): ResourceArn is the cluster's ARN. */
function setHttpEndpoint({ p, region, now, model }: Ctx, enabled: boolean): XmlValue {
  const arn = required(p, 'ResourceArn');
  let c;
  try {
    c = model.getCluster(region, arn, now);
  } catch (e) {
    if (e instanceof RdsFault && e.code === 'DBClusterNotFoundFault') throw new RdsFault('ResourceNotFoundFault', 404, `The specified resource ARN ${arn} was not found.`);
    throw e;
  }
  if (model.clusterStatus(c) === 'deleting') {
    throw new RdsFault('InvalidResourceStateFault', 400, `The operation can't be performed because DB cluster ${c.id} is being deleted.`);
  }
  c.httpEndpointEnabled = enabled;
  model.saveCluster(c);
  return { ResourceArn: c.arn, HttpEndpointEnabled: enabled };
}

const handlers: Record<string, Handler> = withGlobalDatabases({
  ...snapshotHandlers,
  CreateDBCluster: ({ p, region, now, model }) => {
    const c = model.createCluster(
      region,
      {
        DBClusterIdentifier: required(p, 'DBClusterIdentifier'),
        Engine: required(p, 'Engine'),
        EngineVersion: p.str('EngineVersion'),
        EngineMode: p.str('EngineMode'),
        MasterUsername: p.str('MasterUsername'),
        MasterUserPassword: p.str('MasterUserPassword'),
        ManageMasterUserPassword: parseBool('ManageMasterUserPassword', p.str('ManageMasterUserPassword')),
        MasterUserSecretKmsKeyId: p.str('MasterUserSecretKmsKeyId'),
        DatabaseName: p.str('DatabaseName'),
        Port: parseInteger('Port', p.str('Port')),
        BacktrackWindow: parseInteger('BacktrackWindow', p.str('BacktrackWindow')),
        BackupRetentionPeriod: parseInteger('BackupRetentionPeriod', p.str('BackupRetentionPeriod')),
        PreferredBackupWindow: p.str('PreferredBackupWindow'),
        PreferredMaintenanceWindow: p.str('PreferredMaintenanceWindow'),
        StorageEncrypted: parseBool('StorageEncrypted', p.str('StorageEncrypted')),
        KmsKeyId: p.str('KmsKeyId'),
        DeletionProtection: parseBool('DeletionProtection', p.str('DeletionProtection')),
        DBSubnetGroupName: p.str('DBSubnetGroupName'),
        DBClusterParameterGroupName: p.str('DBClusterParameterGroupName'),
        VpcSecurityGroupIds: p.strList('VpcSecurityGroupIds', 'VpcSecurityGroupId'),
        AvailabilityZones: p.strList('AvailabilityZones', 'AvailabilityZone'),
        Tags: tagsOf(p),
        StorageType: p.str('StorageType'),
        EnableCloudwatchLogsExports: p.strList('EnableCloudwatchLogsExports'),
        EnableIAMDatabaseAuthentication: parseBool('EnableIAMDatabaseAuthentication', p.str('EnableIAMDatabaseAuthentication')),
        CopyTagsToSnapshot: parseBool('CopyTagsToSnapshot', p.str('CopyTagsToSnapshot')),
        EnablePerformanceInsights: parseBool('EnablePerformanceInsights', p.str('EnablePerformanceInsights')),
        ServerlessV2ScalingConfiguration: serverlessV2Of(p),
        EnableHttpEndpoint: parseBool('EnableHttpEndpoint', p.str('EnableHttpEndpoint')),
      },
      now,
    );
    let password = p.str('MasterUserPassword');
    if (c.manageMasterUserPassword && c.masterUserSecretArn) {
      // RDS generates the password and keeps it only in the secret; the engine uses the same one.
      password = generatedPassword();
      model.secrets?.createManagedMasterSecret(region, c.masterUserSecretArn, c.masterUsername, password, now);
    }
    model.engines?.clusterCreated(c, password);
    return { DBCluster: clusterShape(model, c, now) };
  },

  DescribeDBClusters: ({ p, region, now, model }) => {
    const id = p.str('DBClusterIdentifier');
    const fs = filters(p);
    let list;
    if (id) {
      const c = model.getCluster(region, id, now);
      list = fs.length === 0 ? [c] : model.listClusters(region, now, fs).filter((x) => x === c);
    } else list = model.listClusters(region, now, fs);
    const pg = page(p, list);
    return { Marker: pg.marker, DBClusters: xmlList('DBCluster', pg.items.map((c) => clusterShape(model, c, now))) };
  },

  ModifyDBCluster: ({ p, region, now, model }) => {
    const c = model.modifyCluster(
      region,
      {
        DBClusterIdentifier: required(p, 'DBClusterIdentifier'),
        ApplyImmediately: parseBool('ApplyImmediately', p.str('ApplyImmediately')),
        BacktrackWindow: parseInteger('BacktrackWindow', p.str('BacktrackWindow')),
        BackupRetentionPeriod: parseInteger('BackupRetentionPeriod', p.str('BackupRetentionPeriod')),
        DeletionProtection: parseBool('DeletionProtection', p.str('DeletionProtection')),
        MasterUserPassword: p.str('MasterUserPassword'),
        ServerlessV2ScalingConfiguration: serverlessV2Of(p),
      },
      now,
    );
    const password = p.str('MasterUserPassword');
    if (password) void model.engines?.passwordChanged(c, password);
    return { DBCluster: clusterShape(model, c, now) };
  },

  DeleteDBCluster: ({ p, region, now, model }) => {
    const c = model.deleteCluster(
      region,
      {
        DBClusterIdentifier: required(p, 'DBClusterIdentifier'),
        SkipFinalSnapshot: parseBool('SkipFinalSnapshot', p.str('SkipFinalSnapshot')),
        FinalDBSnapshotIdentifier: p.str('FinalDBSnapshotIdentifier'),
      },
      now,
    );
    if (c.masterUserSecretArn) model.secrets?.deleteSecret(region, c.masterUserSecretArn);
    return { DBCluster: clusterShape(model, c, now) };
  },

  StopDBCluster: ({ p, region, now, model }) => ({
    DBCluster: clusterShape(model, model.stopCluster(region, required(p, 'DBClusterIdentifier'), now), now),
  }),

  StartDBCluster: ({ p, region, now, model }) => ({
    DBCluster: clusterShape(model, model.startCluster(region, required(p, 'DBClusterIdentifier'), now), now),
  }),

  FailoverDBCluster: ({ p, region, now, model }) => {
    const target = p.str('TargetDBInstanceIdentifier');
    const c = model.failoverCluster(region, required(p, 'DBClusterIdentifier'), target === '' ? undefined : target, now);
    return { DBCluster: clusterShape(model, c, now) };
  },

  BacktrackDBCluster: ({ p, region, now, model }) => {
    const id = required(p, 'DBClusterIdentifier');
    const to = parseTimestamp('BacktrackTo', required(p, 'BacktrackTo'))!;
    const { cluster, backtrack } = model.backtrackCluster(
      region,
      {
        DBClusterIdentifier: id,
        BacktrackTo: to,
        Force: parseBool('Force', p.str('Force')),
        UseEarliestTimeOnPointInTimeUnavailable: parseBool(
          'UseEarliestTimeOnPointInTimeUnavailable',
          p.str('UseEarliestTimeOnPointInTimeUnavailable'),
        ),
      },
      now,
    );
    return backtrackShape(model, cluster.id, backtrack, now);
  },

  DescribeDBClusterBacktracks: ({ p, region, now, model }) => {
    const { cluster, backtracks } = model.listBacktracks(
      region,
      required(p, 'DBClusterIdentifier'),
      now,
      p.str('BacktrackIdentifier'),
      filters(p),
    );
    const pg = page(p, backtracks);
    return {
      Marker: pg.marker,
      DBClusterBacktracks: xmlList('DBClusterBacktrack', pg.items.map((b) => backtrackShape(model, cluster.id, b, now))),
    };
  },

  EnableHttpEndpoint: (ctx) => setHttpEndpoint(ctx, true),
  DisableHttpEndpoint: (ctx) => setHttpEndpoint(ctx, false),

  CreateDBInstance: ({ p, region, now, model }) => {
    const i = model.createInstance(
      region,
      {
        DBInstanceIdentifier: required(p, 'DBInstanceIdentifier'),
        DBInstanceClass: required(p, 'DBInstanceClass'),
        Engine: required(p, 'Engine'),
        DBClusterIdentifier: p.str('DBClusterIdentifier'),
        AvailabilityZone: p.str('AvailabilityZone'),
        PromotionTier: parseInteger('PromotionTier', p.str('PromotionTier')),
        DeletionProtection: parseBool('DeletionProtection', p.str('DeletionProtection')),
        PubliclyAccessible: parseBool('PubliclyAccessible', p.str('PubliclyAccessible')),
        MonitoringInterval: parseInteger('MonitoringInterval', p.str('MonitoringInterval')),
        EnablePerformanceInsights: parseBool('EnablePerformanceInsights', p.str('EnablePerformanceInsights')),
        AutoMinorVersionUpgrade: parseBool('AutoMinorVersionUpgrade', p.str('AutoMinorVersionUpgrade')),
        Tags: tagsOf(p),
        MasterUsername: p.str('MasterUsername'),
        MasterUserPassword: p.str('MasterUserPassword'),
        AllocatedStorage: parseInteger('AllocatedStorage', p.str('AllocatedStorage')),
        EngineVersion: p.str('EngineVersion'),
      },
      now,
    );
    return { DBInstance: instanceShape(model, i) };
  },

  DescribeDBInstances: ({ p, region, now, model }) => {
    const id = p.str('DBInstanceIdentifier');
    const fs = filters(p);
    let list;
    if (id) {
      const i = model.getInstance(region, id, now);
      list = fs.length === 0 ? [i] : model.listInstances(region, now, fs).filter((x) => x === i);
    } else list = model.listInstances(region, now, fs);
    const pg = page(p, list);
    return { Marker: pg.marker, DBInstances: xmlList('DBInstance', pg.items.map((i) => instanceShape(model, i))) };
  },

  ModifyDBInstance: ({ p, region, now, model }) => {
    const i = model.modifyInstance(
      region,
      {
        DBInstanceIdentifier: required(p, 'DBInstanceIdentifier'),
        DBInstanceClass: p.str('DBInstanceClass'),
        PromotionTier: parseInteger('PromotionTier', p.str('PromotionTier')),
        ApplyImmediately: parseBool('ApplyImmediately', p.str('ApplyImmediately')),
        DeletionProtection: parseBool('DeletionProtection', p.str('DeletionProtection')),
      },
      now,
    );
    return { DBInstance: instanceShape(model, i) };
  },

  DeleteDBInstance: ({ p, region, now, model }) => {
    const i = model.deleteInstance(region, required(p, 'DBInstanceIdentifier'), now);
    return { DBInstance: instanceShape(model, i) };
  },

  RebootDBInstance: ({ p, region, now, model }) => {
    const i = model.rebootInstance(
      region,
      required(p, 'DBInstanceIdentifier'),
      parseBool('ForceFailover', p.str('ForceFailover')),
      now,
    );
    return { DBInstance: instanceShape(model, i) };
  },

  DescribeEvents: ({ p, region, now, model }) => {
    const events = model.describeEvents(
      region,
      {
        SourceIdentifier: p.str('SourceIdentifier'),
        SourceType: p.str('SourceType'),
        StartTime: parseTimestamp('StartTime', p.str('StartTime')),
        EndTime: parseTimestamp('EndTime', p.str('EndTime')),
        Duration: parseInteger('Duration', p.str('Duration')),
        EventCategories: p.strList('EventCategories', 'EventCategory'),
      },
      now,
    );
    const pg = page(p, events);
    return { Marker: pg.marker, Events: xmlList('Event', pg.items.map(eventShape)) };
  },

  DescribeDBEngineVersions: ({ p }) => {
    const engine = p.str('Engine');
    const version = p.str('EngineVersion');
    const family = p.str('DBParameterGroupFamily');
    const defaultOnly = parseBool('DefaultOnly', p.str('DefaultOnly')) ?? false;
    const includeAll = parseBool('IncludeAll', p.str('IncludeAll')) ?? false;
    const fs = filters(p);
    let list = ENGINE_VERSIONS.filter((v) => (engine ? v.engine === engine : true));
    if (version) list = list.filter((v) => v.version === version || v.version.startsWith(version + '.') || v.major === version);
    if (family) list = list.filter((v) => v.family === family);
    list = applyFilters(ENGINE_VERSION_FILTERS, list, fs, undefined);
    if (!includeAll && !fs.some((f) => f.Name === 'status')) list = list.filter((v) => v.status === 'available');
    if (defaultOnly) {
      const groups = new Map<string, (typeof list)[number]>();
      for (const v of list) {
        const key = v.engine;
        const cur = groups.get(key);
        const isDefault = resolveEngineVersion(v.engine, version ?? undefined)?.version === v.version;
        if (isDefault || (!cur && v.isDefault)) groups.set(key, v);
      }
      list = [...groups.values()];
    }
    list = [...list].sort((a, b) => (a.engine < b.engine ? -1 : a.engine > b.engine ? 1 : compareVersions(a.version, b.version)));
    const pg = page(p, list);
    return { Marker: pg.marker, DBEngineVersions: xmlList('DBEngineVersion', pg.items.map(engineVersionShape)) };
  },

  DescribeOrderableDBInstanceOptions: ({ p, region }) => {
    const engine = required(p, 'Engine');
    const version = p.str('EngineVersion');
    const cls = p.str('DBInstanceClass');
    const rows: { v: (typeof ENGINE_VERSIONS)[number]; cls: string }[] = [];
    for (const v of ENGINE_VERSIONS) {
      if (v.engine !== engine) continue;
      if (version && v.version !== version) continue;
      for (const c of v.classes) if (!cls || c === cls) rows.push({ v, cls: c });
    }
    if (!(ENGINES as string[]).includes(engine)) return { OrderableDBInstanceOptions: xmlList('OrderableDBInstanceOption', []) };
    const pg = page(p, rows, 20, 1000, 100);
    return {
      OrderableDBInstanceOptions: xmlList('OrderableDBInstanceOption', pg.items.map((r) => orderableShape(region, r.v, r.cls))),
      Marker: pg.marker,
    };
  },

  DescribeDBSubnetGroups: ({ p, region }) => {
    const name = p.str('DBSubnetGroupName');
    if (name !== undefined && name.toLowerCase() !== 'default') {
      throw Faults.DBSubnetGroupNotFound(`DBSubnetGroup ${name} not found.`);
    }
    const pg = page(p, [subnetGroupShape(region)]);
    return { Marker: pg.marker, DBSubnetGroups: xmlList('DBSubnetGroup', pg.items) };
  },
});

export function rdsErrorResponse(err: RdsFault, requestId: string, operation?: string): EmulatorResponse {
  return queryErrorResponse(RDS_XMLNS, requestId, err.status, err.code, err.message, err.type, operation);
}

export function createRdsService(model: RdsModel) {
  const parseCache = new WeakMap<EmulatorRequest, QueryParams>();
  const params = (req: EmulatorRequest): QueryParams => {
    let p = parseCache.get(req);
    if (!p) {
      const qi = req.path.indexOf('?');
      const body = req.body.length > 0 ? req.body.toString('utf8') : qi >= 0 ? req.path.slice(qi + 1) : '';
      p = new QueryParams(parseQueryBody(body));
      parseCache.set(req, p);
    }
    return p;
  };
  return {
    operationOf(req: EmulatorRequest): string | undefined {
      return params(req).str('Action');
    },
    handle(req: EmulatorRequest): EmulatorResponse {
      const p = params(req);
      const action = p.str('Action');
      try {
        if (!action) throw Faults.MissingParameter('The request must contain the parameter Action');
        const h = Object.prototype.hasOwnProperty.call(handlers, action) ? handlers[action] : undefined;
        if (!h) throw Faults.InvalidAction(`The action ${action} is not valid for this web service.`);
        const version = p.str('Version');
        if (version !== undefined && version !== RDS_VERSION) {
          throw Faults.InvalidAction(`Could not find operation ${action} for version ${version}`);
        }
        const result = h({ p, region: req.region, now: req.now, model });
        if (!action.startsWith('Describe')) model.engines?.kick();
        return queryOk(req.requestId, queryResponse(action, RDS_XMLNS, req.requestId, result), action);
      } catch (e) {
        if (e instanceof RdsFault) return rdsErrorResponse(e, req.requestId, action);
        throw e;
      }
    },
  };
}

export type RdsService = ReturnType<typeof createRdsService>;
