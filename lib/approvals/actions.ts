'use server';

import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { approveRequest, rejectRequest } from '@/lib/approvals/decide';

const schema = z.object({ id: z.string().uuid('Not an approval request id.') });

/** A second admin approves: the AWS call is made now, exactly once (self-approval and expired requests refused). */
export const approveRequestAction = defineAction({
  action: 'approval.decide',
  schema,
  target: (i) => ({ target: `approval:${i.id}` }),
  run: async (i, ctx) => {
    const r = await approveRequest(i.id, ctx.user, { correlationId: ctx.correlationId });
    ctx.setAwsRequestId(r.awsRequestId);
    return { data: { id: i.id, status: r.approval.status }, message: r.message };
  },
});

export const rejectRequestAction = defineAction({
  action: 'approval.decide',
  schema: schema.extend({ note: z.string().max(500).optional() }),
  target: (i) => ({ target: `approval:${i.id}` }),
  run: async (i, ctx) => {
    const r = await rejectRequest(i.id, ctx.user, { note: i.note, correlationId: ctx.correlationId });
    return { data: { id: i.id, status: r.approval.status }, message: r.message };
  },
});
