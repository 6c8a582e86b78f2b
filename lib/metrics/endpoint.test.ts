import { afterEach, describe, expect, it } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { PEER_HEADER } from '@/lib/auth/client-address';
import { countAction, countAwsCall, renderPrometheus } from './registry';
import { metricsAccess } from './endpoint';

// The stamped peer is only believed with this process's token; stampPeer() is what the HTTP hook calls.
import { stampPeer } from '@/lib/auth/client-address';
function headersFrom(peer: string, extra: Record<string, string> = {}): Headers {
  const req = { headers: { ...extra } as Record<string, string>, socket: { remoteAddress: peer } };
  stampPeer(req as never);
  return new Headers(req.headers);
}

afterEach(() => {
  delete process.env.AFC_METRICS_TOKEN;
  resetEnvCache();
});

describe('/api/metrics access', () => {
  it('without a token: loopback clients only, not a remote client forwarded by a local proxy', () => {
    process.env.NEXTAUTH_SECRET ??= 'metrics-test-session-secret-0123456789ab';
    resetEnvCache();
    expect(metricsAccess(headersFrom('127.0.0.1'))).toEqual({ ok: true });
    expect(metricsAccess(headersFrom('::1'))).toEqual({ ok: true });
    expect(metricsAccess(headersFrom('10.1.2.3'))).toMatchObject({ ok: false, status: 403, error: expect.stringContaining('AFC_METRICS_TOKEN') });
    expect(metricsAccess(headersFrom('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }))).toMatchObject({ ok: false, status: 403 });
    // A client-sent peer header without the process token is not believed.
    expect(metricsAccess(new Headers({ [PEER_HEADER]: 'forged 127.0.0.1' }))).toMatchObject({ ok: false, status: 403 });
  });

  it('with AFC_METRICS_TOKEN: the Bearer token, from anywhere; nothing else', () => {
    process.env.AFC_METRICS_TOKEN = 'scrape-token-0123456789';
    resetEnvCache();
    expect(metricsAccess(headersFrom('10.1.2.3', { authorization: 'Bearer scrape-token-0123456789' }))).toEqual({ ok: true });
    expect(metricsAccess(headersFrom('127.0.0.1'))).toMatchObject({ ok: false, status: 401 });
    expect(metricsAccess(headersFrom('10.1.2.3', { authorization: 'Bearer scrape-token-012345678' }))).toMatchObject({ ok: false, status: 401 });
  });
});

describe('Prometheus text', () => {
  it('renders counters with HELP/TYPE and escaped labels', () => {
    countAwsCall('rds', 'FailoverDBCluster', 'us-east-1', 'ok');
    countAwsCall('rds', 'FailoverDBCluster', 'us-east-1', 'ok');
    countAction('cluster.failover', 'FAILOVER_IN_PROGRESS');
    const text = renderPrometheus([{ name: 'afc_x', help: 'x', type: 'gauge', samples: [{ labels: { q: 'a"b' }, value: 1 }] }]);
    expect(text).toContain('# TYPE afc_aws_calls_total counter\n');
    expect(text).toMatch(/^afc_aws_calls_total\{service="rds",operation="FailoverDBCluster",region="us-east-1",outcome="ok"\} 2$/m);
    expect(text).toMatch(/^afc_actions_total\{action="cluster.failover",outcome="FAILOVER_IN_PROGRESS"\} 1$/m);
    expect(text).toContain('afc_x{q="a\\"b"} 1\n');
  });
});
