/** Only same-site paths are allowed as a post-sign-in destination (no open redirects): see lib/auth/safe-redirect.ts. */
export { safeCallbackUrl } from '@/lib/auth/safe-redirect';
