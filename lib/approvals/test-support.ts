// Test support (not a test file): an in-memory console db with the approvals migration, and a fake RDS client
// that answers from a small fleet and records every command it receives (the "no AWS call" spy).
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrations } from '@/lib/db/migrations';
import { approvalsMigration } from './schema';

export async function memoryDb() {
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
  await approvalsMigration.up(db);
  // The on-call lock's lease column (and the audit anchor) come with the multi-instance migration.
  await migrations.find((m) => m.name === '0400_multi_instance')!.up(db);
  return db;
}

export interface FakeInstance {
  id: string;
  cls?: string;
  az?: string;
  tier?: number;
  status?: string;
  writer?: boolean;
}
export interface FakeCluster {
  id: string;
  engine?: string;
  status?: string;
  backtrackWindow?: number;
  earliestBacktrackTime?: Date;
  instances: FakeInstance[];
}

export class FakeRds {
  calls: { name: string; input: Record<string, unknown> }[] = [];
  clusters = new Map<string, FakeCluster>();
  backtracks: Record<string, unknown>[] = [];
  private n = 0;

  add(c: FakeCluster) {
    this.clusters.set(c.id, c);
    return this;
  }
  mutations() {
    return this.calls.filter((c) => !c.name.startsWith('Describe'));
  }
  private meta() {
    return { $metadata: { requestId: `req-${++this.n}` } };
  }
  private notFound(id: string) {
    return Object.assign(new Error(`DBCluster ${id} not found.`), { name: 'DBClusterNotFoundFault', $metadata: { httpStatusCode: 404 } });
  }
  private clusterShape(c: FakeCluster) {
    return {
      DBClusterIdentifier: c.id,
      Engine: c.engine ?? 'aurora-mysql',
      Status: c.status ?? 'available',
      BacktrackWindow: c.backtrackWindow,
      EarliestBacktrackTime: c.earliestBacktrackTime,
      DBClusterMembers: c.instances.map((i) => ({ DBInstanceIdentifier: i.id, IsClusterWriter: !!i.writer, PromotionTier: i.tier ?? 1 })),
    };
  }
  async send(cmd: { constructor: { name: string }; input: any }): Promise<any> {
    const name = cmd.constructor.name.replace(/Command$/, '');
    this.calls.push({ name, input: cmd.input });
    const c = cmd.input.DBClusterIdentifier ? this.clusters.get(String(cmd.input.DBClusterIdentifier).toLowerCase()) : undefined;
    switch (name) {
      case 'DescribeDBClusters':
        if (cmd.input.DBClusterIdentifier && !c) throw this.notFound(cmd.input.DBClusterIdentifier);
        return { DBClusters: (c ? [c] : [...this.clusters.values()]).map((x) => this.clusterShape(x)), ...this.meta() };
      case 'DescribeDBInstances': {
        const ids: string[] | undefined = cmd.input.Filters?.[0]?.Values;
        const all = [...this.clusters.values()].filter((x) => !ids || ids.includes(x.id));
        return {
          DBInstances: all.flatMap((x) =>
            x.instances.map((i) => ({
              DBInstanceIdentifier: i.id,
              DBClusterIdentifier: x.id,
              DBInstanceClass: i.cls ?? 'db.r6g.large',
              AvailabilityZone: i.az ?? 'us-east-1a',
              PromotionTier: i.tier ?? 1,
              DBInstanceStatus: i.status ?? 'available',
            })),
          ),
          ...this.meta(),
        };
      }
      case 'FailoverDBCluster':
        if (!c) throw this.notFound(cmd.input.DBClusterIdentifier);
        c.status = 'failing-over';
        return { DBCluster: this.clusterShape(c), ...this.meta() };
      case 'BacktrackDBCluster': {
        if (!c) throw this.notFound(cmd.input.DBClusterIdentifier);
        const b = {
          DBClusterIdentifier: c.id,
          BacktrackIdentifier: `bt-${this.backtracks.length + 1}`,
          BacktrackTo: cmd.input.BacktrackTo,
          BacktrackRequestCreationTime: new Date(),
          Status: 'pending',
        };
        this.backtracks.push(b);
        return { ...b, ...this.meta() };
      }
      case 'DescribeDBClusterBacktracks':
        return { DBClusterBacktracks: this.backtracks.filter((b) => b.DBClusterIdentifier === c?.id), ...this.meta() };
      case 'ModifyDBCluster':
        if (!c) throw this.notFound(cmd.input.DBClusterIdentifier);
        c.backtrackWindow = cmd.input.BacktrackWindow;
        return { DBCluster: this.clusterShape(c), ...this.meta() };
      case 'DescribeEvents':
        return { Events: [], ...this.meta() };
      default:
        throw new Error(`FakeRds: unexpected ${name}`);
    }
  }
}

/** The demo fleet shape used by the tests (mirrors the emulator's demo seed). */
export function demoFleet(now = Date.now()) {
  return new FakeRds()
    .add({
      id: 'orders-prod',
      backtrackWindow: 86_400,
      earliestBacktrackTime: new Date(now - 86_400_000),
      instances: [
        { id: 'orders-prod-1', writer: true, tier: 1, cls: 'db.r6g.large', az: 'us-east-1a' },
        { id: 'orders-prod-2', tier: 0, cls: 'db.r6g.large', az: 'us-east-1b' },
        { id: 'orders-prod-3', tier: 2, cls: 'db.r6g.xlarge', az: 'us-east-1c' },
      ],
    })
    .add({
      id: 'analytics-pg',
      engine: 'aurora-postgresql',
      instances: [
        { id: 'analytics-pg-1', writer: true },
        { id: 'analytics-pg-2', status: 'rebooting' },
      ],
    })
    .add({ id: 'billing', backtrackWindow: 0, instances: [{ id: 'billing-1', writer: true }] });
}
