// Keeps the real engines of a global database's members in step with its roles (the model stays the source of
// truth; status comes from timestamps). Each pass: the primary is writable, every secondary's writer streams from
// the primary's writer (GlobalPostgresEngine, GlobalMysqlEngine). When a switchover completes, the old primary is fast-stopped (its last
// WAL ships; MySQL: it goes read-only), the target replays it (MASTER_GTID_WAIT), is promoted and the old primary restarts as its standby; after a failover with
// data loss the target is promoted at once and the old primary, once its region is reachable again, is rebuilt from
// the new primary (what it had not replicated is lost). While the primary's region is unreachable its secondaries'
// replication is cut. A cluster removed from the global database is promoted into a standalone writable cluster.
import type { RdsModel } from '../rds/model';
import type { MemberRef } from '../rds/global-records';
import type { Managed } from './cluster-file';
import type { MeasuredSeries } from '../dataplane/types';
import { GlobalPostgresEngine, type GlobalRole, type GlobalUpstream } from './global-postgres';
import { GlobalMysqlEngine } from './global-mysql';

/** What both engine families do for a global database (global-postgres.ts, global-mysql.ts). */
type GlobalEngine = Pick<GlobalPostgresEngine, 'following' | 'follow' | 'setUpstreamPort' | 'handOver' | 'resume' | 'waitReplayed' | 'globalPromote' | 'lagMs'> & {
  writerInfo(): { port: number; password: string; dir: string; replPassword?: string } | undefined;
};

const MINUTE = 60_000;
/** Measured minutes kept in memory per secondary (a day). */
const KEEP_MINUTES = 1440;
const refKey = (r: MemberRef) => `${r.region}/${r.clusterId}`;

export class GlobalReplication {
  /** Measured replication lag per secondary (`region/clusterId` → minute start → the minute's largest, ms). */
  private readonly lag = new Map<string, Map<number, number>>();

  constructor(
    private readonly model: RdsModel,
    private readonly managed: (region: string, clusterId: string) => Managed | undefined,
    private readonly now: () => number,
  ) {}

  /** What a cluster's engine asks when it creates its writer: is it a secondary, and of which writer. */
  role(region: string, clusterId: string): GlobalRole {
    return () => {
      const now = this.now();
      const x = this.model.globals.membershipOf({ region, clusterId }, now);
      const p = x && this.model.globals.primary(x.g);
      if (!p || (p.region === region && p.clusterId === clusterId)) return { secondary: false };
      return { secondary: true, upstream: this.upstreamOf(p) };
    };
  }

  /** One pass over every global database with a real PostgreSQL or MySQL primary. */
  async sync(): Promise<void> {
    const gs = this.model.globals;
    const now = this.now();
    const claimed = new Set<string>();
    for (const g of gs.list(now)) {
      if (g.op) continue;
      const p = gs.primary(g);
      const P = p && this.engineOf(p);
      if (!p || !P) continue;
      for (const m of gs.current(g)) claimed.add(refKey(m));
      if (P.engine.following) await this.promote(P, g.completedOps.at(-1)?.kind === 'switchover');
      const up = this.upstreamOf(p);
      if (!up) continue;
      for (const s of gs.current(g)) {
        if (refKey(s) === refKey(p) || gs.outages.isUnreachable(s.region, now)) continue;
        const S = this.engineOf(s);
        if (!S || !S.engine.writerInfo()) continue;
        await this.step(S.m, async () => {
          if (S.engine.following === undefined) await S.engine.follow(up, true);
          else if (S.engine.following !== up.key) await S.engine.follow(up, false);
          else await S.engine.setUpstreamPort(up.port);
        });
        await this.measure(s, S.engine, up);
      }
    }
    // Detached (RemoveFromGlobalCluster) or orphaned secondaries become standalone writable clusters.
    for (const region of this.model.regionNames()) {
      for (const c of this.model.listClusters(region, now)) {
        const E = this.engineOf({ region, clusterId: c.id });
        if (E?.engine.following && !claimed.has(refKey({ region, clusterId: c.id }))) await this.step(E.m, () => E.engine.globalPromote());
      }
    }
  }

