'use client';
import Link from 'next/link';
import type { ActionResult } from '@/lib/actions/define-action';
import type { RestoreResult } from '@/lib/aws/backup-types';

/** What a restore created, step by step, with the way to the new cluster's page (which follows its creation live). */
export function RestoreOutcome({ state, testId }: { state: ActionResult<RestoreResult> | null; testId: string }) {
  return (
    <div aria-live="polite" data-testid={testId}>
      {state && !state.ok ? (
        <p role="alert" data-testid="form-error" className="rounded bg-red-50 p-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-300">
          {/* A refusal that belongs to a field is shown beside it; here only that nothing was created. */}
          {state.fieldErrors && Object.keys(state.fieldErrors).length ? 'Nothing was created: see the message beside the field.' : `${state.error}${state.code === 'VALIDATION' ? '' : ' Nothing was created.'}`}
        </p>
      ) : null}
      {state?.ok ? (
        <div role="status" data-testid="form-success" className="space-y-1 rounded bg-emerald-50 p-2 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">
          <p>{state.message}</p>
          <ul className="list-inside list-disc">
            {state.data.steps.map((s) => (
              <li key={`${s.kind}-${s.id}`}>
                {s.kind} <code>{s.id}</code>: {s.ok ? 'requested' : s.skipped ? 'not attempted' : `failed — ${s.error ?? s.code}`}
              </li>
            ))}
          </ul>
          <Link href={`/clusters/${encodeURIComponent(state.data.region)}/${encodeURIComponent(state.data.clusterId)}`} className="font-medium text-sky-800 underline dark:text-sky-300" data-testid="restored-cluster-link">
            Open {state.data.clusterId} and follow its creation
          </Link>
        </div>
      ) : null}
    </div>
  );
}
