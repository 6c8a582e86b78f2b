'use client';

import { useCallback, useRef, useState } from 'react';
import type { ClusterDTO } from '@/lib/aws/types';
import { FailoverForm } from './failover-form';
import { FailoverTimeline } from './failover-timeline';
import { useOncallStatus } from './use-oncall-status';

function LiveTimeline({ region, clusterId }: { region: string; clusterId: string }) {
  const { status, error } = useOncallStatus(region, clusterId);
  if (error) return <p className="text-sm text-amber-700">{error}</p>;
  if (!status?.failover) return <p className="text-sm text-zinc-500">Waiting for the first status…</p>;
  return <FailoverTimeline op={status.failover.op} timeline={status.failover.timeline} clusterId={clusterId} />;
}

/**
 * "Fail over" button + modal dialog (native <dialog>: focus moves into it, Escape closes it, focus returns to
 * the button). After a successful request the dialog shows the outcome and the live timeline, not a new form.
 */
export function FailoverDialog({
  cluster,
  predictedTarget,
  lagByInstance,
  label = 'Fail over',
  onStarted,
  onClusterPage = false,
}: {
  cluster: ClusterDTO;
  predictedTarget?: string;
  lagByInstance?: Record<string, number | null>;
  label?: string;
  /** Called when a failover was sent to AWS (not when it was only recorded for approval). */
  onStarted?: () => void;
  /** Opened on the cluster page itself: no link to it. */
  onClusterPage?: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const [started, setStarted] = useState(false);
  const [open, setOpen] = useState(false);
  const onResult = useCallback(
    (r: { ok: boolean; data?: unknown }) => {
      if (r.ok && (r.data as { pending?: boolean } | undefined)?.pending === false) {
        setStarted(true);
        onStarted?.();
      }
    },
    [onStarted],
  );

  const show = () => {
    setOpen(true);
    dialog.current?.showModal();
    requestAnimationFrame(() => dialog.current?.querySelector<HTMLInputElement>('input[type=radio]:checked')?.focus());
  };
  const close = () => dialog.current?.close();

  return (
    <>
      <button
        ref={opener}
        type="button"
        onClick={show}
        aria-haspopup="dialog"
        className="rounded border border-red-700 px-3 py-1.5 text-sm font-semibold text-red-700 hover:bg-red-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 dark:text-red-400 dark:hover:bg-red-950"
      >
        {label}
        <span className="sr-only"> {cluster.id}</span>
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={`fo-title-${cluster.region}-${cluster.id}`}
        onClose={() => {
          setOpen(false);
          setStarted(false);
          opener.current?.focus();
        }}
        className="m-auto w-[min(36rem,calc(100vw-1rem))] rounded-lg p-0 shadow-xl backdrop:bg-black/50 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <div className="space-y-3 p-4">
          <div className="flex items-start justify-between gap-2">
            <h2 id={`fo-title-${cluster.region}-${cluster.id}`} className="text-lg font-semibold">
              Fail over {cluster.id} <span className="text-sm font-normal text-zinc-500">({cluster.region})</span>
            </h2>
            <button type="button" onClick={close} className="rounded px-2 py-1 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800">
              Close
            </button>
          </div>
          {open ? <FailoverForm cluster={cluster} predictedTarget={predictedTarget} lagByInstance={lagByInstance} onResult={onResult} /> : null}
          {open && started ? <LiveTimeline region={cluster.region} clusterId={cluster.id} /> : null}
          {onClusterPage ? null : (
            <p className="text-xs text-zinc-500">
              <a className="underline" href={`/clusters/${cluster.region}/${cluster.id}#failover`}>
                Open the cluster page
              </a>{' '}
              to follow it with metrics and events.
            </p>
          )}
        </div>
      </dialog>
    </>
  );
}
