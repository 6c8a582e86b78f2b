import type { InputHTMLAttributes, SelectHTMLAttributes } from 'react';
import { cx } from './cx';

const controlClass = (invalid?: boolean) =>
  cx(
    'block w-full rounded border bg-white px-2 py-1.5 text-sm text-zinc-900 placeholder:text-zinc-400 focus:outline-2 focus:outline-offset-0 focus:outline-sky-600 disabled:opacity-60 dark:bg-zinc-900 dark:text-zinc-100',
    invalid ? 'border-red-600 dark:border-red-500' : 'border-zinc-300 dark:border-zinc-700',
  );

export function Input({ invalid, className, ...rest }: InputHTMLAttributes<HTMLInputElement> & { invalid?: boolean }) {
  return <input aria-invalid={invalid || undefined} className={cx(controlClass(invalid), className)} {...rest} />;
}

export function Select({ invalid, className, options, children, ...rest }: SelectHTMLAttributes<HTMLSelectElement> & { invalid?: boolean; options?: (string | { value: string; label: string })[] }) {
  return (
    <select aria-invalid={invalid || undefined} className={cx(controlClass(invalid), 'pr-7', className)} {...rest}>
      {options?.map((o) => (typeof o === 'string' ? <option key={o} value={o}>{o}</option> : <option key={o.value} value={o.value}>{o.label}</option>))}
      {children}
    </select>
  );
}
