// Aurora Global Database over the AWS Query protocol: the global-cluster operations, the shapes of GlobalCluster
// and of a member's fields on DBCluster, and the additions to CreateDBCluster (GlobalClusterIdentifier) and
// DeleteDBCluster (a member cannot be deleted) wrapped around the base handlers.
import { QueryParams } from '../protocols/query';
import { randomBytes } from 'node:crypto';
import { xmlList, type XmlValue } from '../protocols/xml';
import { Faults } from './errors';
import {
  checkClusterDeletable,
  createGlobalCluster,
  deleteGlobalCluster,
  failoverGlobalCluster,
  joinMember,
  modifyGlobalCluster,
  planMember,
  removeFromGlobalCluster,
  switchoverGlobalCluster,
} from './global-ops';
import type { RdsModel } from './model';
import { clusterShape } from './shapes';
import { clusterArn, globalClusterShape } from './global-shapes';
import { decodeMarker, encodeMarker, parseBool, validateMaxRecords } from './validation';

interface Ctx {
  p: QueryParams;
  region: string;
  now: number;
  model: RdsModel;
}
type Handler = (ctx: Ctx) => XmlValue;

function required(p: QueryParams, name: string): string {
  const v = p.str(name);
  if (v === undefined || v === '') throw Faults.MissingParameter(`The request must contain the parameter ${name}`);
  return v;
}

/** The tag the real-engine supervisor puts on every cluster to say what runs behind it (engines/supervisor.ts). */
const ENGINE_TAG = 'afc:engine';
const SECONDARY_ENGINE_NOTE = 'simulated - secondary of a global database: a real-engine replica across regions needs a real primary of the same engine';

const FILTERS = new Set(['global-cluster-id', 'region', 'db-cluster-id']);

export const globalHandlers: Record<string, Handler> = {
  CreateGlobalCluster: ({ p, region, now, model }) => {
    const g = createGlobalCluster(
      model.globals,
      region,
      {
        GlobalClusterIdentifier: required(p, 'GlobalClusterIdentifier'),
        SourceDBClusterIdentifier: p.str('SourceDBClusterIdentifier'),
        Engine: p.str('Engine'),
        EngineVersion: p.str('EngineVersion'),
        DatabaseName: p.str('DatabaseName'),
        StorageEncrypted: parseBool('StorageEncrypted', p.str('StorageEncrypted')),
        DeletionProtection: parseBool('DeletionProtection', p.str('DeletionProtection')),
        Tags: p.structList('Tags', 'Tag')?.map((t) => ({ Key: t.str('Key'), Value: t.str('Value') })),
      },
      now,
    );
    return { GlobalCluster: globalClusterShape(model, g, now) };
  },

  DescribeGlobalClusters: ({ p, now, model }) => {
    const id = p.str('GlobalClusterIdentifier');
    let list = id ? [model.globals.get(id, now)] : model.globals.list(now);
    for (const f of p.structList('Filters', 'Filter') ?? []) {
      const name = f.str('Name') ?? '';
      const values = f.strList('Values', 'Value') ?? [];
      if (!FILTERS.has(name)) throw Faults.InvalidParameterValue(`Unrecognized filter name: ${name}.`);
      if (values.length === 0) throw Faults.InvalidParameterValue(`The parameter Filters.Filter.N.Values must be provided for filter ${name}.`);
      list = list.filter((g) => {
        const members = model.globals.current(g);
        if (name === 'global-cluster-id') return values.some((v) => v.toLowerCase() === g.id || v === g.arn);
        if (name === 'region') return members.some((m) => values.includes(m.region));
        return members.some((m) => values.some((v) => v.toLowerCase() === m.clusterId || v === clusterArn(m.region, m.clusterId)));
      });
    }
    const size = validateMaxRecords(p.str('MaxRecords'), 20, 100, 100);
    const offset = decodeMarker(p.str('Marker'));
    const items = list.slice(offset, offset + size);
    return {
      Marker: offset + size < list.length ? encodeMarker(offset + size) : undefined,
      GlobalClusters: xmlList('GlobalClusterMember', items.map((g) => globalClusterShape(model, g, now))),
    };
  },

  ModifyGlobalCluster: ({ p, now, model }) => {
    const g = modifyGlobalCluster(
      model.globals,
      {
        GlobalClusterIdentifier: required(p, 'GlobalClusterIdentifier'),
        NewGlobalClusterIdentifier: p.str('NewGlobalClusterIdentifier'),
        DeletionProtection: parseBool('DeletionProtection', p.str('DeletionProtection')),
        EngineVersion: p.str('EngineVersion'),
      },
      now,
    );
    return { GlobalCluster: globalClusterShape(model, g, now) };
  },

  DeleteGlobalCluster: ({ p, now, model }) => {
    const g = deleteGlobalCluster(model.globals, required(p, 'GlobalClusterIdentifier'), now);
    return { GlobalCluster: globalClusterShape(model, g, now) };
  },

  RemoveFromGlobalCluster: ({ p, region, now, model }) => {
    const g = removeFromGlobalCluster(model.globals, region, required(p, 'GlobalClusterIdentifier'), required(p, 'DbClusterIdentifier'), now);
    return { GlobalCluster: globalClusterShape(model, g, now) };
  },

  SwitchoverGlobalCluster: ({ p, region, now, model }) => {
    const g = switchoverGlobalCluster(model.globals, region, required(p, 'GlobalClusterIdentifier'), required(p, 'TargetDbClusterIdentifier'), now);
    return { GlobalCluster: globalClusterShape(model, g, now) };
  },

  FailoverGlobalCluster: ({ p, region, now, model }) => {
    const g = failoverGlobalCluster(
      model.globals,
      region,
      {
        GlobalClusterIdentifier: required(p, 'GlobalClusterIdentifier'),
        TargetDbClusterIdentifier: required(p, 'TargetDbClusterIdentifier'),
        AllowDataLoss: parseBool('AllowDataLoss', p.str('AllowDataLoss')),
        Switchover: parseBool('Switchover', p.str('Switchover')),
      },
      now,
    );
    return { GlobalCluster: globalClusterShape(model, g, now) };
  },
};

