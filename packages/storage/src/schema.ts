/**
 * The schema generator: the latest tables in a dialect's form, for one server or for every shard
 * of a cluster. In a cluster each shard holds `<table>_local` tables, and `<table>` is a
 * `Distributed` table over them sharded by the last byte of the trace id, so a trace lives on one
 * shard (shardOf in cluster-routing.ts computes the same rule). Materialized views fill `traces`,
 * `operations` and `latency_stats` from each insert, so one INSERT is the whole write.
 */
import type { Dialect } from './dialect.ts';

export interface SchemaOptions {
  /** Days to keep spans, for the modern form's row TTL; partitions are dropped by retention.ts. */
  retentionDays?: number;
  /** Set for a cluster: its name and the database, for the Distributed tables. */
  cluster?: { name: string; database: string };
}

/** Tables that hold data, each partitioned by day, which is what retention drops. */
export const DATA_TABLES = ['spans', 'traces', 'operations', 'dependencies', 'latency_stats'] as const;

/**
 * Child-call latencies of an edge as a histogram (latency-histogram.ts): calls per bucket. A Nested
 * column whose name ends in `Map` is summed key by key by SummingMergeTree, on 18.16 as on current
 * engines, so merged rows keep one histogram per minute and edge.
 */
export const DEPENDENCY_LATENCY_COLUMN = 'latencyMap Nested(bucket UInt16, calls UInt64)';

export const TRACE_SHARDING_KEY = 'reinterpretAsUInt8(substring(trace_id, 16, 1))';
const ZERO_ID = "toFixedString(unhex('0000000000000000'), 8)";

/**
 * Skip indexes of the modern form. Attribute values: an attribute search (say `enduser.id`) skips
 * every granule whose values cannot match; resource values too, or the OR over both could skip
 * nothing. Measured on 2M tracegen spans: 549 ms → 25 ms, for 1.05 B/span (resource values 0.0003).
 */
export const SPAN_INDEXES = [
  // 0.01, not 0.001: the primary key already narrows a trace's time range to a few dozen granules,
  // so the filter's false hits stay under one granule a lookup, for 0.5 B/span less.
  'INDEX idx_trace_id trace_id TYPE bloom_filter(0.01) GRANULARITY 1',
  'INDEX idx_attr_values mapValues(attributes) TYPE bloom_filter(0.01) GRANULARITY 1',
  'INDEX idx_resource_values mapValues(resource_attributes) TYPE bloom_filter(0.01) GRANULARITY 1',
];

/**
 * Codecs of the modern form's heaviest `spans` columns (version 5), measured on 2M tracegen spans:
 * ZSTD(3) on the two attribute maps saves 4.2 B/span over ZSTD(1); ZSTD on the random ids 0.7.
 */
export const SPAN_COLUMN_CODECS: Record<string, string> = {
  trace_id: 'FixedString(16) CODEC(ZSTD(1))',
  parent_span_id: 'FixedString(8) CODEC(ZSTD(1))',
  attributes: 'Map(LowCardinality(String), String) CODEC(ZSTD(3))',
  resource_attributes: 'Map(LowCardinality(String), String) CODEC(ZSTD(3))',
};

/**
 * Compressed blocks of 16–64 KiB instead of 64 KiB–1 MiB (version 5): trace by id reads a few
 * granules of every column, and each granule costs the decompression of its whole block. On 2M
 * spans: 17.7 → 12–15 ms for the spans read, for 0.8 B/span.
 */
export const SPAN_TABLE_SETTINGS = 'min_compress_block_size = 16384, max_compress_block_size = 65536';

function spansTable(d: Dialect, name: string, retentionDays?: number): string {
  if (d.form === 'baseline')
    return `CREATE TABLE IF NOT EXISTS ${name} (
      trace_id FixedString(16), span_id FixedString(8), parent_span_id FixedString(8), trace_state String,
      flags UInt32, service String, name String, kind UInt8, start_ns Int64, duration_ns Int64,
      status_code UInt8, status_message String,
      attributes Nested(key String, value String), attribute_types Nested(key String, value UInt8),
      resource_attributes Nested(key String, value String), resource_attribute_types Nested(key String, value UInt8),
      scope_name String, scope_version String, extra String
    ) ENGINE = ReplacingMergeTree PARTITION BY ${d.day} ORDER BY (service, name, start_ns, trace_id, span_id)`;
  // Granules of 1024 rows: a trace's spans sit in granules of many services, and each one found
  // by the bloom filter is read whole. Measured on 1M tracegen spans: 8192 → 79 ms median trace by id, 1024 → 39 ms.
  const ttl = retentionDays ? `TTL toDateTime(start_time) + INTERVAL ${Math.floor(retentionDays)} DAY` : '';
  const c = SPAN_COLUMN_CODECS;
  return `CREATE TABLE IF NOT EXISTS ${name} (
      trace_id ${c.trace_id}, span_id FixedString(8), parent_span_id ${c.parent_span_id},
      trace_state String CODEC(ZSTD(1)), flags UInt32 CODEC(ZSTD(1)),
      service LowCardinality(String), name LowCardinality(String), kind UInt8,
      start_time DateTime64(9) CODEC(Delta, ZSTD(1)), duration_ns Int64 CODEC(T64, ZSTD(1)),
      status_code UInt8, status_message String CODEC(ZSTD(1)),
      attributes ${c.attributes},
      attribute_types Map(LowCardinality(String), UInt8) CODEC(ZSTD(1)),
      resource_attributes ${c.resource_attributes},
      resource_attribute_types Map(LowCardinality(String), UInt8) CODEC(ZSTD(1)),
      scope_name LowCardinality(String), scope_version LowCardinality(String), extra String CODEC(ZSTD(1)),
      ${SPAN_INDEXES.join(',\n      ')}
    ) ENGINE = ReplacingMergeTree PARTITION BY toDate(start_time)
    ORDER BY (service, name, start_time, trace_id, span_id) ${ttl}
    SETTINGS index_granularity = 1024, ${SPAN_TABLE_SETTINGS}`;
}

