'use client';
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'next/navigation';
import { useLiveCluster } from '@/components/cluster/live-cluster';
import { useHydrated } from '@/components/ui/use-hydrated';
import type { FormAction } from '@/lib/actions/define-action';
import type { ClusterSnapshotDTO, RestoreResult, SnapshotPage } from '@/lib/aws/backup-types';
import type { ClusterDTO, OrderableClassDTO } from '@/lib/aws/types';
import type { DeleteSnapshotActionData } from '../backup-actions';
import { backupWindowText, utc } from './backup-format';
import { RESTORE_PICK_PARAM, RestoreTimeForm } from './restore-time-form';
import { RestoreSnapshotForm } from './restore-snapshot-form';
import { DeleteSnapshotForm, TakeSnapshotForm } from './snapshot-forms';
import { SnapshotList } from './snapshot-list';
import { useSnapshots } from './use-snapshots';

export interface BackupActions {
  createSnapshot?: FormAction<ClusterSnapshotDTO>;
  deleteSnapshot?: FormAction<DeleteSnapshotActionData>;
  restoreSnapshot?: FormAction<RestoreResult>;
  restoreToTime?: FormAction<RestoreResult>;
}

/** Anchor of the point-in-time form; `?restore=time` (the PostgreSQL "restore it to a point in time" link) opens it. */
export const RESTORE_TIME_ANCHOR = 'restore-time';

/** The viewer's local time, with the UTC equivalent below it. */
function Moment({ iso }: { iso?: string }) {
  if (!iso) return <>—</>;
  return (
    <>
      {new Date(iso).toLocaleString()}
      <span className="block text-xs text-zinc-500">{utc(iso)}</span>
    </>
  );
}

function Panel({ title, id, children }: { title: string; id?: string; children: React.ReactNode }) {
  return (
    <section id={id} aria-labelledby={id ? `${id}-title` : undefined} aria-label={id ? undefined : title} className="scroll-mt-16 space-y-2 rounded border border-zinc-200 p-3 dark:border-zinc-700">
      <h3 id={id ? `${id}-title` : undefined} className="text-sm font-semibold">
        {title}
      </h3>
      {children}
    </section>
  );
}

/**
 * The cluster page's Backups section: retention, backup window, restorable window, the snapshot list, and (by
 * role) take / delete a snapshot, restore one, restore to a point in time or clone. Reads the page's live cluster.
 */
export function BackupsSection({ initial, initialSnapshots, classes, actions }: { initial: ClusterDTO; initialSnapshots: SnapshotPage; classes: OrderableClassDTO[]; actions: BackupActions }) {
  const live = useLiveCluster();
  const c = live?.cluster ?? initial;
  const poke = live?.poke;
  const inBrowser = useHydrated();
  const sp = useSearchParams();
  const [version, setVersion] = useState(0);
  const list = useSnapshots(c.region, c.id, initialSnapshots, `${c.status}|${version}`);
  const [deleting, setDeleting] = useState<ClusterSnapshotDTO | null>(null);
  const [restoreChoice, setRestoreChoice] = useState<string | undefined>();
  const wantTime = sp.get('restore') === 'time' || sp.has(RESTORE_PICK_PARAM);
  const [showTime, setShowTime] = useState(wantTime);
  const [showSnap, setShowSnap] = useState(false);
  const [seenWant, setSeenWant] = useState(wantTime);
  if (wantTime !== seenWant) {
    setSeenWant(wantTime);
    if (wantTime) setShowTime(true);
  }
  useEffect(() => {
    if (wantTime) document.getElementById(RESTORE_TIME_ANCHOR)?.scrollIntoView({ block: 'start' });
  }, [wantTime, sp]);
  const changed = useCallback(() => {
    setVersion((v) => v + 1);
    poke?.();
  }, [poke]);
  const a = actions;

  return (
    <section id="backups" aria-labelledby="backups-title" className="scroll-mt-16 space-y-3 rounded border border-zinc-200 p-3 dark:border-zinc-800" data-testid="backups-section">
      <h2 id="backups-title" className="text-sm font-semibold uppercase tracking-wide text-zinc-500">
        Backups
      </h2>
      <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
        {(
          [
            ['Backup retention', c.backupRetentionPeriod !== undefined ? `${c.backupRetentionPeriod} day(s) of automated backups` : '—', 'retention'],
            ['Backup window', backupWindowText(c.preferredBackupWindow), 'window'],
            ['Earliest restorable time', inBrowser ? <Moment iso={c.earliestRestorableTime} /> : '…', 'earliest'],
            ['Latest restorable time', inBrowser ? <Moment iso={c.latestRestorableTime} /> : '…', 'latest'],
          ] as const
        ).map(([k, v, id]) => (
          <div key={k} className="flex gap-2">
            <dt className="w-44 shrink-0 text-zinc-500">{k}</dt>
            <dd data-testid={`backup-${id}`}>{v}</dd>
          </div>
        ))}
      </dl>

      {list.error ? <p className="text-sm text-red-700 dark:text-red-400">Could not refresh the snapshots: {list.error}</p> : null}
      <SnapshotList
        snapshots={list.snapshots}
        pageNumber={list.pageNumber}
        hasNext={list.hasNext}
        hasPrevious={list.hasPrevious}
        onNext={list.next}
        onPrevious={list.previous}
        loading={list.loading}
        onRestore={
          a.restoreSnapshot
            ? (s) => {
                setRestoreChoice(s.id);
                setShowSnap(true);
                window.setTimeout(() => document.getElementById('restore-snapshot')?.scrollIntoView({ block: 'start' }), 50);
              }
            : undefined
        }
        onDelete={a.deleteSnapshot ? (s) => setDeleting(s) : undefined}
      />
      {deleting && a.deleteSnapshot ? (
        <DeleteSnapshotForm key={deleting.id} cluster={c} snapshot={deleting} action={a.deleteSnapshot} onDone={changed} onCancel={() => setDeleting(null)} />
      ) : null}

      {a.createSnapshot ? (
        <Panel title="Take a snapshot">
          <TakeSnapshotForm cluster={c} action={a.createSnapshot} onDone={changed} />
        </Panel>
      ) : (
        <p className="text-sm text-zinc-500">Operators take snapshots; admins delete and restore them.</p>
      )}

      {a.restoreSnapshot ? (
        <Panel title="Restore a snapshot to a new cluster">
          {showSnap ? (
            <RestoreSnapshotForm cluster={c} snapshots={list.snapshots} chosen={restoreChoice} classes={classes} action={a.restoreSnapshot} onDone={changed} />
          ) : (
            <button type="button" className="rounded border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800" onClick={() => setShowSnap(true)}>
              Restore a snapshot…
            </button>
          )}
        </Panel>
      ) : null}

      {a.restoreToTime ? (
        <Panel title="Restore to a point in time" id={RESTORE_TIME_ANCHOR}>
          {!showTime ? (
            <button type="button" className="rounded border border-zinc-300 px-3 py-1.5 text-sm hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800" onClick={() => setShowTime(true)}>
              Restore to a point in time…
            </button>
          ) : inBrowser ? (
            <RestoreTimeForm cluster={c} classes={classes} action={a.restoreToTime} onDone={changed} />
          ) : (
            <p className="text-sm text-zinc-500">Loading the restore form…</p>
          )}
        </Panel>
      ) : null}
    </section>
  );
}
