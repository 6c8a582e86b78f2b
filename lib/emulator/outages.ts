// Regional outages for rehearsals (control API: POST /_emulator/regions/<region>/outage). While a region is
// unreachable every AWS call signed for it (RDS, CloudWatch, the Data API, Secrets Manager) is answered with
// 503 ServiceUnavailable, which the SDK retries and then surfaces, as during a real regional outage.
// Outages are kept as time intervals (model clock) so what happened during one can be derived later.
import type { EmulatorState } from './state';

export interface OutageInterval {
  from: number;
  to?: number;
}

const META_KEY = 'regional-outages';

export class Outages {
  private byRegion = new Map<string, OutageInterval[]>();

  constructor(private readonly state: EmulatorState) {
    this.load();
  }

  private load(): void {
    this.byRegion.clear();
    const raw = this.state.getMeta(META_KEY);
    if (!raw) return;
    try {
      const o = JSON.parse(raw) as Record<string, OutageInterval[]>;
      for (const [r, list] of Object.entries(o)) if (Array.isArray(list)) this.byRegion.set(r, list);
    } catch {
      /* a damaged value means no outages */
    }
  }

  private save(): void {
    this.state.setMeta(META_KEY, JSON.stringify(Object.fromEntries(this.byRegion)));
  }

  reset(): void {
    this.byRegion.clear();
    this.save();
  }

  /** Starts or ends an outage of `region` at `now`; returns whether the region is unreachable afterwards. */
  set(region: string, unreachable: boolean, now: number): boolean {
    const list = this.byRegion.get(region) ?? [];
    const open = list.length > 0 && list[list.length - 1].to === undefined;
    if (unreachable && !open) list.push({ from: now });
    if (!unreachable && open) list[list.length - 1].to = Math.max(now, list[list.length - 1].from);
    this.byRegion.set(region, list);
    this.save();
    return unreachable;
  }

  intervals(region: string): OutageInterval[] {
    return this.byRegion.get(region) ?? [];
  }

  isUnreachable(region: string, t: number): boolean {
    return this.intervals(region).some((o) => o.from <= t && (o.to === undefined || t < o.to));
  }

  /** The first time ≥ t at which the region is reachable (Infinity while an open outage covers t). */
  reachableFrom(region: string, t: number): number {
    let at = t;
    for (const o of this.intervals(region)) {
      if (o.from <= at && (o.to === undefined || at < o.to)) at = o.to ?? Infinity;
    }
    return at;
  }

  /** The outage covering t, if any. */
  covering(region: string, t: number): OutageInterval | undefined {
    return this.intervals(region).find((o) => o.from <= t && (o.to === undefined || t < o.to));
  }

  snapshot(now: number): { region: string; unreachable: boolean; since?: string }[] {
    return [...this.byRegion.keys()].sort().map((region) => {
      const o = this.covering(region, now);
      return { region, unreachable: !!o, since: o ? new Date(o.from).toISOString() : undefined };
    });
  }
}
