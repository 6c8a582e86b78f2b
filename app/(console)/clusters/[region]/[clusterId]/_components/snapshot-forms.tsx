'use client';
import { useEffect, useState } from 'react';
import { Field, fieldProps, inputClass } from '@/components/ui/field';
import { FormMessage } from '@/components/forms/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { useFormAction } from '@/components/forms/use-form-action';
import { fieldError } from '@/components/forms/action-result';
import type { FormAction } from '@/lib/actions/define-action';
import type { ClusterSnapshotDTO } from '@/lib/aws/backup-types';
import { HINTS } from '@/lib/aws/rds-rules';
import type { ClusterDTO } from '@/lib/aws/types';
import type { DeleteSnapshotActionData } from '../backup-actions';
import { suggestSnapshotId } from './backup-format';

/** Take a manual snapshot (operator). */
export function TakeSnapshotForm({ cluster, action, onDone }: { cluster: ClusterDTO; action: FormAction<ClusterSnapshotDTO>; onDone: () => void }) {
  const { state, pending, onSubmit } = useFormAction(action);
  const [suggested] = useState(() => suggestSnapshotId(cluster.id));
  useEffect(() => {
    if (state?.ok) onDone();
  }, [state, onDone]);
  const err = fieldError(state, 'snapshotId');
  return (
    <form onSubmit={onSubmit} aria-label="Take a snapshot" className="space-y-2">
      <input type="hidden" name="region" value={cluster.region} />
      <input type="hidden" name="clusterId" value={cluster.id} />
      <div className="flex flex-wrap items-end gap-3">
        <Field name="snapshotId" label="Snapshot identifier" error={err} className="min-w-64 flex-1">
          <input {...fieldProps('snapshotId', err)} {...HINTS.snapshotId} required defaultValue={suggested} autoComplete="off" className={inputClass} />
        </Field>
        <SubmitButton pending={pending} pendingText="Requesting…">
          Take snapshot
        </SubmitButton>
      </div>
      {state && !state.ok && err ? null : <FormMessage state={state} />}
    </form>
  );
}

/** Delete one manual snapshot (admin): type its identifier to confirm; may wait for a second admin. */
export function DeleteSnapshotForm({
  cluster,
  snapshot,
  action,
  onDone,
  onCancel,
}: {
  cluster: ClusterDTO;
  snapshot: ClusterSnapshotDTO;
  action: FormAction<DeleteSnapshotActionData>;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { state, pending, onSubmit } = useFormAction(action);
  useEffect(() => {
    if (state?.ok) onDone();
  }, [state, onDone]);
  const err = (n: string) => fieldError(state, n);
  return (
    <form onSubmit={onSubmit} aria-label={`Delete snapshot ${snapshot.id}`} className="space-y-2 rounded border border-red-200 p-3 dark:border-red-900">
      <input type="hidden" name="region" value={cluster.region} />
      <input type="hidden" name="clusterId" value={cluster.id} />
      <input type="hidden" name="snapshotId" value={snapshot.id} />
      <p className="text-sm">
        Deleting <code>{snapshot.id}</code> removes this backup for good; the cluster itself is not touched.
      </p>
      {err('snapshotId') ? (
        <p role="alert" data-testid="error-snapshotId" className="text-sm text-red-700 dark:text-red-400">
          {err('snapshotId')}
        </p>
      ) : null}
      <Field name="confirm" label={`Type ${snapshot.id} to confirm`} error={err('confirm')}>
        <input {...fieldProps('confirm', err('confirm'))} autoComplete="off" className={inputClass} />
      </Field>
      <div className="flex items-center gap-3">
        <SubmitButton tone="danger" pending={pending} pendingText="Deleting…">
          Delete snapshot
        </SubmitButton>
        <button type="button" className="text-sm underline" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {state && !state.ok && (err('snapshotId') || err('confirm')) ? null : <FormMessage state={state} />}
    </form>
  );
}
