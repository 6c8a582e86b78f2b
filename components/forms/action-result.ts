// The shape server actions return (lib/actions/define-action.ts), as seen by client forms.
export type FormResult<T = unknown> =
  | { ok: true; data: T; message?: string; awsRequestId?: string }
  | { ok: false; error: string; code?: string; fieldErrors?: Record<string, string[] | undefined> };

export type FormAction<T = unknown> = (prev: any, formData: FormData) => Promise<FormResult<T>>;

export function fieldError(state: FormResult | null | undefined, name: string): string | undefined {
  if (!state || state.ok) return undefined;
  return state.fieldErrors?.[name]?.[0];
}

/** A fresh idempotency key per form render/result: a double submit of one render returns the first result. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}
