'use client';
import { useFormStatus } from 'react-dom';
import type { ReactNode } from 'react';

/** Disabled while its form is submitting (the idempotency key covers what slips through). */
export function SubmitButton(props: { children: ReactNode; pendingText?: string; tone?: 'primary' | 'danger' | 'plain'; disabled?: boolean; className?: string; pending?: boolean; ariaLabel?: string; title?: string }) {
  const status = useFormStatus();
  const pending = props.pending ?? status.pending;
  const tone =
    props.tone === 'danger'
      ? 'bg-red-700 text-white hover:bg-red-800'
      : props.tone === 'plain'
        ? 'border border-zinc-300 bg-white text-zinc-800 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100'
        : 'bg-sky-700 text-white hover:bg-sky-800';
  return (
    <button
      type="submit"
      aria-label={props.ariaLabel}
      title={props.title}
      disabled={pending || props.disabled}
      aria-disabled={pending || props.disabled}
      className={`rounded px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-50 ${tone} ${props.className ?? ''}`}
    >
      {pending ? (props.pendingText ?? 'Working…') : props.children}
    </button>
  );
}
