// The global clusters (one set for the whole account, visible from every region), their persistence, settling
// of switchovers and failovers (completion derived from timestamps, like settle.ts does for clusters), and the
// derived views other modules read: a cluster's membership and role, members' synchronisation, and the
// per-cluster history the data plane turns into AuroraGlobalDB* metrics.
import type { DataplaneCluster } from '../dataplane/types';
import { seedOf } from '../dataplane/hash';
import { globalValues, type GlobalSecondaryPeriod } from '../dataplane/global-metrics';
import type { Outages } from '../outages';
import type { ClusterRec } from './records';
import { clusterStatus, settle } from './settle';
import type { RdsStore } from './store';
import { GlobalFaults, globalArn, sameRef, type GlobalClusterRec, type MemberRef, type MembershipRec } from './global-records';

export type SyncStatus = 'connected' | 'pending-resync';

/** Called when a switchover/failover completes (the real-engine replication follows the new roles). */
export type RoleChangeHook = (g: GlobalClusterRec, newPrimary: MemberRef, oldPrimary: MemberRef, at: number) => void;

export class GlobalStore {
  private globals = new Map<string, GlobalClusterRec>();
  onRoleChange?: RoleChangeHook;

  constructor(
    readonly store: RdsStore,
    readonly outages: Outages,
  ) {
    for (const { doc } of store.state.loadDocs<GlobalClusterRec>('global-cluster')) this.globals.set(doc.id, doc);
  }

  reset(): void {
    this.globals.clear();
    this.outages.reset();
  }

  save(g: GlobalClusterRec): void {
    this.store.state.putDoc('', 'global-cluster', g.id, g);
  }

  remove(g: GlobalClusterRec): void {
    this.globals.delete(g.id);
    this.store.state.deleteDoc('', 'global-cluster', g.id);
  }

  add(g: GlobalClusterRec): void {
    this.globals.set(g.id, g);
    this.save(g);
  }

  rename(g: GlobalClusterRec, id: string): void {
    this.remove(g);
    g.id = id;
    g.arn = globalArn(id);
    this.add(g);
  }

  has(id: string): boolean {
    return this.globals.has(id);
  }

  get(id: string, now: number): GlobalClusterRec {
    this.settle(now);
    const g = this.globals.get(id.toLowerCase());
    if (!g) throw GlobalFaults.GlobalClusterNotFound(`Global cluster ${id} not found.`);
    return g;
  }

