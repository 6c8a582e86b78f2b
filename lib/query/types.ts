// Plain shapes of the Query page's results. Pure: client components import them.

export interface QueryColumn {
  name: string;
  /** The engine's type name (columnMetadata.typeName), e.g. VARCHAR, int4. */
  typeName: string;
}

export interface StatementResult {
  /** The statement as it was sent. */
  sql: string;
  ok: boolean;
  columns: QueryColumn[];
  /** Display values; null is SQL NULL. At most `QUERY_MAX_ROWS` rows. */
  rows: (string | null)[][];
  /** Rows the Data API returned (may exceed rows.length when capped). */
  totalRows: number;
  truncated: boolean;
  numberOfRecordsUpdated?: number;
  durationMs: number;
  /** The engine's or the Data API's message when the statement failed. */
  error?: string;
  errorCode?: string;
}

export interface QueryRunResult {
  statements: StatementResult[];
  /** Statements not run because an earlier one failed. */
  skipped: number;
  totalMs: number;
}

export interface QueryHistoryEntry {
  at: string;
  sql: string;
  database?: string;
  outcome: 'succeeded' | 'failed';
}

/** Rows shown per statement; the Data API itself returns at most 1 MiB per call. */
export const QUERY_MAX_ROWS = 1_000;
/** Longest SQL text accepted (bytes). */
export const QUERY_MAX_SQL_BYTES = 64 * 1024;
/** Longest cell value shown (characters). */
export const QUERY_MAX_CELL_CHARS = 4_000;
