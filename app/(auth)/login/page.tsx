import { redirect } from 'next/navigation';
import { getSession } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';
import { SIGNIN_MESSAGES } from '@/lib/auth/options';
import { LoginForm } from './login-form';
import { safeCallbackUrl } from './safe-callback';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Sign in · Aurora Fleet Console' };

type SearchParams = Record<string, string | string[] | undefined>;

/** next-auth error codes that can reach this page through a redirect, in words a person can act on. */
const ERRORS: Record<string, string> = {
  CredentialsSignin: 'Wrong username or password.',
  SessionRequired: 'Sign in to continue.',
  AccessDenied: 'Sign-in was refused.',
  OAuthSignin: 'Could not reach the identity provider. Try again.',
  OAuthCallback: 'The identity provider sign-in did not complete. Try again.',
  Configuration: 'Sign-in is misconfigured on the server. Ask an admin to check the console logs.',
  Default: 'Sign-in failed. Try again.',
};

export default async function LoginPage(props: { searchParams: Promise<SearchParams> }) {
  const sp = await props.searchParams;
  const env = getEnv();
  // Same-origin paths only (absolute URLs only on the console's public origin, NEXTAUTH_URL).
  const callbackUrl = safeCallbackUrl(typeof sp.callbackUrl === 'string' ? sp.callbackUrl : undefined, env.publicUrl);
  if (await getSession()) redirect(callbackUrl);
  const rawError = typeof sp.error === 'string' ? sp.error : undefined;
  // Only our own sign-in messages are shown verbatim (a crafted ?error= cannot put arbitrary text on this page).
  const own = (Object.values(SIGNIN_MESSAGES) as string[]).includes(rawError ?? '') || /^Too many failed sign-in attempts\. This sign-in is locked; try again in \d+ minutes?\.$/.test(rawError ?? '');
  const error = rawError ? (ERRORS[rawError] ?? (own ? rawError : ERRORS.Default)) : undefined;

  return (
    <main className="flex min-h-screen items-start justify-center px-4 pt-[12vh]">
      <div className="w-full max-w-sm space-y-5">
        <div className="space-y-1 text-center">
          <h1 className="text-xl font-semibold">Aurora Fleet Console</h1>
          <p className="text-sm text-zinc-500 dark:text-zinc-400">Sign in to manage your Aurora clusters.</p>
        </div>
        {env.backend === 'local' ? (
          <p className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-center text-xs text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
            Local endpoint, not AWS — each cluster page says whether a real engine runs it
          </p>
        ) : null}
        <LoginForm callbackUrl={callbackUrl} initialError={error} oidc={!!env.oidc} />
      </div>
    </main>
  );
}
