import { describe, expect, it } from 'vitest';
import { parseArgs } from './users';

describe('users CLI arguments', () => {
  it('reads positionals and flags', () => {
    expect(parseArgs(['add', 'alice', '--role', 'admin', '--password=p w', '--force'])).toEqual({
      positional: ['add', 'alice'],
      flags: { role: 'admin', password: 'p w', force: true },
    });
    expect(parseArgs(['passwd', 'bob', '--password'])).toEqual({ positional: ['passwd', 'bob'], flags: { password: true } });
  });
});
