// Input rules for snapshots and restores as plain functions (RDS API reference: CreateDBClusterSnapshot,
// DeleteDBClusterSnapshot, RestoreDBClusterFromSnapshot, RestoreDBClusterToPointInTime). No zod: client
// components use them as hints; the server's schemas (./backup-validation.ts) and lib/aws/rds/restore.ts use
// the same checks before anything is sent to AWS.
import { engineFamily } from './backup-types';

/** Readers a restore may add besides the writer (a cluster holds at most 15). */
export const RESTORE_READERS_MAX = 15;

/**
 * A snapshot to act on: a manual identifier, an automated one (`rds:<cluster>-<date>`) or an ARN. The colon
 * of automated identifiers and ARNs is allowed here; CreateDBClusterSnapshot's own rule (checkIdentifier) is
 * stricter and applies to names a person chooses.
 */
export function checkSnapshotRef(value: string): string | null {
  if (!value) return 'Choose a snapshot.';
  if (value.length > 1011) return 'A snapshot identifier or ARN is at most 1011 characters.';
  if (!/^[a-zA-Z][a-zA-Z0-9:/_-]*$/.test(value)) return 'A snapshot identifier may contain only letters, digits, hyphens (and the colons of an ARN or an automated snapshot).';
  return null;
}

/** "2026-12-02T14:57:51Z UTC": whole seconds, as a person compares them. */
const both = (iso: string) => `${iso.slice(0, 19)}Z UTC`;

/**
 * Is `at` inside the restorable window? Returns the InvalidRestoreFault's message, or null. The window is
 * [EarliestRestorableTime, LatestRestorableTime] of the source cluster (both from DescribeDBClusters).
 */
export function checkRestoreTime(at: Date, window: { earliest?: string; latest?: string }, clusterId: string): string | null {
  const t = at.getTime();
  if (!window.earliest || !window.latest) return `${clusterId} has no restorable window yet (no backup has been taken since it was created). Take a snapshot and restore that instead, or try again later.`;
  if (t < Date.parse(window.earliest))
    return `That is before the earliest restorable time of ${clusterId}, ${both(new Date(window.earliest).toISOString())}: its backups do not reach further back (backup retention). Pick a later moment.`;
  if (t > Date.parse(window.latest))
    return `That is after the latest restorable time of ${clusterId}, ${both(new Date(window.latest).toISOString())}. Pick an earlier moment, or choose "latest restorable time".`;
  return null;
}

/** A snapshot restores only into its own engine family (Aurora MySQL ↔ Aurora PostgreSQL is refused). */
export function checkEngineFamily(snapshotEngine: string, targetEngine: string, snapshotId: string): string | null {
  if (engineFamily(snapshotEngine) === engineFamily(targetEngine)) return null;
  return `Snapshot ${snapshotId} holds an ${snapshotEngine} database; it can be restored only as ${engineFamily(snapshotEngine) === 'mysql' ? 'Aurora MySQL' : 'Aurora PostgreSQL'}, not as ${targetEngine}.`;
}

/** Why a snapshot cannot be restored right now, or null. */
export function snapshotNotRestorableReason(s: { id: string; status: string; percentProgress?: number }): string | null {
  if (s.status === 'available') return null;
  if (s.status === 'creating') return `Snapshot ${s.id} is still being created${s.percentProgress !== undefined ? ` (${s.percentProgress} %)` : ''}; restore it once it is available.`;
  return `Snapshot ${s.id} is ${s.status}; only an available snapshot can be restored.`;
}

/** Why a snapshot cannot be deleted, or null. Only manual snapshots are deleted by a person. */
export function snapshotNotDeletableReason(s: { id: string; type: string; status: string; clusterId?: string }): string | null {
  if (s.type === 'automated')
    return `Snapshot ${s.id} is an automated backup: AWS deletes it when it ages out of the backup retention period${s.clusterId ? ` of ${s.clusterId}` : ''}. Only manual snapshots can be deleted.`;
  if (s.status === 'creating') return `Snapshot ${s.id} is still being created; delete it once it is available.`;
  if (s.status !== 'available' && s.status !== 'failed') return `Snapshot ${s.id} is ${s.status}; it can be deleted once it is available.`;
  return null;
}
