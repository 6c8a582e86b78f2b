/** Only same-site paths are allowed as a post-sign-in destination (no open redirects). */
export function safeCallbackUrl(raw: string | undefined | null): string {
  if (!raw) return '/';
  let v = raw;
  try {
    // Absolute URLs pointing at this site are reduced to their path by the caller's origin check; others refused.
    if (/^https?:\/\//i.test(v)) {
      const u = new URL(v);
      v = u.pathname + u.search + u.hash;
    }
  } catch {
    return '/';
  }
  if (!v.startsWith('/') || v.startsWith('//') || v.startsWith('/\\') || v.startsWith('/login') || v.startsWith('/api/')) return '/';
  return v;
}
