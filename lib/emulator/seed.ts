// Demo and benchmark fleets, built through the model's own operations with past timestamps so
// that history (events, failovers, backtracks, reboots) is real and consistent.
import type { Workload } from './dataplane/types';
import type { RdsModel } from './rds/model';
import type { ClusterRec } from './rds/records';

const H = 3600_000;
const D = 24 * H;
const PASSWORD = 'seeded-password-not-used'; // never stored or echoed by the model

interface SeedInstance {
  id: string;
  cls: string;
  tier?: number;
  az?: string;
}

function seedCluster(
  model: RdsModel,
  region: string,
  spec: {
    id: string;
    engine: 'aurora-mysql' | 'aurora-postgresql';
    engineVersion?: string;
    createdAt: number;
    backtrackWindow?: number;
    workload?: Workload;
    instances: SeedInstance[];
    deletionProtection?: boolean;
    tags?: Record<string, string>;
  },
): ClusterRec {
  const c = model.createCluster(
    region,
    {
      DBClusterIdentifier: spec.id,
      Engine: spec.engine,
      EngineVersion: spec.engineVersion,
      MasterUsername: spec.engine === 'aurora-mysql' ? 'admin' : 'postgres',
      MasterUserPassword: PASSWORD,
      BacktrackWindow: spec.backtrackWindow,
      DeletionProtection: spec.deletionProtection,
      BackupRetentionPeriod: 7,
      Tags: Object.entries(spec.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    },
    spec.createdAt,
  );
  model.setInitialWorkload(c, spec.workload ?? 'steady');
  let t = spec.createdAt + 1_000;
  for (const inst of spec.instances) {
    model.createInstance(
      region,
      {
        DBInstanceIdentifier: inst.id,
        DBInstanceClass: inst.cls,
        Engine: spec.engine,
        DBClusterIdentifier: spec.id,
        PromotionTier: inst.tier,
        AvailabilityZone: inst.az,
      },
      t,
    );
    t += 60_000;
  }
  return c;
}

/** The demo fleet: a few clusters of both engines in two regions, created days ago, with history. */
export function seedDemo(model: RdsModel, now: number, regions: string[] = ['us-east-1', 'eu-west-1']): string[] {
  const [r1, r2] = [regions[0] ?? 'us-east-1', regions[1] ?? regions[0] ?? 'eu-west-1'];
  const created: string[] = [];
  model.state.transaction(() => {
    seedCluster(model, r1, {
      id: 'orders-prod',
      engine: 'aurora-mysql',
      createdAt: now - 7 * D,
      backtrackWindow: 86400,
      workload: 'steady',
      deletionProtection: true,
      tags: { team: 'orders', env: 'prod' },
      instances: [
        { id: 'orders-prod-1', cls: 'db.r6g.xlarge', tier: 0, az: `${r1}a` },
        { id: 'orders-prod-2', cls: 'db.r6g.xlarge', tier: 0, az: `${r1}b` },
        { id: 'orders-prod-3', cls: 'db.r6g.large', tier: 1, az: `${r1}c` },
      ],
    });
    // A failover two days ago (writer moves from -1 to -2), and a backtrack 20 hours ago.
    model.failoverCluster(r1, 'orders-prod', 'orders-prod-2', now - 2 * D);
    model.backtrackCluster(r1, { DBClusterIdentifier: 'orders-prod', BacktrackTo: now - 21 * H }, now - 20 * H);
    created.push(`${r1}/orders-prod`);

    seedCluster(model, r1, {
      id: 'analytics-pg',
      engine: 'aurora-postgresql',
      engineVersion: '15.7',
      createdAt: now - 5 * D,
      workload: 'steady',
      tags: { team: 'analytics', env: 'prod' },
      instances: [
        { id: 'analytics-pg-1', cls: 'db.r7g.large', tier: 0 },
        { id: 'analytics-pg-2', cls: 'db.r7g.large', tier: 1 },
      ],
    });
    model.rebootInstance(r1, 'analytics-pg-2', false, now - 3 * D);
    created.push(`${r1}/analytics-pg`);

    seedCluster(model, r1, {
      id: 'billing',
      engine: 'aurora-mysql',
      createdAt: now - 3 * D,
      workload: 'idle',
      tags: { team: 'billing', env: 'staging' },
      instances: [{ id: 'billing-1', cls: 'db.t4g.medium', tier: 1 }],
    });
    created.push(`${r1}/billing`);

    seedCluster(model, r2, {
      id: 'orders-eu',
      engine: 'aurora-mysql',
      createdAt: now - 6 * D,
      backtrackWindow: 43200,
      workload: 'write-heavy',
      tags: { team: 'orders', env: 'prod' },
      instances: [
        { id: 'orders-eu-1', cls: 'db.r6g.large', tier: 0 },
        { id: 'orders-eu-2', cls: 'db.r6g.large', tier: 1 },
      ],
    });
    created.push(`${r2}/orders-eu`);

    seedCluster(model, r2, {
      id: 'catalog-pg',
      engine: 'aurora-postgresql',
      createdAt: now - 4 * D,
      workload: 'steady',
      tags: { team: 'catalog', env: 'prod' },
      instances: [
        { id: 'catalog-pg-1', cls: 'db.r6g.2xlarge', tier: 0 },
        { id: 'catalog-pg-2', cls: 'db.r6g.large', tier: 1 },
        { id: 'catalog-pg-3', cls: 'db.r6g.large', tier: 2 },
      ],
    });
    created.push(`${r2}/catalog-pg`);
    for (const r of new Set([r1, r2])) model.settle(r, now);
  });
  return created;
}

/** The demo fleet's one real cluster (when engines are real): connect with `admin` and this password. */
export const TUTORIAL_CLUSTER = { id: 'tutorial-pg', username: 'admin', password: 'Tutorial-Passw0rd' } as const;

/**
 * Adds the demo fleet's real cluster: aurora-postgresql with a writer and a reader, created now through the same
 * path CreateDBCluster takes (so the engine supervisor runs it), with a steady real workload.
 */
export function seedRealDemo(
  model: RdsModel,
  engines: { clusterCreated(c: ClusterRec, password: string): void; setWorkload(region: string, id: string, w: Workload): boolean },
  now: number,
  region: string,
): string {
  const { id, username, password } = TUTORIAL_CLUSTER;
  const c = model.createCluster(
    region,
    {
      DBClusterIdentifier: id,
      Engine: 'aurora-postgresql',
      MasterUsername: username,
      MasterUserPassword: password,
      BackupRetentionPeriod: 7,
      Tags: [
        { Key: 'team', Value: 'tutorial' },
        { Key: 'env', Value: 'dev' },
      ],
    },
    now,
  );
  model.setInitialWorkload(c, 'steady');
  engines.clusterCreated(c, password);
  for (const n of [1, 2]) {
    model.createInstance(region, { DBInstanceIdentifier: `${id}-${n}`, DBInstanceClass: 'db.r6g.large', Engine: 'aurora-postgresql', DBClusterIdentifier: id }, now);
  }
  engines.setWorkload(region, id, 'steady');
  return `${region}/${id}`;
}

/** A large fleet for benchmarks: `clusters` clusters spread over `regions`, 1..maxInstances instances each. */
export function seedLarge(
  model: RdsModel,
  now: number,
  opts: { clusters?: number; maxInstances?: number; regions?: string[]; prefix?: string } = {},
): number {
  const n = Math.max(0, Math.min(opts.clusters ?? 200, 5000));
  const maxI = Math.max(1, Math.min(opts.maxInstances ?? 16, 16));
  const regions = opts.regions?.length ? opts.regions : ['us-east-1', 'eu-west-1'];
  const classes = ['db.r6g.large', 'db.r6g.xlarge', 'db.r7g.large', 'db.r5.2xlarge'];
  let made = 0;
  model.state.transaction(() => {
    for (let k = 0; k < n; k++) {
      const region = regions[k % regions.length];
      const engine = k % 3 === 2 ? 'aurora-postgresql' : 'aurora-mysql';
      const id = `${opts.prefix ?? 'bench'}-${String(k).padStart(4, '0')}`;
      const count = 1 + ((k * 7919) % maxI);
      seedCluster(model, region, {
        id,
        engine,
        createdAt: now - 2 * D + k * 1000,
        backtrackWindow: engine === 'aurora-mysql' && k % 2 === 0 ? 3600 : undefined,
        workload: (['idle', 'steady', 'write-heavy'] as const)[k % 3],
        instances: Array.from({ length: count }, (_, j) => ({
          id: `${id}-${j + 1}`,
          cls: classes[(k + j) % classes.length],
          tier: j === 0 ? 0 : 1 + (j % 3),
        })),
      });
      made++;
    }
    for (const r of regions) model.settle(r, now);
  });
  return made;
}

/**
 * Removes a seeded fleet at once (clusters whose id starts with `<prefix>-`, their instances), without the
 * deletion durations of DeleteDBCluster: a test that seeded a big fleet leaves the shared endpoint as it found it.
 */
export function unseed(model: RdsModel, regions: string[], prefix: string): number {
  let removed = 0;
  model.state.transaction(() => {
    for (const region of regions) {
      const r = model.store.region(region);
      for (const [id] of [...r.clusters]) {
        if (!id.startsWith(`${prefix}-`)) continue;
        for (const i of [...r.instances.values()]) if (i.clusterId === id) model.store.dropInstance(r, i);
        r.clusters.delete(id);
        model.state.deleteDoc(region, 'cluster', id);
        removed++;
      }
    }
  });
  return removed;
}