  list(now: number): GlobalClusterRec[] {
    this.settle(now);
    return [...this.globals.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  count(): number {
    return this.globals.size;
  }

  // ------------------------------------------------------------------ membership and roles

  current(g: GlobalClusterRec): MembershipRec[] {
    return g.memberships.filter((m) => m.to === undefined);
  }

  primary(g: GlobalClusterRec): MemberRef | undefined {
    const p = g.primaryHistory[g.primaryHistory.length - 1];
    return p && this.current(g).some((m) => sameRef(m, p)) ? { region: p.region, clusterId: p.clusterId } : undefined;
  }

  /** The global cluster a cluster currently belongs to, with its membership. */
  membershipOf(ref: MemberRef, now: number): { g: GlobalClusterRec; m: MembershipRec } | undefined {
    this.settle(now);
    for (const g of this.globals.values()) {
      const m = this.current(g).find((x) => sameRef(x, ref));
      if (m) return { g, m };
    }
    return undefined;
  }

  isSecondary(c: ClusterRec, now: number): boolean {
    const x = this.membershipOf({ region: c.region, clusterId: c.id }, now);
    return !!x && !sameRef(this.primary(x.g), { region: c.region, clusterId: c.id });
  }

  cluster(ref: MemberRef, now?: number): ClusterRec | undefined {
    if (now !== undefined) settle(this.store, ref.region, now);
    return this.store.region(ref.region).clusters.get(ref.clusterId);
  }

  /** When a member that must resynchronise is connected again (Infinity while its region is unreachable). */
  resyncWindow(m: MembershipRec): { from: number; until: number } | undefined {
    if (m.resyncAfter === undefined) return undefined;
    const from = this.outages.reachableFrom(m.region, m.resyncAfter);
    return { from, until: from + this.store.durations.globalResync };
  }

  syncStatus(g: GlobalClusterRec, m: MembershipRec, now: number): SyncStatus {
    if (sameRef(this.primary(g), m)) return 'connected';
    const c = this.cluster(m, now);
    if (c && clusterStatus(c) === 'creating') return 'pending-resync';
    const w = this.resyncWindow(m);
    if (w && now < w.until) return 'pending-resync';
    return 'connected';
  }

  /** The member's AuroraGlobalDB* values at t (NaN when it is not a replicating secondary then). */
  valuesAt(g: GlobalClusterRec, m: MembershipRec, t: number): Record<string, number> {
    const p = this.secondaryPeriods(g, m, t).find((x) => x.from <= t && (x.to === undefined || t < x.to));
    if (!p) return { AuroraGlobalDBReplicationLag: NaN, AuroraGlobalDBRPOLag: NaN };
    return globalValues(seedOf(`${m.region}/${m.clusterId}`), p, t);
  }

  // ------------------------------------------------------------------ events

  /**
   * An event of a global operation: on each cluster it involves (source type db-cluster, in its region, as RDS
   * reports them) and, as an extension of this endpoint, on the global cluster in every member's region
   * (source type global-cluster; the SDK's SourceType enum does not list it).
   */
  globalEvent(g: GlobalClusterRec, time: number, message: string, categories: string[], clusters: MemberRef[]): void {
    const regions = new Set(this.current(g).map((m) => m.region));
    for (const region of regions) {
      this.store.state.addEvent({ region, time, sourceType: 'global-cluster', sourceId: g.id, sourceArn: g.arn, message, categories });
    }
    for (const c of clusters) this.store.event(c.region, time, 'db-cluster', c.clusterId, message, categories);
  }

  // ------------------------------------------------------------------ settling

  /** Completes every switchover/failover whose completion time has passed, at that time. */
  settle(now: number): void {
    for (const g of this.globals.values()) {
      const op = g.op;
      if (!op || op.completesAt > now) continue;
      const at = op.completesAt;
      g.op = undefined;
      g.completedOps.push(op);
      g.primaryHistory.push({ ...op.to, from: at });
      const old = this.current(g).find((m) => sameRef(m, op.from));
      if (old && op.kind === 'failover') old.resyncAfter = at;
      const what = op.kind === 'switchover' ? 'switchover' : 'failover';
      this.globalEvent(g, at, `Global ${what} to DB cluster ${op.to.clusterId} in Region ${op.to.region} completed.`, ['global-' + what], [op.to, op.from]);
      this.store.event(op.to.region, at, 'db-cluster', op.to.clusterId, `DB cluster is now the primary cluster of global database ${g.id}.`, ['global-' + what]);
      this.store.event(op.from.region, at, 'db-cluster', op.from.clusterId, `DB cluster is now a secondary cluster of global database ${g.id}.`, ['global-' + what]);
      this.save(g);
      this.onRoleChange?.(g, op.to, op.from, at);
    }
  }

  // ------------------------------------------------------------------ data plane

  /** Adds each secondary's global history (for the AuroraGlobalDB* metrics) to the region's data-plane clusters. */
  decorate(list: DataplaneCluster[], region: string, now: number): DataplaneCluster[] {
    if (this.globals.size === 0) return list;
    this.settle(now);
    const periods = new Map<string, GlobalSecondaryPeriod[]>();
    for (const g of this.globals.values()) {
      for (const m of g.memberships) {
        if (m.region !== region) continue;
        const out = periods.get(m.clusterId) ?? [];
        for (const p of this.secondaryPeriods(g, m, now)) out.push(p);
        periods.set(m.clusterId, out);
      }
    }
    return list.map((c) => {
      const p = periods.get(c.id);
      return p && p.length ? { ...c, global: { secondary: p.sort((a, b) => a.from - b.from) } } : c;
    });
  }

  private secondaryPeriods(g: GlobalClusterRec, m: MembershipRec, now: number): GlobalSecondaryPeriod[] {
    const out: GlobalSecondaryPeriod[] = [];
    const end = m.to ?? now + 365 * 86400_000;
    const hist = g.primaryHistory;
    for (let k = 0; k < hist.length; k++) {
      const from = Math.max(hist[k].from, m.from);
      const to = Math.min(k + 1 < hist.length ? hist[k + 1].from : Infinity, end);
      if (to <= from || sameRef(hist[k], m)) continue;
      const pc = this.cluster(hist[k]);
      const failover = g.completedOps.find((o) => o.kind === 'failover' && o.completesAt === hist[k].from && sameRef(o.from, m));
      const resync = failover ? this.resyncWindow({ ...m, resyncAfter: failover.completesAt }) : undefined;
      const switching = [...g.completedOps, ...(g.op ? [g.op] : [])].find(
        (o) => o.kind === 'switchover' && sameRef(o.to, m) && o.startedAt >= from && o.startedAt < to,
      );
      out.push({
        from,
        to: to === Infinity || to > now + 86400_000 ? undefined : to,
        primaryWorkload: pc?.workload ?? 'idle',
        primaryWorkloadHistory: pc?.workloadHistory ?? [],
        primaryOutages: this.outages.intervals(hist[k].region),
        resyncFrom: resync?.from,
        resyncUntil: resync?.until,
        drainFrom: switching?.pendingUntil,
      });
    }
    return out;
  }
}
