import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator } from './index';

describe('the endpoint state under the data dir', () => {
  it('is owner-only: emulator.db and its -wal/-shm 0600, a created data dir 0700', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'afc-emu-files-'));
    const dir = path.join(parent, 'data');
    const emu = await startEmulator({ port: 0, dataDir: dir, profile: 'test', seed: 'demo', engines: 'simulated' });
    try {
      const mode = (f: string) => statSync(path.join(dir, f)).mode & 0o777;
      expect(mode('.')).toBe(0o700);
      for (const f of ['emulator.db', 'emulator.db-wal', 'emulator.db-shm']) expect([f, mode(f)]).toEqual([f, 0o600]);
    } finally {
      await emu.close();
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('with real engines, the data dir lets the PostgreSQL OS user pass through (0711) but not list it', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'afc-emu-files-'));
    const dir = path.join(parent, 'data');
    const emu = await startEmulator({ port: 0, dataDir: dir, profile: 'test', engines: 'real' });
    try {
      const mode = (f: string) => statSync(path.join(dir, f)).mode & 0o777;
      expect(mode('.')).toBe(0o711);
      expect(mode('engines')).toBe(0o711);
      expect(mode('emulator.db')).toBe(0o600);
    } finally {
      await emu.close();
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
