// RDS Data API errors (REST-JSON): the error's name in `x-amzn-ErrorType`, `{message}` in the body, and the
// HTTP status the service model gives each (RDS Data API reference, Errors).
export class DataApiFault extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }

  static badRequest(message: string): DataApiFault {
    return new DataApiFault('BadRequestException', 400, message);
  }
}

export const DataApiFaults = {
  notFound: (m: string) => new DataApiFault('NotFoundException', 404, m),
  httpEndpointNotEnabled: (arn: string) => new DataApiFault('HttpEndpointNotEnabledException', 400, `HttpEndpoint is not enabled for cluster ${arn}. Please refer to https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/data-api.html#data-api.troubleshooting`),
  databaseError: (m: string) => new DataApiFault('DatabaseErrorException', 400, m),
  databaseNotFound: (m: string) => new DataApiFault('DatabaseNotFoundException', 404, m),
  databaseUnavailable: () => new DataApiFault('DatabaseUnavailableException', 504, 'The writer instance in the DB cluster is not available.'),
  invalidResourceState: (m: string) => new DataApiFault('InvalidResourceStateException', 400, m),
  invalidSecret: (m: string) => new DataApiFault('InvalidSecretException', 400, m),
  secretsError: (m: string) => new DataApiFault('SecretsErrorException', 400, m),
  statementTimeout: (connectionId: number) => new DataApiFault('StatementTimeoutException', 400, 'Request timed out', { dbConnectionId: connectionId }),
  transactionNotFound: (id: string) => new DataApiFault('TransactionNotFoundException', 404, `Transaction ${id} is not found`),
  tooLarge: () => DataApiFault.badRequest('Database returned more than the allowed response size limit'),
};
