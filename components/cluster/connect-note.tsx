/**
 * Under the Connect panel on the local endpoint: an endpoint under `.rds.amazonaws.com` is a simulated
 * engine's name, which no DNS resolves from this machine, so the command above cannot connect. A loopback
 * endpoint (a real engine the local endpoint started) needs no note: the command works as shown.
 */
export function isSimulatedHost(endpoint?: string): boolean {
  return !!endpoint && /\.rds\.amazonaws\.com\.?$/i.test(endpoint);
}

export function ConnectNote({ endpoint, port }: { endpoint?: string; port?: number }) {
  if (!isSimulatedHost(endpoint)) return null;
  return (
    <p data-testid="connect-simulated" className="rounded bg-amber-50 p-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100">
      This cluster is simulated by the local endpoint: <code className="break-all">{endpoint}</code>
      {port ? `:${port}` : ''} does not resolve from this machine, so the command above cannot connect. Everything else on this page
      (topology, failover, backtrack, metrics) works as it would on AWS.
    </p>
  );
}
