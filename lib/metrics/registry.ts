import 'server-only';

/**
 * The console's own counters for /api/metrics (Prometheus text format). Counted at the single places where things
 * happen: AWS calls in lib/aws/clients.ts (middleware), actions in lib/actions/define-action.ts, sign-ins in
 * lib/auth/options.ts. Kept on globalThis: Next bundles a module more than once per process (route handlers,
 * server actions), and every copy must count into the same registry. Per process: each console instance exposes
 * its own counts and Prometheus sums them across instances.
 */
type Labels = Record<string, string>;

interface Counter {
  help: string;
  values: Map<string, { labels: Labels; value: number }>;
}

const g = globalThis as unknown as { __afcPromCounters?: Map<string, Counter> };
const counters = (g.__afcPromCounters ??= new Map<string, Counter>());

/** Labels are bounded by what the console knows (configured regions, SDK operation names, action names). */
function inc(name: string, help: string, labels: Labels, by = 1): void {
  let c = counters.get(name);
  if (!c) counters.set(name, (c = { help, values: new Map() }));
  const key = JSON.stringify(Object.entries(labels).sort());
  const v = c.values.get(key);
  if (v) v.value += by;
  else c.values.set(key, { labels, value: by });
}

export function countAwsCall(service: string, operation: string, region: string, outcome: 'ok' | 'error' | 'throttled'): void {
  inc('afc_aws_calls_total', 'AWS API calls made by the console (one per SDK send, after retries), by outcome.', { service, operation, region, outcome });
}

export function countAwsThrottle(service: string, operation: string, region: string): void {
  inc('afc_aws_throttles_total', 'AWS HTTP attempts answered with a throttling error (the SDK may have retried them).', { service, operation, region });
}

export function countAction(action: string, outcome: string): void {
  inc('afc_actions_total', 'Server actions run through the action wrapper, by outcome (succeeded, or the refusal/failure code).', { action, outcome: outcome.slice(0, 40) });
}

export function countSigninFailure(reason: 'wrong' | 'locked' | 'disabled' | 'missing' | 'oidc-refused' | 'error'): void {
  inc('afc_signin_failures_total', 'Refused or failed sign-ins, by reason.', { reason });
}

export function counterValue(name: string, labels: Labels = {}): number {
  let n = 0;
  for (const v of counters.get(name)?.values.values() ?? []) if (Object.entries(labels).every(([k, x]) => v.labels[k] === x)) n += v.value;
  return n;
}

const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

export interface Gauge {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: { labels?: Labels; value: number }[];
}

/** Prometheus text exposition format 0.0.4. */
export function renderPrometheus(extra: Gauge[] = []): string {
  const out: string[] = [];
  const series = (name: string, labels: Labels | undefined, value: number) => {
    const l = labels && Object.keys(labels).length ? `{${Object.entries(labels).map(([k, v]) => `${k}="${esc(v)}"`).join(',')}}` : '';
    out.push(`${name}${l} ${Number.isFinite(value) ? value : 0}`);
  };
  const known: Gauge[] = [
    { name: 'afc_aws_calls_total', help: '', type: 'counter', samples: [] },
    { name: 'afc_aws_throttles_total', help: '', type: 'counter', samples: [] },
    { name: 'afc_actions_total', help: '', type: 'counter', samples: [] },
    { name: 'afc_signin_failures_total', help: '', type: 'counter', samples: [] },
  ];
  for (const k of known) {
    const c = counters.get(k.name);
    const help = c?.help ?? HELP[k.name];
    out.push(`# HELP ${k.name} ${help}`, `# TYPE ${k.name} counter`);
    for (const v of [...(c?.values.values() ?? [])].sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)))) series(k.name, v.labels, v.value);
  }
  for (const x of extra) {
    out.push(`# HELP ${x.name} ${x.help}`, `# TYPE ${x.name} ${x.type}`);
    for (const s of x.samples) series(x.name, s.labels, s.value);
  }
  return out.join('\n') + '\n';
}

const HELP: Record<string, string> = {
  afc_aws_calls_total: 'AWS API calls made by the console (one per SDK send, after retries), by outcome.',
  afc_aws_throttles_total: 'AWS HTTP attempts answered with a throttling error (the SDK may have retried them).',
  afc_actions_total: 'Server actions run through the action wrapper, by outcome (succeeded, or the refusal/failure code).',
  afc_signin_failures_total: 'Refused or failed sign-ins, by reason.',
};
