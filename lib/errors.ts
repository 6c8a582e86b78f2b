/**
 * The one error type the console's server code raises for expected failures.
 * AWS faults are mapped to it once, by their wire code, in lib/aws/errors.ts (toAppError).
 * The action wrapper turns it into `{ ok: false, error: message, code }`.
 */
export class AppError extends Error {
  readonly code: string;
  /** HTTP-ish status for routes: 400 bad input, 401, 403, 404, 409 state conflict, 429 throttled, 502/503 upstream. */
  readonly status: number;
  /** The AWS request id, when the failure came from an AWS (or local endpoint) call. */
  readonly awsRequestId?: string;
  readonly fieldErrors?: Record<string, string[]>;

  constructor(
    code: string,
    message: string,
    opts: { status?: number; awsRequestId?: string; fieldErrors?: Record<string, string[]>; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = opts.status ?? 400;
    this.awsRequestId = opts.awsRequestId;
    this.fieldErrors = opts.fieldErrors;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
