import type { QueryRunResult, StatementResult } from '@/lib/query/types';
import { QUERY_MAX_ROWS } from '@/lib/query/types';
import { Table, THead, Th, Tr, Td, EmptyRow } from '@/components/ui/table';

function Summary({ s }: { s: StatementResult }) {
  const parts: string[] = [];
  if (s.columns.length) parts.push(`${s.totalRows} row${s.totalRows === 1 ? '' : 's'}`);
  if (s.numberOfRecordsUpdated !== undefined && (!s.columns.length || s.numberOfRecordsUpdated > 0)) parts.push(`${s.numberOfRecordsUpdated} row${s.numberOfRecordsUpdated === 1 ? '' : 's'} affected`);
  parts.push(`${s.durationMs} ms`);
  return <p className="text-xs text-zinc-600 dark:text-zinc-400" data-testid="statement-summary">{parts.join(' · ')}</p>;
}

function StatementBlock({ s, index }: { s: StatementResult; index: number }) {
  return (
    <section aria-label={`Statement ${index + 1}`} data-testid="statement-result" className="space-y-1.5 rounded border border-zinc-200 p-2 dark:border-zinc-800">
      <pre className="overflow-x-auto whitespace-pre-wrap break-words font-mono text-xs text-zinc-700 dark:text-zinc-300">{s.sql}</pre>
      {s.ok ? <Summary s={s} /> : null}
      {!s.ok ? (
        <p role="alert" data-testid="statement-error" className="whitespace-pre-wrap break-words rounded bg-red-50 p-2 font-mono text-sm text-red-800 dark:bg-red-950 dark:text-red-300">
          {s.error}
        </p>
      ) : null}
      {s.ok && s.columns.length ? (
        <Table caption={`Result of statement ${index + 1}`} data-testid="result-table">
          <THead>
            <tr>
              {s.columns.map((c, i) => (
                <Th key={i}>
                  <span className="normal-case">{c.name}</span>
                  {c.typeName ? <span className="ml-1 font-normal lowercase text-zinc-500">{c.typeName}</span> : null}
                </Th>
              ))}
            </tr>
          </THead>
          <tbody>
            {s.rows.length === 0 ? <EmptyRow colSpan={s.columns.length}>No rows.</EmptyRow> : null}
            {s.rows.map((r, ri) => (
              <Tr key={ri}>
                {r.map((v, ci) => (
                  <Td key={ci} className="font-mono text-xs whitespace-pre-wrap">
                    {v === null ? <span className="italic text-zinc-400">NULL</span> : v}
                  </Td>
                ))}
              </Tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      {s.truncated ? (
        <p className="text-xs text-amber-800 dark:text-amber-300" data-testid="result-capped">
          Showing the first {QUERY_MAX_ROWS.toLocaleString('en-US')} of {s.totalRows.toLocaleString('en-US')} rows. Add a LIMIT to see others.
        </p>
      ) : null}
    </section>
  );
}

/** Each statement's result in order: columns with their types, rows, rows affected, duration, or the error. */
export function QueryResults({ result }: { result: QueryRunResult }) {
  return (
    <div className="space-y-2">
      {result.statements.map((s, i) => (
        <StatementBlock key={i} s={s} index={i} />
      ))}
      {result.skipped > 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="statements-skipped">
          {result.skipped} later statement{result.skipped === 1 ? ' was' : 's were'} not run.
        </p>
      ) : null}
    </div>
  );
}
