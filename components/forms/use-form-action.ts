'use client';
import { startTransition, useActionState, type FormEvent } from 'react';
import type { ActionResult, FormAction } from '@/lib/actions/define-action';
import { useIdempotencyKey } from './use-idempotency-key';

/**
 * useActionState for our server actions, submitted via onSubmit so React does not reset the fields after a
 * result (people fix one field, not retype the form). Adds `idempotencyKey`: one key per attempt, so a double
 * submit (or a retried request) returns the first result; a new key after each result.
 */
export function useFormAction<T>(action: FormAction<T>) {
  const [state, formAction, pending] = useActionState<ActionResult<T> | null, FormData>(action, null);
  const stampKey = useIdempotencyKey(state);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (pending) return;
    const fd = stampKey(new FormData(e.currentTarget));
    startTransition(() => formAction(fd));
  };
  return { state, pending, onSubmit };
}
