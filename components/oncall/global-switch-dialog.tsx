'use client';

import { ConfirmAndReason } from './confirm-fields';
import { useId, useRef, useState } from 'react';
import { useFormAction } from '@/components/forms/use-form-action';
import { memberLabel } from '@/lib/aws/global-types';
import { failoverGlobalAction, switchoverGlobalAction } from '@/lib/oncall/global-actions';
import type { GlobalStatus } from '@/lib/oncall/global-status';
import { GlobalTimeline } from './global-timeline';

type Mode = 'switchover' | 'failover';
type Result = Awaited<ReturnType<typeof switchoverGlobalAction>>;

const lagText = (ms: number | null | undefined) => (ms === undefined ? 'unknown (CloudWatch did not answer)' : ms === null ? 'no data points yet' : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

/**
 * "Switch over to <region>" (planned, no data loss) or "Fail over to <region>" (unplanned, AllowDataLoss) for one
 * secondary of a global database: a native modal <dialog> with the consequences spelled out, the typed global
 * identifier, and after the request the live timeline. Every rule is enforced again by the server action.
 */
export function GlobalSwitchDialog({
  status,
  region,
  clusterId,
  mode,
  twoPerson,
  onStarted,
  hidden = false,
}: {
  status: GlobalStatus;
  region: string;
  clusterId: string;
  mode: Mode;
  /** The unplanned failover is under the two-person rule (AFC_TWO_PERSON global.failover). */
  twoPerson: boolean;
  onStarted?: () => void;
  /** Hide the button (the member is the primary now) but keep the dialog mounted, so an open one stays open. */
  hidden?: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  const label = `${mode === 'switchover' ? 'Switch over' : 'Fail over'} to ${region}`;
  const titleId = useId();
  const show = () => {
    setOpen(true);
    dialog.current?.showModal();
  };
  const danger = mode === 'failover';
  return (
    <>
      <button
        ref={opener}
        type="button"
        hidden={hidden}
        onClick={show}
        aria-haspopup="dialog"
        className={`rounded border px-3 py-1.5 text-sm font-semibold focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 ${
          danger ? 'border-red-700 text-red-700 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950' : 'border-sky-700 text-sky-800 hover:bg-sky-50 dark:text-sky-300 dark:hover:bg-sky-950'
        }`}
      >
        {label}
        <span className="sr-only"> ({status.db.id})</span>
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        onClose={() => {
          setOpen(false);
          opener.current?.focus();
        }}
        className="m-auto w-[min(38rem,calc(100vw-1rem))] rounded-lg p-0 shadow-xl backdrop:bg-black/50 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <div className="space-y-3 p-4">
          <div className="flex items-start justify-between gap-2">
            <h2 id={titleId} className="text-lg font-semibold">
              {label} <span className="text-sm font-normal text-zinc-600 dark:text-zinc-400">({status.db.id})</span>
            </h2>
            <button type="button" onClick={() => dialog.current?.close()} className="rounded px-2 py-1 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800">
              Close
            </button>
          </div>
          {open ? <SwitchForm status={status} region={region} clusterId={clusterId} mode={mode} twoPerson={twoPerson} onStarted={onStarted} /> : null}
        </div>
      </dialog>
    </>
  );
}

function SwitchForm({ status, region, clusterId, mode, twoPerson, onStarted }: { status: GlobalStatus; region: string; clusterId: string; mode: Mode; twoPerson: boolean; onStarted?: () => void }) {
  const uid = useId();
  const [started, setStarted] = useState(false);
  const { state, pending, onSubmit } = useFormAction(async (prev: Result | null, fd: FormData) => {
    const r = await (mode === 'switchover' ? switchoverGlobalAction : failoverGlobalAction)(prev, fd);
    if (r.ok && r.data && !r.data.pending) {
      setStarted(true);
      onStarted?.();
    }
    return r;
  });
  const db = status.db;
  const primary = db.primary ? memberLabel(db.primary) : 'the primary';
  const lag = status.lag.find((l) => l.region === region && l.clusterId === clusterId);
  const member = db.members.find((m) => m.region === region && m.clusterId === clusterId);
  const primaryState = status.members.find((m) => db.primary && m.region === db.primary.region);
  const op = status.operation;

  if (state?.ok) {
    const pendingApproval = state.data?.pending;
    return (
      <div className="space-y-3">
        <p role="status" data-testid="global-switch-message" className="rounded bg-emerald-50 p-2 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200">
          {state.message}
        </p>
        {pendingApproval ? (
          <p className="text-sm">
            Waiting for a second admin: <a className="underline" href="/approvals">Approvals</a>. The timeline starts when it is approved.
          </p>
        ) : null}
        {started && op && op.op.requestedAt >= status.serverNow - 120_000 ? <GlobalTimeline mode={op.mode} op={op.op} timeline={op.timeline} globalId={db.id} /> : started ? <p className="text-sm text-zinc-600 dark:text-zinc-400" aria-live="polite">Waiting for the first status…</p> : null}
      </div>
    );
  }
  const fe = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-describedby={`${uid}-what`}>
      <input type="hidden" name="globalId" value={db.id} />
      <input type="hidden" name="targetRegion" value={region} />
      <input type="hidden" name="targetClusterId" value={clusterId} />
      {mode === 'switchover' ? (
        <div id={`${uid}-what`} className="space-y-1 text-sm text-zinc-700 dark:text-zinc-300" data-testid="switchover-explainer">
          <p>
            Planned: Aurora <strong>waits until {region} / {clusterId} is in sync</strong> with {primary}, then swaps the roles. {primary} becomes a secondary.{' '}
            <strong>No data is lost</strong>; writes pause while the roles move.
          </p>
          <p>
            Now: {member?.syncStatus ?? 'sync status unknown'} · replication lag {lagText(lag?.ok ? lag.lagMs : undefined)}.
          </p>
        </div>
      ) : (
        <div id={`${uid}-what`} className="space-y-2 text-sm" data-testid="failover-explainer">
          <p className="text-zinc-700 dark:text-zinc-300">
            Unplanned, for when {primary} is down: {region} / {clusterId} is promoted <strong>at once</strong>, without waiting for it to catch up.
            {primaryState && !primaryState.ok ? <> ({primaryState.region} is not answering: {primaryState.error})</> : null}
          </p>
          <p role="note" className="rounded border border-red-300 bg-red-50 p-2 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100" data-testid="data-loss">
            Data that will be lost: the writes of roughly the last <strong data-testid="rpo-lag">{lagText(lag?.ok ? lag.rpoMs : undefined)}</strong> on {primary} (the
            current RPO lag of {region}
            {lag?.ok && lag.lagAt ? `, measured ${new Date(lag.lagAt).toISOString().slice(11, 19)} UTC` : ''}).
          </p>
          {twoPerson ? <p className="text-zinc-700 dark:text-zinc-300">Two-person rule: a second admin must approve this on the Approvals page before anything is sent to AWS.</p> : null}
          <label className="flex items-start gap-2">
            <input type="checkbox" name="acceptDataLoss" className="mt-1" aria-invalid={!!fe?.acceptDataLoss} />
            <span>I accept losing the writes that have not reached {region} (AllowDataLoss).</span>
          </label>
          {fe?.acceptDataLoss && fe.acceptDataLoss.join(' ') !== state?.error ? <p className="text-red-700 dark:text-red-400">{fe.acceptDataLoss.join(' ')}</p> : null}
        </div>
      )}
      <ConfirmAndReason uid={uid} id={db.id} errors={fe?.confirm} announced={state && !state.ok ? state.error : undefined} />
      <div aria-live="polite" className="text-sm">
        {state && !state.ok ? (
          // A field's own message is shown under the field; here only once, as the announcement.
          <p role="alert" className="text-red-700 dark:text-red-400" data-testid="global-switch-error">
            {state.error}
          </p>
        ) : null}
      </div>
      <button
        type="submit"
        disabled={pending}
        className={`w-full rounded px-3 py-2 text-sm font-semibold text-white focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 disabled:opacity-60 sm:w-auto ${
          mode === 'failover' ? 'bg-red-700 hover:bg-red-800' : 'bg-sky-700 hover:bg-sky-800'
        }`}
      >
        {pending ? 'Sending…' : mode === 'switchover' ? 'Switch over now' : twoPerson ? 'Request failover' : 'Fail over now'}
      </button>
    </form>
  );
}
