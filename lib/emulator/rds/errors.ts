// RDS faults: each carries the wire <Code> and HTTP status RDS returns for it (RDS API reference, Common Errors and each operation's Errors).

export class RdsFault extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
    this.name = code;
  }
}

const f = (code: string, status: number) => (message: string) => new RdsFault(code, status, message);

export const Faults = {
  DBClusterNotFound: f('DBClusterNotFoundFault', 404),
  DBClusterAlreadyExists: f('DBClusterAlreadyExistsFault', 400),
  DBClusterQuotaExceeded: f('DBClusterQuotaExceededFault', 403),
  InvalidDBClusterState: f('InvalidDBClusterStateFault', 400),
  DBClusterBacktrackNotFound: f('DBClusterBacktrackNotFoundFault', 404),
  DBClusterSnapshotAlreadyExists: f('DBClusterSnapshotAlreadyExistsFault', 400),
  DBClusterSnapshotNotFound: f('DBClusterSnapshotNotFoundFault', 404),
  InvalidDBClusterSnapshotState: f('InvalidDBClusterSnapshotStateFault', 400),
  InvalidRestore: f('InvalidRestoreFault', 400),
  SnapshotQuotaExceeded: f('SnapshotQuotaExceeded', 400),
  DBClusterParameterGroupNotFound: f('DBClusterParameterGroupNotFound', 404),
  DBInstanceNotFound: f('DBInstanceNotFound', 404),
  DBInstanceAlreadyExists: f('DBInstanceAlreadyExists', 400),
  InvalidDBInstanceState: f('InvalidDBInstanceState', 400),
  InstanceQuotaExceeded: f('InstanceQuotaExceeded', 400),
  DBSubnetGroupNotFound: f('DBSubnetGroupNotFoundFault', 404),
  DBParameterGroupNotFound: f('DBParameterGroupNotFound', 404),
  InvalidParameterValue: f('InvalidParameterValue', 400),
  InvalidParameterCombination: f('InvalidParameterCombination', 400),
  MissingParameter: f('MissingParameter', 400),
  InvalidAction: f('InvalidAction', 400),
  Throttling: () => new RdsFault('Throttling', 400, 'Rate exceeded'),
  InternalFailure: () => new RdsFault('InternalFailure', 500, 'An internal error has occurred. Please try again later.', 'Receiver'),
  ServiceUnavailable: () => new RdsFault('ServiceUnavailable', 503, 'The service is unavailable. Please try again later.', 'Receiver'),
};
