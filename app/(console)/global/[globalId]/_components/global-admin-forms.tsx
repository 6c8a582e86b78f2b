'use client';

import { useId } from 'react';
import { useRouter } from 'next/navigation';
import { useFormAction } from '@/components/forms/use-form-action';
import type { GlobalStatus } from '@/lib/oncall/global-status';
import { addSecondaryAction, deleteGlobalAction, detachSecondaryAction } from '../../actions';

const input = 'mt-1 w-full rounded border border-zinc-300 px-2 py-1.5 text-sm dark:border-zinc-600 dark:bg-zinc-900';
const CLASSES = ['db.r6g.large', 'db.r6g.xlarge', 'db.r6g.2xlarge', 'db.r7g.large', 'db.r5.large', 'db.t4g.medium'];

function Message({ state, testId }: { state: { ok: boolean; message?: string; error?: string } | null; testId: string }) {
  return (
    <div aria-live="polite" className="text-sm">
      {state?.ok ? (
        <p role="status" data-testid={`${testId}-message`} className="text-emerald-800 dark:text-emerald-300">
          {state.message}
        </p>
      ) : state ? (
        <p role="alert" data-testid={`${testId}-error`} className="text-red-700 dark:text-red-400">
          {state.error}
        </p>
      ) : null}
    </div>
  );
}

function FieldError({ errors }: { errors?: string[] }) {
  return errors?.length ? <p className="text-sm text-red-700 dark:text-red-400">{errors.join(' ')}</p> : null;
}

