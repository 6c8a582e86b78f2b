import type { ButtonHTMLAttributes } from 'react';
import { cx } from './cx';

type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost';

export const buttonClass = (variant: ButtonVariant = 'secondary', size: 'sm' | 'md' = 'md') =>
  cx(
    'inline-flex items-center justify-center gap-1.5 rounded font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 disabled:cursor-not-allowed disabled:opacity-50',
    size === 'sm' ? 'px-2 py-1 text-xs' : 'px-3 py-1.5 text-sm',
    variant === 'primary' && 'bg-sky-700 text-white hover:bg-sky-800',
    variant === 'secondary' && 'border border-zinc-300 bg-white text-zinc-900 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800',
    variant === 'danger' && 'bg-red-700 text-white hover:bg-red-800',
    variant === 'ghost' && 'text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800',
  );

export function Button({ variant = 'secondary', size = 'md', className, type = 'button', ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; size?: 'sm' | 'md' }) {
  return <button type={type} className={cx(buttonClass(variant, size), className)} {...rest} />;
}
