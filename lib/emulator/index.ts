// startEmulator(): the local RDS + CloudWatch endpoint, standalone (cli.ts) or inside the app.
// This module (and cli.ts) are the only places in lib/emulator that read process.env, for defaults.
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createCloudWatchService, cloudWatchError } from './cloudwatch/service';
import { Counters, createControl, Faults } from './control';
import { resolveDurations, type Durations, type Profile } from './durations';
import { createRdsService } from './rds/handlers';
import { createDataApiService, type DataApiOptions } from './rdsdata/service';
import { createSecretsService, SecretsStore } from './secrets/service';
import { RdsModel } from './rds/model';
import { EngineSupervisor } from './engines/supervisor';
import { seedDemo, seedRealDemo } from './seed';
import { createEmulatorServer } from './server';
import type { Credentials } from './sigv4';
import { EmulatorState } from './state';

export type { Durations, Profile } from './durations';
export type { RdsModel } from './rds/model';

export interface StartEmulatorOptions {
  host?: string;
  /** 0 = ephemeral. */
  port?: number;
  /** Directory for emulator.db, or ":memory:". */
  dataDir?: string;
  profile?: Profile;
  durations?: Partial<Durations>;
  credentials?: Credentials;
  now?: () => number;
  /** 'demo': seed the demo fleet when the state is empty. Default 'none'. */
  seed?: 'demo' | 'none';
  /** Regions the demo seed uses (default AFC_REGIONS or us-east-1,eu-west-1). */
  regions?: string[];
  /**
   * 'real' (default with a data directory, or AFC_ENGINES=real): clusters created through the RDS API run real
   * database engines; 'simulated' (default for ':memory:', or AFC_ENGINES=simulated): metadata only.
   */
  engines?: 'real' | 'simulated';
  /** The RDS Data API's limits (statement timeout, transaction idle time), e.g. shorter in tests. */
  dataApi?: DataApiOptions;
}

export interface RunningEmulator {
  url: string;
  host: string;
  port: number;
  credentials: Credentials;
  model: RdsModel;
  state: EmulatorState;
  /** The local Secrets Manager's secrets. */
  secrets: SecretsStore;
  /** The real-engine supervisor, when engines are real. */
  engines?: EngineSupervisor;
  faults: Faults;
  counters: Counters;
  /** Stop listening and close the database. */
  close(): Promise<void>;
}

export const DEFAULT_EMULATOR_URL = 'http://127.0.0.1:4566';
export const DEFAULT_CREDENTIALS: Credentials = { accessKeyId: 'local', secretAccessKey: 'localsecret' };

function envDefaults() {
  const env = process.env;
  let host = '127.0.0.1';
  let port = 4566;
  try {
    const u = new URL(env.AFC_EMULATOR_URL || DEFAULT_EMULATOR_URL);
    host = u.hostname.replace(/^\[|\]$/g, '') || host;
    port = u.port ? Number(u.port) : port;
  } catch {
    /* keep defaults */
  }
  const profile: Profile = env.AFC_EMULATOR_PROFILE === 'test' ? 'test' : 'demo';
  const regions = (env.AFC_REGIONS || 'us-east-1,eu-west-1')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    host,
    port,
    dataDir: env.AFC_DATA_DIR || './data',
    engines: env.AFC_ENGINES === 'simulated' ? ('simulated' as const) : env.AFC_ENGINES === 'real' ? ('real' as const) : undefined,
    profile,
    regions,
    credentials: {
      accessKeyId: env.AFC_EMULATOR_ACCESS_KEY_ID || DEFAULT_CREDENTIALS.accessKeyId,
      secretAccessKey: env.AFC_EMULATOR_SECRET_ACCESS_KEY || DEFAULT_CREDENTIALS.secretAccessKey,
    },
  };
}

export async function startEmulator(opts: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const d = envDefaults();
  const host = opts.host ?? d.host;
  const port = opts.port ?? d.port;
  const dataDir = opts.dataDir === ':memory:' ? ':memory:' : path.resolve(opts.dataDir ?? d.dataDir);
  const profile = opts.profile ?? d.profile;
  const credentials = opts.credentials ?? d.credentials;
  const now = opts.now ?? (() => Date.now());
  const regions = opts.regions ?? d.regions;

  const state = new EmulatorState(dataDir);
  const model = new RdsModel(state, resolveDurations(profile, opts.durations));
  const cloudwatch = createCloudWatchService({ db: state.db, source: model });
  const rds = createRdsService(model);
  const secrets = new SecretsStore(state.db);
  model.secrets = secrets;
  const secretsService = createSecretsService(secrets);
  const dataApi = createDataApiService(model, secrets, opts.dataApi);
  const faults = new Faults();
  const engineMode = opts.engines ?? d.engines ?? (dataDir === ':memory:' ? 'simulated' : 'real');
  let engines: EngineSupervisor | undefined;
  const counters = new Counters();
  const control = createControl({
    model,
    faults,
    counters,
    now,
    regions,
    startedAt: Date.now(),
    realWorkload: (region, cluster, workload) => engines?.setWorkload(region, cluster, workload) ?? false,
    cloudwatch: {
      metricsRequested: () => cloudwatch.metricsRequested(),
      metricsRequestedByRegion: () => cloudwatch.metricsRequestedByRegion(),
      resetCounters: () => cloudwatch.resetCounters(),
    },
    resetAll: () => {
      model.reset();
      secrets.reset();
      cloudwatch.reset();
      faults.clear();
      counters.reset();
    },
  });

  if (engineMode === 'real') {
    if (dataDir === ':memory:') throw new Error('Real engines need a data directory (dataDir), not ":memory:".');
    engines = new EngineSupervisor(model, path.join(dataDir, 'engines'), now);
    model.engines = engines;
    await engines.start();
  }

  if (opts.seed === 'demo') {
    const t = now();
    if (regions.every((r) => model.listClusters(r, t).length === 0)) {
      seedDemo(model, t, regions);
      if (engines) seedRealDemo(model, engines, t, regions[0] ?? 'us-east-1');
    }
  }

  const server = createEmulatorServer({
    credentials,
    now,
    rds,
    cloudwatch,
    cloudwatchError: cloudWatchError,
    control,
    faults,
    counters,
    services: { 'rds-data': dataApi, secretsmanager: secretsService },
    outages: model.globals.outages,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closed = false;
  return {
    url: `http://${urlHost}:${actualPort}`,
    host,
    port: actualPort,
    credentials,
    model,
    state,
    secrets,
    faults,
    counters,
    engines,
    async close() {
      if (closed) return;
      closed = true;
      await dataApi.close();
      await engines?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      state.close();
    },
  };
}
