export { ChdbTransport } from './chdb-transport.ts';
export { ClickHouseStore } from './clickhouse-store.ts';
export { StorageError } from './errors.ts';
export { type EmbeddedStoreOptions, openEmbeddedStore } from './open-store.ts';
export { modernSchema } from './schema.ts';
export { spanKindFromName, spanKindName } from './span-kind-names.ts';
export type { Operation, SpanReader, SpanWriter, Storage, TraceQuery, TraceSummary } from './storage.ts';
export type { QueryParams, Transport } from './transport.ts';
