'use client';
// Time range picker kept in the URL: ?range=3h, or ?start=…&end=… for a custom range.
import { useState } from 'react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';

export const RANGE_OPTIONS = ['1h', '3h', '12h', '1d', '3d', '1w'] as const;

function toLocalInput(t: number | undefined): string {
  if (t === undefined || !Number.isFinite(t)) return '';
  return new Date(t).toISOString().slice(0, 16);
}

export function RangePicker({ active, start, end }: { active: string; start?: number; end?: number }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [open, setOpen] = useState(active === 'custom');
  const [from, setFrom] = useState(toLocalInput(start));
  const [to, setTo] = useState(toLocalInput(end));

  const go = (mut: (sp: URLSearchParams) => void) => {
    const sp = new URLSearchParams(params?.toString() ?? '');
    sp.delete('backtrackTo');
    mut(sp);
    router.push(`${pathname}?${sp.toString()}`, { scroll: false });
  };

  return (
    <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="range-picker">
      <div role="group" aria-label="Time range" className="inline-flex overflow-hidden rounded border border-zinc-300 dark:border-zinc-700">
        {RANGE_OPTIONS.map((r) => (
          <button
            key={r}
            type="button"
            aria-pressed={active === r}
            onClick={() =>
              go((sp) => {
                sp.delete('start');
                sp.delete('end');
                sp.set('range', r);
              })
            }
            className={`px-2 py-1 ${active === r ? 'bg-zinc-800 text-white dark:bg-zinc-200 dark:text-zinc-900' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800'}`}
          >
            {r}
          </button>
        ))}
        <button
          type="button"
          aria-pressed={active === 'custom'}
          aria-expanded={open}
          onClick={() => setOpen((o) => !o)}
          className={`px-2 py-1 ${active === 'custom' ? 'bg-zinc-800 text-white dark:bg-zinc-200 dark:text-zinc-900' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800'}`}
        >
          Custom
        </button>
      </div>
      {open ? (
        <form
          className="flex flex-wrap items-center gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            go((sp) => {
              sp.delete('range');
              sp.set('start', from ? `${from}Z` : '');
              if (to) sp.set('end', `${to}Z`);
              else sp.delete('end');
            });
          }}
        >
          <label className="flex items-center gap-1">
            Start (UTC)
            <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} className="rounded border border-zinc-300 bg-transparent px-1 dark:border-zinc-700" required />
          </label>
          <label className="flex items-center gap-1">
            End (UTC)
            <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} className="rounded border border-zinc-300 bg-transparent px-1 dark:border-zinc-700" />
          </label>
          <button type="submit" className="rounded border border-zinc-300 px-2 py-0.5 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
            Apply
          </button>
        </form>
      ) : null}
    </div>
  );
}
