'use client';

import { useId, useState } from 'react';
import { useFormAction } from '@/components/forms/use-form-action';
import { createGlobalAction } from '../global/actions';

/** Make an existing (standalone, available) cluster the primary of a new global database (admin). */
export function CreateGlobalForm({ clusters }: { clusters: { region: string; id: string; engine: string }[] }) {
  const uid = useId();
  const [source, setSource] = useState(clusters[0] ? `${clusters[0].region}|${clusters[0].id}` : '');
  const [region, clusterId] = source.split('|');
  const { state, pending, onSubmit } = useFormAction(createGlobalAction);
  const fe = state && !state.ok ? state.fieldErrors : undefined;
  if (clusters.length === 0) return <p className="text-xs text-zinc-600 dark:text-zinc-400">No standalone available cluster to make global.</p>;
  return (
    <details className="rounded border border-zinc-200 p-2 dark:border-zinc-800" open={!!state}>
      <summary className="cursor-pointer text-sm font-medium">Create a global database from a cluster</summary>
      <form onSubmit={onSubmit} className="mt-2 grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end" aria-label="Create a global database">
        <input type="hidden" name="region" value={region ?? ''} />
        <input type="hidden" name="clusterId" value={clusterId ?? ''} />
        <div>
          <label htmlFor={`${uid}-source`} className="block text-sm font-medium">
            Primary cluster
          </label>
          <select id={`${uid}-source`} value={source} onChange={(e) => setSource(e.target.value)} className="mt-1 w-full rounded border border-zinc-300 px-2 py-1.5 text-sm dark:border-zinc-600 dark:bg-zinc-900">
            {clusters.map((c) => (
              <option key={`${c.region}|${c.id}`} value={`${c.region}|${c.id}`}>
                {c.region} / {c.id} ({c.engine})
              </option>
            ))}
          </select>
          {fe?.clusterId ? <p className="text-sm text-red-700 dark:text-red-400">{fe.clusterId.join(' ')}</p> : null}
        </div>
        <div>
          <label htmlFor={`${uid}-id`} className="block text-sm font-medium">
            Global database identifier
          </label>
          <input id={`${uid}-id`} name="globalId" required autoComplete="off" spellCheck={false} defaultValue={clusterId ? `${clusterId}-global` : ''} aria-invalid={!!fe?.globalId} className="mt-1 w-full rounded border border-zinc-300 px-2 py-1.5 text-sm dark:border-zinc-600 dark:bg-zinc-900" />
          {fe?.globalId ? <p className="text-sm text-red-700 dark:text-red-400">{fe.globalId.join(' ')}</p> : null}
        </div>
        <button type="submit" disabled={pending} className="rounded bg-sky-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-sky-800 disabled:opacity-60">
          {pending ? 'Creating…' : 'Create global database'}
        </button>
        <div aria-live="polite" className="text-sm sm:col-span-3">
          {state?.ok ? (
            <p role="status" data-testid="create-global-message" className="text-emerald-800 dark:text-emerald-300">
              {state.message} <a className="underline" href={`/global/${encodeURIComponent(state.data.id)}`}>Open it</a>
            </p>
          ) : state ? (
            <p role="alert" data-testid="create-global-error" className="text-red-700 dark:text-red-400">
              {state.error}
            </p>
          ) : null}
        </div>
      </form>
    </details>
  );
}
