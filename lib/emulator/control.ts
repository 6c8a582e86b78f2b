// The control API under /_emulator/ (not AWS; JSON in/out; the server only lets loopback clients in):
// health, reset, seed, workload, fault injection, call counters, durations.
import type { Workload } from './dataplane/types';
import { DURATION_KEYS, type Durations } from './durations';
import type { RdsModel } from './rds/model';
import { RdsFault } from './rds/errors';
import { seedDemo, seedLarge, unseed } from './seed';
import { regionalOutageRoute } from './outage-control';

export interface FaultRule {
  operation: string;
  service?: string;
  throttleRate?: number;
  throttleCount?: number;
  errorRate?: number;
  errorCount?: number;
  /** 500 InternalFailure (default) or 503 ServiceUnavailable. */
  errorStatus?: 500 | 503;
  latencyMs?: number;
}

export type FaultDecision = { latencyMs: number; fail?: { code: string; message: string; status: number } };

/** Fault rules and per-operation call counters, consulted by the server before dispatch. */
export class Faults {
  private rules: FaultRule[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  add(rule: FaultRule): void {
    this.rules = this.rules.filter((r) => !(r.operation === rule.operation && (r.service ?? '*') === (rule.service ?? '*')));
    this.rules.push({ ...rule });
  }

  clear(): void {
    this.rules = [];
  }

  decide(service: string, operation: string | undefined): FaultDecision {
    let latencyMs = 0;
    let fail: FaultDecision['fail'];
    for (const r of this.rules) {
      if (r.service && r.service !== '*' && r.service !== service) continue;
      if (r.operation !== '*' && r.operation !== operation) continue;
      latencyMs = Math.max(latencyMs, r.latencyMs ?? 0);
      if (fail) continue;
      if ((r.throttleCount ?? 0) > 0) {
        r.throttleCount = r.throttleCount! - 1;
        fail = { code: 'Throttling', message: 'Rate exceeded', status: 400 };
      } else if ((r.throttleRate ?? 0) > 0 && this.random() < r.throttleRate!) {
        fail = { code: 'Throttling', message: 'Rate exceeded', status: 400 };
      } else if ((r.errorCount ?? 0) > 0 || ((r.errorRate ?? 0) > 0 && this.random() < r.errorRate!)) {
        if ((r.errorCount ?? 0) > 0) r.errorCount = r.errorCount! - 1;
        fail =
          r.errorStatus === 503
            ? { code: 'ServiceUnavailable', message: 'The service is unavailable. Please try again later.', status: 503 }
            : { code: 'InternalFailure', message: 'An internal error has occurred. Please try again later.', status: 500 };
      }
    }
    return { latencyMs, fail };
  }
}

export class Counters {
  private counts = new Map<string, number>();
  /** region → service → operation → calls (the RDS API budget is per account and region). */
  private regional = new Map<string, number>();
  inc(service: string, operation: string, region?: string): void {
    const k = `${service}\u0000${operation}`;
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
    if (region) {
      const rk = `${region}\u0000${k}`;
      this.regional.set(rk, (this.regional.get(rk) ?? 0) + 1);
    }
  }
  byRegion(): Record<string, Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, Record<string, number>>> = {};
    for (const [k, v] of this.regional) {
      const [region, service, op] = k.split('\u0000');
      ((out[region] ??= {})[service] ??= {})[op] = v;
    }
    return out;
  }
  get(service: string, operation: string): number {
    return this.counts.get(`${service}\u0000${operation}`) ?? 0;
  }
  snapshot(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [k, v] of this.counts) {
      const [service, op] = k.split('\u0000');
      (out[service] ??= {})[op] = v;
    }
    return out;
  }
  reset(): void {
    this.counts.clear();
    this.regional.clear();
  }
}

export interface ControlDeps {
  model: RdsModel;
  faults: Faults;
  counters: Counters;
  now: () => number;
  regions: string[];
  resetAll: () => void;
  cloudwatch?: { metricsRequested?: () => number; metricsRequestedByRegion?: () => Record<string, number>; resetCounters?: () => void };
  startedAt: number;
  /** Drives a real synthetic workload on a cluster with real engines; false when the cluster has none. */
  realWorkload?: (region: string, cluster: string, workload: Workload) => boolean;
}

export interface ControlResponse {
  status: number;
  body: unknown;
}

class BadRequest extends Error {}

const WORKLOADS: Workload[] = ['idle', 'steady', 'write-heavy'];

function obj(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new BadRequest('Body must be a JSON object.');
  return body as Record<string, unknown>;
}
function optNum(o: Record<string, unknown>, k: string, min: number, max: number): number | undefined {
  const v = o[k];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new BadRequest(`${k} must be a number in [${min}, ${max}].`);
  return v;
}

/** The id prefix of a large seeded fleet (`bench` unless given): lowercase letters, digits, hyphens. */
function seedPrefix(o: Record<string, unknown>): string {
  if (o.prefix === undefined) return 'bench';
  if (typeof o.prefix !== 'string' || !/^[a-z][a-z0-9-]{0,19}$/.test(o.prefix)) throw new BadRequest('prefix must be 1–20 lowercase letters, digits or hyphens, starting with a letter.');
  return o.prefix;
}

