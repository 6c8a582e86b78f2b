import { NextResponse, type NextRequest } from 'next/server';
import { malformedPathMessage } from '@/lib/http/path';

/**
 * 1. A path with a malformed percent-encoding (`/clusters/us-east-1/%ff`) is refused here with a 400 and a
 *    message: Next's router cannot decode it and would answer 500. Pages and API routes alike.
 * 2. Convenience only: send people without a session cookie to /login. It does NOT check the session
 *    (every page, action and route does that itself via lib/auth/session).
 */
const SESSION_COOKIES = ['next-auth.session-token', '__Secure-next-auth.session-token'];

export function proxy(req: NextRequest) {
  const malformed = malformedPathMessage(req.nextUrl.pathname);
  if (malformed) {
    const headers = { 'cache-control': 'no-store' };
    if (req.nextUrl.pathname.startsWith('/api/')) return NextResponse.json({ error: malformed, code: 'BAD_PATH_PARAMETER' }, { status: 400, headers });
    return new NextResponse(`400 Bad Request\n\n${malformed}\n`, { status: 400, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' } });
  }
  if (req.nextUrl.pathname.startsWith('/api/')) return NextResponse.next();
  // Server actions answer for themselves (an UNAUTHENTICATED result), so never redirect them.
  if (req.headers.has('next-action')) return NextResponse.next();
  const hasCookie = req.cookies.getAll().some((c) => SESSION_COOKIES.some((n) => c.name === n || c.name.startsWith(`${n}.`)));
  if (hasCookie) return NextResponse.next();
  const url = req.nextUrl.clone();
  const callbackUrl = req.nextUrl.pathname + req.nextUrl.search;
  url.pathname = '/login';
  url.search = callbackUrl && callbackUrl !== '/' ? `?callbackUrl=${encodeURIComponent(callbackUrl)}` : '';
  return NextResponse.redirect(url);
}

export const config = {
  // Pages (not the sign-in page, not Next's assets or public files) for both steps; the API for step 1 only.
  matcher: ['/api/:path*', '/((?!api/|login|_next/|favicon\\.ico|robots\\.txt|.*\\.(?:png|jpg|jpeg|svg|ico|webp|css|js|map|txt)$).*)'],
};
