import 'server-only';
import { invalidateRegionReads } from './read-cache';
import { RDSClient } from '@aws-sdk/client-rds';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { RDSDataClient } from '@aws-sdk/client-rds-data';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { getEnv } from '@/lib/env';
import { assertConfiguredRegion } from './regions';
import { countAwsCall, countAwsThrottle } from '@/lib/metrics/registry';

const THROTTLE_RE = /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|RequestThrottled/i;
const isThrottle = (err: unknown) => !!err && typeof err === 'object' && THROTTLE_RE.test(`${(err as { name?: string }).name ?? ''} ${(err as { Code?: string }).Code ?? ''}`);

/**
 * The one factory of AWS clients. Nothing else in the app constructs an SDK client.
 *
 * - backend `local`: the local endpoint (getEnv().emulator.url) with its static credentials.
 * - backend `aws`: the SDK default credential chain (env, AWS_PROFILE, SSO, instance role); no keys in config.
 *
 * Shared retry policy: adaptive (client-side rate limiting on Throttling) with 5 attempts.
 * A middleware counts calls per (service, operation, region) and tags errors with where they happened,
 * so toAppError() can say "cannot reach the local endpoint in region X".
 *
 * Only the configured regions (AFC_REGIONS) get a client: any other region is refused here with a 404
 * AppError, before a client or a counter exists for it, so the per-region state is bounded by the list.
 */

export type AwsService = 'rds' | 'cloudwatch' | 'rds-data' | 'secretsmanager';

const RETRY_POLICY = { retryMode: 'adaptive', maxAttempts: 5 } as const;

/** Properties the counting middleware attaches to errors it sees (read by toAppError). */
export interface AfcErrorContext {
  $afcRegion?: string;
  $afcService?: AwsService;
  $afcOperation?: string;
  $afcBackend?: 'local' | 'aws';
  $afcEndpoint?: string;
}

interface CounterEntry {
  service: AwsService;
  operation: string;
  region: string;
  /** Logical calls (client.send). */
  calls: number;
  /** HTTP attempts, including SDK retries. */
  attempts: number;
  errors: number;
}

const counters = new Map<string, CounterEntry>();

function counterFor(service: AwsService, operation: string, region: string): CounterEntry {
  const key = `${service}|${operation}|${region}`;
  let e = counters.get(key);
  if (!e) {
    e = { service, operation, region, calls: 0, attempts: 0, errors: 0 };
    counters.set(key, e);
  }
  return e;
}

/** Snapshot of the AWS call counters, sorted by service, region, operation. */
export function getAwsCallCounters(): CounterEntry[] {
  return [...counters.values()]
    .map((e) => ({ ...e }))
    .sort((a, b) => a.service.localeCompare(b.service) || a.region.localeCompare(b.region) || a.operation.localeCompare(b.operation));
}

/** Total logical calls, optionally for one service/operation/region. */
export function countAwsCalls(filter: { service?: AwsService; operation?: string; region?: string } = {}): number {
  let n = 0;
  for (const e of counters.values()) {
    if (filter.service && e.service !== filter.service) continue;
    if (filter.operation && e.operation !== filter.operation) continue;
    if (filter.region && e.region !== filter.region) continue;
    n += e.calls;
  }
  return n;
}

export function resetAwsCallCounters(): void {
  counters.clear();
}

function operationName(commandName: unknown): string {
  return typeof commandName === 'string' ? commandName.replace(/Command$/, '') : 'Unknown';
}

interface StackHolder {
  middlewareStack: {
    add: (mw: unknown, opts: { step: string; name: string; priority?: string }) => void;
  };
}

