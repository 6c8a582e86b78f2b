import Link from 'next/link';
import { redirect } from 'next/navigation';
import { Suspense, type ReactNode } from 'react';
import { getSession } from '@/lib/auth/session';
import { getEnv } from '@/lib/env';
import { NavLinks } from './_components/nav-links';
import { RegionSwitcher } from './_components/region-switcher';
import { SignOutButton } from './_components/sign-out-button';

export const dynamic = 'force-dynamic';

/** The console shell: every page below needs a session (each page and action still checks for itself). */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await getSession();
  if (!user) redirect('/login');
  const env = getEnv();

  return (
    <div className="min-h-screen">
      <header className="sticky top-0 z-20 border-b border-zinc-200 bg-white/95 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/95">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-3 py-2 sm:px-6">
          <Link href="/" className="text-sm font-semibold whitespace-nowrap">
            Aurora Fleet Console
          </Link>
          <NavLinks />
          <div className="ml-auto flex flex-wrap items-center gap-3">
            <Suspense fallback={null}>
              <RegionSwitcher regions={env.regions} />
            </Suspense>
            <span data-testid="current-user" className="text-sm whitespace-nowrap text-zinc-700 dark:text-zinc-300">
              {user.username} · {user.role}
            </span>
            <SignOutButton />
          </div>
        </div>
        {env.backend === 'local' ? (
          <p
            role="note"
            data-testid="local-endpoint-banner"
            className="border-t border-amber-300 bg-amber-50 px-3 py-1 text-center text-xs text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
          >
            <strong>Local endpoint, not AWS — each cluster page says whether a real engine runs it</strong> · <span className="font-mono">{env.emulator.url}</span>
          </p>
        ) : null}
      </header>
      <div className="mx-auto max-w-7xl">{children}</div>
    </div>
  );
}
