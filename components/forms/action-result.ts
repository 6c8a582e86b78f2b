// The shape server actions return (lib/actions/define-action.ts), as seen by client forms.
export type FormResult<T = unknown> =
  | { ok: true; data: T; message?: string; awsRequestId?: string }
  | { ok: false; error: string; code?: string; fieldErrors?: Record<string, string[] | undefined> };

export type FormAction<T = unknown> = (prev: any, formData: FormData) => Promise<FormResult<T>>;

export function fieldError(state: FormResult | null | undefined, name: string): string | undefined {
  if (!state || state.ok) return undefined;
  return state.fieldErrors?.[name]?.[0];
}
