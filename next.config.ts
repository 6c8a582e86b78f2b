import type { NextConfig } from 'next';

const isProd = process.env.NODE_ENV === 'production';

// Security headers for every response. The CSP keeps 'unsafe-eval' out of production builds
// (React's dev tooling needs it in development only).
const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isProd ? '' : " 'unsafe-eval'"}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
  "base-uri 'self'",
  "object-src 'none'",
].join('; ');

const nextConfig: NextConfig = {
  poweredByHeader: false,
  serverExternalPackages: ['better-sqlite3'],
  // forbidden() from next/navigation: a role-restricted page answers 403 with app/(console)/**/forbidden.tsx.
  experimental: { authInterrupts: true },
  // `npm test` typechecks the whole project (tsc --noEmit) as its first step; the build does not
  // repeat it, which saves a minute per build on a 2-core machine and keeps `npm start` independent
  // of test-only files.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'Content-Security-Policy', value: csp },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
        ],
      },
    ];
  },
};

export default nextConfig;
