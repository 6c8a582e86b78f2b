import type { ActionResult } from '@/lib/actions/define-action';

/** The form-level outcome, announced to screen readers. */
export function FormMessage({ state }: { state: ActionResult | null | undefined }) {
  return (
    <div aria-live="polite" className="min-h-0">
      {state && !state.ok ? (
        <p role="alert" data-testid="form-error" className="rounded bg-red-50 p-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-300">
          {state.error}
        </p>
      ) : null}
      {state && state.ok && state.message ? (
        <p role="status" data-testid="form-success" className="rounded bg-emerald-50 p-2 text-sm text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300">
          {state.message}
        </p>
      ) : null}
    </div>
  );
}
