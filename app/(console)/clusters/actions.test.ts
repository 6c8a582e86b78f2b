// Crafted calls straight to the cluster lifecycle actions and polling routes: the session and role checks are their own.
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Role = 'viewer' | 'operator' | 'admin';
const h = vi.hoisted(() => ({
  user: null as null | { id: string; username: string; role: Role },
  calls: [] as string[],
  audit: [] as { phase: string; action: string; actor: string; params?: Record<string, unknown> }[],
}));

vi.mock('@/lib/auth/session', async () => {
  const { AppError } = await import('@/lib/errors');
  const rank = { viewer: 0, operator: 1, admin: 2 } as const;
  return {
    getSession: async () => h.user,
    requireUser: async () => {
      if (!h.user) throw new AppError('UNAUTHENTICATED', 'Sign in first.', { status: 401 });
      return h.user;
    },
    requireRole: async (min: Role) => {
      if (!h.user) throw new AppError('UNAUTHENTICATED', 'Sign in first.', { status: 401 });
      if (rank[h.user.role] < rank[min]) throw new AppError('FORBIDDEN', 'Not allowed.', { status: 403 });
      return h.user;
    },
  };
});
vi.mock('@/lib/audit/log', () => ({
  appendAudit: vi.fn(async (e: (typeof h.audit)[number]) => void h.audit.push(e)),
}));
vi.mock('@/lib/env', () => ({
  getEnv: () => ({ backend: 'local', regions: ['us-east-1', 'eu-west-1'], emulator: { url: 'http://127.0.0.1:9', accessKeyId: 'local', secretAccessKey: 'localsecret', profile: 'test' } }),
}));
// A fake RDS that records what reached "AWS" and answers the few calls the allowed paths make.
vi.mock('@/lib/aws/clients', () => ({
  rdsClient: () => ({
    send: async (cmd: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const op = cmd.constructor.name.replace(/Command$/, '');
      h.calls.push(op);
      const meta = { $metadata: { requestId: `req-${h.calls.length}` } };
      if (op === 'DescribeDBClusters')
        return {
          ...meta,
          DBClusters: [
            {
              DBClusterIdentifier: 'orders',
              Status: 'available',
              Engine: 'aurora-mysql',
              DBClusterMembers: [{ DBInstanceIdentifier: 'orders-instance-1', IsClusterWriter: true, PromotionTier: 1 }],
            },
          ],
        };
      if (op === 'DescribeDBInstances')
        return { ...meta, DBInstances: [{ DBInstanceIdentifier: 'orders-instance-1', DBClusterIdentifier: 'orders', DBInstanceStatus: 'available', DBInstanceClass: 'db.r6g.large', Engine: 'aurora-mysql' }] };
      if (op === 'CreateDBInstance') return { ...meta, DBInstance: { DBInstanceIdentifier: cmd.input.DBInstanceIdentifier, DBInstanceStatus: 'creating' } };
      if (op === 'CreateDBCluster') return { ...meta, DBCluster: { DBClusterIdentifier: cmd.input.DBClusterIdentifier, Status: 'creating' } };
      if (op === 'DescribeOrderableDBInstanceOptions') return { ...meta, OrderableDBInstanceOptions: [] };
      if (op === 'DescribeEvents') return { ...meta, Events: [] };
      throw new Error(`unexpected ${op}`);
    },
  }),
}));

import { createClusterAction, retryCreateStepAction } from './actions';
import { addReaderAction, deleteClusterAction, modifyInstanceAction, rebootInstanceAction, removeReaderAction } from './[region]/[clusterId]/actions';
import { GET as getClusterRoute } from '@/app/api/clusters/[region]/[clusterId]/route';
import { GET as getEventsRoute } from '@/app/api/clusters/[region]/[clusterId]/events/route';
import { GET as getCatalogRoute } from '@/app/api/clusters/catalog/route';

function form(o: Record<string, string>) {
  const f = new FormData();
  for (const [k, v] of Object.entries(o)) f.set(k, v);
  return f;
}
const ref = { region: 'us-east-1', clusterId: 'orders' };
const CASES: { name: string; min: Role; call: () => Promise<{ ok: boolean; code?: string }> }[] = [
  {
    name: 'createClusterAction',
    min: 'admin',
    call: () =>
      createClusterAction(null, form({ region: 'us-east-1', engine: 'aurora-mysql', identifier: 'new-one', masterUsername: 'admin', masterPassword: 'Secret-123', instanceClass: 'db.r6g.large', backupRetention: '1', backtrackHours: '0' })),
  },
  { name: 'retryCreateStepAction', min: 'operator', call: () => retryCreateStepAction(null, form({ ...ref, kind: 'reader', instanceId: 'orders-instance-2', instanceClass: 'db.r6g.large', az: '' })) },
  { name: 'addReaderAction', min: 'operator', call: () => addReaderAction(null, form({ ...ref, instanceId: 'orders-instance-2', instanceClass: 'db.r6g.large', az: '', promotionTier: '1' })) },
  { name: 'removeReaderAction', min: 'operator', call: () => removeReaderAction(null, form({ ...ref, instanceId: 'orders-instance-2' })) },
  { name: 'rebootInstanceAction', min: 'operator', call: () => rebootInstanceAction(null, form({ ...ref, instanceId: 'orders-instance-1' })) },
  { name: 'modifyInstanceAction', min: 'operator', call: () => modifyInstanceAction(null, form({ ...ref, instanceId: 'orders-instance-1', promotionTier: '0' })) },
  { name: 'deleteClusterAction', min: 'admin', call: () => deleteClusterAction(null, form({ ...ref, confirm: 'orders', finalSnapshot: 'skip', finalSnapshotId: '', deleteInstances: 'on' })) },
];
const below = (min: Role): Role[] => (min === 'admin' ? ['viewer', 'operator'] : min === 'operator' ? ['viewer'] : []);

