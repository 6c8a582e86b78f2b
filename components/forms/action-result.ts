import type { ActionResult } from '@/lib/actions/define-action';

/** The first message for one field of a refused action result, if any. */
export function fieldError(state: ActionResult | null | undefined, name: string): string | undefined {
  if (!state || state.ok) return undefined;
  return state.fieldErrors?.[name]?.[0];
}
