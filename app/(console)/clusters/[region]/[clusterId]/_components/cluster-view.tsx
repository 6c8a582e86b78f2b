'use client';
import Link from 'next/link';
import { Suspense, useMemo, type ReactNode } from 'react';
import { CopyButton } from '@/components/ui/copy-button';
import { StatusBadge } from '@/components/ui/status-badge';
import { formatHours, formatTime, progressHint } from '@/components/cluster/format';
import type { FormAction } from '@/lib/actions/define-action';
import type { DeleteClusterActionData } from '../actions';
import { connectCommand, type ClusterDTO, type EventDTO, type InstanceDTO, type OrderableClassDTO } from '@/lib/aws/types';
import { AddReaderForm } from './add-reader-form';
import { DeleteClusterForm } from './delete-cluster-form';
import { EventsList } from './events-list';
import { InstanceActions, type InstanceActionSet } from './instance-actions';
import { useClusterPoll } from './use-cluster-poll';
import { clusterSignature, LiveClusterContext } from '@/components/cluster/live-cluster';
import { ConnectNote, ENGINE_TAG } from '@/components/cluster/connect-note';

export interface ClusterActions extends InstanceActionSet {
  addReader?: FormAction<InstanceDTO>;
  deleteCluster?: FormAction<DeleteClusterActionData>;
}

/**
 * A titled section. Its content is a Suspense boundary of its own (nothing in it suspends): React hydrates each
 * boundary in a later, interruptible pass, so the page's hydration is a series of short tasks instead of one
 * long one that would hold back a click on the failover panel.
 */
function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  return (
    <section id={id} aria-label={title} className="space-y-2 rounded border border-zinc-200 p-3 dark:border-zinc-800">
      <h2 className="text-sm font-semibold uppercase tracking-wide text-zinc-500">{title}</h2>
      <Suspense>{children}</Suspense>
    </section>
  );
}

function Endpoint({ label, value, testId }: { label: string; value?: string; testId: string }) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <dt className="w-28 text-sm text-zinc-500">{label}</dt>
      <dd className="flex items-center gap-2">
        {value ? (
          <>
            <code data-testid={testId} className="break-all text-sm">
              {value}
            </code>
            <CopyButton text={value} label={`Copy ${label.toLowerCase()}`} />
          </>
        ) : (
          <span className="text-sm text-zinc-500">not yet assigned</span>
        )}
      </dd>
    </div>
  );
}

