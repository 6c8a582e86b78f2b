// `npm run audit -- verify`: check the console's audit chain (keyed row hashes and the anchored head) from a shell.
// Prints one line; exit code 0 = the chain verifies, 1 = it is broken (the line says where and why), 2 = usage.
import { getEnv } from '@/lib/env';
import { getDb, migrate } from '@/lib/db';
import { verifyAuditChain } from '@/lib/audit/log';

const USAGE = 'Usage: npm run audit -- verify';

export async function main(argv: string[], out: (line: string) => void = console.log): Promise<number> {
  if (argv[0] !== 'verify' || argv.length > 1) {
    out(USAGE);
    return 2;
  }
  getEnv();
  await migrate(getDb());
  const r = await verifyAuditChain(getDb());
  if (r.ok) {
    out(`Audit chain verified: ${r.rows} row${r.rows === 1 ? '' : 's'}.`);
    return 0;
  }
  out(`Audit chain BROKEN at row ${r.brokenAt}: ${r.reason}.`);
  return 1;
}

if (require.main === module) {
  main(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((e) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    });
}
