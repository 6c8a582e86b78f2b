'use client';

import { startTransition, type FormEvent } from 'react';

/**
 * React 19 resets a form's uncontrolled fields after every `action={…}` submission. On a refusal the person
 * should keep what they typed and fix one field, so submit through onSubmit instead (the action still runs in
 * a transition, so useActionState's `pending` works). Call `form.reset()` yourself after a success if wanted.
 */
export function keepValuesSubmit(dispatch: (fd: FormData) => void) {
  return (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const fd = new FormData(e.currentTarget);
    startTransition(() => dispatch(fd));
  };
}
