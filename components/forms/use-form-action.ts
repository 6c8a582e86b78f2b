'use client';
import { startTransition, useActionState, useEffect, useRef, type FormEvent } from 'react';
import { newIdempotencyKey, type FormAction, type FormResult } from './action-result';

/**
 * useActionState for our server actions, submitted via onSubmit so React does not reset the fields after a
 * result (people fix one field, not retype the form). Adds `idempotencyKey`: one key per attempt, so a double
 * submit (or a retried request) returns the first result; a new key after each result.
 */
export function useFormAction<T>(action: FormAction<T>) {
  const [state, formAction, pending] = useActionState<FormResult<T> | null, FormData>(action, null);
  const keyRef = useRef<string | null>(null);
  useEffect(() => {
    keyRef.current = null;
  }, [state]);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (pending) return;
    const fd = new FormData(e.currentTarget);
    keyRef.current ??= newIdempotencyKey();
    fd.set('idempotencyKey', keyRef.current);
    startTransition(() => formAction(fd));
  };
  return { state, pending, onSubmit };
}