  /** The primary was a secondary until now: planned (old primary reachable) or at once (data loss allowed). */
  private async promote(P: { m: Managed; engine: GlobalEngine }, planned: boolean): Promise<void> {
    const [region, clusterId] = splitKey(P.engine.following!);
    const O = this.engineOf({ region, clusterId });
    const reachable = !this.model.globals.outages.isUnreachable(region, this.now());
    if (planned && O && reachable && !O.engine.following && O.engine.writerInfo() && !O.m.busy) {
      const started = Date.now();
      await this.step(O.m, async () => {
        const lsn = await O.engine.handOver();
        try {
          await P.engine.waitReplayed(lsn);
        } catch (e) {
          await O.engine.resume();
          throw e;
        }
        await this.step(P.m, () => P.engine.globalPromote());
        const up = this.upstreamOf({ region: P.m.region, clusterId: P.m.clusterId });
        if (up) await O.engine.follow(up, false);
      });
      this.switchoverMs.push(Date.now() - started);
      return;
    }
    await this.step(P.m, () => P.engine.globalPromote());
  }

  /** Engine time of each planned switchover (old primary stopped → old primary streaming from the new one). */
  readonly switchoverMs: number[] = [];

  private async measure(s: MemberRef, engine: GlobalEngine, up: GlobalUpstream): Promise<void> {
    const ms = await engine.lagMs(up).catch(() => undefined);
    if (ms === undefined) return;
    const minutes = this.lag.get(refKey(s)) ?? new Map<number, number>();
    const minute = Math.floor(this.now() / MINUTE) * MINUTE;
    minutes.set(minute, Math.max(minutes.get(minute) ?? 0, Math.round(ms * 1000) / 1000));
    for (const k of minutes.keys()) if (k < minute - KEEP_MINUTES * MINUTE) minutes.delete(k);
    this.lag.set(refKey(s), minutes);
  }

  /**
   * AuroraGlobalDBReplicationLag as measured on the engines (pg_stat_replication.replay_lag of the secondary's
   * writer on the primary's writer, 0 when it has replayed everything; MySQL: GlobalMysqlEngine.lagMs): the largest
   * value of each minute.
   */
  measured(region: string, clusterId: string): MeasuredSeries | undefined {
    const minutes = this.lag.get(refKey({ region, clusterId }));
    if (!minutes?.size) return undefined;
    return {
      since: Math.min(...minutes.keys()),
      minutes: (metric, from, to) => new Map(metric === 'AuroraGlobalDBReplicationLag' ? [...minutes].filter(([m]) => m >= from && m < to) : []),
    };
  }

  private upstreamOf(p: MemberRef): GlobalUpstream | undefined {
    const P = this.engineOf(p);
    const w = P?.engine.writerInfo();
    if (!P || !w || P.engine.following) return undefined;
    const cut = this.model.globals.outages.isUnreachable(p.region, this.now());
    return { key: refKey(p), port: cut ? undefined : w.port, password: w.password, dir: w.dir, replPassword: w.replPassword };
  }

  private engineOf(r: MemberRef): { m: Managed; engine: GlobalEngine } | undefined {
    const m = this.managed(r.region, r.clusterId);
    return m && (m.engine instanceof GlobalPostgresEngine || m.engine instanceof GlobalMysqlEngine) ? { m, engine: m.engine } : undefined;
  }

  /** One engine step with the cluster marked busy (the supervisor's reconcile skips it meanwhile). */
  private async step(m: Managed, fn: () => Promise<void>): Promise<void> {
    const was = m.busy;
    m.busy = true;
    try {
      await fn();
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      this.model.recordEvent(m.region, this.now(), 'db-cluster', m.clusterId, `The database engine could not follow the global database's roles: ${why}`, ['notification']);
    } finally {
      m.busy = was;
    }
  }
}

function splitKey(k: string): [string, string] {
  const i = k.indexOf('/');
  return [k.slice(0, i), k.slice(i + 1)];
}
