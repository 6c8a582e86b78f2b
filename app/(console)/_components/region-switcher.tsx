'use client';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useHydrated } from '@/components/ui/use-hydrated';

/**
 * Region filter for the fleet overview: sets `?region=<r>` on "/" ("All regions" clears it).
 * Disabled until hydrated so an early change is never lost (the console needs JavaScript; sign-in does too).
 */
export function RegionSwitcher({ regions }: { regions: string[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const hydrated = useHydrated();
  const current = pathname === '/' ? (params.get('region') ?? '') : '';
  return (
    <div className="flex items-center gap-1">
      <label htmlFor="region-switcher" className="sr-only">
        Show the fleet of region
      </label>
      <select
        id="region-switcher"
        name="region"
        value={current}
        disabled={!hydrated}
        onChange={(e) => router.push(e.target.value ? `/?region=${encodeURIComponent(e.target.value)}` : '/')}
        className="rounded border border-zinc-300 bg-white px-1.5 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      >
        <option value="">All regions</option>
        {regions.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
    </div>
  );
}