/** Add a secondary region: region, cluster identifier, instance class, instance count (admin). */
export function AddSecondaryForm({ status, regions, onDone }: { status: GlobalStatus; regions: string[]; onDone: () => void }) {
  const uid = useId();
  const { state, pending, onSubmit } = useFormAction(async (prev: Awaited<ReturnType<typeof addSecondaryAction>> | null, fd: FormData) => {
    const r = await addSecondaryAction(prev, fd);
    onDone();
    return r;
  });
  const used = new Set(status.db.members.map((m) => m.region));
  const free = regions.filter((r) => !used.has(r));
  if (free.length === 0) return <p className="text-sm text-zinc-600 dark:text-zinc-400">Every configured region already holds a member ({regions.join(', ')}).</p>;
  const fe = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <details className="rounded border border-zinc-200 p-2 dark:border-zinc-800" open={!!state && !state.ok}>
      <summary className="cursor-pointer text-sm font-medium">Add a secondary region</summary>
      <form onSubmit={onSubmit} className="mt-2 grid gap-3 sm:grid-cols-2" aria-label="Add a secondary region">
        <input type="hidden" name="globalId" value={status.db.id} />
        <div>
          <label htmlFor={`${uid}-region`} className="block text-sm font-medium">
            Region
          </label>
          <select id={`${uid}-region`} name="region" className={input} defaultValue={free[0]}>
            {free.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <FieldError errors={fe?.region} />
        </div>
        <div>
          <label htmlFor={`${uid}-cluster`} className="block text-sm font-medium">
            Secondary cluster identifier
          </label>
          <input id={`${uid}-cluster`} name="clusterId" required defaultValue={`${status.db.id}-${free[0].split('-').slice(0, 2).join('')}`.slice(0, 63)} className={input} autoComplete="off" spellCheck={false} />
          <FieldError errors={fe?.clusterId} />
        </div>
        <div>
          <label htmlFor={`${uid}-class`} className="block text-sm font-medium">
            Instance class
          </label>
          <select id={`${uid}-class`} name="instanceClass" className={input} defaultValue="db.r6g.large">
            {CLASSES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          <FieldError errors={fe?.instanceClass} />
        </div>
        <div>
          <label htmlFor={`${uid}-count`} className="block text-sm font-medium">
            Instances
          </label>
          <input id={`${uid}-count`} name="instanceCount" type="number" min={1} max={16} defaultValue={1} required className={input} />
          <FieldError errors={fe?.instanceCount} />
        </div>
        <p className="text-xs text-zinc-600 dark:text-zinc-400 sm:col-span-2">
          The new cluster has no master credentials of its own: it is a read-only copy of the primary ({status.db.engine} {status.db.engineVersion}) until it is promoted.
        </p>
        <div className="sm:col-span-2">
          <Message state={state} testId="add-secondary" />
          <button type="submit" disabled={pending} className="rounded bg-sky-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-sky-800 disabled:opacity-60">
            {pending ? 'Adding…' : 'Add region'}
          </button>
        </div>
      </form>
    </details>
  );
}

/** Detach a secondary into a standalone writable cluster (admin, typed cluster identifier). */
export function DetachForm({ globalId, region, clusterId, onDone }: { globalId: string; region: string; clusterId: string; onDone: () => void }) {
  const uid = useId();
  const { state, pending, onSubmit } = useFormAction(async (prev: Awaited<ReturnType<typeof detachSecondaryAction>> | null, fd: FormData) => {
    const r = await detachSecondaryAction(prev, fd);
    onDone();
    return r;
  });
  const fe = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <details className="rounded border border-zinc-200 p-2 dark:border-zinc-800">
      <summary className="cursor-pointer text-sm font-medium">
        Detach {clusterId} ({region})
      </summary>
      <form onSubmit={onSubmit} className="mt-2 space-y-2" aria-label={`Detach ${clusterId}`}>
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          {clusterId} stops replicating and becomes a standalone cluster that takes writes. It cannot rejoin {globalId} as it is.
        </p>
        <input type="hidden" name="globalId" value={globalId} />
        <input type="hidden" name="region" value={region} />
        <input type="hidden" name="clusterId" value={clusterId} />
        <label htmlFor={`${uid}-confirm`} className="block text-sm font-medium">
          Type <code>{clusterId}</code> to confirm
        </label>
        <input id={`${uid}-confirm`} name="confirm" required autoComplete="off" spellCheck={false} className={input} aria-invalid={!!fe?.confirm} />
        <FieldError errors={fe?.confirm} />
        <Message state={state} testId="detach" />
        <button type="submit" disabled={pending} className="rounded border border-red-700 px-3 py-1.5 text-sm font-semibold text-red-700 hover:bg-red-50 disabled:opacity-60 dark:text-red-400 dark:hover:bg-red-950">
          {pending ? 'Detaching…' : 'Detach'}
        </button>
      </form>
    </details>
  );
}

/** Delete an empty global database (admin, typed identifier); back to the fleet afterwards. */
export function DeleteGlobalForm({ globalId, region }: { globalId: string; region: string }) {
  const uid = useId();
  const router = useRouter();
  const { state, pending, onSubmit } = useFormAction(async (prev: Awaited<ReturnType<typeof deleteGlobalAction>> | null, fd: FormData) => {
    const r = await deleteGlobalAction(prev, fd);
    if (r.ok) router.push('/');
    return r;
  });
  const fe = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form onSubmit={onSubmit} className="space-y-2 rounded border border-red-200 p-2 dark:border-red-900" aria-label={`Delete ${globalId}`}>
      <p className="text-sm font-medium">Delete the empty global database</p>
      <input type="hidden" name="globalId" value={globalId} />
      <input type="hidden" name="region" value={region} />
      <label htmlFor={`${uid}-confirm`} className="block text-sm">
        Type <code>{globalId}</code> to confirm
      </label>
      <input id={`${uid}-confirm`} name="confirm" required autoComplete="off" spellCheck={false} className={input} aria-invalid={!!fe?.confirm} />
      <FieldError errors={fe?.confirm} />
      <Message state={state} testId="delete-global" />
      <button type="submit" disabled={pending} className="rounded bg-red-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-800 disabled:opacity-60">
        {pending ? 'Deleting…' : 'Delete global database'}
      </button>
    </form>
  );
}