export function ClusterView(props: {
  initial: ClusterDTO;
  initialEvents: EventDTO[];
  classes: OrderableClassDTO[];
  actions: ClusterActions;
  /** The console talks to its local endpoint (simulated engines), not AWS. */
  localEndpoint?: boolean;
  /** Server-rendered slots (metrics, on-call panel). */
  children?: ReactNode;
}) {
  const { cluster: c, gone, error, poke } = useClusterPoll(props.initial);
  const a = props.actions;
  const hasInstanceActions = !!(a.reboot || a.modify || a.remove);
  const signature = clusterSignature(c);
  const live = useMemo(() => ({ cluster: c, poke }), [c, poke]);

  if (gone) {
    return (
      <div role="alert" data-testid="cluster-gone" className="space-y-2 rounded border border-zinc-300 p-4">
        <p className="font-medium">
          Cluster {c.id} no longer exists in {c.region}.
        </p>
        <Link href="/" className="text-sky-700 underline dark:text-sky-400">
          Back to the fleet
        </Link>
      </div>
    );
  }

  const hint = progressHint(c.status);
  const busyInstances = c.instances.filter((i) => i.transitional);
  const cmd = c.endpoint ? connectCommand(c.engine, c.endpoint, c.port, c.masterUsername) : undefined;

  return (
    <LiveClusterContext.Provider value={live}>
    <div className="space-y-4">
      <header className="space-y-1">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-xl font-semibold">{c.id}</h1>
          <StatusBadge status={c.status} testId="cluster-status" />
          <span className="text-sm text-zinc-500">
            {c.engine} {c.engineVersion} · {c.region}
          </span>
        </div>
        <div aria-live="polite" className="text-sm text-amber-800 dark:text-amber-300">
          {hint ? <p>{hint}</p> : null}
          {busyInstances.length ? (
            <p data-testid="instances-progress">
              {busyInstances.map((i) => `${i.id} is ${i.status}`).join('; ')}. This page updates by itself.
            </p>
          ) : null}
        </div>
        {error ? <p className="text-sm text-red-700 dark:text-red-400">Live refresh problem: {error}</p> : null}
      </header>

      <Section title="Topology">
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Instances, scrollable">
          <table className="min-w-full text-sm" aria-label="Instances">
            <thead className="text-left text-xs uppercase text-zinc-500">
              <tr>
                <th className="py-1 pr-3">Instance</th>
                <th className="py-1 pr-3">Role</th>
                <th className="py-1 pr-3">Class</th>
                <th className="py-1 pr-3">AZ</th>
                <th className="py-1 pr-3">Tier</th>
                <th className="py-1 pr-3">Status</th>
                {hasInstanceActions ? <th className="py-1">Actions</th> : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {c.instances.map((i) => (
                <tr key={i.id} data-testid={`instance-row-${i.id}`} data-role={i.role}>
                  <td className="py-2 pr-3 font-medium">{i.id}</td>
                  <td className="py-2 pr-3">{i.role === 'writer' ? 'Writer' : 'Reader'}</td>
                  <td className="py-2 pr-3">{i.instanceClass}</td>
                  <td className="py-2 pr-3">{i.az ?? '—'}</td>
                  <td className="py-2 pr-3">{i.promotionTier}</td>
                  <td className="py-2 pr-3">
                    <StatusBadge status={i.status} />
                  </td>
                  {hasInstanceActions ? (
                    <td className="py-2">
                      <InstanceActions cluster={c} instance={i} actions={a} onDone={poke} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
          {c.instances.length === 0 ? <p className="text-sm text-zinc-500">No instances. A cluster needs a writer instance before it can serve connections.</p> : null}
        </div>
      </Section>

      <Section title="Connect">
        <dl className="space-y-1">
          <Endpoint label="Writer endpoint" value={c.endpoint} testId="writer-endpoint" />
          <Endpoint label="Reader endpoint" value={c.readerEndpoint} testId="reader-endpoint" />
          <div className="flex items-center gap-2">
            <dt className="w-28 text-sm text-zinc-500">Port</dt>
            <dd data-testid="cluster-port" className="text-sm">
              {c.port ?? '—'}
            </dd>
          </div>
        </dl>
        {cmd ? (
          <div className="flex flex-wrap items-center gap-2">
            <code data-testid="connect-command" className="rounded bg-zinc-100 px-2 py-1 text-sm dark:bg-zinc-800">
              {cmd}
            </code>
            <CopyButton text={cmd} label="Copy command" />
          </div>
        ) : null}
        {props.localEndpoint ? <ConnectNote endpoint={c.endpoint} port={c.port} engineTag={c.tags.find((t) => t.key === ENGINE_TAG)?.value} /> : null}
        <p className="text-xs text-zinc-500">
          The writer endpoint always points at the current writer; the reader endpoint balances connections across the readers.
          {c.masterPasswordManaged ? ' The master password is in AWS Secrets Manager.' : ''}
        </p>
      </Section>

      <Section title="Configuration">
        <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
          {(
            [
              ['Engine', `${c.engine} ${c.engineVersion ?? ''}`],
              ['Master username', c.masterUsername ?? '—'],
              ['Encryption', c.storageEncrypted ? 'Encrypted' : 'Not encrypted'],
              ['Backup retention', c.backupRetentionPeriod !== undefined ? `${c.backupRetentionPeriod} day(s)` : '—'],
              ['Backtrack window', c.engine === 'aurora-mysql' ? formatHours(c.backtrackWindowSeconds) : 'not available (PostgreSQL)'],
              ['Earliest backtrack time', c.earliestBacktrackTime ? formatTime(c.earliestBacktrackTime) : '—'],
              ['Deletion protection', c.deletionProtection ? 'On' : 'Off'],
              ['Multi-AZ', c.multiAZ ? 'Yes' : 'No'],
              ['Availability Zones', c.availabilityZones.join(', ') || '—'],
              ['Subnet group', c.subnetGroup ?? '—'],
              ['Created', formatTime(c.createdAt)],
              ['Tags', c.tags.map((t) => `${t.key}=${t.value}`).join(', ') || '—'],
            ] as const
          ).map(([k, v]) => (
            <div key={k} className="flex gap-2">
              <dt className="w-44 shrink-0 text-zinc-500">{k}</dt>
              <dd data-testid={`config-${k.toLowerCase().replace(/\s+/g, '-')}`}>{v}</dd>
            </div>
          ))}
        </dl>
      </Section>

      {a.addReader ? (
        <Section title="Add reader">
          <AddReaderForm cluster={c} classes={props.classes} action={a.addReader} onDone={poke} />
        </Section>
      ) : null}

      {props.children}

      <Section title="Recent events (24 h)">
        <EventsList region={c.region} clusterId={c.id} initial={props.initialEvents} version={signature} />
      </Section>

      {a.deleteCluster ? (
        <Section title="Delete cluster">
          <DeleteClusterForm cluster={c} action={a.deleteCluster} onDone={poke} />
        </Section>
      ) : null}
    </div>
    </LiveClusterContext.Provider>
  );
}
