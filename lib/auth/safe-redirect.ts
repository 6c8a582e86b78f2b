/**
 * Where a person may be sent after signing in: a path on this console, nothing else (no open redirects).
 *
 * The value is refused (→ '/') when it, or any percent-decoding of its path, holds a control character, whitespace or a
 * backslash (browsers strip tab/newline and read `\` as `/`, which turns `/\evil.com` or `/%09/evil.com` into
 * `//evil.com`); otherwise it is resolved with `new URL` against the console's origin and kept only when the
 * origin is unchanged and the resulting path does not start with `//`. Sign-in and API paths go to '/'.
 */
const BAD_CHAR = /[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff\\]/;
const PLACEHOLDER_ORIGIN = 'http://console.invalid';

function decodings(raw: string): string[] {
  const out = [raw];
  let v = raw;
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(v); i++) {
    try {
      v = decodeURIComponent(v);
    } catch {
      // A malformed escape: decode what can be decoded byte by byte.
      v = v.replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    }
    out.push(v);
  }
  return out;
}

/** The same-origin path `raw` names, or undefined when it is anything else. */
export function sameOriginPath(raw: string | undefined | null, origin: string = PLACEHOLDER_ORIGIN): string | undefined {
  if (!raw || typeof raw !== 'string' || raw.length > 2048) return undefined;
  // Raw: nowhere. Percent-decoded: not in the path (a query may well hold an encoded space).
  if (BAD_CHAR.test(raw) || decodings(raw.replace(/[?#].*$/s, '')).some((v) => BAD_CHAR.test(v))) return undefined;
  let base: URL;
  let u: URL;
  try {
    base = new URL(origin);
    // Absolute URLs are accepted only for this console's own origin.
    if (!raw.startsWith('/') && !raw.toLowerCase().startsWith(`${base.origin.toLowerCase()}/`)) return undefined;
    u = new URL(raw, base.origin);
  } catch {
    return undefined;
  }
  if (u.origin !== base.origin || u.username || u.password) return undefined;
  const path = u.pathname + u.search + u.hash;
  if (!path.startsWith('/') || decodings(u.pathname).some((p) => p.startsWith('//'))) return undefined;
  return path;
}

/** The post-sign-in destination: a same-origin path, never the sign-in page or an API route; else '/'. */
export function safeCallbackUrl(raw: string | undefined | null, origin: string = PLACEHOLDER_ORIGIN): string {
  const path = sameOriginPath(raw, origin);
  if (!path) return '/';
  const p = path.replace(/[?#].*$/, '');
  if (p === '/login' || p.startsWith('/login/') || p.startsWith('/api/')) return '/';
  return path;
}

/** next-auth's `redirect` callback: the same rule, returning an absolute URL on the console's origin. */
export function safeRedirect({ url, baseUrl }: { url: string; baseUrl: string }): string {
  const origin = new URL(baseUrl).origin;
  return `${origin}${sameOriginPath(url, origin) ?? '/'}`;
}
