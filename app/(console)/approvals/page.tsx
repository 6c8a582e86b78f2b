import Link from 'next/link';
import { requireUser } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { getEnv } from '@/lib/env';
import { listApprovalsForView } from '@/lib/approvals/decide';
import { ApprovalDecision } from '@/components/oncall/approval-decision';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Approvals · Aurora Fleet Console' };

/** The rule names and action keys in the words the rest of the console uses. */
const RULE_WORDS: Record<string, string> = { backtrack: 'Backtrack', clusterDelete: 'Delete cluster', failover: 'Failover', globalFailover: 'Global failover with data loss', snapshotDelete: 'Delete snapshot' };
const ACTION_WORDS: Record<string, string> = { 'cluster.backtrack': 'Backtrack', 'cluster.delete': 'Delete cluster', 'cluster.failover': 'Failover', 'global.failover': 'Global failover', 'snapshot.delete': 'Delete snapshot' };
/** Where the target of a request lives: a cluster page, or the global database view. */
const targetHref = (a: { action: string; region: string; target: string }) => (a.action.startsWith('global.') ? `/global/${a.target}` : `/clusters/${a.region}/${a.target}`);

const when = (ms?: number) => (ms ? new Date(ms).toISOString().replace('.000Z', 'Z') : '—');

/** Two-person rule: pending requests for a second admin, and the recent decisions. */
export default async function ApprovalsPage() {
  const user = await requireUser();
  const env = getEnv();
  const all = await listApprovalsForView();
  const pending = all.filter((a) => a.status === 'pending');
  const decided = all.filter((a) => a.status !== 'pending');
  const canDecide = can(user.role, 'approval.decide');
  const rules = Object.entries(env.twoPersonRule)
    .filter(([, on]) => on)
    .map(([k]) => RULE_WORDS[k] ?? k);
  return (
    <main className="mx-auto max-w-5xl space-y-6 p-3 sm:p-6">
      <header className="space-y-1">
        <h1 className="text-xl font-semibold">Approvals</h1>
        <p className="text-sm text-zinc-500">
          Two-person rule on for: {rules.length ? rules.join(', ') : 'nothing'}. A request waits here until a different admin approves (the AWS call is
          made then, once) or rejects it; it expires after 30 minutes. Every step is in the <Link href="/audit" className="underline">audit log</Link>.
        </p>
      </header>
      <section aria-labelledby="pending-title" className="space-y-2">
        <h2 id="pending-title" className="font-semibold">
          Pending ({pending.length})
        </h2>
        {pending.length === 0 ? <p className="text-sm text-zinc-500">Nothing is waiting for approval.</p> : null}
        <ul className="space-y-2">
          {pending.map((a) => (
            <li key={a.id} data-testid="approval-pending" className="space-y-2 rounded border border-sky-300 p-3 text-sm dark:border-sky-800">
              <p className="font-medium">{a.summary}</p>
              <p className="text-zinc-600 dark:text-zinc-300">
                Requested by <strong>{a.requestedBy}</strong> ({a.requestedRole}) at {when(a.createdAt)} · expires {when(a.expiresAt)}
                {a.reason ? ` · reason: “${a.reason}”` : ''}
              </p>
              <p className="text-zinc-500">
                {ACTION_WORDS[a.action] ?? a.action} on <Link className="underline" href={targetHref(a)}>{a.target}</Link> ({a.region})
              </p>
              {canDecide ? <ApprovalDecision id={a.id} summary={a.summary} ownRequest={a.requestedById === user.id} /> : <p className="text-zinc-500">Only admins can decide.</p>}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="decided-title" className="space-y-2">
        <h2 id="decided-title" className="font-semibold">
          Recent decisions
        </h2>
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Recent decisions, scrollable">
          <table className="w-full text-left text-sm">
            <thead className="text-zinc-500">
              <tr>
                <th className="pr-3 font-normal">Request</th>
                <th className="pr-3 font-normal">By</th>
                <th className="pr-3 font-normal">Outcome</th>
                <th className="pr-3 font-normal">Decided by</th>
                <th className="pr-3 font-normal">When</th>
                <th className="font-normal">AWS request id / error</th>
              </tr>
            </thead>
            <tbody>
              {decided.map((a) => (
                <tr key={a.id} className="border-t border-zinc-100 align-top dark:border-zinc-800" data-testid="approval-decided">
                  <td className="pr-3">{a.summary}</td>
                  <td className="pr-3">{a.requestedBy}</td>
                  <td className="pr-3" data-testid="approval-status">
                    {a.status}
                  </td>
                  <td className="pr-3">{a.decidedBy ?? (a.status === 'expired' ? '(expired)' : '—')}</td>
                  <td className="pr-3 tabular-nums">{when(a.decidedAt)}</td>
                  <td className="font-mono text-xs">{a.error ?? a.awsRequestId ?? ''}</td>
                </tr>
              ))}
              {decided.length === 0 ? (
                <tr>
                  <td colSpan={6} className="text-zinc-500">
                    No decisions yet.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </section>
    </main>
  );
}
