import { NextResponse, type NextRequest } from 'next/server';

/**
 * Convenience only: send people without a session cookie to /login. It does NOT check the session
 * (every page, action and route does that itself via lib/auth/session).
 */
const SESSION_COOKIES = ['next-auth.session-token', '__Secure-next-auth.session-token'];

export function proxy(req: NextRequest) {
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
  // Pages only: not the API, not the sign-in page, not Next's assets or public files.
  matcher: ['/((?!api/|login|_next/|favicon\\.ico|robots\\.txt|.*\\.(?:png|jpg|jpeg|svg|ico|webp|css|js|map|txt)$).*)'],
};
