import { describe, expect, it } from 'vitest';
import { checkEngineFamily, checkRestoreTime, checkSnapshotRef, snapshotNotDeletableReason, snapshotNotRestorableReason } from './backup-rules';
import { deleteSnapshotSchema, restoreToTimeSchema, restoreSnapshotSchema, createSnapshotSchema } from './backup-validation';
import { toClusterSnapshotDTO, sortSnapshots } from './rds/snapshot-mapping';

const W = { earliest: '2026-12-01T10:00:00.000Z', latest: '2026-12-02T10:00:00.000Z' };
const base = { region: 'us-east-1', clusterId: 'orders', identifier: 'orders-pitr', instanceClass: 'db.r6g.large', readers: '1' };

describe('restore rules', () => {
  it('a moment inside the window passes; before the earliest or after the latest says which bound and what to do', () => {
    expect(checkRestoreTime(new Date('2026-12-01T12:00:00Z'), W, 'orders')).toBeNull();
    expect(checkRestoreTime(new Date(W.earliest), W, 'orders')).toBeNull();
    expect(checkRestoreTime(new Date('2026-12-01T09:59:59Z'), W, 'orders')).toBe(
      'That is before the earliest restorable time of orders, 2026-12-01T10:00:00Z UTC: its backups do not reach further back (backup retention). Pick a later moment.',
    );
    expect(checkRestoreTime(new Date('2026-12-02T10:00:01Z'), W, 'orders')).toMatch(/^That is after the latest restorable time of orders, 2026-12-02T10:00:00Z UTC\. Pick an earlier moment/);
    expect(checkRestoreTime(new Date(), {}, 'orders')).toMatch(/no restorable window yet/);
  });

  it('engine families, snapshot states and references', () => {
    expect(checkEngineFamily('aurora-mysql', 'aurora-mysql', 's')).toBeNull();
    expect(checkEngineFamily('aurora-postgresql', 'aurora-mysql', 's')).toMatch(/only as Aurora PostgreSQL, not as aurora-mysql/);
    expect(snapshotNotRestorableReason({ id: 's', status: 'creating', percentProgress: 40 })).toBe('Snapshot s is still being created (40 %); restore it once it is available.');
    expect(snapshotNotRestorableReason({ id: 's', status: 'available' })).toBeNull();
    expect(snapshotNotDeletableReason({ id: 'rds:orders-2026-12-02-03-00', type: 'automated', status: 'available', clusterId: 'orders' })).toMatch(/automated backup.*retention period of orders/);
    expect(snapshotNotDeletableReason({ id: 's', type: 'manual', status: 'available' })).toBeNull();
    expect(checkSnapshotRef('rds:orders-2026-12-02-03-00')).toBeNull();
    expect(checkSnapshotRef('arn:aws:rds:us-east-1:123456789012:cluster-snapshot:s1')).toBeNull();
    expect(checkSnapshotRef('bad name')).toMatch(/only letters, digits/);
  });
});

describe('schemas', () => {
  it('a point-in-time restore needs a complete instant unless "latest" or a clone; readers 0–15', () => {
    const ok = restoreToTimeSchema.safeParse({ ...base, restoreTo: '2026-12-01T12:00:00.000Z', restoreType: 'full-copy' });
    expect(ok.success && ok.data.restoreToDate?.toISOString()).toBe('2026-12-01T12:00:00.000Z');
    const missing = restoreToTimeSchema.safeParse({ ...base, restoreTo: '', restoreType: 'full-copy' });
    expect(missing.success ? [] : missing.error.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['restoreTo', 'Pick the moment to restore to, or choose "latest restorable time".']]);
    const partial = restoreToTimeSchema.safeParse({ ...base, restoreTo: '2026-12-01T12', restoreType: 'full-copy' });
    expect(partial.success).toBe(false);
    const latest = restoreToTimeSchema.safeParse({ ...base, restoreTo: '', useLatest: 'on' });
    expect(latest.success && latest.data.restoreToDate).toBeUndefined();
    const clone = restoreToTimeSchema.safeParse({ ...base, restoreTo: '2026-12-01T12:00:00Z', restoreType: 'copy-on-write' });
    expect(clone.success && clone.data.restoreToDate).toBeUndefined();
    expect(restoreToTimeSchema.safeParse({ ...base, readers: '16', useLatest: 'on' }).success).toBe(false);
    const badId = restoreToTimeSchema.safeParse({ ...base, identifier: '9lives', useLatest: 'on' });
    expect(badId.success ? '' : badId.error.issues[0].message).toBe('New cluster identifier must start with a letter.');
  });

  it('snapshot names follow CreateDBClusterSnapshot; deletion needs the identifier typed exactly', () => {
    expect(createSnapshotSchema.safeParse({ region: 'us-east-1', clusterId: 'orders', snapshotId: 'before-change' }).success).toBe(true);
    expect(createSnapshotSchema.safeParse({ region: 'us-east-1', clusterId: 'orders', snapshotId: 'ends-' }).success).toBe(false);
    const typo = deleteSnapshotSchema.safeParse({ region: 'us-east-1', clusterId: 'orders', snapshotId: 'before-change', confirm: 'before-chang' });
    expect(typo.success ? '' : typo.error.issues[0]).toMatchObject({ path: ['confirm'], message: 'Type the snapshot identifier "before-change" exactly to confirm.' });
    expect(restoreSnapshotSchema.safeParse({ ...base, snapshotId: 'rds:orders-2026-12-02', engine: 'aurora-db2' }).success).toBe(false);
  });
});

describe('snapshot mapping', () => {
  it('maps the SDK shape and sorts newest first, creating (no time yet) on top', () => {
    const a = toClusterSnapshotDTO('us-east-1', {
      DBClusterSnapshotIdentifier: 'a', DBClusterIdentifier: 'orders', Status: 'available', SnapshotType: 'manual', Engine: 'aurora-mysql', EngineVersion: '8.0',
      AllocatedStorage: 12, PercentProgress: 100, SnapshotCreateTime: new Date('2026-12-01T00:00:00Z'), StorageEncrypted: true, DBClusterSnapshotArn: 'arn:x',
    });
    expect(a).toMatchObject({ id: 'a', clusterId: 'orders', status: 'available', type: 'manual', engine: 'aurora-mysql', allocatedStorageGiB: 12, createdAt: '2026-12-01T00:00:00.000Z', storageEncrypted: true, arn: 'arn:x' });
    const b = { ...a, id: 'b', createdAt: '2026-12-02T00:00:00.000Z' };
    const c = { ...a, id: 'c', status: 'creating', createdAt: undefined };
    expect(sortSnapshots([a, b, c]).map((s) => s.id)).toEqual(['c', 'b', 'a']);
  });
});
