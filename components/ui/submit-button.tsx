'use client';
import { useFormStatus } from 'react-dom';
import type { ButtonHTMLAttributes } from 'react';
import { Button, type ButtonVariant } from './button';

/** A submit button that disables itself (and says so) while its form's action runs: no double submits. */
export function SubmitButton({ children, pendingText, variant = 'primary', disabled, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { pendingText?: string; variant?: ButtonVariant }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" variant={variant} disabled={pending || disabled} aria-disabled={pending || disabled} {...rest}>
      {pending ? (pendingText ?? 'Working…') : children}
    </Button>
  );
}
