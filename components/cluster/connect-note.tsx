/**
 * Under the Connect panel on the local endpoint, what the endpoint runs for this cluster:
 * - a real engine (the `afc:engine` tag says `real …`): its endpoints are loopback addresses and the command works;
 * - a simulated one: an endpoint under `.rds.amazonaws.com` resolves nowhere from this machine, so the command
 *   cannot connect; for aurora-mysql the tag carries the one command that gives it a real engine.
 */
export const ENGINE_TAG = 'afc:engine';

export function isSimulatedHost(endpoint?: string): boolean {
  return !!endpoint && /\.rds\.amazonaws\.com\.?$/i.test(endpoint);
}

export function ConnectNote({ endpoint, port, engineTag }: { endpoint?: string; port?: number; engineTag?: string }) {
  if (engineTag?.startsWith('real ')) {
    return (
      <p data-testid="connect-real" className="rounded bg-emerald-50 p-2 text-sm text-emerald-950 dark:bg-emerald-950 dark:text-emerald-100">
        A real {engineTag.slice(5)} server runs this cluster on this machine: the command above connects with the master
        password. Readers refuse writes, and a failover moves the writer endpoint and drops its connections, as on Aurora.
      </p>
    );
  }
  if (!isSimulatedHost(endpoint)) return null;
  const install = /enable a real engine with: (.+)$/.exec(engineTag ?? '')?.[1];
  return (
    <p data-testid="connect-simulated" className="rounded bg-amber-50 p-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100">
      This cluster is simulated by the local endpoint: <code className="break-all">{endpoint}</code>
      {port ? `:${port}` : ''} does not resolve from this machine, so the command above cannot connect. Everything else on this page
      (topology, failover, backtrack, metrics) works as it would on AWS.
      {install ? (
        <>
          {' '}
          No MySQL-compatible server is installed here; for a real engine behind new clusters run{' '}
          <code data-testid="engine-install-hint">{install}</code> and restart the console.
        </>
      ) : null}
    </p>
  );
}
