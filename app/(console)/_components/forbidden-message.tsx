import Link from 'next/link';
import { getSession } from '@/lib/auth/session';
import type { Role } from '@/lib/auth/permissions';

/** The 403 page body: which role is needed for what, and who is signed in. */
export async function ForbiddenMessage({ need, to }: { need?: Role; to?: string }) {
  const user = await getSession();
  const who = user ? `you are signed in as ${user.role}` : 'you are not signed in';
  const what = need && to ? `You need the ${need} role to ${to}` : 'Your role does not allow this page';
  return (
    <main className="mx-auto max-w-3xl space-y-3 p-3 sm:p-6">
      <h1 className="text-xl font-semibold">
        Not allowed <span className="text-base font-normal text-zinc-500">(403)</span>
      </h1>
      <p role="alert" data-testid="forbidden-message" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
        {what}; {who}
        {user ? ` (${user.username})` : ''}. Ask an admin if you need it.
      </p>
      <Link href="/" className="text-sm text-sky-700 underline dark:text-sky-400">
        Back to the fleet
      </Link>
    </main>
  );
}
