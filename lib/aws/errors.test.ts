import { describe, expect, it } from 'vitest';
import {
  DBClusterAlreadyExistsFault,
  DBClusterNotFoundFault,
  DBInstanceNotFoundFault,
  InvalidDBClusterStateFault,
  InvalidDBInstanceStateFault,
} from '@aws-sdk/client-rds';
import { AppError } from '@/lib/errors';
import { toAppError } from './errors';

const meta = { httpStatusCode: 400, requestId: 'req-123' };

/** An SDK-style error as the query protocol deserializer builds it for unmodeled codes. */
function sdkError(name: string, message: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: meta, ...extra });
}

describe('toAppError', () => {
  it('maps modeled RDS exceptions by name, keeping AWS message and request id', () => {
    const e = toAppError(new DBClusterNotFoundFault({ message: 'DBCluster orders not found.', $metadata: { ...meta, httpStatusCode: 404 } }));
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ code: 'CLUSTER_NOT_FOUND', status: 404, awsRequestId: 'req-123' });
    expect(e.message).toMatch(/^DBCluster orders not found\. It may have been deleted/);

    const i = toAppError(new DBInstanceNotFoundFault({ message: 'DBInstance x not found.', $metadata: meta }));
    expect(i).toMatchObject({ code: 'INSTANCE_NOT_FOUND', status: 404 });

    const dup = toAppError(new DBClusterAlreadyExistsFault({ message: 'DB Cluster already exists', $metadata: meta }));
    expect(dup).toMatchObject({ code: 'CLUSTER_ALREADY_EXISTS', status: 409 });
    expect(dup.fieldErrors?.identifier?.[0]).toMatch(/choose another one/);

    const st = toAppError(new InvalidDBClusterStateFault({ message: 'Cluster cannot be deleted, it still contains DB instances in non-deleting state.', $metadata: meta }));
    expect(st).toMatchObject({ code: 'INVALID_CLUSTER_STATE', status: 409 });
    expect(st.message).toContain('non-deleting state. Wait until');

    const ist = toAppError(new InvalidDBInstanceStateFault({ message: 'Instance cannot currently reboot due to an in-progress management operation.', $metadata: meta }));
    expect(ist).toMatchObject({ code: 'INVALID_INSTANCE_STATE', status: 409 });
  });

  it('maps wire codes that drop the Fault suffix', () => {
    expect(toAppError(sdkError('DBInstanceNotFound', 'DBInstance a not found.'))).toMatchObject({ code: 'INSTANCE_NOT_FOUND', status: 404 });
    expect(toAppError(sdkError('DBInstanceAlreadyExists', 'DB instance already exists'))).toMatchObject({ code: 'INSTANCE_ALREADY_EXISTS', status: 409 });
    expect(toAppError(sdkError('InvalidDBInstanceState', 'nope'))).toMatchObject({ code: 'INVALID_INSTANCE_STATE' });
    expect(toAppError(sdkError('InstanceQuotaExceeded', 'quota'))).toMatchObject({ code: 'INSTANCE_QUOTA_EXCEEDED', status: 409 });
    expect(toAppError(sdkError('StorageQuotaExceeded', 'quota'))).toMatchObject({ code: 'STORAGE_QUOTA_EXCEEDED' });
    expect(toAppError(sdkError('DBSubnetGroupNotFoundFault', 'DBSubnetGroup x not found.'))).toMatchObject({ code: 'SUBNET_GROUP_NOT_FOUND', status: 404 });
    expect(toAppError(sdkError('DBClusterBacktrackNotFoundFault', 'gone'))).toMatchObject({ code: 'BACKTRACK_NOT_FOUND', status: 404 });
  });

  it('keeps the precise AWS message for parameter errors', () => {
    const e = toAppError(sdkError('InvalidParameterCombination', 'Cannot delete protected Cluster, please disable deletion protection and try again.'));
    expect(e).toMatchObject({ code: 'INVALID_PARAMETER', status: 400, awsRequestId: 'req-123' });
    expect(e.message).toBe('Cannot delete protected Cluster, please disable deletion protection and try again.');
    expect(toAppError(sdkError('InvalidParameterValue', 'Backtrack is not enabled for the postgres engine')).message).toBe(
      'Backtrack is not enabled for the postgres engine.',
    );
    expect(toAppError(sdkError('MissingParameter', 'The request must contain the parameter Engine'))).toMatchObject({ status: 400 });
  });

  it('says throttling persisted after retries, with the region', () => {
    for (const name of ['Throttling', 'ThrottlingException']) {
      const e = toAppError(sdkError(name, 'Rate exceeded', { $afcRegion: 'eu-west-1' }));
      expect(e).toMatchObject({ code: 'THROTTLED', status: 429 });
      expect(e.message).toMatch(/throttling requests in eu-west-1/);
    }
  });

  it('explains an unreachable local endpoint or AWS region', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED', $metadata: {} });
    const local = toAppError(Object.assign(refused, { $afcRegion: 'us-east-1', $afcBackend: 'local', $afcEndpoint: 'http://127.0.0.1:4566' }));
    expect(local).toMatchObject({ code: 'UNREACHABLE', status: 502 });
    expect(local.message).toMatch(/^Cannot reach the local endpoint \(http:\/\/127\.0\.0\.1:4566\) in us-east-1 \(ECONNREFUSED\)\./);
    const aws = toAppError(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND', $afcRegion: 'ap-south-1', $afcBackend: 'aws' }));
    expect(aws.message).toMatch(/^Cannot reach AWS in ap-south-1 \(ENOTFOUND\)/);
    // Wrapped in a cause chain.
    const wrapped = toAppError(new Error('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }));
    expect(wrapped.code).toBe('UNREACHABLE');
  });

  it('explains missing credentials and access denied', () => {
    const cred = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    expect(toAppError(cred)).toMatchObject({ code: 'AWS_NO_CREDENTIALS', status: 503 });
    expect(toAppError(cred).message).toMatch(/AWS_PROFILE, SSO/);
    expect(toAppError(sdkError('AccessDenied', 'User is not authorized to perform rds:CreateDBCluster'))).toMatchObject({ code: 'AWS_ACCESS_DENIED', status: 403 });
    expect(toAppError(sdkError('ExpiredToken', 'The security token included in the request is expired'))).toMatchObject({ code: 'AWS_CREDENTIALS_INVALID' });
  });

  it('maps 5xx to a retryable upstream error and unknown errors to a generic message without internals', () => {
    const e = toAppError(sdkError('InternalFailure', 'boom', { $fault: 'server', $metadata: { httpStatusCode: 500, requestId: 'r5' } }));
    expect(e).toMatchObject({ code: 'AWS_UNAVAILABLE', status: 502, awsRequestId: 'r5' });
    const odd = toAppError(sdkError('SomeNewFault', 'A precise AWS message'));
    expect(odd).toMatchObject({ code: 'SomeNewFault', status: 400 });
    expect(odd.message).toBe('SomeNewFault: A precise AWS message.');
    const bug = toAppError(new TypeError('cannot read properties of undefined (reading secret)'));
    expect(bug).toMatchObject({ code: 'INTERNAL', status: 500, message: 'An unexpected error occurred.' });
    expect(toAppError('a string')).toMatchObject({ code: 'INTERNAL' });
  });

  it('passes AppError through unchanged', () => {
    const a = new AppError('X', 'y', { status: 418 });
    expect(toAppError(a)).toBe(a);
  });
});
