export { ChdbTransport } from './chdb-transport.ts';
export { ClickHouseStore, type ClickHouseStoreOptions, type StoreTarget } from './clickhouse-store.ts';
export { baseline, type Dialect, dialectForVersion, modern, type SchemaForm } from './dialect.ts';
export { StorageError } from './errors.ts';
export { HttpTransport, type HttpTransportOptions } from './http-transport.ts';
export { currentVersion, migrate, SCHEMA_VERSION } from './migrations.ts';
export {
  type EmbeddedStoreOptions,
  type OpenStoreOptions,
  openEmbeddedStore,
  openStore,
} from './open-store.ts';
export { schemaStatements } from './schema.ts';
export { shardOf } from './shard-routing.ts';
export { spanKindFromName, spanKindName } from './span-kind-names.ts';
export { spansToRowBinary } from './span-rows.ts';
export { bindLiterals, stringLiteral } from './sql-literal.ts';
export type {
  DependencyLink,
  LatencyQuery,
  Operation,
  OperationLatency,
  SpanReader,
  SpanWriter,
  Storage,
  StoreStats,
  TraceQuery,
  TraceSummary,
} from './storage.ts';
export type { QueryParams, RowLayout, Transport } from './transport.ts';
