'use client';
import { useId, useState } from 'react';
import { controlClass } from './input';

/**
 * "Type the identifier to confirm" for destructive actions. Submits the typed text as `name` (default "confirm")
 * so the SERVER can compare it; `onMatchChange` lets a parent enable its submit button (a convenience only).
 */
export function ConfirmInput({ expected, name = 'confirm', label, onMatchChange, errors }: { expected: string; name?: string; label?: string; onMatchChange?: (match: boolean) => void; errors?: string[] }) {
  const id = useId();
  const [value, setValue] = useState('');
  const match = value === expected;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label ?? (
          <>
            Type <code className="rounded bg-zinc-100 px-1 font-mono dark:bg-zinc-800">{expected}</code> to confirm
          </>
        )}
      </label>
      <input
        id={id}
        name={name}
        autoComplete="off"
        spellCheck={false}
        value={value}
        aria-invalid={(value !== '' && !match) || !!errors?.length || undefined}
        onChange={(e) => {
          setValue(e.target.value);
          onMatchChange?.(e.target.value === expected);
        }}
        className={controlClass(!!errors?.length)}
      />
      {errors?.length ? <p className="text-xs text-red-700 dark:text-red-400">{errors.join(' ')}</p> : null}
    </div>
  );
}
