'use client';
import { useEffect, useState } from 'react';

/**
 * Hidden `idempotencyKey` for forms posting to a defineAction action: a double click, a retried request or a
 * resubmitted form within 10 minutes returns the first result instead of running the action again.
 * Pass the action's last result as `rotateOn` so the NEXT deliberate submission gets a fresh key.
 * (The key is created in the browser after hydration; before that the field is empty and the action simply runs.)
 */
export function IdempotencyField({ rotateOn }: { rotateOn?: unknown }) {
  const [key, setKey] = useState('');
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- a browser-only random value, created once per submission cycle
    setKey(crypto.randomUUID());
  }, [rotateOn]);
  return <input type="hidden" name="idempotencyKey" value={key} readOnly />;
}
