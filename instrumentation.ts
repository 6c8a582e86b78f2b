/**
 * Runs once when the Next.js server starts: hook the HTTP server to record each request's peer address, apply
 * migrations, make sure the session secret exists and, on a first start without `npm start` (e.g. plain `next dev`), create the admin user. `npm start` already did this
 * before launching Next, so here it is usually a no-op.
 */
export async function register() {
  // NEXT_RUNTIME is set by Next itself (not configuration), the documented way to keep Node-only code out of edge bundles.
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // Stamp each request with its socket's peer address (the trusted-proxy rule in lib/auth/client-address.ts).
  const { installPeerAddressHook } = await import('./lib/auth/client-address');
  await installPeerAddressHook();
  const { bootstrapConsole } = await import('./lib/bootstrap');
  try {
    const r = await bootstrapConsole();
    if (r.createdAdmin) {
      const a = r.createdAdmin;
      console.log(
        a.generated
          ? `\n  First start: created user "${a.username}" (role admin) with password:\n\n      ${a.password}\n\n  This password is shown once. Change it with: npm run users -- passwd ${a.username}\n`
          : `\n  First start: created user "${a.username}" (role admin) with the password from AFC_ADMIN_PASSWORD.\n`,
      );
    }
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    throw e;
  }
}
