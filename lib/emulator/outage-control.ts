// Control API routes for regional-outage rehearsals:
//   POST /_emulator/regions/<region>/outage {"unreachable": true|false}  starts or ends an outage of one region
//   GET  /_emulator/outages                                              which regions are unreachable
import type { RdsModel } from './rds/model';

const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d$/;

export function regionalOutageRoute(
  deps: { model: RdsModel; now: () => number },
  route: string,
  body: unknown,
): { status: number; body: unknown } | undefined {
  const outages = deps.model.globals.outages;
  if (route === 'GET /_emulator/outages') return { status: 200, body: { outages: outages.snapshot(deps.now()) } };
  const m = /^POST \/_emulator\/regions\/([^/]+)\/outage$/.exec(route);
  if (!m) return undefined;
  const region = decodeURIComponent(m[1]);
  if (!REGION_RE.test(region)) return { status: 400, body: { error: `${region} is not a region name.` } };
  const o = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (typeof o.unreachable !== 'boolean') return { status: 400, body: { error: 'unreachable (true or false) is required.' } };
  const now = deps.now();
  outages.set(region, o.unreachable, now);
  return { status: 200, body: { ok: true, region, unreachable: o.unreachable, at: new Date(now).toISOString() } };
}
