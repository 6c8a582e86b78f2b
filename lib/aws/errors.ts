import 'server-only';
import { AppError } from '@/lib/errors';

/** What the SDK (and the client middleware in clients.ts) put on a thrown error. */
interface SdkErrorLike {
  name?: string;
  code?: string;
  Code?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string };
  $response?: { statusCode?: number };
  $afcRegion?: string;
  $afcBackend?: 'local' | 'aws';
  $afcEndpoint?: string;
  $afcOperation?: string;
  cause?: unknown;
  errno?: number;
}

interface Rule {
  code: string;
  status: number;
  /** Builds the message from AWS's own message (kept when it is precise). */
  message: (aws: string, e: SdkErrorLike) => string;
  field?: string;
}

const ensureDot = (s: string) => (s === '' ? s : /[.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);
const where = (e: SdkErrorLike) => (e.$afcRegion ? ` in ${e.$afcRegion}` : '');

/** AWS wire codes (and SDK exception names) → app code, status and an actionable message. */
const RULES: Record<string, Rule> = {};
function rule(names: string[], r: Rule) {
  for (const n of names) RULES[n] = r;
}

rule(['DBClusterNotFoundFault'], {
  code: 'CLUSTER_NOT_FOUND',
  status: 404,
  message: (m, e) => `${ensureDot(m || 'DB cluster not found')} It may have been deleted, or it lives in another region than${where(e) || ' the one selected'}.`,
});
rule(['DBInstanceNotFound', 'DBInstanceNotFoundFault'], {
  code: 'INSTANCE_NOT_FOUND',
  status: 404,
  message: (m) => `${ensureDot(m || 'DB instance not found')} It may have been deleted already; refresh the page.`,
});
rule(['DBClusterAlreadyExistsFault'], {
  code: 'CLUSTER_ALREADY_EXISTS',
  status: 409,
  field: 'identifier',
  message: (_m, e) => `A cluster with this identifier already exists${where(e)}. Identifiers are unique per account and region (case-insensitive): choose another one.`,
});
rule(['DBInstanceAlreadyExists', 'DBInstanceAlreadyExistsFault'], {
  code: 'INSTANCE_ALREADY_EXISTS',
  status: 409,
  field: 'instanceId',
  message: (_m, e) => `A DB instance with this identifier already exists${where(e)}. Instance identifiers are unique per account and region: choose another one.`,
});
rule(['InvalidDBClusterStateFault'], {
  code: 'INVALID_CLUSTER_STATE',
  status: 409,
  message: (m) => `${ensureDot(m || 'The cluster is not in a state that allows this operation')} Wait until the cluster is available (or the pending operation finishes) and try again.`,
});
rule(['InvalidDBInstanceState', 'InvalidDBInstanceStateFault'], {
  code: 'INVALID_INSTANCE_STATE',
  status: 409,
  message: (m) => `${ensureDot(m || 'The DB instance is not in a state that allows this operation')} Wait until the instance is available and try again.`,
});
rule(['InstanceQuotaExceeded', 'InstanceQuotaExceededFault'], {
  code: 'INSTANCE_QUOTA_EXCEEDED',
  status: 409,
  message: (m, e) => `${ensureDot(m || 'The DB instance quota is reached')} The account's DB instance quota${where(e)} is used up (default 40 across RDS, Aurora, Neptune and DocumentDB): delete unused instances or ask AWS for a quota increase.`,
});
rule(['DBClusterQuotaExceededFault'], {
  code: 'CLUSTER_QUOTA_EXCEEDED',
  status: 403,
  message: (m, e) => `${ensureDot(m || 'The DB cluster quota is reached')} Delete unused clusters${where(e)} or request a quota increase.`,
});
rule(['StorageQuotaExceeded', 'StorageQuotaExceededFault'], {
  code: 'STORAGE_QUOTA_EXCEEDED',
  status: 409,
  message: (m) => `${ensureDot(m || 'The storage quota is reached')} Free storage or request a quota increase.`,
});
rule(['InsufficientDBInstanceCapacity', 'InsufficientDBInstanceCapacityFault', 'InsufficientDBClusterCapacityFault'], {
  code: 'INSUFFICIENT_CAPACITY',
  status: 503,
  message: (m) => `${ensureDot(m || 'AWS has no capacity for this instance class right now')} Try another instance class or Availability Zone, or retry later.`,
});
rule(['DBSubnetGroupNotFoundFault'], {
  code: 'SUBNET_GROUP_NOT_FOUND',
  status: 404,
  field: 'subnetGroup',
  message: (m, e) => `${ensureDot(m || 'DB subnet group not found')} Pick a subnet group that exists${where(e)}.`,
});
rule(['DBSubnetGroupDoesNotCoverEnoughAZs'], {
  code: 'SUBNET_GROUP_TOO_FEW_AZS',
  status: 400,
  field: 'subnetGroup',
  message: (m) => `${ensureDot(m || 'The DB subnet group does not cover enough Availability Zones')} Use a subnet group with subnets in at least two AZs.`,
});
rule(['DBClusterBacktrackNotFoundFault'], {
  code: 'BACKTRACK_NOT_FOUND',
  status: 404,
  message: (m) => ensureDot(m || 'The backtrack was not found'),
});
rule(['DBClusterSnapshotAlreadyExistsFault'], {
  code: 'SNAPSHOT_ALREADY_EXISTS',
  status: 409,
  field: 'finalSnapshotId',
  message: (m) => `${ensureDot(m || 'A cluster snapshot with this identifier already exists')} Choose another final snapshot name.`,
});
rule(['DBClusterSnapshotNotFoundFault'], {
  code: 'SNAPSHOT_NOT_FOUND',
  status: 404,
  field: 'snapshotId',
  message: (m, e) => `${ensureDot(m || 'DB cluster snapshot not found')} It may have been deleted or aged out of the retention period, or it lives in another region than${where(e) || ' the one selected'}; refresh the list.`,
});
rule(['InvalidDBClusterSnapshotStateFault'], {
  code: 'INVALID_SNAPSHOT_STATE',
  status: 409,
  field: 'snapshotId',
  message: (m) => `${ensureDot(m || 'The snapshot is not in a state that allows this operation')} Only an available snapshot can be restored, and only a manual one deleted (automated backups age out by themselves).`,
});
rule(['InvalidRestoreFault'], {
  code: 'INVALID_RESTORE',
  status: 400,
  field: 'restoreTo',
  message: (m) => `${ensureDot(m || 'AWS cannot restore from this source')} Check the restorable window (earliest and latest restorable time) and the engine of the source.`,
});
rule(['SnapshotQuotaExceeded', 'SnapshotQuotaExceededFault'], {
  code: 'SNAPSHOT_QUOTA_EXCEEDED',
  status: 403,
  message: (m, e) => `${ensureDot(m || 'The manual snapshot quota is reached')} Delete manual snapshots you no longer need${where(e)} or request a quota increase.`,
});
rule(['DBClusterParameterGroupNotFound', 'DBClusterParameterGroupNotFoundFault', 'DBParameterGroupNotFound', 'DBParameterGroupNotFoundFault'], {
  code: 'PARAMETER_GROUP_NOT_FOUND',
  status: 404,
  message: (m) => ensureDot(m || 'The parameter group was not found'),
});
rule(['KMSKeyNotAccessibleFault'], {
  code: 'KMS_KEY_NOT_ACCESSIBLE',
  status: 400,
  message: (m) => `${ensureDot(m || 'The KMS key is not accessible')} Check that the key exists, is enabled and that the console's role may use it.`,
});
// Aurora Global Database faults.
rule(['GlobalClusterAlreadyExistsFault'], {
  code: 'GLOBAL_ALREADY_EXISTS',
  status: 409,
  field: 'globalId',
  message: () => 'A global database with this identifier already exists. Global database identifiers are unique across every region of the account: choose another one.',
});
rule(['GlobalClusterNotFoundFault'], {
  code: 'GLOBAL_NOT_FOUND',
  status: 404,
  message: (m) => `${ensureDot(m || 'Global database not found')} It may have been deleted already; reload the list of global databases.`,
});
rule(['InvalidGlobalClusterStateFault'], {
  code: 'INVALID_GLOBAL_STATE',
  status: 409,
  message: (m) =>
    `${ensureDot(m || 'The global database is not in a state that allows this operation')} Wait until the global database and its members are available and no switchover or failover is running, then try again.`,
});
rule(['GlobalClusterQuotaExceededFault'], {
  code: 'GLOBAL_QUOTA_EXCEEDED',
  status: 403,
  message: (m) => `${ensureDot(m || 'The global database quota is reached')} Delete an unused global database or request a quota increase.`,
});
rule(['InvalidParameterValue', 'InvalidParameterCombination', 'MissingParameter', 'ValidationError', 'InvalidParameter'], {
  code: 'INVALID_PARAMETER',
  status: 400,
  message: (m) => ensureDot(m || 'AWS rejected a parameter'),
});
rule(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException', 'RequestThrottled', 'RequestThrottledException'], {
  code: 'THROTTLED',
  status: 429,
  message: (_m, e) => `AWS is throttling requests${where(e)} (Rate exceeded) even after backing off and retrying. Wait a few seconds and try again.`,
});
rule(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'NotAuthorized'], {
  code: 'AWS_ACCESS_DENIED',
  status: 403,
  message: (m) => `AWS refused the request: ${ensureDot(m || 'access denied')} The console's IAM identity lacks the permission; see the README's IAM policy.`,
});
rule(['InvalidClientTokenId', 'SignatureDoesNotMatch', 'ExpiredToken', 'ExpiredTokenException', 'UnrecognizedClientException', 'AuthFailure', 'IncompleteSignature'], {
  code: 'AWS_CREDENTIALS_INVALID',
  status: 502,
  message: (m, e) =>
    e.$afcBackend === 'local'
      ? `The local endpoint rejected the console's credentials (${m || 'bad signature'}). Check AFC_EMULATOR_ACCESS_KEY_ID / AFC_EMULATOR_SECRET_ACCESS_KEY.`
      : `AWS rejected the console's credentials: ${ensureDot(m || 'invalid or expired')} Refresh them (e.g. aws sso login) and retry.`,
});

