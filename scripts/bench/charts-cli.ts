// The chart section of the bench on its own (the whole `npm run bench` takes many minutes):
//   npx tsx --conditions=react-server scripts/bench/charts-cli.ts [--port 3230] [--emulator-port 3231] [--runs 5]
// Starts the console (`npm start`, production build) with its local endpoint on the given ports, seeds 40
// clusters (a 3-instance Aurora MySQL cluster with backtrack and a 16-instance one among them), measures
// with ./charts.ts and prints the table. Stops everything it started.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { startApp } from './app';
import { benchCharts, type ChartBenchCluster } from './charts';
import { firstLoadJs } from './bundle';
import { Control, Session } from './http';
import { printTable, type Figure } from './report';

const root = path.resolve(__dirname, '../..');
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const log = (msg: string) => console.log(`[charts ${new Date().toISOString().slice(11, 19)}] ${msg}`);

async function main() {
  const port = arg('port', 3230);
  const emulatorPort = arg('emulator-port', 3231);
  const adminPassword = `Bench-${randomBytes(12).toString('base64url')}-9a`;
  const regions = ['us-east-1', 'eu-west-1'];
  const app = await startApp({
    root,
    port,
    emulatorPort,
    dataDir: path.join(root, '.bench', 'charts-data'),
    adminPassword,
    regions,
    logDir: path.join(root, '.bench'),
    onProgress: (l) => log(`  npm start: ${l}`),
  });
  try {
    const control = new Control(app.emulatorUrl);
    await control.reset();
    await control.seedLarge(40, 16, regions);
    const { DescribeDBClustersCommand, RDSClient } = await import('@aws-sdk/client-rds');
    const inventory: ChartBenchCluster[] = [];
    for (const region of regions) {
      const rds = new RDSClient({ region, endpoint: app.emulatorUrl, credentials: { accessKeyId: 'local', secretAccessKey: 'localsecret' } });
      const page = await rds.send(new DescribeDBClustersCommand({ MaxRecords: 100 }));
      for (const c of page.DBClusters ?? []) {
        inventory.push({ id: c.DBClusterIdentifier!, region, engine: c.Engine ?? '', backtrackWindow: c.BacktrackWindow, instances: (c.DBClusterMembers ?? []).map((m) => m.DBInstanceIdentifier!) });
      }
      rds.destroy();
    }
    const session = new Session(app.baseUrl);
    await session.signIn('admin', adminPassword);
    const figures: Record<string, Figure> = await benchCharts({ session, inventory, root, runs: Math.max(1, arg('runs', 5)), log });
    // The routes that draw charts or sparklines (the full bench measures every route).
    const big = inventory.find((c) => c.instances.length === 16)!;
    for (const [key, route] of [['cluster', `/clusters/${big.region}/${big.id}`], ['health', '/health'], ['fleet', '/']] as const) {
      const r = await firstLoadJs(session, route);
      figures[`first_load_js.${key}`] = {
        label: `First-load JS ${key === 'cluster' ? '/clusters/[region]/[id]' : route} (gzip)`,
        value: r.gzipBytes / 1024,
        unit: 'KB',
        target: { op: '<=', value: 200 },
        note: `${r.chunks} chunks, ${(r.rawBytes / 1024).toFixed(0)} KB raw`,
      };
    }
    console.log(`\nChart bench (machine: ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')})`);
    printTable(figures);
  } finally {
    await app.stop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`chart bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
