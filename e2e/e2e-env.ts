// One place for the e2e server's settings, shared by playwright.config.ts, global setup and specs.
const port = Number(process.env.E2E_PORT ?? 3100);
const emulatorPort = Number(process.env.E2E_EMULATOR_PORT ?? 4599);
const dataDir = process.env.E2E_DATA_DIR ?? '.e2e-data';

export const E2E = {
  port,
  emulatorPort,
  dataDir,
  baseURL: `http://localhost:${port}`,
  emulatorURL: `http://127.0.0.1:${emulatorPort}`,
  users: {
    admin: { username: 'admin', password: 'E2e-admin-Passw0rd', role: 'admin' },
    admin2: { username: 'admin2', password: 'E2e-admin2-Passw0rd', role: 'admin' },
    operator: { username: 'operator1', password: 'E2e-operator-Passw0rd', role: 'operator' },
    viewer: { username: 'viewer1', password: 'E2e-viewer-Passw0rd', role: 'viewer' },
  },
  serverEnv: {
    PORT: String(port),
    AFC_BACKEND: 'local',
    AFC_DATA_DIR: dataDir,
    AFC_EMULATOR_URL: `http://127.0.0.1:${emulatorPort}`,
    AFC_EMULATOR_PROFILE: 'test',
    AFC_ADMIN_PASSWORD: 'E2e-admin-Passw0rd',
    NEXTAUTH_URL: `http://localhost:${port}`,
    // The browsers and API clients of the suite connect from loopback and name their own address in
    // X-Forwarded-For (the rate-limit specs use one address each): loopback acts as the trusted proxy here.
    AFC_TRUSTED_PROXIES: '127.0.0.1,::1',
    // The SDK's Node 20 end-of-support notice is printed once per process; keep it out of test logs.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  } as Record<string, string>,
} as const;

export type E2EUser = keyof typeof E2E.users;
