import 'server-only';
import { registerApprovalExecutor } from './executors';
import { executeGlobalSwitch } from '@/lib/oncall/global-execute';

// An approved global failover re-runs every check at approval time (the target may have changed, another
// operation may have started) and then makes the AWS call once, in the target's region.
registerApprovalExecutor('global.failover', async (x) => {
  const p = x.params as { targetRegion: string; targetClusterId: string; reason?: string };
  const out = await executeGlobalSwitch('failover', {
    globalId: x.target,
    targetRegion: p.targetRegion,
    targetClusterId: p.targetClusterId,
    confirm: x.target, // the requester typed it; the approver confirms by approving
    acceptDataLoss: true,
    reason: p.reason,
    requestedBy: x.requestedBy,
  });
  return {
    awsRequestId: out.awsRequestId,
    result: { oldPrimary: out.oldPrimary, target: out.target, rpoLagMs: out.rpoLagMs ?? null },
    message: `Approved: failover of ${x.target} to ${out.target} started.`,
  };
});
