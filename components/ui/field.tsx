import type { ReactNode } from 'react';

/** Label + control + hint + error beside the field. The control must use id={name} (see fieldProps). */
export function Field(props: { name: string; label: string; error?: string; hint?: ReactNode; children: ReactNode; className?: string }) {
  const { name, label, error, hint, children, className } = props;
  return (
    <div className={`space-y-1 ${className ?? ''}`}>
      <label htmlFor={name} className="block text-sm font-medium">
        {label}
      </label>
      {children}
      {hint ? (
        <p id={`${name}-hint`} className="text-xs text-zinc-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${name}-error`} role="alert" data-testid={`error-${name}`} className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** id/name/aria wiring for a control inside <Field>. */
export function fieldProps(name: string, error?: string, hint = false) {
  const describedBy = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  return { id: name, name, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy } as const;
}

export const inputClass =
  'block w-full rounded border border-zinc-300 bg-white px-2 py-1.5 text-sm shadow-sm focus:border-sky-600 focus:outline-none focus:ring-1 focus:ring-sky-600 disabled:opacity-60 aria-[invalid=true]:border-red-600 dark:border-zinc-700 dark:bg-zinc-900';
