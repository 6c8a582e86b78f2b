'use client';
import { useState, type FormEvent } from 'react';
import { signIn } from 'next-auth/react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { useHydrated } from '@/components/ui/use-hydrated';

const WRONG = 'Wrong username or password.';

export function LoginForm({ callbackUrl, initialError, oidc }: { callbackUrl: string; initialError?: string; oidc: boolean }) {
  const [error, setError] = useState<string | undefined>(initialError);
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const fd = new FormData(e.currentTarget);
    const username = String(fd.get('username') ?? '').trim();
    const password = String(fd.get('password') ?? '');
    if (!username || !password) {
      setError('Enter your username and password.');
      return;
    }
    setPending(true);
    setError(undefined);
    try {
      const res = await signIn('credentials', { redirect: false, username, password, callbackUrl });
      if (!res || res.error) {
        const msg = res?.error;
        setError(!msg || msg === 'CredentialsSignin' ? WRONG : msg);
        setPending(false);
        return;
      }
      // A full navigation so every server component renders with the new session cookie.
      window.location.assign(callbackUrl);
    } catch {
      setError('Could not reach the console. Check your connection and try again.');
      setPending(false);
    }
  }

  return (
    <div className="space-y-4 rounded border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      {/* method=post: even a submit before hydration never puts the password in a URL */}
      <form onSubmit={onSubmit} method="post" action="/login" className="space-y-3" noValidate>
        <div className="space-y-1">
          <label htmlFor="username" className="block text-sm font-medium">
            Username
          </label>
          <Input id="username" name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} required autoFocus invalid={!!error} />
        </div>
        <div className="space-y-1">
          <label htmlFor="password" className="block text-sm font-medium">
            Password
          </label>
          <Input id="password" name="password" type="password" autoComplete="current-password" required invalid={!!error} />
        </div>
        <div aria-live="assertive" data-testid="login-error" className="min-h-5 text-sm text-red-700 dark:text-red-400">
          {error}
        </div>
        <Button type="submit" variant="primary" className="w-full" disabled={pending || !hydrated}>
          {pending ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
      {oidc ? (
        <>
          <div className="flex items-center gap-2 text-xs text-zinc-500">
            <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
            or
            <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
          </div>
          <Button className="w-full" disabled={!hydrated} onClick={() => void signIn('oidc', { callbackUrl })}>
            Sign in with single sign-on
          </Button>
        </>
      ) : null}
    </div>
  );
}
