import { AppError } from '@/lib/errors';
import { assertConfiguredRegion } from '@/lib/aws/regions';
import { displayText } from './display';

// The one place path parameters of /clusters/<region>/<id>, /oncall/<region>/<id> and the matching API routes
// are decoded and checked. Whatever Next has or has not decoded, the value is decoded once more here (a
// valid region or cluster identifier never contains "%", so this cannot turn a valid value into another);
// malformed percent-encodings, control characters, non-ASCII and over-long values are refused with a 400,
// a region outside AFC_REGIONS with a 404, before anything reaches AWS.

export interface ClusterParams {
  region: string;
  clusterId: string;
}

/** Longest path parameter accepted at all (after decoding). */
export const MAX_PARAM_LENGTH = 255;

/** A cluster identifier as RDS accepts it (RDS API reference, CreateDBCluster: DBClusterIdentifier). */
const CLUSTER_ID = /^[a-zA-Z][a-zA-Z0-9-]{0,62}$/;

function bad(what: string, message: string): AppError {
  return new AppError('BAD_PATH_PARAMETER', `The ${what} in the address ${message}`, { status: 400 });
}

/** Decode one path segment; throws a 400 AppError for anything that cannot be a region or an identifier. */
export function decodePathParam(raw: unknown, what: string): string {
  if (typeof raw !== 'string' || raw.length === 0) throw bad(what, 'is missing.');
  // Percent-encoded, a value of MAX_PARAM_LENGTH characters takes at most 3× as many: refuse longer at once.
  if (raw.length > 3 * MAX_PARAM_LENGTH) throw bad(what, `is too long (${raw.length} characters; at most ${MAX_PARAM_LENGTH}).`);
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    throw bad(what, `is not valid percent-encoding (${displayText(raw)}).`);
  }
  if (value.length > MAX_PARAM_LENGTH) throw bad(what, `is too long (${value.length} characters; at most ${MAX_PARAM_LENGTH}).`);
  if (/[\u0000-\u001f\u007f]/.test(value)) throw bad(what, `contains a control character (${displayText(value)}).`);
  if (/[^\x20-\x7e]/.test(value)) throw bad(what, `contains non-ASCII characters (${displayText(value)}); use letters, digits and hyphens.`);
  return value;
}

/**
 * `{ region, clusterId }` from a route's params: decoded once, the region configured (404 otherwise), the
 * identifier shaped like a cluster identifier (400 otherwise). Throws an AppError; never anything else.
 */
export function parseClusterParams(params: { region?: unknown; clusterId?: unknown }): ClusterParams {
  const region = decodePathParam(params.region, 'region');
  const clusterId = decodePathParam(params.clusterId, 'cluster identifier');
  assertConfiguredRegion(region);
  if (!CLUSTER_ID.test(clusterId)) {
    throw bad('cluster identifier', `is not a cluster identifier (${displayText(clusterId)}): 1 to 63 letters, digits and hyphens, starting with a letter.`);
  }
  return { region, clusterId };
}

/** parseClusterParams without the throw: the parameters, or the AppError that refuses them. */
export function checkClusterParams(params: { region?: unknown; clusterId?: unknown }): ClusterParams | AppError {
  try {
    return parseClusterParams(params);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
}
