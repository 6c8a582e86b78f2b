'use client';

import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ActionResult, FormAction } from '@/lib/actions/define-action';
import type { BacktrackActionData } from '@/lib/oncall/actions';
import { useFormAction } from '@/components/forms/use-form-action';
import { useHydrated } from '@/components/ui/use-hydrated';
import { backtrackClusterAction, setBacktrackWindowAction } from '@/lib/oncall/actions';
import type { OncallStatus } from '@/lib/oncall/status';

/** "YYYY-MM-DDTHH:MM:SS" in the viewer's timezone, for <input type="datetime-local">. */
export function toLocalInputValue(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The ISO instant of a datetime-local value, read in the viewer's timezone; '' when empty or malformed. */
export function localInputToIso(v: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v)) return '';
  const d = new Date(v); // no zone → local time, per ECMAScript
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

const both = (iso?: string) => (iso ? `${new Date(iso).toLocaleString()} (${iso.replace('.000Z', 'Z')} UTC)` : '—');

const STEPS = ['pending', 'applying', 'completed'] as const;

/** The shared form hook (one idempotency key per attempt, typed values kept after a refusal), plus a callback on success. */
function useActionThen<T>(action: FormAction<T>, onOk: () => void) {
  return useFormAction<T>(async (prev, fd) => {
    const r = await action(prev, fd);
    if (r.ok) onOk();
    return r;
  });
}

function WindowForm({ status, onDone }: { status: OncallStatus; onDone: () => void }) {
  const c = status.cluster;
  const { state, pending, onSubmit } = useActionThen(setBacktrackWindowAction, onDone);
  const [hours, setHours] = useState(String((c.backtrackWindowSeconds ?? 0) / 3600));
  const uid = useId();
  const zero = Number(hours) === 0 && hours.trim() !== '';
  const fe = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form onSubmit={onSubmit} className="space-y-2 rounded border border-zinc-200 p-3 dark:border-zinc-700" aria-label="Change the backtrack window">
      <input type="hidden" name="region" value={c.region} />
      <input type="hidden" name="clusterId" value={c.id} />
      <label htmlFor={`${uid}-h`} className="block text-sm font-medium">
        Target backtrack window (hours, 0–72)
      </label>
      <div className="flex flex-wrap items-center gap-2">
        <input
          id={`${uid}-h`}
          name="hours"
          type="number"
          min={0}
          max={72}
          step="any"
          value={hours}
          onChange={(e) => setHours(e.target.value)}
          className="w-28 rounded border border-zinc-300 px-2 py-1.5 text-sm dark:border-zinc-600 dark:bg-zinc-900"
        />
        <button type="submit" disabled={pending} className="rounded bg-zinc-800 px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-60 dark:bg-zinc-200 dark:text-zinc-900">
          {pending ? 'Saving…' : 'Change window'}
        </button>
      </div>
      {zero ? (
        <div className="space-y-1 rounded bg-amber-50 p-2 text-sm dark:bg-amber-950">
          <p>Setting 0 disables backtrack on {c.id} for good: AWS cannot turn it back on for this cluster.</p>
          <label className="flex items-center gap-2">
            <input type="checkbox" name="disableForGood" /> Disable backtrack for good
          </label>
          <label className="block">
            Type <code>{c.id}</code> to confirm
            <input name="confirm" autoComplete="off" className="mt-1 w-full rounded border border-zinc-300 px-2 py-1 dark:border-zinc-600 dark:bg-zinc-900" />
          </label>
        </div>
      ) : null}
      <div aria-live="polite" className="text-sm">
        {state && !state.ok ? (
          <p role="alert" className="text-red-700 dark:text-red-400" data-testid="window-error">
            {state.error}
            {fe?.hours ? ` ${fe.hours.join(' ')}` : ''}
          </p>
        ) : state?.ok ? (
          <p className="text-emerald-700 dark:text-emerald-400" data-testid="window-message">
            {state.message}
          </p>
        ) : null}
      </div>
    </form>
  );
}

/**
 * What became of the request this form sent, read from the live status (not the moment of sending): waiting
 * for a second admin, approved and running, refused, or the backtrack's own progress.
 */
export function backtrackOutcome(state: ActionResult<BacktrackActionData> | null, status: OncallStatus): string | undefined {
  if (!state?.ok) return undefined;
  const d = state.data;
  if (!d) return state.message;
  if (!d.pending) {
    const b = status.backtrack?.backtracks.find((x) => x.backtrackId === d.backtrackId);
    return b ? `Backtrack to ${both(b.backtrackTo)}: ${b.status}.` : state.message;
  }
  if (status.pendingApprovals.some((a) => a.id === d.approvalId)) return state.message;
  const dec = status.recentDecisions?.find((a) => a.id === d.approvalId);
  if (!dec) return state.message;
  const by = dec.decidedBy ? ` by ${dec.decidedBy}` : '';
  if (dec.status === 'rejected') return `Rejected${by}: nothing was sent to AWS.`;
  if (dec.status === 'expired') return 'The request expired before a second admin approved it: nothing was sent to AWS.';
  if (dec.status === 'failed') return `Approved${by}, but the backtrack failed: ${dec.error ?? 'AWS refused it'}.`;
  const run = status.backtrack?.active;
  return `Approved${by}: the backtrack was sent to AWS${run ? ` and is ${run.status}` : ''}. Its progress and result are below.`;
}

