'use client';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { msUntilNextTick } from '@/lib/http/poll-align';

/** Re-renders the server page every `intervalMs` while `active`, pausing while the tab is hidden. */
export function RefreshWhileBusy({ active, intervalMs = 4000 }: { active: boolean; intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    // On the interval's wall-clock grid: every viewer refreshes together and shares one server read.
    let id: ReturnType<typeof setTimeout>;
    const tick = () => {
      if (document.visibilityState === 'visible') router.refresh();
      id = setTimeout(tick, msUntilNextTick(intervalMs));
    };
    id = setTimeout(tick, msUntilNextTick(intervalMs));
    return () => clearTimeout(id);
  }, [active, intervalMs, router]);
  return null;
}
