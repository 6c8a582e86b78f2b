// Test support: real console instances (`next start` of the build in .next) as child processes, and a small
// HTTP client that signs in with next-auth's credentials flow, calls server actions the way React does, and
// keeps its cookies. Used by scripts/multi-instance.test.ts (several instances on one PostgreSQL).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface ConsoleInstance {
  name: string;
  url: string;
  child: ChildProcess;
  logFile: string;
  /** SIGKILL the whole process group (no shutdown hooks run). */
  kill9(): void;
  stop(): Promise<void>;
}

export function assertBuilt(): void {
  if (!existsSync(path.join(ROOT, '.next', 'BUILD_ID'))) throw new Error('No production build in .next: run `npx next build` first');
}

export async function startConsoleInstance(name: string, port: number, env: Record<string, string>, logDir: string): Promise<ConsoleInstance> {
  const logFile = path.join(logDir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', PORT: String(port), ...env },
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const inst: ConsoleInstance = {
    name,
    url,
    child,
    logFile,
    kill9: () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      const t = setTimeout(() => inst.kill9(), 5_000);
      await exited;
      clearTimeout(t);
    },
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) return inst;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      inst.kill9();
      throw new Error(`${name} did not answer /api/health within 60 s:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The id of a server action in the build (from .next/server/server-reference-manifest.json). */
export function serverActionId(exportedName: string): string {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, '.next/server/server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { exportedName?: string }>;
  };
  const hit = Object.entries(manifest.node).find(([, v]) => v.exportedName === exportedName);
  if (!hit) throw new Error(`server action ${exportedName} not in the build manifest`);
  return hit[0];
}

/** A browser-like HTTP client: cookies per origin-less jar (the instances share one site behind a proxy). */
export class ConsoleClient {
  private cookies = new Map<string, string>();
  constructor(private readonly forwardedFor?: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  copyCookiesFrom(other: ConsoleClient): void {
    this.cookies = new Map(other.cookies);
  }

  hasSessionCookie(): boolean {
    return [...this.cookies.keys()].some((k) => k.includes('session-token'));
  }

  async request(base: string, pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', this.cookieHeader());
    if (this.forwardedFor) headers.set('x-forwarded-for', this.forwardedFor);
    const res = await fetch(`${base}${pathname}`, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const k = pair.slice(0, i).trim();
      const v = pair.slice(i + 1).trim();
      if (!v || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(k);
      else this.cookies.set(k, v);
    }
    return res;
  }

  private async csrf(base: string): Promise<string> {
    const r = await this.request(base, '/api/auth/csrf');
    return ((await r.json()) as { csrfToken: string }).csrfToken;
  }

  /** next-auth credentials sign-in; `error` is the message the sign-in page would show. */
  async signIn(base: string, username: string, password: string): Promise<{ signedIn: boolean; error: string | null }> {
    const csrfToken = await this.csrf(base);
    const res = await this.request(base, '/api/auth/callback/credentials', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password, csrfToken, callbackUrl: '/', json: 'true' }),
    });
    const body = (await res.json().catch(() => ({}))) as { url?: string };
    const loc = body.url ?? res.headers.get('location') ?? '';
    const error = loc ? new URL(loc, base).searchParams.get('error') : null;
    return { signedIn: !error && this.hasSessionCookie(), error };
  }

  async signOut(base: string): Promise<void> {
    const csrfToken = await this.csrf(base);
    await this.request(base, '/api/auth/signout', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrfToken, callbackUrl: '/', json: 'true' }),
    });
  }

  /** Call `action(prevState, formData)` as React does (multipart: fields "_1_…", then the root "0"). Returns the RSC text. */
  async action(base: string, page: string, exportedName: string, fields: Record<string, string>): Promise<{ status: number; text: string }> {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(`_1_${k}`, v);
    body.append('0', JSON.stringify([null, '$K1']));
    const res = await this.request(base, page, { method: 'POST', headers: { 'Next-Action': serverActionId(exportedName), Origin: base, Accept: 'text/x-component' }, body });
    return { status: res.status, text: await res.text() };
  }
}

/** The action's result object out of the RSC payload (the row that carries `"ok":`). */
export function actionResult(text: string): { ok: boolean; code?: string; error?: string } | undefined {
  for (const line of text.split('\n')) {
    const m = /^[0-9a-f]+:(\{.*"ok":(true|false).*)$/.exec(line);
    if (!m) continue;
    const body = m[1].slice(0, m[1].lastIndexOf('}') + 1);
    try {
      return JSON.parse(body) as { ok: boolean; code?: string; error?: string };
    } catch {
      // A row with references React resolves later: read the fields that matter.
      const field = (k: string) => new RegExp(`"${k}":"((?:[^"\\\\]|\\\\.)*)"`).exec(body)?.[1];
      return { ok: m[2] === 'true', code: field('code'), error: field('error') };
    }
  }
  return undefined;
}

/** Run `tasks` with at most `limit` in flight (many concurrent requests without exhausting sockets). */
export async function inParallel<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]();
      }
    }),
  );
  return out;
}
