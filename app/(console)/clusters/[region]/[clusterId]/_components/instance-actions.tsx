'use client';
import { useEffect, useState } from 'react';
import { FormMessage } from '@/components/forms/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { useFormAction } from '@/components/forms/use-form-action';
import type { FormAction } from '@/lib/actions/define-action';
import { fieldError } from '@/components/forms/action-result';
import { HINTS } from '@/lib/aws/rds-rules';
import type { ClusterDTO, InstanceDTO } from '@/lib/aws/types';

export interface InstanceActionSet {
  reboot?: FormAction<InstanceDTO>;
  remove?: FormAction<InstanceDTO>;
  modify?: FormAction<InstanceDTO>;
}

function Hidden({ cluster, instance }: { cluster: ClusterDTO; instance: InstanceDTO }) {
  return (
    <>
      <input type="hidden" name="region" value={cluster.region} />
      <input type="hidden" name="clusterId" value={cluster.id} />
      <input type="hidden" name="instanceId" value={instance.id} />
    </>
  );
}

function useDone(state: { ok: boolean } | null, onDone: () => void) {
  useEffect(() => {
    if (state?.ok) onDone();
  }, [state, onDone]);
}

export function InstanceActions({ cluster, instance, actions, onDone }: { cluster: ClusterDTO; instance: InstanceDTO; actions: InstanceActionSet; onDone: () => void }) {
  return (
    <div className="flex flex-wrap items-start gap-2">
      {actions.reboot ? <RebootForm cluster={cluster} instance={instance} action={actions.reboot} onDone={onDone} /> : null}
      {actions.modify ? <TierForm cluster={cluster} instance={instance} action={actions.modify} onDone={onDone} /> : null}
      {actions.remove && instance.role === 'reader' ? <RemoveForm cluster={cluster} instance={instance} action={actions.remove} onDone={onDone} /> : null}
    </div>
  );
}

function RebootForm({ cluster, instance, action, onDone }: { cluster: ClusterDTO; instance: InstanceDTO; action: FormAction<InstanceDTO>; onDone: () => void }) {
  const { state, pending, onSubmit } = useFormAction(action);
  useDone(state, onDone);
  const blocked = instance.status !== 'available';
  return (
    <form onSubmit={onSubmit} className="space-y-1">
      <Hidden cluster={cluster} instance={instance} />
      <SubmitButton pending={pending} tone="plain" disabled={blocked} pendingText="Rebooting…" ariaLabel={`Reboot ${instance.id}`} title={blocked ? `Only an available instance can be rebooted (${instance.status}).` : undefined}>
        Reboot
      </SubmitButton>
      {state && !state.ok ? <FormMessage state={state} /> : null}
    </form>
  );
}

function TierForm({ cluster, instance, action, onDone }: { cluster: ClusterDTO; instance: InstanceDTO; action: FormAction<InstanceDTO>; onDone: () => void }) {
  const { state, pending, onSubmit } = useFormAction(action);
  useDone(state, onDone);
  const id = `tier-${instance.id}`;
  const err = fieldError(state, 'promotionTier');
  return (
    <form onSubmit={onSubmit} className="space-y-1">
      <Hidden cluster={cluster} instance={instance} />
      <div className="flex items-center gap-1">
        <label htmlFor={id} className="text-xs text-zinc-500">
          Tier
        </label>
        <input id={id} name="promotionTier" type="number" {...HINTS.promotionTier} defaultValue={instance.promotionTier} key={instance.promotionTier} aria-label={`Promotion tier of ${instance.id}`} aria-invalid={err ? true : undefined} className="w-14 rounded border border-zinc-300 px-1 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900" />
        <SubmitButton pending={pending} tone="plain" pendingText="Saving…" ariaLabel={`Set promotion tier of ${instance.id}`}>
          Set
        </SubmitButton>
      </div>
      {state && !state.ok ? <FormMessage state={state} /> : null}
    </form>
  );
}

function RemoveForm({ cluster, instance, action, onDone }: { cluster: ClusterDTO; instance: InstanceDTO; action: FormAction<InstanceDTO>; onDone: () => void }) {
  const { state, pending, onSubmit } = useFormAction(action);
  const [armed, setArmed] = useState(false);
  useDone(state, onDone);
  if (instance.status === 'deleting') return null;
  if (!armed)
    return (
      <button type="button" onClick={() => setArmed(true)} aria-label={`Remove reader ${instance.id}`} className="rounded border border-red-300 px-3 py-1.5 text-sm text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-400">
        Remove
      </button>
    );
  return (
    <form onSubmit={onSubmit} className="space-y-1">
      <Hidden cluster={cluster} instance={instance} />
      <div className="flex items-center gap-1">
        <SubmitButton pending={pending} tone="danger" pendingText="Removing…" ariaLabel={`Confirm removing ${instance.id}`}>
          Confirm remove
        </SubmitButton>
        <button type="button" className="text-xs underline" onClick={() => setArmed(false)}>
          Cancel
        </button>
      </div>
      {state && !state.ok ? <FormMessage state={state} /> : null}
    </form>
  );
}
