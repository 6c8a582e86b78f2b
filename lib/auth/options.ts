import 'server-only';
import type { NextAuthOptions, User } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getEnv, type OidcRoleRule } from '@/lib/env';
import { appendAudit } from '@/lib/audit/log';
import { log } from '@/lib/log';
import { burnPasswordCheck, verifyPassword } from './password';
import { countSigninFailure } from '@/lib/metrics/registry';
import { lockMessage, pruneAttempts, reserveSignin, signinSucceeded } from './rate-limit';
import { clientAddress, stampedPeer } from './client-address';
import { safeRedirect } from './safe-redirect';
import { checkToken, sessionUserOf } from './session-token';
import { getPasswordHash, getUserByName, normaliseUsername, revokeSessions, touchLastLogin, upsertOidcUser } from './users';
import type { Role } from './permissions';

/** JWT sessions expire after 8 hours. */
const SESSION_MAX_AGE_S = 8 * 60 * 60;

export const SIGNIN_MESSAGES = {
  wrong: 'Wrong username or password.',
  missing: 'Enter your username and password.',
  disabled: 'This account is disabled. Ask an admin to enable it.',
  oidcUnmapped: 'Your identity provider account has no role in this console. Ask an admin to map your group or email.',
} as const;

type Headers = Record<string, string | string[] | undefined> | undefined;

/** The client address for the per-address limit: the trusted-proxy rule of lib/auth/client-address.ts. */
let warnedNoPeer = false;
export function clientIp(headers: Headers): string {
  if (!stampedPeer(headers) && !warnedNoPeer) {
    warnedNoPeer = true;
    log.warn('sign-in: the request carries no stamped peer address (instrumentation.ts hook not installed); per-address limits share one bucket');
  }
  return clientAddress(headers, getEnv().trustedProxies).slice(0, 64);
}

/** Longest username or password looked at (longer input is refused as wrong, without hashing megabytes). */
const MAX_USERNAME = 64;
const MAX_PASSWORD = 1024;

/**
 * Credentials sign-in against the users table. Returns the user or throws an Error whose message is shown to the
 * person (next-auth passes it through as `error`). Every outcome is audited as 'auth.signin' (anonymous failures
 * are capped per address by appendAudit). The attempt is counted BEFORE the password is checked.
 */
export async function authorizeCredentials(input: { username?: string; password?: string; ip: string }, now = Date.now()): Promise<User> {
  const rawName = String(input.username ?? '');
  const username = normaliseUsername(rawName.slice(0, 4 * MAX_USERNAME)).slice(0, MAX_USERNAME);
  const password = String(input.password ?? '');
  const ip = String(input.ip || 'unknown').slice(0, 64);
  if (!username || !password) {
    countSigninFailure('missing');
    throw new Error(SIGNIN_MESSAGES.missing);
  }

  const audit = (phase: 'succeeded' | 'failed' | 'refused', role: Role | 'anonymous', error?: string) =>
    appendAudit({ actor: username, role, action: 'auth.signin', params: { ip, method: 'password' }, phase, error });

  const reservation = await reserveSignin(username, ip, now);
  if (!reservation.ok) {
    const msg = lockMessage(reservation.retryAt, now);
    countSigninFailure('locked');
    await audit('refused', 'anonymous', msg);
    throw new Error(msg);
  }

  const rec = rawName.length <= 4 * MAX_USERNAME && password.length <= MAX_PASSWORD ? await getPasswordHash(username) : undefined;
  let ok = false;
  if (rec?.hash) ok = await verifyPassword(password, rec.hash);
  else await burnPasswordCheck(password.slice(0, MAX_PASSWORD)); // unknown user or OIDC-only user: same time as a real check

  if (!rec || !ok) {
    countSigninFailure('wrong');
    await audit('failed', 'anonymous', SIGNIN_MESSAGES.wrong);
    if (Math.random() < 0.05) void pruneAttempts(now).catch(() => undefined);
    throw new Error(SIGNIN_MESSAGES.wrong);
  }
  // Only after the password is right do we say the account is disabled (guessers learn nothing).
  if (rec.user.disabled) {
    countSigninFailure('disabled');
    await audit('refused', rec.user.role, SIGNIN_MESSAGES.disabled);
    throw new Error(SIGNIN_MESSAGES.disabled);
  }
  await signinSucceeded(username, ip, now);
  await touchLastLogin(rec.user.id);
  await audit('succeeded', rec.user.role);
  return { id: rec.user.id, name: rec.user.username, sv: rec.user.sessionVersion } as User;
}

/** The role an OIDC identity gets: group rules first, then email rules, then `*`. Undefined = refused. */
export function mapOidcRole(rules: OidcRoleRule[], p: { email?: string; groups?: string[] }): Role | undefined {
  const groups = new Set((p.groups ?? []).map(String));
  const email = p.email?.toLowerCase();
  return (
    rules.find((r) => r.kind === 'group' && groups.has(r.value))?.role ??
    rules.find((r) => r.kind === 'email' && email !== undefined && r.value === email)?.role ??
    rules.find((r) => r.kind === 'any')?.role
  );
}

