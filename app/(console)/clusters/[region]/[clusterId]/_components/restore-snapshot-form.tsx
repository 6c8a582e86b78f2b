'use client';
import { useEffect, useState } from 'react';
import { Field, fieldProps, inputClass } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { useFormAction } from '@/components/forms/use-form-action';
import { fieldError } from '@/components/forms/action-result';
import type { FormAction } from '@/lib/actions/define-action';
import type { ClusterSnapshotDTO, RestoreResult } from '@/lib/aws/backup-types';
import { checkEngineFamily, snapshotNotRestorableReason } from '@/lib/aws/backup-rules';
import { ENGINES, type ClusterDTO, type OrderableClassDTO } from '@/lib/aws/types';
import { NewClusterFields } from './new-cluster-fields';
import { RestoreOutcome } from './restore-outcome';
import { suggestRestoreId } from './backup-format';

/** Restore one of the cluster's snapshots to a new cluster (admin). */
export function RestoreSnapshotForm({
  cluster,
  snapshots,
  chosen,
  classes,
  action,
  onDone,
}: {
  cluster: ClusterDTO;
  snapshots: ClusterSnapshotDTO[];
  chosen?: string;
  classes: OrderableClassDTO[];
  action: FormAction<RestoreResult>;
  onDone: () => void;
}) {
  const { state, pending, onSubmit } = useFormAction(action);
  const [snapshotId, setSnapshotId] = useState(chosen ?? snapshots.find((s) => s.status === 'available')?.id ?? snapshots[0]?.id ?? '');
  const [seenChosen, setSeenChosen] = useState(chosen);
  if (chosen !== seenChosen) {
    setSeenChosen(chosen);
    if (chosen) setSnapshotId(chosen);
  }
  const snap = snapshots.find((s) => s.id === snapshotId);
  const [engine, setEngine] = useState<string>(snap?.engine ?? cluster.engine);
  const [seenSnap, setSeenSnap] = useState(snapshotId);
  if (seenSnap !== snapshotId) {
    setSeenSnap(snapshotId);
    if (snap) setEngine(snap.engine);
  }
  useEffect(() => {
    if (state?.ok) onDone();
  }, [state, onDone]);
  const err = (n: string) => fieldError(state, n);
  // Said as soon as it is chosen; the server refuses it too (nothing is created).
  const notReady = snap ? snapshotNotRestorableReason(snap) : null;
  const familyProblem = snap ? checkEngineFamily(snap.engine, engine, snap.id) : null;
  const writerClass = cluster.instances.find((i) => i.role === 'writer')?.instanceClass;
  return (
    <form onSubmit={onSubmit} aria-label="Restore a snapshot to a new cluster" id="restore-snapshot" className="scroll-mt-16 space-y-3">
      <input type="hidden" name="region" value={cluster.region} />
      <input type="hidden" name="clusterId" value={cluster.id} />
      <div className="grid gap-3 sm:grid-cols-2">
        <Field name="rs-snapshotId" label="Snapshot" error={err('snapshotId') ?? notReady ?? undefined}>
          <select {...fieldProps('rs-snapshotId', err('snapshotId') ?? notReady ?? undefined)} name="snapshotId" value={snapshotId} onChange={(e) => setSnapshotId(e.target.value)} className={inputClass}>
            {snapshots.map((s) => (
              <option key={s.id} value={s.id}>
                {s.id} ({s.type}, {s.status}
                {s.status === 'creating' && s.percentProgress !== undefined ? ` ${s.percentProgress} %` : ''})
              </option>
            ))}
          </select>
        </Field>
        <Field name="rs-engine" label="Engine of the new cluster" error={err('engine') ?? familyProblem ?? undefined}>
          <select {...fieldProps('rs-engine', err('engine') ?? familyProblem ?? undefined)} name="engine" value={engine} onChange={(e) => setEngine(e.target.value)} className={inputClass}>
            {ENGINES.map((e) => (
              <option key={e}>{e}</option>
            ))}
          </select>
        </Field>
      </div>
      <NewClusterFields state={state} idPrefix="rs" defaultId={suggestRestoreId(cluster.id, 'restored')} classes={classes} defaultClass={writerClass} />
      <p className="text-sm text-zinc-600 dark:text-zinc-300">
        The new cluster holds the data as it was when the snapshot was taken; {cluster.id} is not touched. Its writer (and readers) are added once the cluster exists.
      </p>
      <SubmitButton pending={pending} pendingText="Restoring…" disabled={!snapshots.length}>
        Restore snapshot
      </SubmitButton>
      <RestoreOutcome state={state} testId="restore-snapshot-outcome" />
    </form>
  );
}
