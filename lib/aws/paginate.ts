import 'server-only';
import { AppError } from '@/lib/errors';

/** The most pages one Marker-paged describe may read before it stops with an error (a runaway guard). */
export const MAX_PAGES = 100;

/**
 * Reads every page of a Marker-paged RDS describe: `fetchPage(marker)` sends one request and returns the page's
 * items and the next Marker. Items are returned in the order the pages gave them; `onPage` sees each raw page
 * (e.g. to keep the first request id). `stopAfterPages` caps a listing whose first pages are enough: it returns
 * what those pages held instead of failing at MAX_PAGES.
 */
export async function collectPages<Page extends { Marker?: string }, Item>(
  fetchPage: (marker: string | undefined) => Promise<Page>,
  itemsOf: (page: Page) => readonly Item[] | undefined,
  onPage?: (page: Page) => void,
  stopAfterPages?: number,
): Promise<Item[]> {
  const out: Item[] = [];
  let marker: string | undefined;
  for (let pages = 0; ; pages++) {
    if (stopAfterPages !== undefined && pages >= stopAfterPages) return out;
    if (pages >= MAX_PAGES) {
      throw new AppError('TOO_MANY_PAGES', `AWS returned more than ${MAX_PAGES} pages for one listing; narrow it down with a filter.`, { status: 502 });
    }
    const page = await fetchPage(marker);
    onPage?.(page);
    out.push(...(itemsOf(page) ?? []));
    marker = page.Marker;
    if (!marker) return out;
  }
}
