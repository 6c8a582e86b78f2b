// The one decoder of path parameters: crafted addresses are refused with a 400/404 AppError and a message,
// never a throw of anything else (which a route or page would turn into a 500).
import { describe, expect, it, vi } from 'vitest';
import { AppError } from '@/lib/errors';

vi.mock('@/lib/env', () => ({ getEnv: () => ({ backend: 'local', regions: ['us-east-1', 'eu-west-1'] }) }));

import { checkClusterParams, decodePathParam, parseClusterParams } from './params';
import { displayText } from './display';

function refusal(params: { region?: unknown; clusterId?: unknown }): AppError {
  const r = checkClusterParams(params);
  if (!(r instanceof AppError)) throw new Error(`accepted ${JSON.stringify(params).slice(0, 80)}`);
  return r;
}

describe('parseClusterParams', () => {
  it('accepts a configured region and a cluster identifier, raw or percent-encoded', () => {
    expect(parseClusterParams({ region: 'us-east-1', clusterId: 'orders-prod' })).toEqual({ region: 'us-east-1', clusterId: 'orders-prod' });
    expect(parseClusterParams({ region: 'eu%2Dwest-1', clusterId: 'Orders%2Dprod' })).toEqual({ region: 'eu-west-1', clusterId: 'Orders-prod' });
  });

  it('a region outside AFC_REGIONS is a 404 that names the configured list', () => {
    const e = refusal({ region: 'zz-nowhere-9', clusterId: 'x' });
    expect(e).toMatchObject({ status: 404, code: 'INVALID_REGION' });
    expect(e.message).toBe('Region zz-nowhere-9 is not configured for this console (AFC_REGIONS = us-east-1, eu-west-1).');
  });

  const CRAFTED: Record<string, { region?: unknown; clusterId?: unknown }> = {
    '%ff in the id': { region: 'us-east-1', clusterId: '%ff' },
    'truncated UTF-8 sequence (%E0%A4%A)': { region: 'us-east-1', clusterId: '%E0%A4%A' },
    'lone %': { region: 'us-east-1', clusterId: 'orders%' },
    '%ff in the region': { region: '%ff', clusterId: 'orders-prod' },
    'NUL raw': { region: 'us-east-1', clusterId: 'orders\u0000prod' },
    'NUL encoded': { region: 'us-east-1', clusterId: 'orders%00prod' },
    'newline encoded': { region: 'us-east-1', clusterId: 'orders%0Aprod' },
    'id of 256 characters': { region: 'us-east-1', clusterId: 'a'.repeat(256) },
    'id of 10 KB': { region: 'us-east-1', clusterId: 'a'.repeat(10_240) },
    'region of 10 KB': { region: 'us-east-' + '1'.repeat(10_240), clusterId: 'orders-prod' },
    'non-ASCII id': { region: 'us-east-1', clusterId: 'кластер' },
    'non-ASCII id, encoded': { region: 'us-east-1', clusterId: '%D0%BA%D0%BB' },
    'emoji id': { region: 'us-east-1', clusterId: 'db😀' },
    'id of 64 characters': { region: 'us-east-1', clusterId: 'a'.repeat(64) },
    'path traversal': { region: 'us-east-1', clusterId: '..%2F..%2Fetc%2Fpasswd' },
    'leading digit': { region: 'us-east-1', clusterId: '1orders' },
    'empty id': { region: 'us-east-1', clusterId: '' },
    'missing id': { region: 'us-east-1' },
    'array id': { region: 'us-east-1', clusterId: ['a', 'b'] },
  };

  it.each(Object.entries(CRAFTED))('%s → 400 or 404 with a short, printable message', (_name, params) => {
    const e = refusal(params);
    expect([400, 404]).toContain(e.status);
    expect(e.message.length).toBeGreaterThan(20);
    expect(e.message.length).toBeLessThan(300);
    expect(e.message).toMatch(/^[\x20-\x7e…]+$/);
  });

  it('malformed encodings, control characters, over-long and non-ASCII values are 400 with what is wrong', () => {
    expect(refusal(CRAFTED['%ff in the id']).message).toMatch(/cluster identifier in the address is not valid percent-encoding/);
    expect(refusal(CRAFTED['truncated UTF-8 sequence (%E0%A4%A)'])).toMatchObject({ status: 400, code: 'BAD_PATH_PARAMETER' });
    expect(refusal(CRAFTED['NUL encoded']).message).toMatch(/control character/);
    expect(refusal(CRAFTED['id of 10 KB']).message).toMatch(/too long \(10240 characters; at most 255\)/);
    expect(refusal(CRAFTED['non-ASCII id']).message).toMatch(/non-ASCII/);
    expect(refusal(CRAFTED['id of 64 characters']).message).toMatch(/1 to 63 letters, digits and hyphens/);
  });

  it('checks the encoding before the region, so a malformed region is a 400, a well-formed unknown one a 404', () => {
    expect(refusal(CRAFTED['%ff in the region']).status).toBe(400);
    expect(refusal({ region: 'mars-north-1', clusterId: 'a' }).status).toBe(404);
  });
});

describe('decodePathParam and displayText', () => {
  it('decodes exactly once', () => {
    expect(decodePathParam('a%2520b', 'x')).toBe('a%20b');
  });
  it('shows control and non-ASCII characters as escapes and cuts long values', () => {
    expect(displayText('a\u0000b\u00e9')).toBe('a\\u0000b\\u00e9');
    expect(displayText('x'.repeat(100), 10)).toBe('xxxxxxxxxx… (100 characters)');
  });
});

describe('malformedPathMessage (proxy.ts, before Next decodes the path)', () => {
  it('names a segment that cannot be decoded and accepts the rest', async () => {
    const { malformedPathMessage } = await import('./path');
    expect(malformedPathMessage('/clusters/us-east-1/orders-prod')).toBeUndefined();
    expect(malformedPathMessage('/clusters/us-east-1/a%2Db')).toBeUndefined();
    expect(malformedPathMessage('/clusters/us-east-1/%ff')).toMatch(/^The address is not valid percent-encoding \(%ff\)/);
    expect(malformedPathMessage('/api/oncall/us-east-1/%E0%A4%A')).toContain('%E0%A4%A');
    expect(malformedPathMessage(`/clusters/us-east-1/%ff${'a'.repeat(10_000)}`)!.length).toBeLessThan(200);
  });
});
