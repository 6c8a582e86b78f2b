'use client';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'next/navigation';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { useFormAction } from '@/components/forms/use-form-action';
import { fieldError } from '@/components/forms/action-result';
import { localInputToIso, toLocalInputValue } from '@/components/oncall/backtrack-panel';
import type { FormAction } from '@/lib/actions/define-action';
import type { RestoreResult } from '@/lib/aws/backup-types';
import { checkRestoreTime } from '@/lib/aws/backup-rules';
import type { ClusterDTO, OrderableClassDTO } from '@/lib/aws/types';
import { NewClusterFields } from './new-cluster-fields';
import { RestoreOutcome } from './restore-outcome';
import { localAndUtc, suggestRestoreId } from './backup-format';

/** The URL parameter a chart writes when a moment is picked for a restore (see components/charts). */
export const RESTORE_PICK_PARAM = 'restoreTo';

const fromIso = (p?: string | null) => (p && !Number.isNaN(Date.parse(p)) ? toLocalInputValue(new Date(p)) : '');

/**
 * Restore to a point in time as a new cluster, or clone (admin). The time is typed in the viewer's time zone
 * and sent as a UTC instant; a moment picked on a chart (?restoreTo=) fills it. Rendered in the browser only.
 */
export function RestoreTimeForm({ cluster, classes, action, onDone }: { cluster: ClusterDTO; classes: OrderableClassDTO[]; action: FormAction<RestoreResult>; onDone: () => void }) {
  const { state, pending, onSubmit } = useFormAction(action);
  const picked = useSearchParams().get(RESTORE_PICK_PARAM);
  const [local, setLocal] = useState(() => fromIso(picked));
  const [seenPick, setSeenPick] = useState(picked);
  const [useLatest, setUseLatest] = useState(false);
  const [clone, setClone] = useState(false);
  if (picked !== seenPick) {
    setSeenPick(picked);
    const next = fromIso(picked);
    if (next) {
      setLocal(next);
      setUseLatest(false);
    }
  }
  useEffect(() => {
    if (state?.ok) onDone();
  }, [state, onDone]);
  const iso = useMemo(() => localInputToIso(local), [local]);
  // A clone starts from the source as it is now (AWS takes no RestoreToTime with copy-on-write).
  const latest = useLatest || clone;
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const err = (n: string) => fieldError(state, n);
  // Outside the window is said at once (the server refuses it as AWS would, and creates nothing).
  const outside = !latest && iso ? checkRestoreTime(new Date(iso), { earliest: cluster.earliestRestorableTime, latest: cluster.latestRestorableTime }, cluster.id) : null;
  const timeError = latest ? undefined : (err('restoreTo') ?? outside ?? undefined);
  const writerClass = cluster.instances.find((i) => i.role === 'writer')?.instanceClass;
  const describedBy = ['rt-restoreTo-hint', timeError ? 'rt-restoreTo-error' : ''].filter(Boolean).join(' ');
  return (
    <form onSubmit={onSubmit} aria-label="Restore to a point in time" className="space-y-3">
      <input type="hidden" name="region" value={cluster.region} />
      <input type="hidden" name="clusterId" value={cluster.id} />
      <input type="hidden" name="restoreTo" value={latest ? '' : iso || local} />
      <Field
        name="rt-restoreTo"
        label={`Restore to (your time zone: ${tz})`}
        error={timeError}
        hint={
          <>
            <span className="block text-sm text-zinc-700 dark:text-zinc-200" data-testid="restore-utc">
              {clone ? 'A clone starts from the latest restorable time: the source as it is now.' : useLatest ? 'The latest restorable time at the moment AWS runs the restore.' : iso ? `= ${iso.replace('.000Z', 'Z')} UTC` : 'Pick a date and time, or click a moment on a chart above.'}
            </span>
            <span className="block">
              Restorable from {localAndUtc(cluster.earliestRestorableTime)} to {localAndUtc(cluster.latestRestorableTime)}.
            </span>
          </>
        }
      >
        <input
          id="rt-restoreTo"
          type="datetime-local"
          step={1}
          value={local}
          disabled={latest}
          onChange={(e) => setLocal(e.target.value)}
          aria-invalid={timeError ? true : undefined}
          aria-describedby={describedBy}
          className="rounded border border-zinc-300 px-2 py-1.5 text-sm disabled:opacity-60 aria-[invalid=true]:border-red-600 dark:border-zinc-600 dark:bg-zinc-900"
        />
      </Field>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="useLatest" checked={latest} disabled={clone} onChange={(e) => setUseLatest(e.target.checked)} /> Latest restorable time
      </label>
      <fieldset className="space-y-1 text-sm">
        <legend className="font-medium">Copy</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name="restoreType" value="full-copy" checked={!clone} onChange={() => setClone(false)} /> Full copy — an independent copy of the volume
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="restoreType" value="copy-on-write" checked={clone} onChange={() => setClone(true)} /> Clone (copy-on-write) of the latest data — fast; pages are copied only when either side changes them
        </label>
      </fieldset>
      <NewClusterFields key={clone ? "clone" : "copy"} state={state} idPrefix="rt" defaultId={suggestRestoreId(cluster.id, clone ? 'clone' : 'pitr')} classes={classes} defaultClass={writerClass} />
      <p className="text-sm text-zinc-600 dark:text-zinc-300">
        A new cluster is made with the data as it was at that moment; {cluster.id} keeps running untouched.
      </p>
      <SubmitButton pending={pending} pendingText="Restoring…">
        {clone ? 'Create clone' : 'Restore to point in time'}
      </SubmitButton>
      <RestoreOutcome state={state} testId="restore-time-outcome" />
    </form>
  );
}