// RDS Data API (rds-data) and Secrets Manager faults.
rule(['DatabaseErrorException'], {
  code: 'DATABASE_ERROR',
  status: 400,
  // The engine's own message, verbatim: it is what a person fixes their SQL by.
  message: (m) => m || 'The database reported an error.',
});
rule(['HttpEndpointNotEnabledException'], {
  code: 'HTTP_ENDPOINT_NOT_ENABLED',
  status: 409,
  message: (m) => `${ensureDot(m || 'The HTTP endpoint (Data API) is not enabled for this cluster')} Enable the Data API on the Query page (an admin), then run the statement again.`,
});
rule(['StatementTimeoutException'], {
  code: 'STATEMENT_TIMEOUT',
  status: 504,
  message: (m) => `${ensureDot(m || 'The statement timed out')} The Data API stops waiting after 45 seconds: make the statement faster (an index, a LIMIT, smaller batches) or run it from a SQL client.`,
});
rule(['TransactionNotFoundException'], {
  code: 'TRANSACTION_NOT_FOUND',
  status: 404,
  message: (m) => `${ensureDot(m || 'The transaction was not found')} It may have timed out or been committed or rolled back already.`,
});
rule(['BadRequestException'], {
  code: 'BAD_REQUEST',
  status: 400,
  message: (m) =>
    /response size|size limit|1 ?MiB|too large/i.test(m)
      ? `${ensureDot(m)} The Data API returns at most 1 MiB per call: add a LIMIT, select fewer columns or page with WHERE.`
      : ensureDot(m || 'The Data API rejected the request'),
});
rule(['ForbiddenException'], {
  code: 'AWS_ACCESS_DENIED',
  status: 403,
  message: (m) => `The Data API refused the request: ${ensureDot(m || 'forbidden')} The console's IAM identity needs rds-data:ExecuteStatement and secretsmanager:GetSecretValue on the secret; see the README's IAM policy.`,
});
rule(['InvalidSecretException', 'SecretsErrorException', 'DecryptionFailure'], {
  code: 'INVALID_SECRET',
  status: 400,
  field: 'secretArn',
  message: (m) => `${ensureDot(m || 'The secret could not be used')} Check that the secret exists, holds the cluster's username and password, and that the console may read it.`,
});
rule(['ResourceNotFoundException'], {
  code: 'SECRET_NOT_FOUND',
  status: 404,
  field: 'secretArn',
  message: (m) => `${ensureDot(m || 'The secret was not found')} Enter the ARN of a Secrets Manager secret in this cluster's region.`,
});
rule(['DatabaseNotFoundException'], {
  code: 'DATABASE_NOT_FOUND',
  status: 404,
  field: 'database',
  message: (m) => `${ensureDot(m || 'The database was not found')} Check the database name (or leave it empty).`,
});
rule(['DatabaseUnavailableException', 'DatabaseResumingException', 'InvalidResourceStateException'], {
  code: 'DATABASE_UNAVAILABLE',
  status: 503,
  message: (m) => `${ensureDot(m || 'The database is not available')} Wait until the cluster is available (a paused Serverless cluster resumes in a few seconds) and try again.`,
});
rule(['UnsupportedResultException'], {
  code: 'UNSUPPORTED_RESULT',
  status: 400,
  message: (m) => `${ensureDot(m || 'The result holds a type the Data API cannot return')} Cast the column to text in the SELECT.`,
});

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED']);

