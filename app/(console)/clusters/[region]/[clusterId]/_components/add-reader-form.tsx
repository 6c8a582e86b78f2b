'use client';
import { useEffect, useMemo } from 'react';
import { Field, fieldProps, inputClass } from '@/components/ui/field';
import { FormMessage } from '@/components/forms/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { useFormAction } from '@/components/forms/use-form-action';
import type { FormAction } from '@/lib/actions/define-action';
import { fieldError } from '@/components/forms/action-result';
import { addReaderBlockedReason, HINTS } from '@/lib/aws/rds-rules';
import { nextInstanceName, type ClusterDTO, type InstanceDTO, type OrderableClassDTO } from '@/lib/aws/types';

export function AddReaderForm({ cluster, classes, action, onDone }: { cluster: ClusterDTO; classes: OrderableClassDTO[]; action: FormAction<InstanceDTO>; onDone: () => void }) {
  const { state, pending, onSubmit } = useFormAction(action);
  useEffect(() => {
    if (state?.ok) onDone();
  }, [state, onDone]);
  const blocked = addReaderBlockedReason(cluster);
  const suggested = useMemo(() => nextInstanceName(cluster.id, cluster.instances.map((i) => i.id)), [cluster.id, cluster.instances]);
  const writerClass = cluster.instances.find((i) => i.role === 'writer')?.instanceClass;
  const azs = [...new Set(classes.flatMap((c) => c.availabilityZones))].sort();
  const err = (n: string) => fieldError(state, n);
  // The success message follows the live topology: "being created" only while the reader is being created.
  const added = state?.ok ? cluster.instances.find((i) => i.id === state.data.id) : undefined;
  const shown = state?.ok && added && !added.transitional ? { ...state, message: `Reader ${added.id} is ${added.status}.` } : state;
  return (
    <form onSubmit={onSubmit} aria-label="Add reader" className="space-y-3">
      <input type="hidden" name="region" value={cluster.region} />
      <input type="hidden" name="clusterId" value={cluster.id} />
      {blocked ? (
        <p role="note" data-testid="add-reader-blocked" className="rounded bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          {blocked}
        </p>
      ) : null}
      <div className="grid gap-3 sm:grid-cols-4">
        <Field name="instanceId" label="Reader identifier" error={err('instanceId')}>
          <input {...fieldProps('instanceId', err('instanceId'))} {...HINTS.identifier} key={suggested} defaultValue={suggested} className={inputClass} autoComplete="off" />
        </Field>
        <Field name="instanceClass" label="Instance class" error={err('instanceClass')}>
          <select {...fieldProps('instanceClass', err('instanceClass'))} defaultValue={writerClass} className={inputClass}>
            {classes.map((c) => (
              <option key={c.instanceClass}>{c.instanceClass}</option>
            ))}
            {writerClass && !classes.some((c) => c.instanceClass === writerClass) ? <option>{writerClass}</option> : null}
          </select>
        </Field>
        <Field name="az" label="Availability Zone" error={err('az')}>
          <select {...fieldProps('az', err('az'))} className={inputClass} defaultValue="">
            <option value="">No preference</option>
            {azs.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </Field>
        <Field name="promotionTier" label="Promotion tier" error={err('promotionTier')} hint="0–15; lower is promoted first.">
          <input type="number" {...fieldProps('promotionTier', err('promotionTier'), true)} {...HINTS.promotionTier} defaultValue={1} className={inputClass} />
        </Field>
      </div>
      <div className="flex items-center gap-3">
        <SubmitButton pending={pending} disabled={!!blocked} pendingText="Adding…">
          Add reader
        </SubmitButton>
        <span className="text-xs text-zinc-500">{cluster.readerCount} of 15 readers</span>
      </div>
      <FormMessage state={shown} />
    </form>
  );
}
