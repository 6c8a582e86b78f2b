// Smithy RPC v2 CBOR (query-compatible services such as CloudWatch): response and error envelopes.
// The operation is named in the path; errors carry `__type` and the `x-amzn-query-error` header.
import type { EmulatorRequest, EmulatorResponse } from '../http-types';
import { cborEncode, CBOR_CONTENT_TYPE } from './cbor';
import { queryCompatibleError } from './json';

export function cborResponse(requestId: string, output: unknown, operation?: string): EmulatorResponse {
  return {
    status: 200,
    headers: { 'content-type': CBOR_CONTENT_TYPE, 'smithy-protocol': 'rpc-v2-cbor', 'x-amzn-requestid': requestId },
    body: cborEncode(output ?? {}),
    operation,
  };
}

export function cborError(
  req: EmulatorRequest,
  typeName: string,
  queryCode: string,
  message: string,
  status: number,
  fault: 'Sender' | 'Receiver',
  operation?: string,
): EmulatorResponse {
  const headers = { 'content-type': CBOR_CONTENT_TYPE, 'smithy-protocol': 'rpc-v2-cbor' };
  return queryCompatibleError(req, headers, cborEncode({ __type: typeName, message }), queryCode, status, fault, operation);
}
