// E2E needs Debian's Chromium at /usr/bin/chromium (Playwright must never download a browser here).
// Installs it with apt when missing and we are root; otherwise stops with one clear instruction.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const CHROMIUM = '/usr/bin/chromium';
if (existsSync(CHROMIUM)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  console.error(`E2E tests need Chromium at ${CHROMIUM}. Install it with: sudo apt-get update && sudo apt-get install -y chromium`);
  process.exit(1);
}
console.log(`Installing Debian's chromium (needed by the e2e tests)…`);
try {
  execSync('apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium', { stdio: 'inherit' });
} catch {
  console.error('apt-get could not install chromium. Install it by hand: apt-get update && apt-get install -y chromium');
  process.exit(1);
}
if (!existsSync(CHROMIUM)) {
  console.error(`chromium was installed but ${CHROMIUM} is missing.`);
  process.exit(1);
}
