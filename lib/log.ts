/**
 * A tiny server logger: one JSON line per event, secrets redacted.
 * Any field whose key looks like a secret (password, secret, token, key, authorization, cookie) is replaced
 * by "[redacted]", recursively; AWS access key ids and bearer tokens inside strings are masked too.
 */

export const SECRET_KEY_RE = /password|secret|token|key|authorization|cookie|credential/i;

const STRING_PATTERNS: [RegExp, string][] = [
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '[redacted-access-key]'],
  [/\bBearer\s+[A-Za-z0-9._~+/-]+=*/gi, 'Bearer [redacted]'],
  [/\b(password|passwd|secret|token)(["']?\s*[:=]\s*["']?)[^\s"'&,;]+/gi, '$1$2[redacted]'],
];

export function redactString(s: string): string {
  let out = s;
  for (const [re, rep] of STRING_PATTERNS) out = out.replace(re, rep);
  return out;
}

/** Deep copy of `value` with secret-looking keys replaced by "[redacted]". */
export function redactSecrets(value: unknown, keyRe: RegExp = SECRET_KEY_RE, depth = 0): unknown {
  if (depth > 8) return '[truncated]';
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, keyRe, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = keyRe.test(k) ? '[redacted]' : redactSecrets(v, keyRe, depth + 1);
    }
    return out;
  }
  return value;
}

type Level = 'debug' | 'info' | 'warn' | 'error';

function describeError(e: unknown): Record<string, unknown> {
  if (e instanceof Error) {
    return {
      name: e.name,
      message: redactString(e.message),
      // Stack frames hold file paths and line numbers, not data; keep them for debugging server-side only.
      stack: e.stack ? redactString(e.stack.split('\n').slice(0, 8).join('\n')) : undefined,
    };
  }
  return { message: redactString(String(e)) };
}

let verbose = false;
/** Turn debug lines on or off (off by default). */
export function setVerbose(on: boolean) {
  verbose = on;
}

function emit(level: Level, msg: string, fields?: Record<string, unknown>) {
  if (level === 'debug' && !verbose) return;
  const f = fields ? { ...fields } : {};
  if ('err' in f) f.err = describeError(f.err);
  const line = JSON.stringify({ t: new Date().toISOString(), level, msg: redactString(msg), ...(redactSecrets(f) as object) });
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => emit('debug', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => emit('info', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => emit('warn', msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => emit('error', msg, fields),
};
