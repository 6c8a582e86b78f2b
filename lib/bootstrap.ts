import 'server-only';
import { getEnv } from '@/lib/env';
import { migrate, getDb, isDbUnavailable } from '@/lib/db';
import { unreachableAtStartMessage } from '@/lib/db/health';
import { countUsers, createUser } from '@/lib/auth/users';
import { generatePassword } from '@/lib/auth/password';

/**
 * Prepare the console: apply migrations, make sure the session secret exists, and on first start create the
 * `admin` user (password from AFC_ADMIN_PASSWORD, else generated — returned so the caller prints it ONCE).
 * Safe to call from several processes: migrations are transactional and the admin insert is unique.
 */
export async function bootstrapConsole(): Promise<{ createdAdmin?: { username: string; password: string; generated: boolean } }> {
  const env = getEnv(); // validates config, generates + persists the session secret when absent
  try {
    await migrate(getDb());
  } catch (e) {
    if (isDbUnavailable(e) || isDbUnavailable((e as { cause?: unknown }).cause)) throw new Error(unreachableAtStartMessage(e));
    throw e;
  }
  if ((await countUsers()) > 0) return {};
  const generated = !env.adminPassword;
  const password = env.adminPassword ?? generatePassword();
  try {
    await createUser({ username: 'admin', role: 'admin', password });
  } catch (e) {
    // Another process created it first.
    if ((e as { code?: string }).code === 'USER_EXISTS' || /UNIQUE|duplicate key/i.test(String((e as Error).message))) return {};
    throw e;
  }
  return { createdAdmin: { username: 'admin', password, generated } };
}
