import Link from 'next/link';

/** A cluster page (or its Query page) that cannot show the cluster: why, and the way back to the fleet. */
export function PageMessage({ testId, children }: { testId: string; children: React.ReactNode }) {
  return (
    <main className="mx-auto max-w-5xl space-y-2 p-3 sm:p-6">
      <div role="alert" data-testid={testId} className="space-y-2 rounded border border-zinc-300 p-4">
        {children}
        <Link href="/" className="block text-sky-700 underline dark:text-sky-400">
          Back to the fleet
        </Link>
      </div>
    </main>
  );
}
