import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EnvError, parseEnv, parseRoleMap } from './env';

describe('parseEnv', () => {
  it('gives local defaults', () => {
    const e = parseEnv({}, { persistSecret: false, cwd: '/srv/app' });
    expect(e.backend).toBe('local');
    expect(e.regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(e.dataDir).toBe('/srv/app/data');
    expect(e.port).toBe(3000);
    expect(e.emulator).toEqual({ url: 'http://127.0.0.1:4566', accessKeyId: 'local', secretAccessKey: 'localsecret', profile: 'demo' });
    expect(e.twoPersonRule).toEqual({ backtrack: true, clusterDelete: true, failover: false, globalFailover: true, snapshotDelete: false });
    expect(e.lagThresholdsMs).toEqual({ warn: 100, critical: 1000 });
    expect(e.oidc).toBeUndefined();
  });

  it('uses AWS_REGION for the aws backend', () => {
    expect(parseEnv({ AFC_BACKEND: 'aws', AWS_REGION: 'ap-southeast-2' }, { persistSecret: false }).regions).toEqual(['ap-southeast-2']);
  });

  it('lists every bad variable in one error, without secret values', () => {
    let err: unknown;
    try {
      parseEnv(
        {
          AFC_BACKEND: 'gcp',
          PORT: 'eighty',
          AFC_EMULATOR_PROFILE: 'fast',
          AFC_LAG_WARN_MS: '-1',
          NEXTAUTH_SECRET: 'short-secret-value',
        },
        { persistSecret: false },
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EnvError);
    const msg = (err as EnvError).message;
    expect(msg).toMatch(/AFC_BACKEND must be "local" or "aws" \(got "gcp"\)/);
    expect(msg).toMatch(/PORT must be a whole number/);
    expect(msg).toMatch(/AFC_EMULATOR_PROFILE/);
    expect(msg).toMatch(/AFC_LAG_WARN_MS/);
    expect((err as EnvError).problems.length).toBeGreaterThanOrEqual(4);
    expect(msg).not.toContain('short-secret-value');
  });

  it('collects semantic problems together', () => {
    let err: EnvError | undefined;
    try {
      parseEnv(
        { AFC_BACKEND: 'aws', AFC_OIDC_ISSUER: 'https://idp.example.com', AFC_TWO_PERSON: 'backtrack,explode', AFC_LAG_WARN_MS: '2000', AFC_ADMIN_PASSWORD: 'abc' },
        { persistSecret: false },
      );
    } catch (e) {
      err = e as EnvError;
    }
    expect(err?.problems.join('\n')).toMatch(/AWS_REGION/);
    expect(err?.problems.join('\n')).toMatch(/missing AFC_OIDC_CLIENT_ID, AFC_OIDC_CLIENT_SECRET/);
    expect(err?.problems.join('\n')).toMatch(/unknown action "explode"/);
    expect(err?.problems.join('\n')).toMatch(/AFC_LAG_WARN_MS \(2000\) must be lower/);
    expect(err?.problems.join('\n')).toMatch(/AFC_ADMIN_PASSWORD must be at least 8/);
    expect(err?.problems).toHaveLength(5);
  });

  it('parses OIDC and the role map', () => {
    const e = parseEnv(
      {
        AFC_OIDC_ISSUER: 'https://idp.example.com/realms/ops',
        AFC_OIDC_CLIENT_ID: 'console',
        AFC_OIDC_CLIENT_SECRET: 'cs',
        AFC_OIDC_ROLE_MAP: 'group:dba=admin,email:Oncall@Example.com=operator,*=viewer',
        AFC_TWO_PERSON: 'none',
      },
      { persistSecret: false },
    );
    expect(e.oidc?.roleMap).toEqual([
      { kind: 'group', value: 'dba', role: 'admin' },
      { kind: 'email', value: 'oncall@example.com', role: 'operator' },
      { kind: 'any', value: '', role: 'viewer' },
    ]);
    expect(e.twoPersonRule).toEqual({ backtrack: false, clusterDelete: false, failover: false, globalFailover: false, snapshotDelete: false });
    expect(parseRoleMap('group:x=root').problems).toHaveLength(1);
  });

  it('generates the session secret once and keeps it (mode 600)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'afc-env-'));
    const a = parseEnv({ AFC_DATA_DIR: dir });
    const b = parseEnv({ AFC_DATA_DIR: dir });
    expect(a.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(b.sessionSecret).toBe(a.sessionSecret);
    const file = path.join(dir, 'session-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(a.sessionSecret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parseEnv({ AFC_DATA_DIR: dir, NEXTAUTH_SECRET: 'y'.repeat(40) }).sessionSecret).toBe('y'.repeat(40));
  });
});

describe('aggregation across kinds of problems', () => {
  it('reports field errors and cross-field errors together', () => {
    let err: EnvError | undefined;
    try {
      parseEnv({ AFC_BACKEND: 'gcp', PORT: 'x', AFC_LAG_WARN_MS: '5000', AFC_TWO_PERSON: 'nuke' }, { persistSecret: false });
    } catch (e) {
      err = e as EnvError;
    }
    expect(err?.problems).toEqual([
      'AFC_BACKEND must be "local" or "aws" (got "gcp")',
      'PORT must be a whole number (got "x")',
      'AFC_TWO_PERSON: unknown action "nuke" (use backtrack, cluster.delete, failover, global.failover, snapshot.delete, or none)',
      'AFC_LAG_WARN_MS (5000) must be lower than AFC_LAG_CRITICAL_MS (1000)',
    ]);
  });
});
