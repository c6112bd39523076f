/**
 * How SQL reaches a ClickHouse engine: in process (chdb) or over HTTP (a server).
 * Values always travel as bound parameters ({name:Type}), never spliced into the SQL text.
 */
export type QueryParams = Record<
  string,
  string | number | bigint | boolean | string[] | Record<string, string>
>;

export interface Transport {
  /** Runs a statement that returns nothing. */
  exec(sql: string, params?: QueryParams): Promise<void>;
  /** Runs a query and returns its rows as parsed JSONEachRow objects (64-bit ints as strings). */
  rows<T>(sql: string, params?: QueryParams): Promise<T[]>;
  /**
   * Inserts RowBinary rows that the caller built itself, through `INSERT INTO table SELECT select
   * FROM <the rows>`, where `structure` types the rows. Resolves when the insert is durable.
   */
  insertRows(table: string, select: string, structure: string, rows: Uint8Array): Promise<void>;
  /** The engine's version, e.g. "26.7.2.1". */
  version(): Promise<string>;
  close(): Promise<void>;
}
