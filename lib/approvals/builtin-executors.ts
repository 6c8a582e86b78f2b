import 'server-only';
import { registerApprovalExecutor } from './executors';
import { executeBacktrack, executeFailover } from '@/lib/oncall/execute';
import { deleteCluster } from '@/lib/aws/rds/delete-cluster';
import { deleteClusterSnapshot } from '@/lib/aws/rds/snapshots';
import './global-executors';

// Approved backtracks and failovers re-run every server-side check at approval time (the cluster may have
// changed, the chosen time may have left the window) and then make the AWS call once.
registerApprovalExecutor('cluster.backtrack', async (x) => {
  const p = x.params as { backtrackTo?: string; useEarliest?: boolean; reason?: string };
  const out = await executeBacktrack({
    region: x.region,
    clusterId: x.target,
    backtrackTo: p.backtrackTo,
    useEarliest: p.useEarliest,
    confirm: x.target, // the requester typed it; the approver confirms by approving
    reason: p.reason,
    requestedBy: x.requestedBy,
  });
  return {
    awsRequestId: out.awsRequestId,
    result: { backtrackId: out.backtrackId, status: out.status, backtrackTo: out.backtrackTo },
    message: `Approved: backtrack of ${x.target} to ${out.backtrackTo ?? p.backtrackTo} is ${out.status}.`,
  };
});

registerApprovalExecutor('cluster.failover', async (x) => {
  const p = x.params as { target?: string; reason?: string };
  const out = await executeFailover({ region: x.region, clusterId: x.target, target: p.target, confirm: x.target, reason: p.reason, requestedBy: x.requestedBy });
  return {
    awsRequestId: out.awsRequestId,
    result: { oldWriter: out.oldWriter, target: out.target ?? 'chosen by Aurora' },
    message: `Approved: failover of ${x.target} started.`,
  };
});

// Approved cluster deletions run the console's own deletion path, which re-checks deletion protection,
// the final-snapshot choice and the instances before anything is deleted.
registerApprovalExecutor('cluster.delete', async (x) => {
  const p = x.params as { skipFinalSnapshot?: boolean; finalSnapshotId?: string; deleteInstances?: boolean };
  const out = await deleteCluster(x.region, x.target, {
    skipFinalSnapshot: p.skipFinalSnapshot === true,
    finalSnapshotId: p.finalSnapshotId,
    deleteInstances: p.deleteInstances === true,
  });
  return {
    awsRequestId: out.awsRequestId,
    result: out.data,
    message: `Approved: cluster ${x.target} is being deleted${out.data.deletedInstances.length ? ` after its instances (${out.data.deletedInstances.join(', ')})` : ''}.`,
  };
});

// Approved snapshot deletions re-check that the snapshot is still a manual, available one of the cluster.
registerApprovalExecutor('snapshot.delete', async (x) => {
  const p = x.params as { snapshotId?: string };
  const out = await deleteClusterSnapshot(x.region, x.target, String(p.snapshotId ?? ''));
  return { awsRequestId: out.awsRequestId, result: { snapshotId: out.data.id, status: out.data.status }, message: `Approved: snapshot ${out.data.id} of ${x.target} is being deleted.` };
});