function BacktrackForm({ status, prefill, onDone }: { status: OncallStatus; prefill?: string; onDone: () => void }) {
  const c = status.cluster;
  const { state, pending, onSubmit } = useActionThen(backtrackClusterAction, onDone);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok) formRef.current?.reset(); // another request needs the identifier typed again
  }, [state]);
  // Rendered in the browser only (see BacktrackPanel), so the prefill is read in the viewer's timezone.
  const fromPrefill = (p?: string) => (p && !Number.isNaN(Date.parse(p)) ? toLocalInputValue(new Date(p)) : '');
  const [local, setLocal] = useState(() => fromPrefill(prefill));
  // Another moment picked on a chart (the URL's ?backtrackTo= changed) replaces the time in the form.
  const [seenPrefill, setSeenPrefill] = useState(prefill);
  if (prefill !== seenPrefill) {
    setSeenPrefill(prefill);
    const next = fromPrefill(prefill);
    if (next) setLocal(next);
  }
  const uid = useId();
  const iso = useMemo(() => localInputToIso(local), [local]);
  const tz = typeof Intl !== 'undefined' ? Intl.DateTimeFormat().resolvedOptions().timeZone : 'local';
  const fe = state && !state.ok ? state.fieldErrors : undefined;
  // A moment before the earliest backtrack time (a new cluster's history starts at its creation) is said in
  // one sentence as soon as it is picked, with the answer: the box right below goes back to the earliest time.
  const earliest = c.earliestBacktrackTime;
  const tooEarly = !!iso && !!earliest && Date.parse(iso) < Date.parse(earliest);
  const [useEarliest, setUseEarliest] = useState(false);
  const outcome = backtrackOutcome(state, status);
  return (
    <form ref={formRef} onSubmit={onSubmit} className="space-y-2 rounded border border-zinc-200 p-3 dark:border-zinc-700" aria-label="Backtrack the cluster">
      <input type="hidden" name="region" value={c.region} />
      <input type="hidden" name="clusterId" value={c.id} />
      <input type="hidden" name="backtrackTo" value={iso || (local ? `invalid:${local}` : '')} />
      <label htmlFor={`${uid}-t`} className="block text-sm font-medium">
        Backtrack to <span className="font-normal text-zinc-500">(your time zone: {tz})</span>
      </label>
      <input
        id={`${uid}-t`}
        type="datetime-local"
        step={1}
        value={local}
        onChange={(e) => setLocal(e.target.value)}
        className="rounded border border-zinc-300 px-2 py-1.5 text-sm dark:border-zinc-600 dark:bg-zinc-900"
        aria-describedby={`${uid}-utc`}
      />
      <p id={`${uid}-utc`} className="text-sm text-zinc-500" data-testid="backtrack-utc">
        {iso ? `= ${iso.replace('.000Z', 'Z')} UTC` : 'Pick a date and time.'}
      </p>
      {fe?.backtrackTo ? <p className="text-sm text-red-700 dark:text-red-400">{fe.backtrackTo.join(' ')}</p> : null}
      {tooEarly ? (
        <p className="rounded bg-amber-50 p-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100" data-testid="backtrack-clamped">
          That is before the earliest backtrack time, {both(earliest)}: {c.id} has no history before it.{' '}
          {useEarliest
            ? 'The cluster will go back to the earliest backtrack time instead.'
            : 'Tick the box below to go back to the earliest time instead, or pick a later time.'}
        </p>
      ) : null}
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="useEarliest" checked={useEarliest} onChange={(e) => setUseEarliest(e.target.checked)} /> If that moment is before the earliest
        backtrack time, go back to the earliest time instead
      </label>
      <label htmlFor={`${uid}-c`} className="block text-sm font-medium">
        Type <code>{c.id}</code> to confirm
      </label>
      <input id={`${uid}-c`} name="confirm" autoComplete="off" className="w-full rounded border border-zinc-300 px-2 py-1.5 text-sm dark:border-zinc-600 dark:bg-zinc-900" />
      <label htmlFor={`${uid}-r`} className="block text-sm font-medium">
        Reason <span className="font-normal text-zinc-500">(recorded in the audit)</span>
      </label>
      <input id={`${uid}-r`} name="reason" maxLength={500} className="w-full rounded border border-zinc-300 px-2 py-1.5 text-sm dark:border-zinc-600 dark:bg-zinc-900" />
      <p className="text-sm text-zinc-600 dark:text-zinc-300">
        The whole cluster rewinds: connections close and every change after that moment is undone.
      </p>
      <div aria-live="polite" className="text-sm">
        {state && !state.ok ? (
          <p role="alert" className="text-red-700 dark:text-red-400" data-testid="backtrack-error">
            {state.error}
          </p>
        ) : outcome ? (
          <p className="text-emerald-700 dark:text-emerald-400" data-testid="backtrack-message">
            {outcome}
          </p>
        ) : null}
      </div>
      <button type="submit" disabled={pending} className="rounded bg-red-700 px-3 py-2 text-sm font-semibold text-white disabled:opacity-60">
        {pending ? 'Requesting…' : 'Backtrack'}
      </button>
    </form>
  );
}

