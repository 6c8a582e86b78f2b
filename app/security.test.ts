// Security suite (unit level): every server action (found by walking app/ and lib/) and every data route
// (found by walking app/api) is called
// without a session and with each too-low role and must refuse — before anything reaches AWS. A new actions
// module or route without its own check fails this suite without anyone having to list it here.
// Plus: production dependencies have no high/critical advisories (npm audit; skipped when the registry's
// audit endpoint cannot be reached).
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ACTIONS, ROLES, roleAtLeast, type Role } from '@/lib/auth/permissions';

type User = { id: string; username: string; role: Role };
const h = vi.hoisted(() => ({
  user: null as null | { id: string; username: string; role: 'viewer' | 'operator' | 'admin' },
  awsCalls: [] as string[],
  audit: [] as { phase: string; action: string; actor: string; role: string }[],
}));

vi.mock('@/lib/auth/session', async () => {
  const { AppError } = await import('@/lib/errors');
  const { roleAtLeast: atLeast } = await import('@/lib/auth/permissions');
  return {
    getSession: async () => h.user,
    requireUser: async () => {
      if (!h.user) throw new AppError('UNAUTHENTICATED', 'Sign in first.', { status: 401 });
      return h.user;
    },
    requireRole: async (min: Role) => {
      if (!h.user) throw new AppError('UNAUTHENTICATED', 'Sign in first.', { status: 401 });
      if (!atLeast(h.user.role, min)) throw new AppError('FORBIDDEN', 'Not allowed.', { status: 403 });
      return h.user;
    },
  };
});
vi.mock('@/lib/audit/log', async (orig) => ({
  ...((await orig()) as object),
  appendAudit: vi.fn(async (e: (typeof h.audit)[number]) => void h.audit.push(e)),
}));
// Any SDK call at all is a failure of the check: record it and fail loudly.
vi.mock('@/lib/aws/clients', async (orig) => {
  const spy = (service: string) => () => ({
    send: async (cmd: { constructor: { name: string } }) => {
      h.awsCalls.push(`${service}:${cmd.constructor.name}`);
      throw new Error(`AWS call ${cmd.constructor.name} made before the session/role check`);
    },
  });
  return { ...((await orig()) as object), rdsClient: spy('rds'), cloudWatchClient: spy('cloudwatch'), getRdsClient: spy('rds'), getCloudWatchClient: spy('cloudwatch') };
});