function networkCode(e: SdkErrorLike): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const c = cur as SdkErrorLike;
    if (c.code && NETWORK_CODES.has(c.code)) return c.code;
    if (c.name === 'TimeoutError' || c.name === 'RequestTimeout') return 'ETIMEDOUT';
    const errors = (cur as { errors?: unknown[] }).errors; // AggregateError (happy eyeballs)
    if (Array.isArray(errors)) for (const sub of errors) if (sub && typeof sub === 'object' && NETWORK_CODES.has((sub as SdkErrorLike).code ?? '')) return (sub as SdkErrorLike).code;
    cur = c.cause;
  }
  return undefined;
}

/**
 * Map anything thrown by an AWS call to an AppError a person can act on, by wire code.
 * AWS's own message is kept where it is precise; the request id is carried along. `fields` (app code → form
 * field) places a fault beside the field of the calling form, when it differs from the rule's default.
 */
export function toAppError(err: unknown, fields?: Partial<Record<string, string>>): AppError {
  if (err instanceof AppError) return err;
  if (!err || typeof err !== 'object') return new AppError('INTERNAL', 'An unexpected error occurred.', { status: 500, cause: err });
  const e = err as SdkErrorLike;
  const awsRequestId = e.$metadata?.requestId;
  const wire = e.Code ?? (e.name && e.name !== 'Error' ? e.name : undefined) ?? e.code;
  const awsMessage = (e.message ?? '').trim();

  const r = wire ? RULES[wire] : undefined;
  if (r) {
    const message = r.message(awsMessage === wire ? '' : awsMessage, e);
    // `fields` names the form field an app code belongs to in this operation's form (e.g. the snapshot name).
    const field = fields?.[r.code] ?? r.field;
    return new AppError(r.code, message, { status: r.status, awsRequestId, cause: err, fieldErrors: field ? { [field]: [message] } : undefined });
  }

  if (e.name === 'CredentialsProviderError' || e.name === 'ProviderError' || e.name === 'TokenProviderError') {
    return new AppError(
      'AWS_NO_CREDENTIALS',
      `No AWS credentials could be loaded${where(e)}: ${ensureDot(awsMessage || 'the default credential chain is empty')} Configure AWS_PROFILE, SSO (aws sso login), environment credentials or an instance role.`,
      { status: 503, cause: err },
    );
  }

  const net = networkCode(e);
  if (net) {
    const target = e.$afcBackend === 'local' ? `the local endpoint${e.$afcEndpoint ? ` (${e.$afcEndpoint})` : ''}` : 'AWS';
    const hint =
      e.$afcBackend === 'local'
        ? ' Is the local endpoint running? `npm start` starts it; `npm run emulator` runs it alone.'
        : ' Check the network, proxy and VPC endpoint settings.';
    return new AppError('UNREACHABLE', `Cannot reach ${target}${where(e)} (${net}).${hint}`, { status: 502, awsRequestId, cause: err });
  }

  const http = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  if ((http !== undefined && http >= 500) || e.$fault === 'server' || wire === 'InternalFailure' || wire === 'ServiceUnavailable') {
    return new AppError(
      'AWS_UNAVAILABLE',
      `AWS returned a server error${where(e)} (${wire ?? `HTTP ${http}`}) even after retries. Try again in a moment.`,
      { status: 502, awsRequestId, cause: err },
    );
  }

  if (e.$metadata && wire) {
    // A modeled or generic sender fault we have no special wording for: AWS's message is the most precise one.
    return new AppError(wire, `${wire}: ${ensureDot(awsMessage || 'AWS rejected the request')}`, { status: http && http >= 400 && http < 500 ? http : 400, awsRequestId, cause: err });
  }

  return new AppError('INTERNAL', 'An unexpected error occurred.', { status: 500, cause: err });
}
