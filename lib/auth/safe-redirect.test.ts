import { describe, expect, it } from 'vitest';
import { safeCallbackUrl, safeRedirect } from './safe-redirect';
import { safeCallbackUrl as pageSafeCallbackUrl } from '@/app/(auth)/login/safe-callback';

const ORIGIN = 'https://console.example.com';

// Known open-redirect bypasses: each must come back as '/'.
const BYPASSES = [
  '//evil.com',
  '///evil.com',
  '/\\evil.com',
  '\\\\evil.com',
  '/%09/evil.com',
  '/%2F/evil.com',
  '/%2f%2fevil.com',
  '/%5cevil.com',
  '/%5Cevil.com',
  '/%255cevil.com',
  '\t//evil.com',
  '/\t/evil.com',
  '/\n/evil.com',
  '/%0a/evil.com',
  '/%0d/evil.com',
  '/%00/evil.com',
  ' //evil.com',
  '/ /evil.com',
  '\u3000//evil.com',
  'https:evil.com',
  'https:/evil.com',
  'https://evil.com',
  'http://console.example.com@evil.com/',
  'https://console.example.com.evil.com/',
  '//console.example.com@evil.com',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'java%0ascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'evil.com',
  '/.//evil.com',
  '/..//evil.com',
  '/a/../..//evil.com',
  'https://user:pw@console.example.com/x',
  '/login',
  '/login?callbackUrl=//evil.com',
  '/api/auth/signout',
  '',
];

describe('post-sign-in redirects stay on this console', () => {
  it.each(BYPASSES)('refuses %j', (raw) => {
    expect(safeCallbackUrl(raw, ORIGIN)).toBe('/');
    expect(safeCallbackUrl(raw)).toBe('/');
    expect(pageSafeCallbackUrl(raw)).toBe('/');
    expect(safeRedirect({ url: raw, baseUrl: ORIGIN }).startsWith(`${ORIGIN}/`)).toBe(true);
    expect(new URL(safeRedirect({ url: raw, baseUrl: ORIGIN })).origin).toBe(ORIGIN);
  });

  it('keeps same-origin paths, queries and hashes', () => {
    expect(safeCallbackUrl('/clusters/us-east-1/orders?tab=metrics#lag', ORIGIN)).toBe('/clusters/us-east-1/orders?tab=metrics#lag');
    expect(safeCallbackUrl('/audit?actor=a%20b', ORIGIN)).toBe('/audit?actor=a%20b');
    expect(safeCallbackUrl(`${ORIGIN}/health`, ORIGIN)).toBe('/health');
    expect(safeRedirect({ url: '/oncall', baseUrl: ORIGIN })).toBe(`${ORIGIN}/oncall`);
    expect(safeRedirect({ url: '/login', baseUrl: ORIGIN })).toBe(`${ORIGIN}/login`); // sign-out goes there
    expect(safeRedirect({ url: 'https://evil.com/x', baseUrl: ORIGIN })).toBe(`${ORIGIN}/`);
  });
});
