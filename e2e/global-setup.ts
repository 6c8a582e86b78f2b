import { execFileSync } from 'node:child_process';
import { E2E } from './e2e-env';

// The web server (npm start) is already up and has created the admin from AFC_ADMIN_PASSWORD.
// Add the other e2e users through the same CLI a person would use.
export default async function globalSetup() {
  for (const key of ['admin2', 'operator', 'viewer'] as const) {
    const u = E2E.users[key];
    execFileSync('npm', ['run', '--silent', 'users', '--', 'add', u.username, '--role', u.role, '--password', u.password, '--force'], {
      env: { ...process.env, ...E2E.serverEnv },
      stdio: 'inherit',
    });
  }
}
