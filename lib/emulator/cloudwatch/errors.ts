// CloudWatch faults: each carries the query-era wire code, the Smithy shape name (for `__type` in
// JSON/CBOR), the modeled HTTP status and the fault side (Sender or Receiver).

export type FaultSide = 'Sender' | 'Receiver';

export class CloudWatchFault extends Error {
  constructor(
    /** Query-compatible code, e.g. "InvalidParameterValue". */
    readonly code: string,
    readonly status: number,
    message: string,
    readonly fault: FaultSide = 'Sender',
  ) {
    super(message);
    this.name = code;
  }
}

/** Query code → Smithy shape name (what `__type` carries in JSON / CBOR). */
export const SHAPE_OF_CODE: Record<string, string> = {
  InvalidParameterValue: 'InvalidParameterValueException',
  MissingParameter: 'MissingRequiredParameterException',
  InvalidParameterCombination: 'InvalidParameterCombinationException',
  InternalServiceError: 'InternalServiceFault',
  LimitExceeded: 'LimitExceededFault',
  InvalidNextToken: 'InvalidNextToken',
  ResourceNotFound: 'ResourceNotFound',
};

const f =
  (code: string, status = 400, fault: FaultSide = 'Sender') =>
  (message: string) =>
    new CloudWatchFault(code, status, message, fault);

export const CwFaults = {
  InvalidParameterValue: f('InvalidParameterValue'),
  MissingParameter: f('MissingParameter'),
  InvalidParameterCombination: f('InvalidParameterCombination'),
  InvalidNextToken: f('InvalidNextToken'),
  LimitExceeded: f('LimitExceeded'),
  ResourceNotFound: f('ResourceNotFound', 404),
  InternalServiceError: f('InternalServiceError', 500, 'Receiver'),
  InvalidAction: f('InvalidAction'),
  UnknownOperation: f('UnknownOperationException'),
};
