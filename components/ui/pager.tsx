import Link from 'next/link';
import type { PageOf } from '@/lib/http/list-query';

/** "Showing 51–100 of 1,000 · ‹ Previous · Page 2 of 20 · Next ›" as plain links (the page number is in the URL). */
export function Pager({ page, hrefFor, label }: { page: Pick<PageOf<unknown>, 'page' | 'pages' | 'total' | 'from' | 'to'>; hrefFor: (p: number) => string; label: string }) {
  const { page: p, pages, total, from, to } = page;
  return (
    <nav aria-label={`${label} pages`} className="flex flex-wrap items-center gap-3 text-sm text-zinc-600 dark:text-zinc-400" data-testid="pager">
      <span data-testid="pager-range">
        {total === 0 ? 'No rows' : `Showing ${from.toLocaleString('en-US')}–${to.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`}
      </span>
      {pages > 1 ? (
        <>
          {p > 1 ? (
            <Link href={hrefFor(p - 1)} rel="prev" className="text-sky-700 hover:underline dark:text-sky-400">
              ‹ Previous
            </Link>
          ) : (
            <span className="text-zinc-400">‹ Previous</span>
          )}
          <span aria-current="page">
            Page {p} of {pages}
          </span>
          {p < pages ? (
            <Link href={hrefFor(p + 1)} rel="next" className="text-sky-700 hover:underline dark:text-sky-400">
              Next ›
            </Link>
          ) : (
            <span className="text-zinc-400">Next ›</span>
          )}
        </>
      ) : null}
    </nav>
  );
}

/** Notices about the address (bad page number, unknown filter…): a status line, not an error page. */
export function ListNotices({ notices }: { notices: (string | undefined)[] }) {
  const shown = notices.filter((n): n is string => !!n);
  if (!shown.length) return null;
  return (
    <p role="status" data-testid="list-notice" className="rounded bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
      {shown.join(' ')}
    </p>
  );
}