/** The statements that create every table and view, in order; each is idempotent. */
export function schemaStatements(d: Dialect, opts: SchemaOptions = {}): string[] {
  const local = opts.cluster ? '_local' : '';
  const t = (name: string) => `${name}${local}`;
  const out = [
    spansTable(d, t('spans'), opts.retentionDays),
    `CREATE TABLE IF NOT EXISTS ${t('traces')} (
      day Date, trace_id FixedString(16),
      t_start AggregateFunction(min, Int64), t_end AggregateFunction(max, Int64),
      span_ids AggregateFunction(uniq, FixedString(8)),
      error_span_ids AggregateFunction(uniqIf, FixedString(8), UInt8),
      root_service AggregateFunction(maxIf, String, UInt8), root_name AggregateFunction(maxIf, String, UInt8),
      services AggregateFunction(groupUniqArray, String)
    ) ENGINE = AggregatingMergeTree PARTITION BY day ORDER BY trace_id SETTINGS index_granularity = 1024`,
    // No alias may shadow a column of spans (18.16 would read the alias), hence t_start and t_end.
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${t('traces_mv')} TO ${t('traces')} AS
    SELECT trace_id, min(${d.day}) AS day, minState(${d.startNs}) AS t_start,
      maxState(${d.startNs} + duration_ns) AS t_end, uniqState(span_id) AS span_ids,
      uniqIfState(span_id, toUInt8(status_code = 2)) AS error_span_ids,
      maxIfState(toString(service), toUInt8(parent_span_id = ${ZERO_ID})) AS root_service,
      maxIfState(toString(name), toUInt8(parent_span_id = ${ZERO_ID})) AS root_name,
      groupUniqArrayState(toString(service)) AS services
    FROM ${t('spans')} GROUP BY trace_id`,
    `CREATE TABLE IF NOT EXISTS ${t('operations')} (
      day Date, service ${d.lowText}, name ${d.lowText}, kind UInt8
    ) ENGINE = ReplacingMergeTree PARTITION BY day ORDER BY (service, kind, name)`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${t('operations_mv')} TO ${t('operations')} AS
    SELECT ${d.day} AS day, service, name, kind FROM ${t('spans')} GROUP BY day, service, name, kind`,
    `CREATE TABLE IF NOT EXISTS ${t('dependencies')} (
      minute DateTime, parent ${d.lowText}, child ${d.lowText}, calls UInt64, errors UInt64, duration_sum_ns Int64,
      ${DEPENDENCY_LATENCY_COLUMN}
    ) ENGINE = SummingMergeTree PARTITION BY toDate(minute) ORDER BY (minute, parent, child)`,
    `CREATE TABLE IF NOT EXISTS ${t('latency_stats')} (
      minute DateTime, service ${d.lowText}, name ${d.lowText}, kind UInt8, is_root UInt8,
      calls AggregateFunction(count), errors AggregateFunction(countIf, UInt8),
      durations AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), Int64)
    ) ENGINE = AggregatingMergeTree PARTITION BY toDate(minute) ORDER BY (service, name, kind, is_root, minute)`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${t('latency_stats_mv')} TO ${t('latency_stats')} AS
    SELECT ${d.minute} AS minute, service, name, kind, toUInt8(parent_span_id = ${ZERO_ID}) AS is_root,
      countState() AS calls, countIfState(toUInt8(status_code = 2)) AS errors,
      quantilesTDigestState(0.5, 0.95, 0.99)(duration_ns) AS durations
    FROM ${t('spans')} GROUP BY minute, service, name, kind, is_root`,
  ];
  if (opts.cluster) {
    const { name, database } = opts.cluster;
    for (const table of DATA_TABLES) {
      const key = table === 'spans' || table === 'traces' ? TRACE_SHARDING_KEY : 'rand()';
      out.push(
        `CREATE TABLE IF NOT EXISTS ${table} AS ${table}_local ENGINE = Distributed(${name}, ${database}, ${table}_local, ${key})`,
      );
    }
  }
  out.push('CREATE VIEW IF NOT EXISTS services AS SELECT DISTINCT service FROM operations');
  return out;
}
