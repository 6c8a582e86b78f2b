'use client';
// The last two fields of every dangerous on-call form (cluster failover, global switchover and failover): type the
// identifier to confirm, and an optional reason that the audit records.

/**
 * `errors` are the confirm field's messages; one that is also the form's announced error (`announced`) is not
 * repeated under the field.
 */
export function ConfirmAndReason({ uid, id, errors, announced }: { uid: string; id: string; errors?: string[]; announced?: string }) {
  const message = errors?.join(' ');
  return (
    <>
      <div>
        <label htmlFor={`${uid}-confirm`} className="block text-sm font-medium">
          Type <code>{id}</code> to confirm
        </label>
        <input
          id={`${uid}-confirm`}
          name="confirm"
          autoComplete="off"
          spellCheck={false}
          required
          aria-invalid={!!message}
          className="mt-1 w-full rounded border border-zinc-300 px-2 py-1.5 text-sm dark:border-zinc-600 dark:bg-zinc-900"
        />
        {message && message !== announced ? <p className="text-sm text-red-700 dark:text-red-400">{message}</p> : null}
      </div>
      <div>
        <label htmlFor={`${uid}-reason`} className="block text-sm font-medium">
          Reason <span className="font-normal text-zinc-600 dark:text-zinc-400">(optional, recorded in the audit)</span>
        </label>
        <input id={`${uid}-reason`} name="reason" maxLength={500} className="mt-1 w-full rounded border border-zinc-300 px-2 py-1.5 text-sm dark:border-zinc-600 dark:bg-zinc-900" />
      </div>
    </>
  );
}
