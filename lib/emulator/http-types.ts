// Contract between the emulator's HTTP server (server.ts) and the per-service handlers.
// The server has already: read the whole body, gunzipped it when Content-Encoding is gzip,
// verified SigV4, and taken service + region from the credential scope.

export interface EmulatorRequest {
  method: string;
  /** Path without query string, e.g. "/" or "/service/GraniteServiceVersion20100801/operation/GetMetricData". */
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Raw (decompressed) body bytes. */
  body: Buffer;
  /** Region from the SigV4 credential scope; it partitions all state. */
  region: string;
  /** Signing service from the credential scope: "rds" or "monitoring". */
  service: string;
  /** Request id the handler must echo (x-amzn-requestid header + body). */
  requestId: string;
  /** The clock for this request (ms since epoch). Handlers never call Date.now() themselves. */
  now: number;
}

export interface EmulatorResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
  /** Operation name, for call counters and fault injection (e.g. "DescribeDBClusters"). */
  operation?: string;
}
