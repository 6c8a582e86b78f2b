// A small in-memory TTL cache with in-flight de-duplication: concurrent callers asking for the same key
// share one promise (one AWS call); a settled value is served while it is younger than the caller's
// `ttlMs`, so a caller that tolerates older data (a 10 s fleet listing) can reuse what a stricter caller
// (a 2 s poll) loaded, and the other way round it loads afresh. Failures are not cached.
// Kept on globalThis so Next's dev module reloads and separate route bundles share one cache per process.

interface Entry<T> {
  value?: T;
  loadedAt: number;
  /** loadedAt + the loader's ttl: when pruning may drop it. */
  expires: number;
  inflight?: Promise<T>;
}

export interface CacheStats {
  hits: number;
  misses: number;
  joins: number;
  size: number;
}

export class TtlCache {
  private readonly map = new Map<string, Entry<unknown>>();
  private readonly stats = { hits: 0, misses: 0, joins: 0 };
  constructor(private readonly maxEntries = 1000, private readonly clock: () => number = Date.now) {}

  async get<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
    const now = this.clock();
    const hit = this.map.get(key) as Entry<T> | undefined;
    if (hit) {
      if (hit.inflight) {
        this.stats.joins++;
        return hit.inflight;
      }
      if (now - hit.loadedAt < ttlMs) {
        this.stats.hits++;
        // refresh recency
        this.map.delete(key);
        this.map.set(key, hit);
        return hit.value as T;
      }
      this.map.delete(key);
    }
    this.stats.misses++;
    const entry: Entry<T> = { loadedAt: 0, expires: 0 };
    const p = load().then(
      (value) => {
        entry.value = value;
        entry.loadedAt = this.clock();
        entry.expires = entry.loadedAt + ttlMs;
        entry.inflight = undefined;
        return value;
      },
      (err) => {
        if (this.map.get(key) === entry) this.map.delete(key);
        throw err;
      },
    );
    entry.inflight = p;
    this.map.set(key, entry as Entry<unknown>);
    this.prune();
    return p;
  }

  private prune() {
    if (this.map.size <= this.maxEntries) return;
    const now = this.clock();
    for (const [k, e] of this.map) if (!e.inflight && e.expires <= now) this.map.delete(k);
    for (const [k, e] of this.map) {
      if (this.map.size <= this.maxEntries) break;
      if (!e.inflight) this.map.delete(k);
    }
  }

  /** Drop a settled entry so the next get() loads afresh (an in-flight load is left to finish and be shared). */
  invalidate(key: string): void {
    const e = this.map.get(key);
    if (e && !e.inflight) this.map.delete(key);
  }

  /**
   * Drop every entry whose key starts with `prefix`, in-flight loads included: callers that arrive after
   * a write must not join a read that started before it. (Callers already waiting keep their promise.)
   */
  invalidatePrefix(prefix: string): void {
    for (const k of [...this.map.keys()]) if (k.startsWith(prefix)) this.map.delete(k);
  }

  clear() {
    this.map.clear();
    this.stats.hits = this.stats.misses = this.stats.joins = 0;
  }

  getStats(): CacheStats {
    return { ...this.stats, size: this.map.size };
  }
}

const g = globalThis as unknown as { __afcMetricCache?: TtlCache };
/** The process-wide metric cache. */
export function metricCache(): TtlCache {
  return (g.__afcMetricCache ??= new TtlCache());
}
