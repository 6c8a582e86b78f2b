// The local endpoint enforces SigV4 as AWS does (clock skew, signed payload hash) and refuses oversized bodies
// and browser-style control-API requests.
import { CloudWatchClient, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fault, startHarness, type Harness } from '@/lib/testing/emulator-rds';
import { computeSignature, precheckSigV4, verifySigV4 } from './sigv4';
import { MAX_BODY_BYTES } from './request-guard';

let h: Harness;
const CREDS = { accessKeyId: 'local', secretAccessKey: 'localsecret' };
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

const basic = (t: number) => new Date(t).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');

/** A signed RDS Query request (optionally with extra headers, signed or not). */
function signedRds(body: Buffer | string, opts: { at?: number; extra?: Record<string, string>; sign?: string[] } = {}) {
  const raw = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const amzDate = basic(opts.at ?? Date.now());
  const u = new URL(h.emu.url);
  const headers: Record<string, string> = { host: u.host, 'content-type': 'application/x-www-form-urlencoded', 'x-amz-date': amzDate, ...opts.extra };
  const signed = opts.sign ?? ['host', 'x-amz-date', ...Object.keys(opts.extra ?? {})].sort();
  const scope = { accessKeyId: 'local', date: amzDate.slice(0, 8), region: 'us-east-1', service: 'rds' };
  const sig = computeSignature({ method: 'POST', url: '/', headers, rawBody: raw }, signed, scope, CREDS.secretAccessKey);
  headers.authorization = `AWS4-HMAC-SHA256 Credential=local/${scope.date}/us-east-1/rds/aws4_request, SignedHeaders=${signed.join(';')}, Signature=${sig}`;
  return { headers, raw };
}

