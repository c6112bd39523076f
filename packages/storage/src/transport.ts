/**
 * How SQL reaches a ClickHouse engine: in process (chdb) or over HTTP (a server).
 * Values travel as bound parameters ({name:Type}): chdb binds them itself, the HTTP transport
 * turns them into literals through sql-literal.ts, the one audited escaping function.
 */
export type QueryParams = Record<
  string,
  string | number | bigint | boolean | string[] | Record<string, string>
>;

/** Engine settings for one query, written by Genba's code only (never from input). */
export type QuerySettings = Record<string, number>;

/** The shape of RowBinary rows Genba writes, and two ways to land them in a table. */
export interface RowLayout {
  /** `name Type, …` of the rows as written. */
  structure: string;
  /** Expressions over `structure`'s names, in the table's column order, for INSERT … SELECT. */
  select: string;
  /** Target columns in row order, for a direct `INSERT … (columns) FORMAT RowBinary`; set when
   * the rows already have the table's types (the baseline form). */
  columns?: string;
  /** Engine settings for the insert, where the engine has them. */
  settings?: QuerySettings;
}

export interface Transport {
  /** Runs a statement that returns nothing. */
  exec(sql: string, params?: QueryParams): Promise<void>;
  /** Runs a query and returns its rows as parsed JSONEachRow objects (64-bit ints as strings). */
  rows<T>(sql: string, params?: QueryParams, settings?: QuerySettings): Promise<T[]>;
  /** Inserts RowBinary rows that the caller built itself, given whole or as consecutive parts.
   * Resolves when the insert is durable. */
  insertRows(table: string, layout: RowLayout, rows: Uint8Array | readonly Uint8Array[]): Promise<void>;
  /** The engine's version, e.g. "26.7.2.1". */
  version(): Promise<string>;
  close(): Promise<void>;
}
