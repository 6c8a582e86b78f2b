import { describe, expect, it } from 'vitest';
import { TtlCache } from './metric-cache';

function setup() {
  let now = 1_000_000;
  const cache = new TtlCache(100, () => now);
  let loads = 0;
  const load = (v: string) => async () => {
    loads++;
    return v;
  };
  return { cache, load, advance: (ms: number) => (now += ms), loads: () => loads };
}

describe('TtlCache', () => {
  it('concurrent callers share one load; a settled value is served while young enough', async () => {
    const { cache, load, advance, loads } = setup();
    const all = await Promise.all(Array.from({ length: 10 }, () => cache.get('k', 2_000, load('a'))));
    expect(all).toEqual(Array(10).fill('a'));
    expect(loads()).toBe(1);
    advance(1_999);
    expect(await cache.get('k', 2_000, load('b'))).toBe('a');
    advance(1);
    expect(await cache.get('k', 2_000, load('b'))).toBe('b');
    expect(loads()).toBe(2);
  });

  it("the caller's tolerance decides: a 10 s reader reuses a 2 s loader's value, a 2 s reader does not reuse an older one", async () => {
    const { cache, load, advance, loads } = setup();
    await cache.get('fleet', 2_000, load('v1'));
    advance(5_000);
    expect(await cache.get('fleet', 10_000, load('v2'))).toBe('v1');
    expect(await cache.get('fleet', 2_000, load('v2'))).toBe('v2');
    expect(loads()).toBe(2);
  });

  it('failures are not cached', async () => {
    const { cache, load } = setup();
    await expect(
      cache.get('k', 2_000, async () => {
        throw new Error('Throttling');
      }),
    ).rejects.toThrow('Throttling');
    expect(await cache.get('k', 2_000, load('ok'))).toBe('ok');
  });

  it('invalidatePrefix drops settled and in-flight entries of that prefix only', async () => {
    const { cache, load, loads } = setup();
    await cache.get('us-east-1|fleet', 60_000, load('old'));
    await cache.get('eu-west-1|fleet', 60_000, load('eu'));
    let release!: (v: string) => void;
    const slow = cache.get('us-east-1|cluster:a', 60_000, () => new Promise<string>((r) => (release = r)));
    cache.invalidatePrefix('us-east-1|');
    expect(await cache.get('us-east-1|fleet', 60_000, load('new'))).toBe('new');
    expect(await cache.get('eu-west-1|fleet', 60_000, load('x'))).toBe('eu');
    // A caller after the write does not join the read that started before it.
    const after = cache.get('us-east-1|cluster:a', 60_000, load('fresh'));
    release('stale');
    expect(await slow).toBe('stale');
    expect(await after).toBe('fresh');
    expect(loads()).toBe(4);
  });
});
