import Link from 'next/link';
import type { AppError } from '@/lib/errors';

/** The page shown for an address the console refuses: a region outside AFC_REGIONS, a malformed or impossible id. */
export function AddressRefusal({ error }: { error: AppError }) {
  const title = error.code === 'INVALID_REGION' ? 'Region not configured' : error.status === 404 ? 'Not found' : 'Bad address';
  return (
    <main className="mx-auto max-w-3xl space-y-3 p-3 sm:p-6">
      <h1 className="text-xl font-semibold">
        {title} <span className="text-base font-normal text-zinc-500">({error.status})</span>
      </h1>
      <p role="alert" data-testid="address-refusal" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm break-words text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
        {error.message}
      </p>
      <Link href="/" className="text-sm text-sky-700 underline dark:text-sky-400">
        Back to the fleet
      </Link>
    </main>
  );
}
