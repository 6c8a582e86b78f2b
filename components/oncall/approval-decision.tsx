'use client';

import { useActionState, useEffect } from 'react';
import { useRouter } from 'next/navigation';
import { approveRequestAction, rejectRequestAction } from '@/lib/approvals/actions';

/** Approve / Reject buttons for one pending request (a different admin than the requester). */
export function ApprovalDecision({ id, summary, ownRequest }: { id: string; summary: string; ownRequest: boolean }) {
  const [approved, approve, approving] = useActionState(approveRequestAction, null);
  const [rejected, reject, rejecting] = useActionState(rejectRequestAction, null);
  const result = approved ?? rejected;
  const busy = approving || rejecting;
  const router = useRouter();
  // A decided request leaves "Pending" for "Recent decisions" without a reload.
  useEffect(() => {
    if (!result?.ok) return;
    const t = setTimeout(() => router.refresh(), 1_500);
    return () => clearTimeout(t);
  }, [result, router]);
  return (
    <div className="space-y-1">
      <div className="flex flex-wrap gap-2">
        <form action={approve}>
          <input type="hidden" name="id" value={id} />
          <button
            type="submit"
            disabled={busy || !!result?.ok}
            aria-label={`Approve: ${summary}`}
            className="rounded bg-emerald-700 px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-60"
          >
            {approving ? 'Approving…' : 'Approve'}
          </button>
        </form>
        <form action={reject}>
          <input type="hidden" name="id" value={id} />
          <button
            type="submit"
            disabled={busy || !!result?.ok}
            aria-label={`Reject: ${summary}`}
            className="rounded border border-zinc-400 px-3 py-1.5 text-sm disabled:opacity-60"
          >
            {rejecting ? 'Rejecting…' : 'Reject'}
          </button>
        </form>
      </div>
      {ownRequest && !result ? <p className="text-xs text-zinc-500">This is your own request: another admin must decide.</p> : null}
      <div aria-live="polite" className="text-sm">
        {result && !result.ok ? (
          <p role="alert" className="text-red-700 dark:text-red-400" data-testid="approval-error">
            {result.error}
          </p>
        ) : result?.ok ? (
          <p className="text-emerald-700 dark:text-emerald-400" data-testid="approval-message">
            {result.message}
          </p>
        ) : null}
      </div>
    </div>
  );
}