beforeEach(() => {
  h.calls = [];
  h.audit = [];
  h.user = null;
});

describe('every cluster lifecycle action refuses without a session and with a too-low role', () => {
  for (const c of CASES) {
    it(`${c.name}: no session → UNAUTHENTICATED, nothing reaches AWS`, async () => {
      const r = await c.call();
      expect(r).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
      expect(h.calls).toEqual([]);
      expect(h.audit.map((a) => a.phase)).toEqual(['refused']);
    });
    for (const role of below(c.min)) {
      it(`${c.name}: ${role} → FORBIDDEN, audited as refused, nothing reaches AWS`, async () => {
        h.user = { id: role, username: `${role}1`, role };
        const r = await c.call();
        expect(r).toMatchObject({ ok: false, code: 'FORBIDDEN' });
        expect(h.calls).toEqual([]);
        expect(h.audit).toHaveLength(1);
        expect(h.audit[0]).toMatchObject({ phase: 'refused', actor: `${role}1` });
      });
    }
  }
});

describe('allowed roles reach AWS through the wrapper', () => {
  it('an operator adds a reader: cluster checked first, then CreateDBInstance; audited requested + succeeded', async () => {
    h.user = { id: 'o', username: 'operator1', role: 'operator' };
    const r = await CASES.find((c) => c.name === 'addReaderAction')!.call();
    expect(r).toMatchObject({ ok: true, awsRequestId: expect.stringMatching(/^req-/) });
    expect(h.calls.slice(-1)).toEqual(['CreateDBInstance']);
    expect(h.audit.map((a) => a.phase)).toEqual(['requested', 'succeeded']);
  });

  it('an admin creating a cluster never puts the password into the audit', async () => {
    h.user = { id: 'a', username: 'admin', role: 'admin' };
    const r = await CASES[0].call();
    expect(r.ok).toBe(true);
    expect(h.calls[0]).toBe('CreateDBCluster');
    expect(JSON.stringify(h.audit)).not.toContain('Secret-123');
  });

  it('delete refuses a wrong typed identifier before any AWS call', async () => {
    h.user = { id: 'a', username: 'admin', role: 'admin' };
    const r = await deleteClusterAction(null, form({ ...ref, confirm: 'order', finalSnapshot: 'skip', finalSnapshotId: '' }));
    expect(r).toMatchObject({ ok: false, code: 'VALIDATION', fieldErrors: { confirm: [expect.stringMatching(/Type the cluster identifier "orders"/)] } });
    expect(h.calls).toEqual([]);
  });

  it('refuses a region that is not configured', async () => {
    h.user = { id: 'o', username: 'operator1', role: 'operator' };
    const r = await addReaderAction(null, form({ region: 'ap-south-1', clusterId: 'orders', instanceId: 'x1', instanceClass: 'db.r6g.large', az: '', promotionTier: '1' }));
    expect(r).toMatchObject({ ok: false, code: 'INVALID_REGION' });
    expect(h.calls).toEqual([]);
  });
});

describe('polling routes are authenticated', () => {
  const params = { params: Promise.resolve({ region: 'us-east-1', clusterId: 'orders' }) };
  it('401 without a session, nothing reaches AWS', async () => {
    for (const res of [
      await getClusterRoute(new Request('http://x/api/clusters/us-east-1/orders'), params),
      await getEventsRoute(new Request('http://x/api/clusters/us-east-1/orders/events'), params),
      await getCatalogRoute(new Request('http://x/api/clusters/catalog?region=us-east-1&engine=aurora-mysql')),
    ]) {
      expect(res.status).toBe(401);
    }
    expect(h.calls).toEqual([]);
  });
  it('a viewer may read the cluster DTO; unknown regions are 404', async () => {
    h.user = { id: 'v', username: 'viewer1', role: 'viewer' };
    const res = await getClusterRoute(new Request('http://x'), params);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.cluster).toMatchObject({ id: 'orders', writerId: 'orders-instance-1', readerCount: 0 });
    const bad = await getClusterRoute(new Request('http://x'), { params: Promise.resolve({ region: 'mars-east-1', clusterId: 'orders' }) });
    expect(bad.status).toBe(404);
  });
});