/** The base handlers with the global-database operations added and CreateDBCluster / DeleteDBCluster extended. */
export function withGlobalDatabases<H extends Handler>(base: Record<string, H>): Record<string, Handler> {
  const createBase = base.CreateDBCluster;
  const deleteBase = base.DeleteDBCluster;
  return {
    ...base,
    ...globalHandlers,
    CreateDBCluster: (ctx) => {
      const gid = ctx.p.str('GlobalClusterIdentifier');
      if (!gid) return createBase(ctx);
      const plan = planMember(
        ctx.model.globals,
        ctx.region,
        {
          GlobalClusterIdentifier: gid,
          Engine: ctx.p.str('Engine'),
          EngineVersion: ctx.p.str('EngineVersion'),
          MasterUsername: ctx.p.str('MasterUsername'),
          MasterUserPassword: ctx.p.str('MasterUserPassword'),
          ManageMasterUserPassword: parseBool('ManageMasterUserPassword', ctx.p.str('ManageMasterUserPassword')),
        },
        ctx.now,
      );
      let p = ctx.p;
      // A member runs the global cluster's engine version unless it names one (of the same major version).
      if (ctx.p.str('EngineVersion') === undefined) p = new QueryParams({ ...ctx.p.node, EngineVersion: plan.g.engineVersion });
      if (plan.inherit) {
        // A secondary has no credentials of its own: it serves the primary's data and master user.
        p = new QueryParams({
          ...p.node,
          MasterUsername: plan.inherit.MasterUsername,
          MasterUserPassword: `Sec-${randomBytes(12).toString('hex')}`,
          ...(plan.inherit.DatabaseName && ctx.p.str('DatabaseName') === undefined ? { DatabaseName: plan.inherit.DatabaseName } : {}),
        });
      }
      // With real engines a secondary of a real PostgreSQL or MySQL primary is a real replica of it (engines/global-sync.ts);
      // any other secondary stays simulated (metadata and metrics only) and says so, instead of running an
      // unrelated writable database.
      const primary = plan.role === 'secondary' ? ctx.model.globals.primary(plan.g) : undefined;
      const family = primary && ctx.model.globals.cluster(primary)?.realEngine?.family;
      const realCopy = family === 'postgres' || family === 'mysql';
      const engines = plan.role === 'secondary' && !realCopy ? ctx.model.engines : undefined;
      if (engines) ctx.model.engines = undefined;
      try {
        createBase({ ...ctx, p });
      } finally {
        if (engines) ctx.model.engines = engines;
      }
      const c = ctx.model.getCluster(ctx.region, required(ctx.p, 'DBClusterIdentifier'), ctx.now);
      if (engines) {
        c.tags = [...c.tags.filter((t) => t.Key !== ENGINE_TAG), { Key: ENGINE_TAG, Value: SECONDARY_ENGINE_NOTE }];
        ctx.model.saveCluster(c);
      }
      joinMember(ctx.model.globals, plan, c, ctx.now);
      return { DBCluster: clusterShape(ctx.model, c, ctx.now) };
    },
    DeleteDBCluster: (ctx) => {
      const id = ctx.p.str('DBClusterIdentifier');
      if (id) checkClusterDeletable(ctx.model.globals, ctx.model.getCluster(ctx.region, id, ctx.now), ctx.now);
      return deleteBase(ctx);
    },
  };
}