interface OidcProfile {
  sub: string;
  email?: string;
  preferred_username?: string;
  name?: string;
  groups?: string[] | string;
}

function oidcUsername(p: OidcProfile): string {
  return normaliseUsername(p.email ?? p.preferred_username ?? p.sub);
}
function oidcGroups(p: OidcProfile): string[] {
  return Array.isArray(p.groups) ? p.groups : typeof p.groups === 'string' ? p.groups.split(',') : [];
}

function oidcProvider(o: NonNullable<ReturnType<typeof getEnv>['oidc']>): OAuthConfig<OidcProfile> {
  return {
    id: 'oidc',
    name: 'Single sign-on',
    type: 'oauth',
    wellKnown: `${o.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`,
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    authorization: { params: { scope: 'openid email profile groups' } },
    idToken: true,
    checks: ['pkce', 'state'],
    profile: (p) => ({ id: p.sub, name: oidcUsername(p), email: p.email ?? null }),
  };
}

let cached: { secret: string; options: NextAuthOptions } | undefined;

export function getAuthOptions(): NextAuthOptions {
  const env = getEnv();
  if (cached && cached.secret === env.sessionSecret) return cached.options;
  const secure = env.publicUrl?.startsWith('https://') ?? false;
  const options: NextAuthOptions = {
    secret: env.sessionSecret,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_S, updateAge: 15 * 60 },
    jwt: { maxAge: SESSION_MAX_AGE_S },
    useSecureCookies: secure,
    cookies: {
      sessionToken: {
        name: `${secure ? '__Secure-' : ''}next-auth.session-token`,
        options: { httpOnly: true, sameSite: 'lax', path: '/', secure },
      },
    },
    pages: { signIn: '/login', error: '/login' },
    providers: [
      CredentialsProvider({
        id: 'credentials',
        name: 'Username and password',
        credentials: { username: { label: 'Username', type: 'text' }, password: { label: 'Password', type: 'password' } },
        authorize: (credentials, req) =>
          authorizeCredentials({ username: credentials?.username, password: credentials?.password, ip: clientIp(req?.headers as Headers) }),
      }),
      ...(env.oidc ? [oidcProvider(env.oidc)] : []),
    ],
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== 'oidc') return true;
        const p = profile as OidcProfile | undefined;
        if (!p?.sub) return false;
        const username = oidcUsername(p);
        const role = mapOidcRole(env.oidc?.roleMap ?? [], { email: p.email, groups: oidcGroups(p) });
        const base = { actor: username, action: 'auth.signin', params: { method: 'oidc', groups: oidcGroups(p).slice(0, 20) } } as const;
        if (!role) {
          countSigninFailure('oidc-refused');
          await appendAudit({ ...base, role: 'anonymous', phase: 'refused', error: SIGNIN_MESSAGES.oidcUnmapped });
          return `/login?error=${encodeURIComponent(SIGNIN_MESSAGES.oidcUnmapped)}`;
        }
        try {
          const u = await upsertOidcUser(username, role);
          if (u.disabled) {
            await appendAudit({ ...base, role, phase: 'refused', error: SIGNIN_MESSAGES.disabled });
            return `/login?error=${encodeURIComponent(SIGNIN_MESSAGES.disabled)}`;
          }
          await touchLastLogin(u.id);
          await appendAudit({ ...base, role, phase: 'succeeded' });
          return true;
        } catch (e) {
          const msg = e instanceof Error ? e.message : 'Sign-in failed.';
          await appendAudit({ ...base, role, phase: 'failed', error: msg });
          return `/login?error=${encodeURIComponent(msg)}`;
        }
      },
      async jwt({ token, user, account, profile }) {
        if (account?.provider === 'oidc' && profile) {
          const u = await getUserByName(oidcUsername(profile as OidcProfile));
          if (u) Object.assign(token, { uid: u.id, sv: u.sessionVersion });
          return token;
        }
        if (user) return Object.assign(token, { uid: user.id, sv: (user as { sv?: number }).sv ?? 0 });
        // Every later read of the session: one indexed read of the user row decides whether it still stands.
        return checkToken(token);
      },
      async session({ session, token }) {
        // Only the user id travels; role and name come from the row checkToken() read for this request.
        const user = sessionUserOf(token);
        return { expires: session.expires, uid: user?.id, sv: user ? token.sv : undefined, user } as unknown as typeof session;
      },
      redirect: safeRedirect,
    },
    events: {
      async signOut({ token }) {
        // Sign-out ends every session of the user at once: a copy of the cookie is useless from here on.
        const user = sessionUserOf(token) ?? (await checkToken(token).then(sessionUserOf));
        if (!user) return;
        await revokeSessions(user.id);
        await appendAudit({ actor: user.username, role: user.role, action: 'auth.signout', phase: 'succeeded' }).catch(() => undefined);
      },
    },
    logger: {
      error: (code, metadata) => log.error(`next-auth ${code}`, { detail: metadata instanceof Error ? metadata.message : undefined }),
      warn: (code) => log.warn(`next-auth ${code}`),
      debug: () => undefined,
    },
  };
  cached = { secret: env.sessionSecret, options };
  return options;
}
