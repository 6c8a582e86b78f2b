'use client';
import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { Button } from '@/components/ui/button';
import { useHydrated } from '@/components/ui/use-hydrated';

/**
 * next-auth's own sign-out request (what `signOut()` from next-auth/react sends: the CSRF token, then a
 * form POST to /api/auth/signout, which clears the session cookie). Written out here because importing
 * next-auth/react for this one call adds its whole client (session provider, broadcast, logger) to the
 * first-load JS of every console page.
 */
async function signOutRequest(): Promise<boolean> {
  const csrf = await fetch('/api/auth/csrf', { cache: 'no-store' });
  const { csrfToken } = (await csrf.json()) as { csrfToken?: string };
  if (!csrfToken) return false;
  const res = await fetch('/api/auth/signout', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrfToken, callbackUrl: '/login', json: 'true' }),
  });
  // With json=true next-auth answers 200 { url } either way; a refused CSRF token sends the user back to
  // the sign-out page (…/signout?csrf=true) instead of the callback, and nothing was cleared.
  const body = (await res.json().catch(() => null)) as { url?: string } | null;
  return res.ok && typeof body?.url === 'string' && !body.url.includes('csrf=true');
}

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);
  const router = useRouter();
  const hydrated = useHydrated();
  return (
    <>
      <Button
        size="sm"
        disabled={pending || !hydrated}
        onClick={async () => {
          setPending(true);
          setFailed(false);
          const ok = await signOutRequest().catch(() => false);
          if (!ok) {
            setPending(false);
            setFailed(true);
            return;
          }
          router.replace('/login');
          router.refresh();
        }}
      >
        Sign out
      </Button>
      {failed ? (
        <span role="alert" className="text-xs text-red-700 dark:text-red-400">
          Sign-out failed; try again.
        </span>
      ) : null}
    </>
  );
}
