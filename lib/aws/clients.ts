import 'server-only';
import { invalidateRegionReads } from './read-cache';
import { RDSClient } from '@aws-sdk/client-rds';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { RDSDataClient } from '@aws-sdk/client-rds-data';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { getEnv } from '@/lib/env';
import { assertConfiguredRegion } from './regions';

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
        return await next(args);
      } catch (err) {
        entry.errors++;
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
      return next(args);
    },
    { step: 'finalizeRequest', name: 'afcAttemptCounter', priority: 'low' },
  );
}

const rdsClients = new Map<string, RDSClient>();
const cwClients = new Map<string, CloudWatchClient>();

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

/** The RDS client for a configured region (cached); an AppError 404 for any other region. */
export function rdsClient(region: string): RDSClient {
  assertConfiguredRegion(region);
  let c = rdsClients.get(region);
  if (!c) {
    const b = baseConfig(region);
    c = new RDSClient(b.config);
    instrument(c as unknown as StackHolder, 'rds', region, b.backend, b.endpointUrl);
    rdsClients.set(region, c);
  }
  return c;
}

/** The CloudWatch client for a configured region (cached); an AppError 404 for any other region. */
export function cloudWatchClient(region: string): CloudWatchClient {
  assertConfiguredRegion(region);
  let c = cwClients.get(region);
  if (!c) {
    const b = baseConfig(region);
    c = new CloudWatchClient(b.config);
    instrument(c as unknown as StackHolder, 'cloudwatch', region, b.backend, b.endpointUrl);
    cwClients.set(region, c);
  }
  return c;
}

/** How many clients exist (tests: crafted regions must not add any). */
export function awsClientCount(): { rds: number; cloudwatch: number } {
  return { rds: rdsClients.size, cloudwatch: cwClients.size };
}

/** Drop cached clients (tests that point the layer at a fresh endpoint). */
export function resetAwsClients(): void {
  for (const c of rdsClients.values()) c.destroy();
  for (const c of cwClients.values()) c.destroy();
  rdsClients.clear();
  cwClients.clear();
}

const rdsDataClients = new Map<string, RDSDataClient>();
const secretsClients = new Map<string, SecretsManagerClient>();

/**
 * The RDS Data API client for a region (cached). One attempt only: a statement is not idempotent, and a retry
 * after a lost response could run an INSERT twice. The request timeout outlasts the Data API's 45 s statement
 * timeout so its StatementTimeoutException arrives instead of a socket timeout.
 */
export function rdsDataClient(region: string): RDSDataClient {
  let c = rdsDataClients.get(region);
  if (!c) {
    const b = baseConfig(region);
    c = new RDSDataClient({ ...b.config, maxAttempts: 1, requestHandler: { connectionTimeout: 3_000, requestTimeout: 60_000 } });
    instrument(c as unknown as StackHolder, 'rds-data', region, b.backend, b.endpointUrl);
    rdsDataClients.set(region, c);
  }
  return c;
}

/** The Secrets Manager client for a region (cached). */
export function secretsManagerClient(region: string): SecretsManagerClient {
  let c = secretsClients.get(region);
  if (!c) {
    const b = baseConfig(region);
    c = new SecretsManagerClient(b.config);
    instrument(c as unknown as StackHolder, 'secretsmanager', region, b.backend, b.endpointUrl);
    secretsClients.set(region, c);
  }
  return c;
}

/** Drop the cached Data API and Secrets Manager clients (tests). */
export function resetDataApiClients(): void {
  for (const c of rdsDataClients.values()) c.destroy();
  for (const c of secretsClients.values()) c.destroy();
  rdsDataClients.clear();
  secretsClients.clear();
}
