'use client';
import { Field, fieldProps, inputClass } from '@/components/ui/field';
import { fieldError } from '@/components/forms/action-result';
import type { ActionResult } from '@/lib/actions/define-action';
import { HINTS } from '@/lib/aws/rds-rules';
import { RESTORE_READERS_MAX } from '@/lib/aws/backup-rules';
import type { OrderableClassDTO } from '@/lib/aws/types';

/** The new cluster of a restore: identifier, instance class of its instances, and how many readers besides the writer. */
export function NewClusterFields({ state, idPrefix, defaultId, classes, defaultClass }: { state: ActionResult | null; idPrefix: string; defaultId: string; classes: OrderableClassDTO[]; defaultClass?: string }) {
  const err = (n: string) => fieldError(state, n);
  const names = classes.map((c) => c.instanceClass);
  if (defaultClass && !names.includes(defaultClass)) names.unshift(defaultClass);
  // Ids are prefixed: the page holds two restore forms.
  const f = (n: string, hint = false) => ({ ...fieldProps(`${idPrefix}-${n}`, err(n), hint), name: n });
  return (
    <div className="grid gap-3 sm:grid-cols-3">
      <Field name={`${idPrefix}-identifier`} label="New cluster identifier" error={err('identifier')}>
        <input {...f('identifier')} {...HINTS.identifier} defaultValue={defaultId} autoComplete="off" className={inputClass} />
      </Field>
      <Field name={`${idPrefix}-instanceClass`} label="Instance class" error={err('instanceClass')}>
        <select {...f('instanceClass')} defaultValue={defaultClass ?? names[0]} className={inputClass}>
          {names.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
      </Field>
      <Field name={`${idPrefix}-readers`} label="Readers" error={err('readers')} hint="Besides the writer (0–15).">
        <input type="number" {...f('readers', true)} min={0} max={RESTORE_READERS_MAX} step={1} defaultValue={0} className={inputClass} />
      </Field>
    </div>
  );
}
