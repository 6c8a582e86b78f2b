import 'server-only';
import { getSession } from '@/lib/auth/session';
import { can } from '@/lib/auth/permissions';
import { isAppError } from '@/lib/errors';
import { listOrderableClasses } from '@/lib/aws/rds/catalogue';
import { listClusterSnapshots } from '@/lib/aws/rds/snapshots';
import type { ClusterDTO, OrderableClassDTO } from '@/lib/aws/types';
import { createSnapshotAction, deleteSnapshotAction, restoreSnapshotAction, restoreToTimeAction } from '../backup-actions';
import { BackupsSection, type BackupActions } from './backups-section';

/**
 * Server part of the Backups section (rendered in Suspense on the cluster page): the first page of snapshots,
 * the orderable instance classes for restores, and the actions this viewer's role allows (hiding is never the check).
 */
export async function BackupsPanel({ cluster }: { cluster: ClusterDTO }) {
  const user = await getSession();
  if (!user) return null;
  const mayRestore = can(user.role, 'snapshot.restore') || can(user.role, 'cluster.restore-to-time');
  let first;
  try {
    first = await listClusterSnapshots(cluster.region, cluster.id);
  } catch (e) {
    return (
      <section aria-label="Backups" className="rounded border border-zinc-200 p-3 text-sm dark:border-zinc-800">
        <h2 className="text-sm font-semibold uppercase tracking-wide text-zinc-500">Backups</h2>
        <p role="alert" className="text-red-700 dark:text-red-400">Could not read the snapshots: {isAppError(e) ? e.message : 'unexpected error'}</p>
      </section>
    );
  }
  const classes = mayRestore ? await listOrderableClasses(cluster.region, cluster.engine, cluster.engineVersion).catch((): OrderableClassDTO[] => []) : [];
  const actions: BackupActions = {
    createSnapshot: can(user.role, 'snapshot.create') ? createSnapshotAction : undefined,
    deleteSnapshot: can(user.role, 'snapshot.delete') ? deleteSnapshotAction : undefined,
    restoreSnapshot: can(user.role, 'snapshot.restore') ? restoreSnapshotAction : undefined,
    restoreToTime: can(user.role, 'cluster.restore-to-time') ? restoreToTimeAction : undefined,
  };
  return <BackupsSection initial={cluster} initialSnapshots={first} classes={classes} actions={actions} />;
}
