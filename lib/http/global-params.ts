import { AppError } from '@/lib/errors';
import { decodePathParam } from './params';
import { displayText } from './display';

// The address of a global database, /global/<globalId> and /api/global/<globalId>: decoded once and shaped like a
// global cluster identifier (the same rules as a DB cluster identifier), else a 400 before anything reaches AWS.
const GLOBAL_ID = /^[a-zA-Z][a-zA-Z0-9-]{0,62}$/;

export function parseGlobalIdParam(raw: unknown): string {
  const v = decodePathParam(raw, 'global database identifier');
  if (!GLOBAL_ID.test(v)) {
    throw new AppError('BAD_PATH_PARAMETER', `The global database identifier in the address is not one (${displayText(v)}): 1 to 63 letters, digits and hyphens, starting with a letter.`, {
      status: 400,
    });
  }
  return v.toLowerCase();
}

export function checkGlobalIdParam(raw: unknown): string | AppError {
  try {
    return parseGlobalIdParam(raw);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
}
