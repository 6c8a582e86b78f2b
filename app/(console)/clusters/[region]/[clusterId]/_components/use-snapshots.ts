'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClusterSnapshotDTO, SnapshotPage } from '@/lib/aws/backup-types';

const BUSY = new Set(['creating', 'copying', 'deleting']);

/**
 * The cluster's snapshot list, one DescribeDBClusterSnapshots page at a time (GET …/snapshots?marker=). Polls every
 * 2 s while a snapshot on the page is being created or deleted, and reads again when `version` changes (the
 * cluster changed, an action ran). `markers` is the trail of pages, so "Previous" goes back without a new walk.
 */
export function useSnapshots(region: string, clusterId: string, initial: SnapshotPage, version: string) {
  const [page, setPage] = useState<SnapshotPage>(initial);
  const [trail, setTrail] = useState<(string | undefined)[]>([undefined]);
  const [error, setError] = useState<string | undefined>();
  const [loading, setLoading] = useState(false);
  const marker = trail[trail.length - 1];
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const url = `/api/clusters/${encodeURIComponent(region)}/${encodeURIComponent(clusterId)}/snapshots`;

  const load = useCallback(
    async (m: string | undefined) => {
      setLoading(true);
      try {
        const res = await fetch(m ? `${url}?marker=${encodeURIComponent(m)}` : url, { cache: 'no-store' });
        const body = (await res.json().catch(() => ({}))) as SnapshotPage & { error?: string };
        if (!res.ok) throw new Error(body.error ?? `HTTP ${res.status}`);
        setPage({ snapshots: body.snapshots ?? [], nextMarker: body.nextMarker });
        setError(undefined);
      } catch (e) {
        setError((e as Error).message);
      } finally {
        setLoading(false);
      }
    },
    [url],
  );

  const first = useRef(true);
  useEffect(() => {
    if (first.current && marker === undefined) {
      first.current = false;
      return;
    }
    void load(marker);
  }, [marker, version, load]);

  const busy = page.snapshots.some((s: ClusterSnapshotDTO) => BUSY.has(s.status));
  useEffect(() => {
    if (!busy) return;
    timer.current = setTimeout(() => void load(marker), 2000);
    return () => {
      if (timer.current) clearTimeout(timer.current);
    };
  }, [busy, page, marker, load]);

  return {
    snapshots: page.snapshots,
    pageNumber: trail.length,
    hasNext: !!page.nextMarker,
    hasPrevious: trail.length > 1,
    next: () => page.nextMarker && setTrail((t) => [...t, page.nextMarker]),
    previous: () => setTrail((t) => (t.length > 1 ? t.slice(0, -1) : t)),
    refresh: () => void load(marker),
    error,
    loading,
  };
}
