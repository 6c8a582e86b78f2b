'use client';
import { useEffect, useRef, useState } from 'react';
import type { EventDTO } from '@/lib/aws/types';
import { formatTime } from '@/components/cluster/format';

/** Recent events (24 h, newest first). Refetched whenever `version` changes (cluster/instance status changes, actions). */
export function EventsList({ region, clusterId, initial, version }: { region: string; clusterId: string; initial: EventDTO[]; version: string }) {
  const [events, setEvents] = useState(initial);
  const [error, setError] = useState<string | undefined>();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const ctl = new AbortController();
    fetch(`/api/clusters/${encodeURIComponent(region)}/${encodeURIComponent(clusterId)}/events`, { cache: 'no-store', signal: ctl.signal })
      .then(async (r) => {
        const body = await r.json();
        if (!r.ok) throw new Error(body.error ?? `HTTP ${r.status}`);
        setEvents(body.events);
        setError(undefined);
      })
      .catch((e: Error) => {
        if (e.name !== 'AbortError') setError(e.message);
      });
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version]);
  return (
    <div>
      {error ? <p className="text-sm text-red-700 dark:text-red-400">Could not refresh events: {error}</p> : null}
      {events.length === 0 ? (
        <p className="text-sm text-zinc-500">No events in the last 24 hours.</p>
      ) : (
        <table className="min-w-full text-sm" aria-label="Recent events">
          <thead className="text-left text-xs uppercase text-zinc-500">
            <tr>
              <th className="py-1 pr-3">Time</th>
              <th className="py-1 pr-3">Source</th>
              <th className="py-1 pr-3">Category</th>
              <th className="py-1">Message</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {events.map((e, i) => (
              <tr key={`${e.date}-${e.sourceId}-${i}`}>
                <td className="whitespace-nowrap py-1 pr-3 text-zinc-500">{formatTime(e.date)}</td>
                <td className="py-1 pr-3">{e.sourceId}</td>
                <td className="py-1 pr-3">{e.categories.join(', ') || '—'}</td>
                <td className="py-1">{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
