// Test support: a console process that runs ONE server action through the real wrapper (audit "requested" →
// AWS call → audit outcome) against the endpoint and database the environment names. scripts/durability.test.ts
// SIGKILLs it part-way. Run: tsx --conditions=react-server lib/testing/durability-child.ts failover|create JSON
// Only the session is swapped (there is no HTTP request in this process); CommonJS require() so the swap is
// in place before any console module loads.
const Module = require('node:module') as { _resolveFilename: (req: string, ...rest: unknown[]) => string };
const path = require('node:path') as typeof import('node:path');

const stub = path.join(__dirname, 'durability-session-stub.ts');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request: string, ...rest: unknown[]) {
  if (request === '@/lib/auth/session' || /lib[\\/]auth[\\/]session(\.ts)?$/.test(request)) return stub;
  return resolve.call(this, request, ...rest);
};

async function main() {
  const [kind, json] = process.argv.slice(2);
  const input = JSON.parse(json ?? '{}') as Record<string, unknown>;
  const { ensureMigrated } = require('@/lib/db') as typeof import('@/lib/db');
  const { runAction } = require('@/lib/actions/define-action') as typeof import('@/lib/actions/define-action');
  await ensureMigrated();
  let action;
  if (kind === 'failover') action = (require('@/lib/oncall/actions') as typeof import('@/lib/oncall/actions')).failoverClusterAction;
  else if (kind === 'create') action = (require('@/app/(console)/clusters/actions') as typeof import('@/app/(console)/clusters/actions')).createClusterAction;
  else throw new Error(`unknown kind ${kind}`);
  process.stdout.write('STARTED\n');
  const r = await runAction(action as Parameters<typeof runAction>[0], input);
  process.stdout.write(`DONE ${JSON.stringify(r)}\n`);
}

main().catch((e) => {
  process.stderr.write(`child failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