function send(path: string, method: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${h.emu.url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('SigV4 as AWS enforces it', () => {
  it('refuses an X-Amz-Date more than 15 minutes old or ahead: RequestExpired (403), RDS XML and CloudWatch JSON', async () => {
    const old = new RDSClient({ endpoint: h.emu.url, region: 'us-east-1', credentials: CREDS, maxAttempts: 1, systemClockOffset: -20 * 60_000 });
    const e = await fault(() => old.send(new DescribeDBClustersCommand({})));
    expect([e.name, e.status]).toEqual(['RequestExpired', 403]);
    expect(e.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
    old.destroy();
    const ahead = new CloudWatchClient({ endpoint: h.emu.url, region: 'us-east-1', credentials: CREDS, maxAttempts: 1, systemClockOffset: 20 * 60_000 });
    const c = await fault(() => ahead.send(new ListMetricsCommand({ Namespace: 'AWS/RDS' })));
    expect([c.name, c.status]).toEqual(['RequestExpired', 403]);
    expect(c.message).toMatch(/^Signature not yet current: /);
    ahead.destroy();
    // A few minutes of skew is fine.
    const near = new RDSClient({ endpoint: h.emu.url, region: 'us-east-1', credentials: CREDS, maxAttempts: 1, systemClockOffset: -5 * 60_000 });
    await expect(near.send(new DescribeDBClustersCommand({}))).resolves.toBeTruthy();
    near.destroy();
  });

  it('a replayed request from 20 minutes ago is refused even with a valid signature', async () => {
    const { headers, raw } = signedRds('Action=DescribeDBClusters&Version=2014-10-31', { at: Date.now() - 20 * 60_000 });
    const r = await send('/', 'POST', headers, raw);
    expect(r.status).toBe(403);
    expect(r.text).toContain('<Code>RequestExpired</Code>');
    expect(r.text).toMatch(/^<ErrorResponse xmlns="http:\/\/rds.amazonaws.com\/doc\/2014-10-31\/">/);
    const fresh = signedRds('Action=DescribeDBClusters&Version=2014-10-31');
    expect((await send('/', 'POST', fresh.headers, fresh.raw)).status).toBe(200);
  });

  it('x-amz-content-sha256 must be signed and equal the body hash', async () => {
    const body = 'Action=DescribeDBClusters&Version=2014-10-31';
    const good = createHash('sha256').update(body).digest('hex');
    let s = signedRds(body, { extra: { 'x-amz-content-sha256': good } });
    expect((await send('/', 'POST', s.headers, s.raw)).status).toBe(200);
    // Declared hash of another body (signature computed over the declared hash): the body was swapped.
    s = signedRds(body, { extra: { 'x-amz-content-sha256': createHash('sha256').update('Action=DeleteDBCluster').digest('hex') } });
    let r = await send('/', 'POST', s.headers, s.raw);
    expect([r.status, /<Code>XAmzContentSHA256Mismatch<\/Code>/.test(r.text)]).toEqual([400, true]);
    // Sent but not signed.
    s = signedRds(body, { extra: { 'x-amz-content-sha256': good }, sign: ['host', 'x-amz-date'] });
    r = await send('/', 'POST', s.headers, s.raw);
    expect([r.status, /<Code>SignatureDoesNotMatch<\/Code>/.test(r.text)]).toEqual([403, true]);
    expect(precheckSigV4(s.headers, CREDS).ok).toBe(false);
    expect(verifySigV4({ method: 'POST', url: '/', headers: { ...s.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, rawBody: s.raw }, CREDS).ok).toBe(false);
  });
});

describe('body limits', () => {
  it(`accepts a large gzip PutMetricData (1000 datums) and refuses bodies over ${MAX_BODY_BYTES} bytes with 413`, async () => {
    const cw = new CloudWatchClient({ endpoint: h.emu.url, region: 'us-east-1', credentials: CREDS, maxAttempts: 1 });
    const MetricData = Array.from({ length: 1000 }, (_, i) => ({ MetricName: `M${i}`, Value: i, Dimensions: [{ Name: 'DBClusterIdentifier', Value: `c${i % 10}` }] }));
    await expect(cw.send(new PutMetricDataCommand({ Namespace: 'Custom/Load', MetricData }))).resolves.toBeTruthy();
    cw.destroy();
    const declared = signedRds('x', { extra: { 'content-length': String(MAX_BODY_BYTES + 1) }, sign: ['host', 'x-amz-date'] });
    const r = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${h.emu.url}/`, { method: 'POST', headers: declared.headers }, (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      req.write('x'); // the rest never comes: the answer must not wait for it
    });
    expect(r).toBe(413);
  });

  it('a gzip bomb (small on the wire, over the cap decompressed) is refused with 413', async () => {
    const bomb = gzipSync(Buffer.alloc(MAX_BODY_BYTES + 1024, 'A'));
    expect(bomb.length).toBeLessThan(100_000);
    const s = signedRds(bomb, { extra: { 'content-encoding': 'gzip' } });
    const r = await send('/', 'POST', s.headers, s.raw);
    expect(r.status).toBe(413);
    expect(r.text).toContain('RequestEntityTooLarge');
  });

  it('a 50 MB unsigned body is refused before it is read', async () => {
    const t0 = Date.now();
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${h.emu.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' } }, (res) =>
        resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.write(Buffer.alloc(64 * 1024, 'a')); // of 50 MB announced by nothing but the attacker's intent
    });
    expect(status).toBe(403);
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});

describe('control API refuses browser-style requests', () => {
  const ok = (r: { status: number }) => r.status < 300;
  it('answers JSON from loopback tools; refuses forms, text/plain, foreign Origin and foreign Host', async () => {
    const host = new URL(h.emu.url).host;
    expect(ok(await send('/_emulator/health', 'GET', { host }))).toBe(true);
    expect(ok(await send('/_emulator/counters/reset', 'POST', { host }))).toBe(true);
    expect(ok(await send('/_emulator/faults', 'POST', { host, 'content-type': 'application/json' }, Buffer.from('{"operation":"X","errorCount":0}')))).toBe(true);
    await send('/_emulator/faults', 'DELETE', { host });

    const form = await send('/_emulator/reset', 'POST', { host, 'content-type': 'application/x-www-form-urlencoded' }, Buffer.from('a=1'));
    expect(form.status).toBe(415);
    expect((await send('/_emulator/reset', 'POST', { host, 'content-type': 'text/plain' }, Buffer.from('{}'))).status).toBe(415);
    expect((await send('/_emulator/reset', 'POST', { host }, Buffer.from('{}'))).status).toBe(415);
    const cross = await send('/_emulator/reset', 'POST', { host, origin: 'https://evil.example', 'content-type': 'application/json' }, Buffer.from('{}'));
    expect(cross.status).toBe(403);
    expect(JSON.parse(cross.text).error).toMatch(/cross-origin/);
    expect((await send('/_emulator/health', 'GET', { host, origin: `http://${host}` })).status).toBe(200);
    const rebound = await send('/_emulator/reset', 'POST', { host: 'evil.example:4566' });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.text).error).toMatch(/loopback host/);
  });
});