/** Backtrack panel (Aurora MySQL): window, earliest time, progress, history, and the admin forms. */
export function BacktrackPanel({
  status,
  canBacktrack,
  canModify,
  prefill,
  onChange,
}: {
  status: OncallStatus;
  canBacktrack: boolean;
  canModify: boolean;
  prefill?: string;
  onChange: () => void;
}) {
  const c = status.cluster;
  const bt = status.backtrack;
  const inBrowser = useHydrated(); // times are shown in the viewer's timezone, so the form renders in the browser only
  return (
    <section id="backtrack" aria-labelledby="backtrack-title" className="space-y-3 scroll-mt-16">
      <h2 id="backtrack-title" className="text-base font-semibold">
        Backtrack
      </h2>
      {c.engine !== 'aurora-mysql' ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-300" data-testid="backtrack-unsupported">
          {bt?.unsupported?.message ?? 'Backtrack is an Aurora MySQL feature.'}
        </p>
      ) : (
        <>
          <dl className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
            <dt className="text-zinc-500">Target window</dt>
            <dd data-testid="backtrack-window">{c.backtrackWindowSeconds ? `${c.backtrackWindowSeconds / 3600} h (${c.backtrackWindowSeconds} s)` : 'not enabled'}</dd>
            <dt className="text-zinc-500">Earliest backtrack time</dt>
            <dd data-testid="earliest-backtrack">{both(c.earliestBacktrackTime)}</dd>
          </dl>
          {bt?.unsupported ? (
            <p className="rounded bg-zinc-100 p-2 text-sm dark:bg-zinc-800" data-testid="backtrack-unsupported">
              {bt.unsupported.message}
            </p>
          ) : null}
          {bt?.active ? (
            <div data-testid="backtrack-progress" aria-live="polite" className="rounded border border-amber-300 p-2 text-sm dark:border-amber-700">
              Backtrack to {both(bt.active.backtrackTo)}:{' '}
              {STEPS.map((s, i) => (
                <span key={s} className={bt.active!.status === s ? 'font-semibold' : 'text-zinc-500'}>
                  {i ? ' → ' : ''}
                  {s}
                </span>
              ))}
              <span className="ml-2 text-zinc-500">(cluster {c.status})</span>
            </div>
          ) : null}
          {status.pendingApprovals.filter((a) => a.action === 'cluster.backtrack').map((a) => (
            <p key={a.id} className="rounded bg-sky-50 p-2 text-sm dark:bg-sky-950" data-testid="backtrack-pending-approval">
              Waiting for a second admin: {a.summary}, requested by {a.requestedBy}; expires {new Date(a.expiresAt).toLocaleTimeString()}.{' '}
              <a href="/approvals" className="underline">
                Approvals
              </a>
            </p>
          ))}
          {!bt?.unsupported && canModify ? <WindowForm status={status} onDone={onChange} /> : null}
          {!bt?.unsupported && canBacktrack ? (
            inBrowser ? (
              <BacktrackForm status={status} prefill={prefill} onDone={onChange} />
            ) : (
              <p className="text-sm text-zinc-500">Loading the backtrack form…</p>
            )
          ) : null}
          {!canBacktrack && !bt?.unsupported ? <p className="text-sm text-zinc-500">Only admins can backtrack or change the window.</p> : null}
          {/* Focusable, so a keyboard can scroll the history sideways on a phone. */}
          <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Backtrack history">
            <table className="w-full text-left text-sm" data-testid="backtrack-history">
              <caption className="mb-1 text-left text-sm font-medium">History (DescribeDBClusterBacktracks)</caption>
              <thead className="text-zinc-500">
                <tr>
                  <th className="pr-3 font-normal">Requested</th>
                  <th className="pr-3 font-normal">Back to (UTC)</th>
                  <th className="pr-3 font-normal">From (UTC)</th>
                  <th className="pr-3 font-normal">Status</th>
                  <th className="font-normal">Id</th>
                </tr>
              </thead>
              <tbody>
                {(bt?.backtracks ?? []).map((b) => (
                  <tr key={b.backtrackId} className="border-t border-zinc-100 dark:border-zinc-800">
                    <td className="pr-3">{b.requestedAt ? new Date(b.requestedAt).toLocaleString() : '—'}</td>
                    <td className="pr-3 tabular-nums">{b.backtrackTo ?? '—'}</td>
                    <td className="pr-3 tabular-nums">{b.backtrackedFrom ?? '—'}</td>
                    <td className="pr-3" data-testid="backtrack-status">
                      {b.status}
                    </td>
                    <td className="font-mono text-xs">{b.backtrackId.slice(0, 8)}</td>
                  </tr>
                ))}
                {bt && bt.backtracks.length === 0 ? (
                  <tr>
                    <td colSpan={5} className="text-zinc-500">
                      {bt.historyError ?? 'No backtracks yet.'}
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
