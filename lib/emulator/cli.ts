// `npm run emulator`: the local RDS + CloudWatch (+ RDS Data API, Secrets Manager) endpoint on its own (default http://127.0.0.1:4566).
import { startEmulator } from './index';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const portArg = arg('port');
  const emu = await startEmulator({
    port: portArg !== undefined ? Number(portArg) : undefined,
    host: arg('host'),
    dataDir: arg('data-dir'),
    profile: arg('profile') === 'test' ? 'test' : arg('profile') === 'demo' ? 'demo' : undefined,
    seed: process.argv.includes('--no-seed') ? 'none' : 'demo',
  });
  const region = (process.env.AFC_REGIONS || 'us-east-1').split(',')[0].trim() || 'us-east-1';
  const lines = [
    `Aurora Fleet Console local endpoint (RDS, CloudWatch, RDS Data API, Secrets Manager) listening on ${emu.url}`,
    `  data: ${emu.state.file}`,
    `  credentials: access key id "${emu.credentials.accessKeyId}"; the secret is AFC_EMULATOR_SECRET_ACCESS_KEY (default "localsecret")`,
    `  regions: any (the SigV4 credential scope picks the region); demo fleet in ${process.env.AFC_REGIONS || 'us-east-1,eu-west-1'}`,
    `  try:  AWS_ACCESS_KEY_ID=${emu.credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=<secret> aws rds describe-db-clusters --endpoint-url ${emu.url} --region ${region}`,
    `  control: curl ${emu.url}/_emulator/health   (reset, seed, workload, faults, counters)`,
    `Ctrl-C stops.`,
  ];
  console.log(lines.join('\n'));
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    emu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'EADDRINUSE') console.error(`The emulator port is already in use (${err.message}). Set AFC_EMULATOR_URL or pass --port.`);
  else console.error(err?.stack ?? String(e));
  process.exit(1);
});
