// What a global database member's engine remembers across restarts of the endpoint: which primary cluster it
// follows (`region/clusterId`; absent while it is writable) and the upstream port its replication points at.
// Kept in <cluster data dir>/global.json, readable by the endpoint's user only.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

export interface GlobalRoleState {
  following?: string;
  upstreamPort?: number;
}

const fileOf = (dataDir: string) => path.join(dataDir, 'global.json');

/** The saved state; empty for a cluster that was never a secondary (no file) or an unreadable file. */
export function loadGlobalRole(dataDir: string): GlobalRoleState {
  try {
    const g = JSON.parse(fs.readFileSync(fileOf(dataDir), 'utf8')) as GlobalRoleState;
    return { following: typeof g.following === 'string' ? g.following : undefined, upstreamPort: typeof g.upstreamPort === 'number' ? g.upstreamPort : undefined };
  } catch {
    return {};
  }
}

export async function saveGlobalRole(dataDir: string, state: GlobalRoleState): Promise<void> {
  await fsp.mkdir(dataDir, { recursive: true });
  await fsp.writeFile(fileOf(dataDir), JSON.stringify({ following: state.following, upstreamPort: state.upstreamPort }), { mode: 0o600 });
}
