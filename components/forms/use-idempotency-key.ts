'use client';
import { useCallback, useEffect, useRef } from 'react';

/** A random key; falls back to time + Math.random where crypto.randomUUID is missing (non-secure contexts). */
function newIdempotencyKey(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * The `idempotencyKey` field for forms posting to a defineAction action: every submission until the next
 * `result` carries the same key, so a double submit (or a retried request) returns the first result; a new
 * result starts a new key. Returns `stamp(formData)`, which sets the field and returns the same FormData.
 */
export function useIdempotencyKey(result: unknown): (fd: FormData) => FormData {
  const keyRef = useRef<string | null>(null);
  useEffect(() => {
    keyRef.current = null;
  }, [result]);
  return useCallback((fd: FormData) => {
    keyRef.current ??= newIdempotencyKey();
    fd.set('idempotencyKey', keyRef.current);
    return fd;
  }, []);
}