export function createControl(deps: ControlDeps) {
  const { model } = deps;
  return {
    handle(method: string, path: string, rawBody: string): ControlResponse {
      let body: unknown;
      try {
        body = rawBody.trim() ? JSON.parse(rawBody) : undefined;
      } catch {
        return { status: 400, body: { error: 'Body must be JSON.' } };
      }
      const route = `${method.toUpperCase()} ${path.replace(/\/+$/, '')}`;
      try {
        const outage = regionalOutageRoute(deps, route, body);
        if (outage) return outage;
        switch (route) {
          case 'GET /_emulator/health':
            return {
              status: 200,
              body: { ok: true, service: 'aurora-fleet-console local endpoint', regions: deps.regions, now: new Date(deps.now()).toISOString(), uptimeMs: Date.now() - deps.startedAt },
            };
          case 'POST /_emulator/reset':
            deps.resetAll();
            return { status: 200, body: { ok: true } };
          case 'POST /_emulator/seed': {
            const o = obj(body);
            // `{ size: 1000 }` alone is the large profile with that many clusters (over every endpoint region).
            const profile = o.profile ?? (o.size !== undefined ? 'large' : 'demo');
            const regions = Array.isArray(o.regions) && o.regions.every((r) => typeof r === 'string') ? (o.regions as string[]) : deps.regions;
            if (profile === 'demo') {
              const now = deps.now();
              for (const r of regions.slice(0, 2)) {
                if (model.listClusters(r, now).length > 0) {
                  return { status: 409, body: { error: `Region ${r} already has clusters; POST /_emulator/reset first.` } };
                }
              }
              const created = seedDemo(model, now, regions);
              return { status: 200, body: { ok: true, clusters: created } };
            }
            if (profile === 'large') {
              const clusters = optNum(o, 'size', 0, 5000) ?? optNum(o, 'clusters', 0, 5000) ?? 200;
              const maxInstances = optNum(o, 'maxInstances', 1, 16) ?? 16;
              const made = seedLarge(model, deps.now(), { clusters, maxInstances, regions, prefix: seedPrefix(o) });
              return { status: 200, body: { ok: true, clusters: made } };
            }
            throw new BadRequest('profile must be "demo" or "large".');
          }
          case 'POST /_emulator/seed/remove': {
            const o = obj(body);
            const regions = Array.isArray(o.regions) && o.regions.every((r) => typeof r === 'string') ? (o.regions as string[]) : deps.regions;
            return { status: 200, body: { ok: true, removed: unseed(model, regions, seedPrefix(o)) } };
          }
          case 'POST /_emulator/workload': {
            const o = obj(body);
            const region = o.region;
            const cluster = o.cluster;
            const workload = o.workload;
            if (typeof region !== 'string' || typeof cluster !== 'string') throw new BadRequest('region and cluster are required.');
            if (typeof workload !== 'string' || !WORKLOADS.includes(workload as Workload)) {
              throw new BadRequest(`workload must be one of ${WORKLOADS.join(', ')}.`);
            }
            const c = model.setWorkload(region, cluster, workload as Workload, deps.now());
            const real = deps.realWorkload?.(region, c.id, workload as Workload) ?? false;
            return { status: 200, body: { ok: true, cluster: c.id, workload, real } };
          }
          case 'GET /_emulator/faults':
            return { status: 200, body: { faults: deps.faults.list() } };
          case 'POST /_emulator/faults': {
            const o = obj(body);
            if (typeof o.operation !== 'string' || !o.operation) throw new BadRequest('operation is required ("*" or an operation name).');
            if (o.service !== undefined && typeof o.service !== 'string') throw new BadRequest('service must be a string.');
            const errorStatus = o.errorStatus === undefined ? undefined : o.errorStatus === 503 ? 503 : o.errorStatus === 500 ? 500 : NaN;
            if (Number.isNaN(errorStatus)) throw new BadRequest('errorStatus must be 500 or 503.');
            const rule: FaultRule = {
              operation: o.operation,
              service: o.service as string | undefined,
              throttleRate: optNum(o, 'throttleRate', 0, 1),
              throttleCount: optNum(o, 'throttleCount', 0, 1e9),
              errorRate: optNum(o, 'errorRate', 0, 1),
              errorCount: optNum(o, 'errorCount', 0, 1e9),
              errorStatus: errorStatus as 500 | 503 | undefined,
              latencyMs: optNum(o, 'latencyMs', 0, 120_000),
            };
            deps.faults.add(rule);
            return { status: 200, body: { ok: true, faults: deps.faults.list() } };
          }
          case 'DELETE /_emulator/faults':
            deps.faults.clear();
            return { status: 200, body: { ok: true } };
          case 'GET /_emulator/counters':
            return {
              status: 200,
              body: {
                counters: deps.counters.snapshot(),
                metricsRequested: deps.cloudwatch?.metricsRequested?.() ?? 0,
                // Per region: calls per service/operation, and GetMetricData metrics requested (what CloudWatch bills).
                byRegion: deps.counters.byRegion(),
                metricsRequestedByRegion: deps.cloudwatch?.metricsRequestedByRegion?.() ?? {},
              },
            };
          case 'POST /_emulator/counters/reset':
            deps.counters.reset();
            deps.cloudwatch?.resetCounters?.();
            return { status: 200, body: { ok: true } };
          case 'GET /_emulator/config/durations':
            return { status: 200, body: { durations: model.durations } };
          case 'POST /_emulator/config/durations': {
            const o = obj(body);
            const next: Durations = { ...model.durations };
            for (const [k, v] of Object.entries(o)) {
              if (!DURATION_KEYS.includes(k as keyof Durations)) throw new BadRequest(`Unknown duration ${k}. Known: ${DURATION_KEYS.join(', ')}.`);
              if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 24 * 3600_000) throw new BadRequest(`${k} must be milliseconds in [0, 86400000].`);
              next[k as keyof Durations] = v;
            }
            model.durations = next;
            return { status: 200, body: { durations: next } };
          }
          default:
            return { status: 404, body: { error: `No control route ${route}.` } };
        }
      } catch (e) {
        if (e instanceof BadRequest) return { status: 400, body: { error: e.message } };
        if (e instanceof RdsFault) return { status: e.status, body: { error: e.message, code: e.code } };
        throw e;
      }
    },
  };
}
