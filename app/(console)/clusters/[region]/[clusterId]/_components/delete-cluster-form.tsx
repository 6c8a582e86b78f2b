'use client';
import { useEffect, useState } from 'react';
import { Field, fieldProps, inputClass } from '@/components/ui/field';
import { FormMessage } from '@/components/forms/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { useFormAction } from '@/components/forms/use-form-action';
import type { FormAction } from '@/lib/actions/define-action';
import type { DeleteClusterActionData } from '../actions';
import { fieldError } from '@/components/forms/action-result';
import { HINTS } from '@/lib/aws/rds-rules';
import type { ClusterDTO } from '@/lib/aws/types';

export function DeleteClusterForm({ cluster, action, onDone }: { cluster: ClusterDTO; action: FormAction<DeleteClusterActionData>; onDone: () => void }) {
  const { state, pending, onSubmit } = useFormAction(action);
  const [snapshot, setSnapshot] = useState<'snapshot' | 'skip'>('snapshot');
  const [open, setOpen] = useState(false);
  const err = (n: string) => fieldError(state, n);
  const live = cluster.instances.filter((i) => i.status !== 'deleting');
  useEffect(() => {
    if (state?.ok) onDone();
  }, [state, onDone]);
  // The outcome follows the live cluster: once the deletion runs (after approval, when needed) it says so.
  if (state?.ok) {
    const running = cluster.status === 'deleting' || cluster.instances.some((i) => i.status === 'deleting');
    return <FormMessage state={running ? { ...state, message: `${cluster.id} is being deleted. This page updates by itself.` } : state} />;
  }
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)} className="rounded border border-red-300 px-3 py-1.5 text-sm text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-400">
        Delete cluster…
      </button>
    );
  return (
    <form onSubmit={onSubmit} aria-label="Delete cluster" className="space-y-3">
      <input type="hidden" name="region" value={cluster.region} />
      <input type="hidden" name="clusterId" value={cluster.id} />
      {cluster.deletionProtection ? (
        <p role="note" className="rounded bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          Deletion protection is on for {cluster.id}. AWS refuses to delete it until the protection is turned off (Modify cluster).
        </p>
      ) : null}
      <p className="text-sm">
        Aurora deletes a cluster only after all its instances. {live.length ? `${cluster.id} still has ${live.length} instance(s): ${live.map((i) => i.id).join(', ')}.` : 'It has no instances left.'}
      </p>
      {live.length ? (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="deleteInstances" defaultChecked /> Delete the readers, then the writer, then the cluster
        </label>
      ) : null}
      <fieldset className="space-y-1 text-sm">
        <legend className="font-medium">Final snapshot</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name="finalSnapshot" value="snapshot" checked={snapshot === 'snapshot'} onChange={() => setSnapshot('snapshot')} /> Take a final snapshot (recommended)
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="finalSnapshot" value="skip" checked={snapshot === 'skip'} onChange={() => setSnapshot('skip')} /> Skip the final snapshot — the data is gone for good
        </label>
      </fieldset>
      {snapshot === 'snapshot' ? (
        <Field name="finalSnapshotId" label="Final snapshot identifier" error={err('finalSnapshotId')}>
          <input {...fieldProps('finalSnapshotId', err('finalSnapshotId'))} {...HINTS.snapshotId} defaultValue={`${cluster.id}-final`} className={inputClass} />
        </Field>
      ) : null}
      <Field name="confirm" label={`Type ${cluster.id} to confirm`} error={err('confirm')}>
        <input {...fieldProps('confirm', err('confirm'))} className={inputClass} autoComplete="off" />
      </Field>
      <div className="flex items-center gap-3">
        <SubmitButton tone="danger" pending={pending} pendingText="Deleting…">
          Delete cluster
        </SubmitButton>
        <button type="button" className="text-sm underline" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
      <FormMessage state={state} />
    </form>
  );
}
