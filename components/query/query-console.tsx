'use client';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useRouter } from 'next/navigation';
import { runQueryAction } from '@/lib/query/actions';
import type { QueryHistoryEntry, QueryRunResult } from '@/lib/query/types';
import { QUERY_MAX_ROWS } from '@/lib/query/types';
import { useFormAction } from '@/components/forms/use-form-action';
import { Field, fieldProps, inputClass } from '@/components/ui/field';
import { Button } from '@/components/ui/button';
import { SubmitButton } from '@/components/ui/submit-button';
import { QueryResults } from './query-results';
import { tutorialSample } from './samples';

export interface QueryConsoleProps {
  region: string;
  clusterId: string;
  engine: string;
  defaultDatabase?: string;
  history: QueryHistoryEntry[];
}

/** Seconds since `pending` turned on (the Data API waits up to 45 s per statement). */
function useElapsed(pending: boolean): number {
  const [elapsed, setElapsed] = useState(0);
  useEffect(() => {
    if (!pending) return;
    const t0 = Date.now();
    const id = setInterval(() => setElapsed(Math.floor((Date.now() - t0) / 1000)), 1000);
    return () => {
      clearInterval(id);
      setElapsed(0);
    };
  }, [pending]);
  return elapsed;
}

/** The SQL editor: Ctrl/Cmd+Enter runs every statement in order; results, errors and this user's history. */
export function QueryConsole(p: QueryConsoleProps) {
  const { state, pending, onSubmit } = useFormAction(runQueryAction);
  const formRef = useRef<HTMLFormElement>(null);
  const [sql, setSql] = useState('');
  const [database, setDatabase] = useState(p.defaultDatabase ?? '');
  const elapsed = useElapsed(pending);
  const router = useRouter();
  const sample = tutorialSample(p.engine);

  // A new history row exists after every run (it is the audit log's): re-read the page's server data.
  useEffect(() => {
    if (state) router.refresh();
  }, [state, router]);

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      formRef.current?.requestSubmit();
    }
  };
  const result: QueryRunResult | undefined = state?.data as QueryRunResult | undefined;
  const sqlError = state && !state.ok ? state.fieldErrors?.sql?.[0] : undefined;
  const dbError = state && !state.ok ? state.fieldErrors?.database?.[0] : undefined;

  return (
    <div className="space-y-4">
      <form ref={formRef} onSubmit={onSubmit} className="space-y-3" aria-label="SQL editor">
        <input type="hidden" name="region" value={p.region} />
        <input type="hidden" name="clusterId" value={p.clusterId} />
        <Field name="database" label="Database" error={dbError} hint="Empty: the cluster's default database. The Data API has no USE; name the database here.">
          <input {...fieldProps('database', dbError, true)} value={database} onChange={(e) => setDatabase(e.target.value)} className={`${inputClass} max-w-xs font-mono`} autoComplete="off" spellCheck={false} />
        </Field>
        <Field name="sql" label="SQL" error={sqlError} hint={`Several statements separated by ; run in order and stop at the first error. Ctrl+Enter (⌘+Enter) runs. Up to ${QUERY_MAX_ROWS.toLocaleString('en-US')} rows are shown per statement; the Data API returns at most 1 MiB per call.`}>
          <textarea
            {...fieldProps('sql', sqlError, true)}
            value={sql}
            onChange={(e) => setSql(e.target.value)}
            onKeyDown={onKeyDown}
            rows={10}
            spellCheck={false}
            autoCapitalize="off"
            autoCorrect="off"
            className={`${inputClass} font-mono text-xs`}
            data-testid="sql-editor"
          />
        </Field>
        <div className="flex flex-wrap items-center gap-2">
          <SubmitButton pending={pending} pendingText={`Running… ${elapsed} s`}>
            Run
          </SubmitButton>
          <Button
            onClick={() => {
              setSql(sample.sql);
              setDatabase(sample.database);
            }}
            data-testid="tutorial-sample"
          >
            {sample.label}
          </Button>
          {pending && elapsed >= 10 ? <span className="text-xs text-zinc-600 dark:text-zinc-400">The Data API stops waiting for a statement after 45 s.</span> : null}
        </div>
      </form>

      <div aria-live="polite" aria-busy={pending} data-testid="query-output" className="space-y-2">
        {state && !state.ok ? (
          <p role="alert" data-testid="query-error" className="whitespace-pre-wrap break-words rounded bg-red-50 p-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-300">
            {state.error}
          </p>
        ) : null}
        {state?.ok && state.message ? (
          <p role="status" data-testid="query-success" className="text-sm text-emerald-800 dark:text-emerald-300">
            {state.message}
          </p>
        ) : null}
        {result ? <QueryResults result={result} /> : null}
      </div>

      <section aria-labelledby="query-history-title" className="space-y-1">
        <h2 id="query-history-title" className="text-sm font-semibold">
          Your recent statements
        </h2>
        <p className="text-xs text-zinc-500">Your last 20 runs on this cluster, from the console&apos;s audit log (passwords redacted).</p>
        {p.history.length === 0 ? <p className="text-sm text-zinc-500">None yet.</p> : null}
        <ul className="space-y-1" data-testid="query-history">
          {p.history.map((h, i) => (
            <li key={`${h.at}-${i}`} className="rounded border border-zinc-200 p-1.5 dark:border-zinc-800">
              <button
                type="button"
                className="block w-full text-left"
                onClick={() => {
                  setSql(h.sql);
                  setDatabase(h.database ?? '');
                }}
                aria-label={`Load the statement run at ${h.at} into the editor`}
              >
                <span className="text-xs text-zinc-500">
                  {new Date(h.at).toLocaleString()} · {h.outcome}
                  {h.database ? ` · ${h.database}` : ''}
                </span>
                <code className="block truncate font-mono text-xs">{h.sql}</code>
              </button>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
