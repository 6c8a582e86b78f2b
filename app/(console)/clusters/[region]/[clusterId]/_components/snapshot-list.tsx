'use client';
import { StatusBadge } from '@/components/ui/status-badge';
import type { ClusterSnapshotDTO } from '@/lib/aws/backup-types';
import { snapshotNotDeletableReason } from '@/lib/aws/backup-rules';
import { formatGiB, utc } from './backup-format';

const btn = 'rounded border border-zinc-300 px-2 py-0.5 text-xs hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800';

/** The snapshot table (manual and automated), one page at a time, with the row actions the viewer may use. */
export function SnapshotList(props: {
  snapshots: ClusterSnapshotDTO[];
  pageNumber: number;
  hasNext: boolean;
  hasPrevious: boolean;
  onNext: () => void;
  onPrevious: () => void;
  loading: boolean;
  onRestore?: (s: ClusterSnapshotDTO) => void;
  onDelete?: (s: ClusterSnapshotDTO) => void;
}) {
  const { snapshots } = props;
  const actions = !!(props.onRestore || props.onDelete);
  return (
    <div className="space-y-2">
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Snapshots, scrollable">
        <table className="min-w-full text-sm" aria-label="Snapshots" data-testid="snapshot-table">
          <thead className="text-left text-xs uppercase text-zinc-500">
            <tr>
              <th className="py-1 pr-3">Snapshot</th>
              <th className="py-1 pr-3">Type</th>
              <th className="py-1 pr-3">Status</th>
              <th className="py-1 pr-3">Size</th>
              <th className="py-1 pr-3">Created</th>
              {actions ? <th className="py-1">Actions</th> : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {snapshots.map((s) => (
              <tr key={s.id} data-testid={`snapshot-row-${s.id}`} data-type={s.type} data-status={s.status}>
                <td className="py-1.5 pr-3 font-mono text-xs">{s.id}</td>
                <td className="py-1.5 pr-3">{s.type}</td>
                <td className="py-1.5 pr-3">
                  <StatusBadge status={s.status} />
                  {s.status === 'creating' && s.percentProgress !== undefined ? <span className="ml-1 text-xs text-zinc-500">{s.percentProgress} %</span> : null}
                </td>
                <td className="py-1.5 pr-3 tabular-nums">{formatGiB(s.allocatedStorageGiB)}</td>
                <td className="whitespace-nowrap py-1.5 pr-3 tabular-nums">{utc(s.createdAt)}</td>
                {actions ? (
                  <td className="space-x-2 whitespace-nowrap py-1.5">
                    {props.onRestore ? (
                      <button type="button" className={btn} disabled={s.status !== 'available'} onClick={() => props.onRestore!(s)} aria-label={`Restore ${s.id} to a new cluster`}>
                        Restore…
                      </button>
                    ) : null}
                    {props.onDelete && s.type === 'manual' ? (
                      <button
                        type="button"
                        className={btn}
                        onClick={() => props.onDelete!(s)}
                        aria-label={`Delete snapshot ${s.id}`}
                        title={snapshotNotDeletableReason(s) ?? undefined}
                      >
                        Delete…
                      </button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
        {snapshots.length === 0 ? <p className="py-2 text-sm text-zinc-500">No snapshots yet.</p> : null}
      </div>
      {props.hasNext || props.hasPrevious ? (
        <nav aria-label="Snapshot pages" className="flex items-center gap-2 text-sm">
          <button type="button" className={btn} disabled={!props.hasPrevious || props.loading} onClick={props.onPrevious}>
            Previous page
          </button>
          <span className="text-zinc-500">Page {props.pageNumber}</span>
          <button type="button" className={btn} disabled={!props.hasNext || props.loading} onClick={props.onNext}>
            Next page
          </button>
        </nav>
      ) : null}
    </div>
  );
}
