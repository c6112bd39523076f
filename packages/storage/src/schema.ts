/**
 * The modern schema (chdb, ClickHouse ≥ 22). Spans are ordered for service/operation/time
 * search; trace-by-id is narrowed by the `traces` table and a bloom filter on trace_id.
 * Materialized views fill `traces`, `services` and `operations` from each insert, so one
 * INSERT is the whole write. Every aggregate in `traces` is idempotent (min, max, distinct span
 * ids), so a batch delivered twice does not change a trace's summary.
 */
export interface SchemaOptions {
  /** Days to keep spans; 0 keeps them for ever. */
  retentionDays?: number;
}

export function modernSchema(opts: SchemaOptions = {}): string[] {
  const ttl = opts.retentionDays
    ? `TTL toDateTime(start_time) + INTERVAL ${Math.floor(opts.retentionDays)} DAY`
    : '';
  return [
    `CREATE TABLE IF NOT EXISTS spans (
      trace_id FixedString(16),
      span_id FixedString(8),
      parent_span_id FixedString(8),
      trace_state String CODEC(ZSTD(1)),
      flags UInt32 CODEC(ZSTD(1)),
      service LowCardinality(String),
      name LowCardinality(String),
      kind UInt8,
      start_time DateTime64(9) CODEC(Delta, ZSTD(1)),
      duration_ns Int64 CODEC(T64, ZSTD(1)),
      status_code UInt8,
      status_message String CODEC(ZSTD(1)),
      attributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
      attribute_types Map(LowCardinality(String), UInt8) CODEC(ZSTD(1)),
      resource_attributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
      resource_attribute_types Map(LowCardinality(String), UInt8) CODEC(ZSTD(1)),
      scope_name LowCardinality(String),
      scope_version LowCardinality(String),
      extra String CODEC(ZSTD(1)),
      INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1
    ) ENGINE = ReplacingMergeTree
    PARTITION BY toDate(start_time)
    ORDER BY (service, name, start_time, trace_id, span_id)
    ${ttl}`,
    `CREATE TABLE IF NOT EXISTS traces (
      trace_id FixedString(16),
      start_time SimpleAggregateFunction(min, DateTime64(9)),
      end_time SimpleAggregateFunction(max, DateTime64(9)),
      span_ids AggregateFunction(uniq, FixedString(8)),
      error_span_ids AggregateFunction(uniqIf, FixedString(8), UInt8),
      root_service SimpleAggregateFunction(max, String),
      root_name SimpleAggregateFunction(max, String),
      services SimpleAggregateFunction(groupUniqArrayArray, Array(String))
    ) ENGINE = AggregatingMergeTree
    ORDER BY trace_id
    SETTINGS index_granularity = 1024`,
    // The inner select renames start_time, because an alias that shadows a column would nest aggregates.
    `CREATE MATERIALIZED VIEW IF NOT EXISTS traces_mv TO traces AS
    SELECT trace_id,
      min(st) AS start_time,
      max(et) AS end_time,
      uniqState(span_id) AS span_ids,
      uniqIfState(span_id, toUInt8(status_code = 2)) AS error_span_ids,
      maxIf(svc, is_root) AS root_service,
      maxIf(op, is_root) AS root_name,
      groupUniqArray(svc) AS services
    FROM (
      SELECT trace_id, span_id, start_time AS st, addNanoseconds(start_time, duration_ns) AS et, status_code,
        toString(service) AS svc, toString(name) AS op, parent_span_id = unhex('0000000000000000') AS is_root
      FROM spans
    ) GROUP BY trace_id`,
    `CREATE TABLE IF NOT EXISTS operations (
      service LowCardinality(String),
      name LowCardinality(String),
      kind UInt8,
      last_seen SimpleAggregateFunction(max, DateTime64(9))
    ) ENGINE = AggregatingMergeTree
    ORDER BY (service, kind, name)`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS operations_mv TO operations AS
    SELECT service, name, kind, max(start_time) AS last_seen FROM spans GROUP BY service, name, kind`,
    `CREATE VIEW IF NOT EXISTS services AS SELECT DISTINCT service FROM operations`,
  ];
}
