// `npm start`: the whole console in one process tree, stopped by one Ctrl-C.
//  1. validates configuration (lib/env.ts) and prepares the database, session secret and first admin;
//  2. with the local backend, starts the local RDS + CloudWatch endpoint in this process (seeding the
//     demo fleet on first run);
//  3. builds the Next.js app when the build is missing or older than the sources;
//  4. serves the console (`next start`, or `next dev` with --dev) as a child process.
// `npm start -- --help` explains the options, including several instances on one PostgreSQL.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { getEnv } from '@/lib/env';
import { bootstrapConsole } from '@/lib/bootstrap';
import { startEmulator } from '@/lib/emulator';
import { describeDatabase } from '@/lib/db/url';

const root = path.resolve(__dirname, '..');
const dev = process.argv.includes('--dev');
const noEmulator = process.argv.includes('--no-emulator');

const HELP = `npm start [-- --dev] [-- --no-emulator]

Starts the console on PORT (default 3000) and, with the local backend, the local Aurora endpoint on
AFC_EMULATOR_URL (default http://127.0.0.1:4566). The store is SQLite in AFC_DATA_DIR (default ./data)
unless DATABASE_URL=postgres://user:password@host:5432/db names a PostgreSQL server.

  --dev           next dev instead of the production build
  --no-emulator   do not start the local endpoint here: use the one already at AFC_EMULATOR_URL

Several instances behind a proxy (the on-call console without a single point of failure):
every instance needs the SAME values of
  DATABASE_URL       one PostgreSQL database (the on-call lock, approvals, idempotency keys, sign-in limits,
                     session revocation and the audit chain live there)
  NEXTAUTH_SECRET    sessions are signed with it; with another secret an instance sends people to sign in
  AFC_AUDIT_KEY      the audit chain's HMAC key (required with DATABASE_URL)
  AFC_BACKEND / AFC_REGIONS, or AFC_EMULATOR_URL for the local endpoint (start it once: npm run emulator)
and AFC_TRUSTED_PROXIES = the proxy's address, NEXTAUTH_URL = the address people use. Example:
  export DATABASE_URL=postgres://console:…@db:5432/console NEXTAUTH_SECRET=… AFC_AUDIT_KEY=…
  npm run emulator &                                 # once, local backend only
  PORT=3001 npm start -- --no-emulator &
  PORT=3002 npm start -- --no-emulator &
See README.md, "Several instances on one PostgreSQL".`;
const nextBin = path.join(root, 'node_modules', '.bin', 'next');

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(p)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

/** The build is stale when any source the app is built from is newer than it. */
function buildIsStale(): boolean {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const sources = ['app', 'components', 'lib', 'public', 'next.config.ts', 'package.json', 'postcss.config.mjs', 'proxy.ts', 'instrumentation.ts'];
  return sources.some((s) => newestMtime(path.join(root, s)) > built);
}

async function main() {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(HELP);
    return;
  }
  let env;
  try {
    env = getEnv();
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }

  const boot = await bootstrapConsole();
  if (boot.createdAdmin) {
    const a = boot.createdAdmin;
    if (a.generated) {
      console.log('\n  First start: created user "%s" (role admin) with password:\n\n      %s\n', a.username, a.password);
      console.log('  This password is shown once. Change it with: npm run users -- passwd %s\n', a.username);
    } else {
      console.log(`\n  First start: created user "${a.username}" (role admin) with the password from AFC_ADMIN_PASSWORD.\n`);
    }
  }

  console.log(`  Store: ${describeDatabase(env.database, env.database.dialect === 'sqlite' ? path.join(env.dataDir, 'console.db') : undefined)}`);
  let emulator: Awaited<ReturnType<typeof startEmulator>> | undefined;
  if (env.backend === 'local' && noEmulator) {
    console.log(`  Local Aurora endpoint: using the one at ${env.emulator.url} (--no-emulator)`);
  } else if (env.backend === 'local') {
    const u = new URL(env.emulator.url);
    emulator = await startEmulator({
      host: u.hostname,
      port: Number(u.port || 4566),
      dataDir: env.dataDir,
      profile: env.emulator.profile,
      credentials: { accessKeyId: env.emulator.accessKeyId, secretAccessKey: env.emulator.secretAccessKey },
      seed: 'demo',
    });
    console.log(`  Local Aurora endpoint (simulated RDS + CloudWatch): ${emulator.url}`);
  } else {
    console.log(`  Backend: AWS, regions ${env.regions.join(', ')} (credentials from the AWS SDK default chain)`);
  }

  if (!dev && buildIsStale()) {
    console.log('  Building the console (first start or sources changed)…');
    const b = spawnSync(nextBin, ['build'], { cwd: root, stdio: 'inherit', env: process.env });
    if (b.status !== 0) {
      console.error('  The build failed; see the output above.');
      await emulator?.close();
      process.exit(1);
    }
  }

  const child: ChildProcess = spawn(nextBin, [dev ? 'dev' : 'start', '-p', String(env.port)], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  });
  console.log(`  Console: http://localhost:${env.port}\n`);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (child.exitCode === null) child.kill('SIGTERM');
    await emulator?.close().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  child.on('exit', (code) => void stop(code ?? 0));
}

main().catch((e) => {
  console.error('Could not start the console:', e instanceof Error ? e.message : e);
  process.exit(1);
});
