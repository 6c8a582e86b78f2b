import 'server-only';
import type { NextAuthOptions, User } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { getEnv, type OidcRoleRule } from '@/lib/env';
import { appendAudit } from '@/lib/audit/log';
import { log } from '@/lib/log';
import { burnPasswordCheck, verifyPassword } from './password';
import { lockMessage, lockState, pruneAttempts, recordAttempt } from './rate-limit';
import { getPasswordHash, getUserById, getUserByName, normaliseUsername, touchLastLogin, upsertOidcUser } from './users';
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

function clientIp(headers: Headers): string {
  const h = (name: string) => {
    const v = headers?.[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const xff = h('x-forwarded-for');
  const ip = (xff ? xff.split(',')[0] : h('x-real-ip')) ?? '';
  return ip.trim().slice(0, 64) || 'unknown';
}

/**
 * Credentials sign-in against the users table. Returns the user or throws an Error whose message is shown to the
 * person (next-auth passes it through as `error`). Every outcome is audited as 'auth.signin'.
 */
export async function authorizeCredentials(input: { username?: string; password?: string; ip: string }, now = Date.now()): Promise<User> {
  const username = normaliseUsername(input.username ?? '').slice(0, 200);
  const password = String(input.password ?? '');
  const ip = input.ip;
  if (!username || !password) throw new Error(SIGNIN_MESSAGES.missing);

  const audit = (phase: 'succeeded' | 'failed' | 'refused', role: Role | 'anonymous', error?: string) =>
    appendAudit({ actor: username, role, action: 'auth.signin', params: { ip, method: 'password' }, phase, error });

  const [userLock, ipLock] = await Promise.all([lockState('user', username, now), lockState('ip', ip, now)]);
  if (userLock.locked || ipLock.locked) {
    const msg = lockMessage(Math.max(userLock.retryAt ?? 0, ipLock.retryAt ?? 0), now);
    await audit('refused', 'anonymous', msg);
    throw new Error(msg);
  }

  const rec = await getPasswordHash(username);
  let ok = false;
  if (rec?.hash) ok = await verifyPassword(password, rec.hash);
  else await burnPasswordCheck(password); // unknown user or OIDC-only user: same time as a real check

  if (!rec || !ok) {
    await recordAttempt('user', username, false, now);
    await recordAttempt('ip', ip, false, now);
    await audit('failed', 'anonymous', SIGNIN_MESSAGES.wrong);
    if (Math.random() < 0.05) void pruneAttempts(now).catch(() => undefined);
    throw new Error(SIGNIN_MESSAGES.wrong);
  }
  // Only after the password is right do we say the account is disabled (guessers learn nothing).
  if (rec.user.disabled) {
    await audit('refused', rec.user.role, SIGNIN_MESSAGES.disabled);
    throw new Error(SIGNIN_MESSAGES.disabled);
  }
  await recordAttempt('user', username, true, now);
  await touchLastLogin(rec.user.id);
  await audit('succeeded', rec.user.role);
  return { id: rec.user.id, name: rec.user.username };
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
          if (u) token.uid = u.id;
        } else if (user) {
          token.uid = user.id;
        }
        return token;
      },
      async session({ session, token }) {
        // Only the user id travels; role and name are re-read from the database by getSession().
        return { expires: session.expires, uid: typeof token.uid === 'string' ? token.uid : undefined } as unknown as typeof session;
      },
    },
    events: {
      async signOut({ token }) {
        const uid = typeof token?.uid === 'string' ? token.uid : undefined;
        const u = uid ? await getUserById(uid) : undefined;
        if (u) await appendAudit({ actor: u.username, role: u.role, action: 'auth.signout', phase: 'succeeded' }).catch(() => undefined);
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
