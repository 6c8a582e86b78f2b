// Local endpoint throughput: runs the endpoint's own benchmark (scripts/bench/emulator.ts, `npm run bench:emulator`:
// the endpoint in its own process, real SDK clients over HTTP) and reads its table, so the figures are the
// same ones that command prints. Run after the console is stopped, so it has the machine's two cores.
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface EndpointFigures {
  describeSdkPerSec: number;
  describeRawPerSec: number;
  describePagePerSec: number;
  gmdSdkMedianMs: number;
  gmdRawMedianMs: number;
  output: string;
}

export async function runEndpointBench(root: string, seconds: number): Promise<EndpointFigures> {
  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [path.join(root, 'scripts', 'bench', 'emulator.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, BENCH_SECONDS: String(seconds) },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`bench:emulator exited ${code}: ${err.slice(-500)}`);
  // Table rows: │ label │ calls/s │ p50 ms │ p95 ms │ target │ (order: single, raw single, page, raw page, GMD, raw GMD).
  const rows = out
    .split('\n')
    .filter((l) => l.startsWith('│') && !/measure/.test(l))
    .map((l) => l.split('│').map((c) => c.trim()))
    .map((c) => ({ label: c[1], perSec: Number(c[2]), p50: Number(c[3]) }));
  if (rows.length < 6) throw new Error(`bench:emulator output not understood:\n${out}`);
  return {
    describeSdkPerSec: rows[0].perSec,
    describeRawPerSec: rows[1].perSec,
    describePagePerSec: rows[2].perSec,
    gmdSdkMedianMs: rows[4].p50,
    gmdRawMedianMs: rows[5].p50,
    output: out,
  };
}
