// `npm run users -- <command>`: manage console users from a shell (migrates the database first).
//   add NAME --role ROLE [--password PW] [--force]   create (or with --force update) a user; prints a generated password once
//   list                                             list users
//   set-role NAME ROLE                               change a role (takes effect on the user's next request)
//   disable NAME | enable NAME                       refuse / allow sign-in (a disabled user's session stops working at once)
//   passwd NAME [--password PW]                      set a new password (generated and printed once when omitted)
import { getEnv } from '@/lib/env';
import { getDb, migrate } from '@/lib/db';
import { createUser, listUsers, setUserDisabled, setUserPassword, setUserRole } from '@/lib/auth/users';
import { generatePassword } from '@/lib/auth/password';
import { appendAudit } from '@/lib/audit/log';
import { isAppError } from '@/lib/errors';
import { userInfo } from 'node:os';

const USAGE = `Usage: npm run users -- <command>
  add NAME --role viewer|operator|admin [--password PW] [--force]
  list
  set-role NAME ROLE
  disable NAME
  enable NAME
  passwd NAME [--password PW]`;

export function parseArgs(argv: string[]): { positional: string[]; flags: Record<string, string | true> } {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [k, inline] = a.slice(2).split('=', 2);
      if (inline !== undefined) flags[k] = inline;
      else if (k === 'force' || k === 'help') flags[k] = true;
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags[k] = argv[++i];
      else flags[k] = true;
    } else positional.push(a);
  }
  return { positional, flags };
}

class UsageError extends Error {}

function need(v: string | undefined, what: string): string {
  if (!v) throw new UsageError(`Missing ${what}.`);
  return v;
}
function flagString(flags: Record<string, string | true>, k: string): string | undefined {
  const v = flags[k];
  if (v === true) throw new UsageError(`--${k} needs a value.`);
  return v;
}

async function audit(target: string, params: Record<string, unknown>) {
  // CLI changes are audited under the operating-system user running the command.
  const who = (() => {
    try {
      return `cli:${userInfo().username}`;
    } catch {
      return 'cli';
    }
  })();
  await appendAudit({ actor: who, role: 'admin', action: 'user.manage', target, params, phase: 'succeeded' });
}

export async function main(argv: string[]): Promise<number> {
  const { positional, flags } = parseArgs(argv);
  const [cmd, ...rest] = positional;
  if (!cmd || flags.help || cmd === 'help') {
    console.log(USAGE);
    return cmd || flags.help ? 0 : 2;
  }
  getEnv();
  await migrate(getDb());

  switch (cmd) {
    case 'add': {
      const name = need(rest[0], 'NAME');
      const role = need(flagString(flags, 'role'), '--role');
      const given = flagString(flags, 'password');
      const password = given ?? generatePassword();
      const { user, created } = await createUser({ username: name, role, password, force: flags.force === true });
      await audit(user.username, { command: created ? 'add' : 'add --force', role: user.role });
      console.log(`${created ? 'Created' : 'Updated'} user "${user.username}" (role ${user.role}).`);
      if (!given) console.log(`Password (shown once): ${password}`);
      return 0;
    }
    case 'list': {
      const users = await listUsers();
      if (!users.length) {
        console.log('No users.');
        return 0;
      }
      const w = Math.max(8, ...users.map((u) => u.username.length));
      console.log(`${'USERNAME'.padEnd(w)}  ROLE      STATUS    SOURCE  LAST SIGN-IN`);
      for (const u of users)
        console.log(
          `${u.username.padEnd(w)}  ${u.role.padEnd(8)}  ${(u.disabled ? 'disabled' : 'active').padEnd(8)}  ${u.source.padEnd(6)}  ${u.lastLoginAt ? new Date(u.lastLoginAt).toISOString() : '-'}`,
        );
      return 0;
    }
    case 'set-role': {
      const u = await setUserRole(need(rest[0], 'NAME'), need(rest[1], 'ROLE'));
      await audit(u.username, { command: 'set-role', role: u.role });
      console.log(`User "${u.username}" now has role ${u.role}.`);
      return 0;
    }
    case 'disable':
    case 'enable': {
      const u = await setUserDisabled(need(rest[0], 'NAME'), cmd === 'disable');
      await audit(u.username, { command: cmd });
      console.log(`User "${u.username}" is ${u.disabled ? 'disabled' : 'enabled'}.`);
      return 0;
    }
    case 'passwd': {
      const name = need(rest[0], 'NAME');
      const given = flagString(flags, 'password');
      const password = given ?? generatePassword();
      const u = await setUserPassword(name, password);
      await audit(u.username, { command: 'passwd' });
      console.log(`Password of "${u.username}" changed.`);
      if (!given) console.log(`New password (shown once): ${password}`);
      return 0;
    }
    default:
      throw new UsageError(`Unknown command "${cmd}".`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((e) => {
      if (e instanceof UsageError) console.error(`${e.message}\n\n${USAGE}`);
      else if (isAppError(e) || (e as Error)?.name === 'EnvError') console.error((e as Error).message);
      else console.error('users:', e instanceof Error ? e.message : String(e));
      process.exit(e instanceof UsageError ? 2 : 1);
    });
}
