import type { ReactNode } from 'react';
import { cx } from './cx';

/**
 * Label + control + hint + error list, wired for assistive tech: pass `id` and give the control the same id;
 * the control should set aria-describedby={describedBy(id, errors)} (helper below).
 */
export function describedBy(id: string, errors?: string[], hint?: boolean): string | undefined {
  const ids = [hint ? `${id}-hint` : '', errors?.length ? `${id}-errors` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

export function Field({ id, label, hint, errors, required, className, children }: { id: string; label: ReactNode; hint?: ReactNode; errors?: string[]; required?: boolean; className?: string; children: ReactNode }) {
  return (
    <div className={cx('space-y-1', className)}>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
        {required ? <span aria-hidden="true" className="text-red-700 dark:text-red-400"> *</span> : null}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={`${id}-errors`} errors={errors} />
    </div>
  );
}

export function FieldErrors({ id, errors }: { id?: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <ul id={id} className="space-y-0.5 text-xs text-red-700 dark:text-red-400">
      {errors.map((e) => (
        <li key={e}>{e}</li>
      ))}
    </ul>
  );
}