function instrument(client: StackHolder, service: AwsService, region: string, backend: 'local' | 'aws', endpoint?: string): void {
  // One count per logical call (initialize runs once per send).
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const op = operationName(context.commandName);
      const entry = counterFor(service, op, region);
      entry.calls++;
      // A write (anything but Describe/List/Get) makes the region's cached RDS reads stale, whatever its outcome.
      const isWrite = service === 'rds' && !/^(Describe|List|Get)/.test(op);
      try {
        const out = await next(args);
        countAwsCall(service, op, region, 'ok');
        return out;
      } catch (err) {
        entry.errors++;
        countAwsCall(service, op, region, isThrottle(err) ? 'throttled' : 'error');
        if (err && typeof err === 'object') {
          const e = err as AfcErrorContext;
          try {
            e.$afcRegion ??= region;
            e.$afcService ??= service;
            e.$afcOperation ??= operationName(context.commandName);
            e.$afcBackend ??= backend;
            if (endpoint) e.$afcEndpoint ??= endpoint;
          } catch {
            /* frozen error object: nothing to tag */
          }
        }
        throw err;
      } finally {
        if (isWrite) invalidateRegionReads(region);
      }
    },
    { step: 'initialize', name: 'afcCallCounter', priority: 'high' },
  );
  // One count per HTTP attempt (finalizeRequest/low runs after the retry middleware, once per attempt).
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      counterFor(service, operationName(context.commandName), region).attempts++;
      try {
        return await next(args);
      } catch (err) {
        if (isThrottle(err)) countAwsThrottle(service, operationName(context.commandName), region);
        throw err;
      }
    },
    { step: 'finalizeRequest', name: 'afcAttemptCounter', priority: 'low' },
  );
}


function baseConfig(region: string) {
  const env = getEnv();
  const common = {
    region,
    ...RETRY_POLICY,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 20_000 },
  };
  if (env.backend === 'local') {
    return {
      backend: 'local' as const,
      endpointUrl: env.emulator.url,
      config: {
        ...common,
        endpoint: env.emulator.url,
        credentials: { accessKeyId: env.emulator.accessKeyId, secretAccessKey: env.emulator.secretAccessKey },
      },
    };
  }
  return { backend: 'aws' as const, endpointUrl: undefined, config: common };
}

type Destroyable = { destroy(): void };
const caches: Map<string, Destroyable>[] = [];

/**
 * One cached client per configured region and service: the region is checked here, before a client or a counter
 * exists, so no caller can forget it (an AppError 404 for any other region).
 */
function clientFactory<C extends Destroyable>(service: AwsService, make: (config: ReturnType<typeof baseConfig>['config']) => C): (region: string) => C {
  const cache = new Map<string, C>();
  caches.push(cache);
  return (region: string) => {
    assertConfiguredRegion(region);
    let c = cache.get(region);
    if (!c) {
      const b = baseConfig(region);
      c = make(b.config);
      instrument(c as unknown as StackHolder, service, region, b.backend, b.endpointUrl);
      cache.set(region, c);
    }
    return c;
  };
}

/** The RDS client for a configured region. */
export const rdsClient = clientFactory('rds', (config) => new RDSClient(config));

/** The CloudWatch client for a configured region. */
export const cloudWatchClient = clientFactory('cloudwatch', (config) => new CloudWatchClient(config));

/**
 * The RDS Data API client for a configured region. One attempt only: a statement is not idempotent, and a retry
 * after a lost response could run an INSERT twice. The request timeout outlasts the Data API's 45 s statement
 * timeout so its StatementTimeoutException arrives instead of a socket timeout.
 */
export const rdsDataClient = clientFactory(
  'rds-data',
  (config) => new RDSDataClient({ ...config, maxAttempts: 1, requestHandler: { connectionTimeout: 3_000, requestTimeout: 60_000 } }),
);

/** The Secrets Manager client for a configured region. */
export const secretsManagerClient = clientFactory('secretsmanager', (config) => new SecretsManagerClient(config));

/** How many clients exist, over every service (tests: crafted regions must not add any). */
export function awsClientCount(): number {
  return caches.reduce((n, c) => n + c.size, 0);
}

/** Drop every cached client (tests that point the layer at a fresh endpoint). */
export function resetAwsClients(): void {
  for (const cache of caches) {
    for (const c of cache.values()) c.destroy();
    cache.clear();
  }
}