const APP = path.resolve(__dirname);
const ROOT = path.resolve(APP, '..');
const LIB = path.join(ROOT, 'lib');

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}
const rel = (p: string) => path.relative(APP, p);
const sources = (dir: string) => walk(dir).filter((f) => /\.(ts|tsx)$/.test(f) && !/\.test\.tsx?$/.test(f));
const files = sources(APP);
/** Server action modules may live in app/ or in lib/ (where client components can import them too). */
const actionFiles = [...files, ...sources(LIB)];
/** Action modules are named from the repository root (app/… or lib/…). */
const relRoot = (p: string) => path.relative(ROOT, p);
/** Every module whose first statement is 'use server' (its exports are callable by anyone with a crafted POST). */
const serverActionModules = actionFiles.filter((f) => /^\s*(\/\/[^\n]*\n|\/\*[\s\S]*?\*\/\s*)*['"]use server['"]/.test(readFileSync(f, 'utf8')));
/** Files that use an inline 'use server' inside a function (harder to enumerate: they must not exist). */
const inlineServerActions = actionFiles.filter((f) => !serverActionModules.includes(f) && /\n\s+['"]use server['"]/.test(readFileSync(f, 'utf8')));
const routeModules = files.filter((f) => f.startsWith(path.join(APP, 'api')) && /route\.tsx?$/.test(path.basename(f)));

/** Routes that are public on purpose, with the reason. Everything else must refuse without a session. */
const PUBLIC_ROUTES: Record<string, string> = {
  'api/health/route.ts': 'liveness and the database it uses (dialect, host/db without password, reachable), no data',
  'api/metrics/route.ts': 'Prometheus scrape: a Bearer AFC_METRICS_TOKEN or loopback clients only (lib/metrics/endpoint.test.ts)',
  'api/auth/[...nextauth]/route.ts': 'the sign-in handler itself (CSRF-checked by next-auth; covered in e2e/security.spec.ts)',
};
/** Lowest role per data route; the default is any signed-in user. */
const ROUTE_MIN_ROLE: Record<string, Role> = { 'api/metrics/counters/route.ts': 'admin' };

const below = (min: Role): Role[] => ROLES.filter((r) => !roleAtLeast(r, min));
const userOf = (role: Role): User => ({ id: `sec-${role}`, username: `${role}-sec`, role });

beforeEach(() => {
  h.user = null;
  h.awsCalls = [];
  h.audit = [];
});

type Refusal = { ok?: boolean; code?: string; error?: string };
async function callAction(fn: unknown): Promise<Refusal> {
  try {
    return (await (fn as (p: null, f: FormData) => Promise<Refusal>)(null, new FormData())) ?? {};
  } catch (e) {
    // A bare server function may throw AppError(401/403) instead of returning; that is a refusal too.
    const code = (e as { code?: string }).code;
    if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') return { ok: false, code, error: (e as Error).message };
    throw e;
  }
}

describe('server actions are found by walking app/ and lib/', () => {
  it('finds the action modules (the walk works) and no inline "use server" functions hide elsewhere', () => {
    expect(serverActionModules.map(relRoot).sort()).toEqual(
      expect.arrayContaining(['app/(console)/clusters/actions.ts', 'lib/oncall/actions.ts', 'lib/approvals/actions.ts', 'app/(console)/clusters/[region]/[clusterId]/actions.ts']),
    );
    expect(inlineServerActions.map(relRoot)).toEqual([]);
  });
});

describe.each(serverActionModules.map((f) => [relRoot(f), f] as const))('server actions in %s', (_name, file) => {
  it('every exported function refuses without a session (UNAUTHENTICATED, audited as refused, no AWS call)', async () => {
    const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    const fns = Object.entries(mod).filter(([, v]) => typeof v === 'function');
    expect(fns.length).toBeGreaterThan(0);
    for (const [name, fn] of fns) {
      h.audit = [];
      const r = await callAction(fn);
      expect(r, name).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
      expect(r.error?.length ?? 0, name).toBeGreaterThan(10);
      expect(h.audit.map((a) => `${a.phase}:${a.actor}`), name).toEqual(['refused:anonymous']);
    }
    expect(h.awsCalls).toEqual([]);
  });

  it('every exported function refuses each role below its permission (FORBIDDEN, audited, no AWS call)', async () => {
    const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    let checked = 0;
    for (const [name, fn] of Object.entries(mod).filter(([, v]) => typeof v === 'function')) {
      // The audit row of the anonymous refusal names the permission the action checks.
      h.user = null;
      h.audit = [];
      await callAction(fn);
      const action = h.audit[0]?.action as keyof typeof ACTIONS | undefined;
      expect(action && action in ACTIONS, `${name} audits a known permission (got ${action})`).toBe(true);
      const min = ACTIONS[action!];
      // Nothing that mutates may be open to viewers.
      expect(min, `${name} (${action})`).not.toBe('viewer');
      for (const role of below(min)) {
        h.user = userOf(role);
        h.audit = [];
        const r = await callAction(fn);
        expect(r, `${name} as ${role}`).toMatchObject({ ok: false, code: 'FORBIDDEN' });
        expect(r.error, `${name} as ${role}`).toContain(min);
        expect(h.audit, `${name} as ${role}`).toEqual([expect.objectContaining({ phase: 'refused', actor: `${role}-sec`, role })]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
    expect(h.awsCalls).toEqual([]);
  });
});

describe('data routes are found by walking app/api', () => {
  it('finds the routes', () => {
    expect(routeModules.length).toBeGreaterThanOrEqual(8);
  });
});

const PARAMS = { region: 'us-east-1', clusterId: 'orders-prod' };
describe.each(routeModules.map((f) => [rel(f), f] as const))('route %s', (name, file) => {
  it(PUBLIC_ROUTES[name] ? `is public on purpose: ${PUBLIC_ROUTES[name]}` : 'refuses without a session (401) and each too-low role (403), with no AWS call', async () => {
    const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    const handlers = Object.entries(mod).filter(([k, v]) => /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(k) && typeof v === 'function');
    expect(handlers.length).toBeGreaterThan(0);
    if (name === 'api/health/route.ts') {
      const res = (await (mod.GET as () => Promise<Response>)()) as Response;
      const body = (await res.json()) as { ok: boolean; database: Record<string, unknown> };
      expect(body).toEqual({ ok: true, database: expect.objectContaining({ dialect: 'sqlite', reachable: true }) });
      return;
    }
    if (PUBLIC_ROUTES[name]) return;
    const min = ROUTE_MIN_ROLE[name] ?? 'viewer';
    for (const [method, fn] of handlers) {
      const call = async () =>
        (await (fn as (r: Request, c: unknown) => Promise<Response>)(
          new Request(`http://localhost/${name}?region=us-east-1&clusterId=orders-prod&range=1h`, { method }),
          { params: Promise.resolve(PARAMS) },
        )) as Response;
      h.user = null;
      const anon = await call();
      expect(anon.status, `${method} without a session`).toBe(401);
      const body = await anon.text();
      expect(body).not.toMatch(/\n\s+at |stack/i);
      for (const role of below(min)) {
        h.user = userOf(role);
        const r = await call();
        expect(r.status, `${method} as ${role}`).toBe(403);
      }
    }
    expect(h.awsCalls).toEqual([]);
  });
});

describe('dependencies', () => {
  it('npm audit: no high or critical advisories in production dependencies', { timeout: 120_000 }, async (ctx) => {
    const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], { cwd: path.resolve(APP, '..'), timeout: 90_000, maxBuffer: 20 << 20 }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    let report: { metadata?: { vulnerabilities?: Record<string, number> }; error?: { code?: string; summary?: string }; message?: string } = {};
    try {
      report = JSON.parse(out.stdout || '{}');
    } catch {
      /* not JSON: treated as unreachable below */
    }
    const counts = report.metadata?.vulnerabilities;
    if (!counts) {
      const why = report.error?.summary ?? report.message ?? out.stderr.split('\n').find((l) => l.trim()) ?? 'no report';
      ctx.skip(`npm audit could not reach the registry's audit endpoint (${String(why).slice(0, 160)}); run \`npm audit --omit=dev\` online`);
      return;
    }
    expect({ high: counts.high ?? 0, critical: counts.critical ?? 0 }).toEqual({ high: 0, critical: 0 });
  });
});

// ------------------------------------------------------------------------------------------ region scope
// Every action and route answers a region outside AFC_REGIONS with a refusal that names it, audited (actions),
// and nothing reaches AWS. Actions are called with a complete, valid input (it parses: checked below) so the
// refusal is the region's, not a validation error; and with only the region, as the crudest crafted POST.
const NOWHERE = 'zz-nowhere-9';
const ref = { region: NOWHERE, clusterId: 'orders-prod' };
/** A valid input per exported action, but for its region. A new action without an entry fails the suite. */
const VALID_INPUT: Record<string, Record<string, string>> = {
  createClusterAction: {
    region: NOWHERE,
    engine: 'aurora-mysql',
    engineVersion: '',
    identifier: 'scope-new',
    masterUsername: 'dbadmin',
    masterPassword: 'Str0ng-Passw0rd',
    instanceClass: 'db.r6g.large',
    subnetGroup: '',
    backupRetention: '1',
    backtrackHours: '0',
    tags: '',
  },
  retryCreateStepAction: { ...ref, kind: 'reader', instanceId: 'orders-prod-9', instanceClass: 'db.r6g.large', az: '' },
  addReaderAction: { ...ref, instanceId: 'orders-prod-9', instanceClass: 'db.r6g.large', az: '', promotionTier: '1' },
  removeReaderAction: { ...ref, instanceId: 'orders-prod-2' },
  rebootInstanceAction: { ...ref, instanceId: 'orders-prod-2' },
  modifyInstanceAction: { ...ref, instanceId: 'orders-prod-2', promotionTier: '3' },
  deleteClusterAction: { region: NOWHERE, clusterId: 'billing', confirm: 'billing', finalSnapshot: 'skip', finalSnapshotId: '', deleteInstances: 'on' },
  failoverClusterAction: { ...ref, target: 'auto', confirm: 'orders-prod', reason: 'crafted' },
  backtrackClusterAction: { ...ref, backtrackTo: new Date(Date.now() - 10 * 60_000).toISOString(), confirm: 'orders-prod', reason: '' },
  setBacktrackWindowAction: { ...ref, hours: '12', confirm: '' },
  runQueryAction: { ...ref, database: 'myapp', sql: 'SELECT 1' },
  enableHttpEndpointAction: { ...ref },
  setQuerySecretAction: { ...ref, arn: `arn:aws:secretsmanager:${NOWHERE}:123456789012:secret:app-db` },
  createSnapshotAction: { ...ref, snapshotId: 'orders-prod-before-change' },
  deleteSnapshotAction: { ...ref, snapshotId: 'orders-prod-before-change', confirm: 'orders-prod-before-change' },
  restoreSnapshotAction: { ...ref, snapshotId: 'orders-prod-before-change', engine: 'aurora-mysql', identifier: 'orders-restored', instanceClass: 'db.r6g.large', readers: '1' },
  restoreToTimeAction: { ...ref, identifier: 'orders-pitr', instanceClass: 'db.r6g.large', readers: '0', restoreTo: new Date(Date.now() - 10 * 60_000).toISOString(), restoreType: 'full-copy' },
  createGlobalAction: { ...ref, globalId: 'orders-global' },
  addSecondaryAction: { region: NOWHERE, globalId: 'orders-global', clusterId: 'orders-far', instanceClass: 'db.r6g.large', instanceCount: '2' },
  detachSecondaryAction: { region: NOWHERE, globalId: 'orders-global', clusterId: 'orders-far', confirm: 'orders-far' },
  deleteGlobalAction: { region: NOWHERE, globalId: 'orders-global', confirm: 'orders-global' },
  switchoverGlobalAction: { globalId: 'orders-global', targetRegion: NOWHERE, targetClusterId: 'orders-far', confirm: 'orders-global', reason: '' },
  failoverGlobalAction: { globalId: 'orders-global', targetRegion: NOWHERE, targetClusterId: 'orders-far', confirm: 'orders-global', acceptDataLoss: 'on', reason: '' },
};
/** Actions whose input names no region, with the reason they are still region-scoped. */
const REGIONLESS_ACTIONS: Record<string, string> = {
  approveRequestAction: 'acts on a stored request; its region goes through the client factory, which refuses unconfigured regions',
  rejectRequestAction: 'records a decision only, no AWS call',
};
const formOf = (o: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(o)) f.set(k, v);
  return f;
};
async function permissionOf(fn: unknown): Promise<keyof typeof ACTIONS> {
  h.user = null;
  h.audit = [];
  await callAction(fn);
  return h.audit[0]!.action as keyof typeof ACTIONS;
}

describe.each(serverActionModules.map((f) => [relRoot(f), f] as const))('region scope: server actions in %s', (_name, file) => {
  it('every exported function refuses a region outside AFC_REGIONS, even for a role that may run it (INVALID_REGION, audited as refused, no AWS call)', async () => {
    const { actionSchemaOf } = await import('@/lib/actions/define-action');
    const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    for (const [name, fn] of Object.entries(mod).filter(([, v]) => typeof v === 'function')) {
      const min = ACTIONS[await permissionOf(fn)];
      const inputs: Record<string, string>[] = [{ region: NOWHERE }];
      if (!REGIONLESS_ACTIONS[name]) {
        const valid = VALID_INPUT[name];
        expect(valid, `${name}: add a valid input to VALID_INPUT (or a reason to REGIONLESS_ACTIONS)`).toBeDefined();
        const parsed = actionSchemaOf(fn)?.safeParse(valid);
        expect(parsed?.success, `${name}: VALID_INPUT must parse (${JSON.stringify(parsed?.error?.issues ?? []).slice(0, 200)})`).toBe(true);
        inputs.push(valid);
      }
      for (const role of ROLES.filter((r) => roleAtLeast(r, min))) {
        for (const input of inputs) {
          h.user = userOf(role);
          h.audit = [];
          const r = (await (fn as (p: null, f: FormData) => Promise<Refusal>)(null, formOf(input))) ?? {};
          expect(r, `${name} as ${role} with ${Object.keys(input).join(',')}`).toMatchObject({ ok: false, code: 'INVALID_REGION' });
          expect(r.error).toContain(`Region ${NOWHERE} is not configured for this console (AFC_REGIONS = `);
          expect(h.audit, name).toEqual([expect.objectContaining({ phase: 'refused', actor: `${role}-sec`, region: NOWHERE })]);
        }
      }
    }
    expect(h.awsCalls).toEqual([]);
  });
});

/** Routes whose address names no region, with what they read instead. */
const REGIONLESS_ROUTES: Record<string, string> = {
  'api/audit/export/route.ts': 'the audit log: console database only',
  'api/metrics/fleet/route.ts': 'every configured region (AFC_REGIONS); no region parameter',
  'api/metrics/counters/route.ts': "this process's counters; no AWS call",
  'api/metrics/route.ts': "this process's counters in Prometheus text; no AWS call",
  'api/global/[globalId]/route.ts': 'a global database spans the configured regions (AFC_REGIONS); its address names none (crafted ids: see "global database pages")',
};
/** Crafted path parameters: each must be a 400 or 404 with a message, never a 500, with no AWS call. */
const CRAFTED_PARAMS: Record<string, { region: string; clusterId: string }> = {
  'unconfigured region': { region: NOWHERE, clusterId: 'orders-prod' },
  '%ff': { region: 'us-east-1', clusterId: '%ff' },
  '%E0%A4%A': { region: 'us-east-1', clusterId: '%E0%A4%A' },
  '%ff region': { region: '%ff', clusterId: 'orders-prod' },
  NUL: { region: 'us-east-1', clusterId: 'orders%00prod' },
  'raw NUL': { region: 'us-east-1', clusterId: 'orders\u0000prod' },
  '10 KB id': { region: 'us-east-1', clusterId: 'a'.repeat(10_240) },
  'non-ASCII id': { region: 'us-east-1', clusterId: 'кластер' },
  'encoded non-ASCII id': { region: 'us-east-1', clusterId: '%D0%BA%D0%BB' },
};

describe.each(routeModules.map((f) => [rel(f), f] as const))('region scope: route %s', (name, file) => {
  const skip = PUBLIC_ROUTES[name] ?? REGIONLESS_ROUTES[name];
  it(skip ? `names no region: ${skip}` : 'answers an unconfigured region 404 and crafted path parameters 400/404, as JSON { error, code }, with no AWS call', async () => {
    if (skip) return;
    const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    const handlers = Object.entries(mod).filter(([k, v]) => /^(GET|POST|PUT|PATCH|DELETE)$/.test(k) && typeof v === 'function');
    const min = ROUTE_MIN_ROLE[name] ?? 'viewer';
    const pathParams = name.includes('[region]');
    for (const [method, fn] of handlers) {
      for (const [label, params] of Object.entries(pathParams ? CRAFTED_PARAMS : { 'unconfigured region': CRAFTED_PARAMS['unconfigured region'] })) {
        for (const role of ROLES.filter((r) => roleAtLeast(r, min))) {
          h.user = userOf(role);
          const res = (await (fn as (r: Request, c: unknown) => Promise<Response>)(
            new Request(`http://localhost/${name}?region=${encodeURIComponent(params.region)}&engine=aurora-mysql&range=1h`, { method }),
            { params: Promise.resolve(params) },
          )) as Response;
          const what = `${method} ${label} as ${role}`;
          const body = (await res.json()) as { error?: string; code?: string };
          expect(label === 'unconfigured region' ? [404] : [400, 404], `${what}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`).toContain(res.status);
          expect(body.error?.length ?? 0, what).toBeGreaterThan(20);
          expect(body.code, what).toMatch(/^(INVALID_REGION|BAD_PATH_PARAMETER)$/);
          if (label === 'unconfigured region') expect(body.error).toContain(`Region ${NOWHERE} is not configured for this console`);
          expect(JSON.stringify(body).length, what).toBeLessThan(600);
        }
      }
    }
    expect(h.awsCalls).toEqual([]);
  });
});

/** Pages under a [region] segment (found by walking app/): same refusals, as a page that says what is wrong. */
const regionPages = files.filter((f) => path.basename(f) === 'page.tsx' && f.includes(`${path.sep}[region]${path.sep}`));
describe('region scope: pages', () => {
  it('finds the pages with a [region] segment', () => {
    expect(regionPages.map(rel).sort()).toEqual(expect.arrayContaining(['(console)/clusters/[region]/[clusterId]/page.tsx', '(console)/oncall/[region]/[clusterId]/page.tsx']));
  });

  it.each(regionPages.map((f) => [rel(f), f] as const))('%s answers crafted addresses with a refusal page (no AWS call)', async (_name, file) => {
    const { AppError } = await import('@/lib/errors');
    const mod = (await import(/* @vite-ignore */ file)) as { default: (p: unknown) => Promise<{ props: Record<string, unknown> }>; generateMetadata?: (p: unknown) => Promise<{ title?: string }> };
    h.user = userOf('viewer');
    for (const [label, params] of Object.entries(CRAFTED_PARAMS)) {
      const props = { params: Promise.resolve(params), searchParams: Promise.resolve({}) };
      const el = await mod.default(props);
      const err = el.props.error;
      expect(err, label).toBeInstanceOf(AppError);
      expect([400, 404], label).toContain((err as InstanceType<typeof AppError>).status);
      if (label === 'unconfigured region') expect((err as Error).message).toContain(`Region ${NOWHERE} is not configured for this console`);
      if (mod.generateMetadata) expect((await mod.generateMetadata(props)).title, label).toMatch(/^Bad address/);
    }
    expect(h.awsCalls).toEqual([]);
  });
});

/** The global database view and its polling route: crafted identifiers are refused (400) before any AWS call. */
const globalPages = files.filter((f) => f.includes(`${path.sep}[globalId]${path.sep}`) && /(page\.tsx|route\.ts)$/.test(f));
describe('region scope: global database pages', () => {
  it('finds the global database view and its route', () => {
    expect(globalPages.map(rel).sort()).toEqual(['(console)/global/[globalId]/page.tsx', 'api/global/[globalId]/route.ts']);
  });

  it.each(globalPages.map((f) => [rel(f), f] as const))('%s answers crafted identifiers with a 400 (no AWS call)', async (name, file) => {
    const { AppError } = await import('@/lib/errors');
    h.user = userOf('viewer');
    for (const [label, { clusterId: globalId }] of Object.entries(CRAFTED_PARAMS).filter(([l]) => l !== 'unconfigured region' && l !== '%ff region')) {
      const params = Promise.resolve({ globalId });
      if (name.endsWith('route.ts')) {
        const mod = (await import(/* @vite-ignore */ file)) as { GET: (r: Request, c: unknown) => Promise<Response> };
        const res = await mod.GET(new Request('http://localhost/api/global/x'), { params });
        expect(res.status, label).toBe(400);
        expect(((await res.json()) as { code?: string }).code, label).toBe('BAD_PATH_PARAMETER');
      } else {
        const mod = (await import(/* @vite-ignore */ file)) as { default: (p: unknown) => Promise<{ props: Record<string, unknown> }> };
        const el = await mod.default({ params, searchParams: Promise.resolve({}) });
        expect(el.props.error, label).toBeInstanceOf(AppError);
        expect((el.props.error as InstanceType<typeof AppError>).status, label).toBe(400);
      }
    }
    expect(h.awsCalls).toEqual([]);
  });
});
