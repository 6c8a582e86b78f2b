import Link from 'next/link';
import { requireUser } from '@/lib/auth/session';
import { ACTIONS } from '@/lib/auth/permissions';
import { listAudit, verifyAuditChainCached, AUDIT_PHASES } from '@/lib/audit/log';
import { auditQueryString, parseAuditQuery } from '@/lib/audit/filters';
import { Banner } from '@/components/ui/banner';
import { StatusBadge } from '@/components/ui/status-badge';
import { buttonClass } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/input';
import { EmptyRow, Table, Td, Th, THead, Tr } from '@/components/ui/table';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Audit · Aurora Fleet Console' };

const PAGE_SIZE = 100;

type SearchParams = Record<string, string | string[] | undefined>;

const fmtTime = (iso: string) => iso.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');

export default async function AuditPage(props: { searchParams: Promise<SearchParams> }) {
  await requireUser(); // every role may read the audit log
  const { query, filter, problems } = parseAuditQuery(await props.searchParams);
  const [rows, chain] = await Promise.all([
    listAudit({ ...filter, limit: PAGE_SIZE + 1, offset: (query.page - 1) * PAGE_SIZE }),
    verifyAuditChainCached(),
  ]);
  const more = rows.length > PAGE_SIZE;
  const shown = rows.slice(0, PAGE_SIZE);
  const filtered = Boolean(query.actor || query.action || query.target || query.phase || query.from || query.to);

  return (
    <main className="space-y-4 p-3 sm:p-6">
      <header className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 className="text-xl font-semibold">Audit log</h1>
          <p className="text-sm text-zinc-500 dark:text-zinc-400">Every sign-in and every change requested through the console, append-only, HMAC-chained and anchored outside the database.</p>
        </div>
        <a href={`/api/audit/export${auditQueryString({ ...query, page: 1 })}`} className={buttonClass('secondary')} download>
          Export CSV
        </a>
      </header>

      {chain.ok ? (
        <Banner tone="success" testId="audit-chain">
          Chain verified: {chain.rows} rows
          <span className="ml-2 text-xs opacity-75">(full check {secondsSince(chain.fullCheckAt)} s ago; new rows checked on every load)</span>
        </Banner>
      ) : (
        <Banner tone="error" testId="audit-chain" title={chain.brokenAt > 0 ? `Chain broken at row ${chain.brokenAt}` : 'Chain cannot be verified'}>
          {chain.reason}. Rows from {chain.brokenAt} on cannot be trusted; investigate who had write access to the database.
        </Banner>
      )}

      <form method="get" action="/audit" className="grid grid-cols-2 gap-2 rounded border border-zinc-200 bg-white p-3 sm:grid-cols-3 lg:grid-cols-7 dark:border-zinc-800 dark:bg-zinc-900" aria-label="Filter the audit log">
        <div className="space-y-1">
          <label htmlFor="f-actor" className="block text-xs font-medium">Actor</label>
          <Input id="f-actor" name="actor" defaultValue={query.actor} placeholder="username" />
        </div>
        <div className="space-y-1">
          <label htmlFor="f-action" className="block text-xs font-medium">Action</label>
          <Select id="f-action" name="action" defaultValue={query.action}>
            <option value="">Any action</option>
            {Object.keys(ACTIONS).map((a) => (
              <option key={a} value={a}>{a}</option>
            ))}
          </Select>
        </div>
        <div className="space-y-1">
          <label htmlFor="f-target" className="block text-xs font-medium">Cluster / target</label>
          <Input id="f-target" name="target" defaultValue={query.target} placeholder="contains…" />
        </div>
        <div className="space-y-1">
          <label htmlFor="f-phase" className="block text-xs font-medium">Phase</label>
          <Select id="f-phase" name="phase" defaultValue={query.phase}>
            <option value="">Any phase</option>
            {AUDIT_PHASES.map((p) => (
              <option key={p} value={p}>{p}</option>
            ))}
          </Select>
        </div>
        <div className="space-y-1">
          <label htmlFor="f-from" className="block text-xs font-medium">From (UTC)</label>
          <Input id="f-from" name="from" type="datetime-local" defaultValue={query.from} />
        </div>
        <div className="space-y-1">
          <label htmlFor="f-to" className="block text-xs font-medium">To (UTC)</label>
          <Input id="f-to" name="to" type="datetime-local" defaultValue={query.to} />
        </div>
        <div className="col-span-2 flex items-end gap-2 sm:col-span-3 lg:col-span-1">
          <button type="submit" className={buttonClass('primary')}>Filter</button>
          {filtered ? (
            <Link href="/audit" className={buttonClass('ghost')}>Clear</Link>
          ) : null}
        </div>
      </form>

      {problems.length ? (
        <Banner tone="warning">
          {problems.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </Banner>
      ) : null}

      <Table caption="Audit log entries, newest first" data-testid="audit-table">
        <THead>
          <tr>
            <Th>Time (UTC)</Th>
            <Th>Actor</Th>
            <Th>Role</Th>
            <Th>Action</Th>
            <Th>Phase</Th>
            <Th>Region</Th>
            <Th>Target</Th>
            <Th>Request id</Th>
            <Th>Error</Th>
          </tr>
        </THead>
        <tbody>
          {shown.length === 0 ? (
            <EmptyRow colSpan={9}>{filtered ? 'No audit rows match these filters.' : 'Nothing has been recorded yet.'}</EmptyRow>
          ) : (
            shown.map((r) => (
              <Tr key={r.seq} data-testid="audit-row">
                <Td className="font-mono text-xs whitespace-nowrap" title={`#${r.seq} · ${r.id}`}>{fmtTime(r.at)}</Td>
                <Td className="whitespace-nowrap">{r.actor}</Td>
                <Td>{r.role}</Td>
                <Td className="font-mono text-xs whitespace-nowrap">{r.action}</Td>
                <Td><StatusBadge status={r.phase} /></Td>
                <Td className="whitespace-nowrap">{r.region ?? ''}</Td>
                <Td className="max-w-48 break-words">
                  {r.target ?? ''}
                  {r.params && Object.keys(r.params).length ? (
                    <details className="mt-0.5 text-xs text-zinc-500">
                      <summary className="cursor-pointer">parameters</summary>
                      <pre className="mt-1 max-w-80 overflow-x-auto whitespace-pre-wrap break-all">{JSON.stringify(r.params, null, 1)}</pre>
                    </details>
                  ) : null}
                </Td>
                <Td className="font-mono text-xs break-all">{r.awsRequestId ?? ''}</Td>
                <Td className="max-w-72 text-red-800 dark:text-red-300">{r.error ?? ''}</Td>
              </Tr>
            ))
          )}
        </tbody>
      </Table>

      <nav aria-label="Pages" className="flex items-center justify-between text-sm">
        {query.page > 1 ? (
          <Link href={`/audit${auditQueryString({ ...query, page: query.page - 1 })}`} className={buttonClass('secondary', 'sm')}>
            ← Newer
          </Link>
        ) : (
          <span />
        )}
        <span className="text-zinc-500">Page {query.page}</span>
        {more ? (
          <Link href={`/audit${auditQueryString({ ...query, page: query.page + 1 })}`} className={buttonClass('secondary', 'sm')}>
            Older →
          </Link>
        ) : (
          <span />
        )}
      </nav>
    </main>
  );
}

/** Age of the last full chain check. This is a server component: it renders once per request. */
function secondsSince(t: number): number {
  return Math.max(0, Math.round((Date.now() - t) / 1000));
}
