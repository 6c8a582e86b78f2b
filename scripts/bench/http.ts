// HTTP helpers for the bench: a signed-in session (next-auth credentials flow), timed page loads,
// and the local endpoint's control API (counters, faults, seed).

export class Session {
  private cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Name/value pairs, for a browser context. */
  cookieList(): { name: string; value: string }[] {
    return [...this.cookies].map(([name, value]) => ({ name, value }));
  }

  private remember(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      if (i > 0) this.cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
  }

  async fetch(pathOrUrl: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', this.cookieHeader());
    const res = await fetch(new URL(pathOrUrl, this.baseUrl), { ...init, headers, redirect: 'manual' });
    this.remember(res);
    return res;
  }

  async signIn(username: string, password: string): Promise<void> {
    const csrfRes = await this.fetch('/api/auth/csrf');
    const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
    const body = new URLSearchParams({ csrfToken, username, password, callbackUrl: `${this.baseUrl}/`, json: 'true' });
    const res = await this.fetch('/api/auth/callback/credentials', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    await res.arrayBuffer();
    if (![...this.cookies.keys()].some((k) => k.includes('session-token'))) {
      throw new Error(`Sign-in as ${username} failed (HTTP ${res.status}, no session cookie).`);
    }
    // The session must be usable: a protected page answers 200 (without a session it redirects to /login).
    const probe = await this.fetch('/audit');
    await probe.arrayBuffer();
    if (probe.status !== 200) throw new Error(`Signed in, but a protected page answers HTTP ${probe.status}.`);
  }

  /** GET a page or route, read the whole body; throws on a non-2xx (a redirect to /login means no session). */
  async timedGet(path: string): Promise<{ ms: number; status: number; body: string }> {
    const t = performance.now();
    const res = await this.fetch(path);
    const body = await res.text();
    const ms = performance.now() - t;
    if (res.status < 200 || res.status >= 300) throw new Error(`GET ${path}: HTTP ${res.status} ${body.slice(0, 200)}`);
    return { ms, status: res.status, body };
  }
}

export class Control {
  constructor(readonly url: string) {}

  private async call(method: string, path: string, body?: unknown): Promise<any> {
    const res = await fetch(`${this.url}/_emulator/${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} /_emulator/${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : {};
  }

  reset = () => this.call('POST', 'reset');
  seedLarge = (clusters: number, maxInstances: number, regions: string[]) =>
    this.call('POST', 'seed', { profile: 'large', clusters, maxInstances, regions }) as Promise<{ clusters: number }>;
  latency = (latencyMs: number) => this.call('POST', 'faults', { operation: '*', latencyMs });
  clearFaults = () => this.call('DELETE', 'faults');
  resetCounters = () => this.call('POST', 'counters/reset');
  durations = async () => ((await this.call('GET', 'config/durations')) as { durations: Record<string, number> }).durations;

  /** Total calls per operation across services, and metrics requested. */
  async counters(): Promise<{ ops: Record<string, number>; total: number; metricsRequested: number }> {
    const b = (await this.call('GET', 'counters')) as { counters: Record<string, Record<string, number>>; metricsRequested: number };
    const ops: Record<string, number> = {};
    let total = 0;
    for (const byOp of Object.values(b.counters)) {
      for (const [op, n] of Object.entries(byOp)) {
        ops[op] = (ops[op] ?? 0) + n;
        total += n;
      }
    }
    return { ops, total, metricsRequested: b.metricsRequested };
  }
}

export function stats(samples: number[]): { median: number; p95: number; min: number; max: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { median: s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2, p95: q(0.95), min: s[0], max: s[s.length - 1], n: s.length };
}

export function opsSummary(ops: Record<string, number>): string {
  return Object.entries(ops)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
}
