import 'server-only';

/**
 * What runs when a second admin approves a request. One executor per audit action name.
 * Executors must RE-CHECK their preconditions (time passes between request and approval) and throw AppError
 * with a clear message when the request can no longer be carried out.
 */
export interface ApprovalExecution {
  approvalId: string;
  region: string;
  target: string;
  params: Record<string, unknown>;
  requestedBy: string;
  approvedBy: { id: string; username: string; role: string };
}
export interface ApprovalOutcome {
  awsRequestId?: string;
  result?: unknown;
  message?: string;
}
export type ApprovalExecutor = (x: ApprovalExecution) => Promise<ApprovalOutcome>;

const g = globalThis as unknown as { __afcApprovalExecutors?: Map<string, ApprovalExecutor> };
const executors = (g.__afcApprovalExecutors ??= new Map<string, ApprovalExecutor>());

/** Register (or replace) the executor for an action, e.g. registerApprovalExecutor('cluster.delete', …). */
export function registerApprovalExecutor(action: string, fn: ApprovalExecutor): void {
  executors.set(action, fn);
}

export function getApprovalExecutor(action: string): ApprovalExecutor | undefined {
  return executors.get(action);
}
