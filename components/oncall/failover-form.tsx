'use client';

import { ConfirmAndReason } from './confirm-fields';
import { useId } from 'react';
import { useFormAction } from '@/components/forms/use-form-action';
import type { ClusterDTO } from '@/lib/aws/types';
import { failoverClusterAction } from '@/lib/oncall/actions';
import { formatLag } from './format';

type Result = Awaited<ReturnType<typeof failoverClusterAction>>;

/**
 * The failover form: let Aurora choose by promotion tier, or a specific available reader (tier, class, AZ, lag);
 * the typed cluster identifier; an optional reason. Every rule is enforced again by the server action.
 */
export function FailoverForm({
  cluster,
  predictedTarget,
  lagByInstance,
  onResult,
}: {
  cluster: ClusterDTO;
  predictedTarget?: string;
  lagByInstance?: Record<string, number | null>;
  onResult?: (r: Result) => void;
}) {
  // The shared form hook adds one idempotency key per attempt and keeps the typed values after a refusal.
  const { state, pending, onSubmit } = useFormAction(async (prev: Result | null, fd: FormData) => {
    const r = await failoverClusterAction(prev, fd);
    onResult?.(r);
    return r;
  });
  const uid = useId();

  // After a request went through, show what happened instead of a fresh form (never invite a duplicate
  // failover); reopening the dialog gives a new form.
  if (state?.ok) {
    return (
      <p role="status" className="rounded bg-emerald-50 p-2 text-sm text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300" data-testid="failover-message">
        {state.message}
      </p>
    );
  }

  const readers = cluster.instances.filter((i) => i.role !== 'writer');
  const fe = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-describedby={`${uid}-intro`}>
      <p id={`${uid}-intro`} className="text-sm text-zinc-600 dark:text-zinc-300">
        The writer <code>{cluster.writerId ?? '?'}</code> hands over to a reader. Connections to the cluster endpoint drop for a few seconds.
      </p>
      <input type="hidden" name="region" value={cluster.region} />
      <input type="hidden" name="clusterId" value={cluster.id} />
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium">Promote</legend>
        <label className="flex items-start gap-2 text-sm">
          <input type="radio" name="target" value="auto" defaultChecked className="mt-1" />
          <span>
            Let Aurora choose (by promotion tier)
            {predictedTarget ? <span className="text-zinc-500"> — likely {predictedTarget}</span> : null}
          </span>
        </label>
        {readers.map((r) => (
          <label key={r.id} className="flex items-start gap-2 text-sm">
            <input type="radio" name="target" value={r.id} disabled={r.status !== 'available'} className="mt-1" />
            <span>
              <code>{r.id}</code>{' '}
              <span className="text-zinc-500">
                · tier {r.promotionTier} · {r.instanceClass} · {r.az ?? 'AZ ?'} · {formatLag(lagByInstance ? (lagByInstance[r.id] ?? null) : undefined)}
                {r.status !== 'available' ? ` · ${r.status}` : ''}
              </span>
            </span>
          </label>
        ))}
        {readers.length === 0 ? <p className="text-sm text-amber-700 dark:text-amber-400">This cluster has no reader to promote.</p> : null}
        {fe?.target ? <p className="text-sm text-red-700 dark:text-red-400">{fe.target.join(' ')}</p> : null}
      </fieldset>
      <ConfirmAndReason uid={uid} id={cluster.id} errors={fe?.confirm} announced={state && !state.ok ? state.error : undefined} />
      <div aria-live="polite" className="text-sm">
        {state && !state.ok ? (
          <p role="alert" className="text-red-700 dark:text-red-400" data-testid="failover-error">
            {state.error}
          </p>
        ) : null}
      </div>
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded bg-red-700 px-3 py-2 text-sm font-semibold text-white hover:bg-red-800 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 disabled:opacity-60 sm:w-auto"
      >
        {pending ? 'Starting failover…' : 'Fail over now'}
      </button>
    </form>
  );
}
