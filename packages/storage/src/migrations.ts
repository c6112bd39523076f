/**
 * Versioned migrations. `genba_schema` records the version a store is at; a store without it that
 * has `spans` was made by Genba before versions were recorded (version 1). Opening a store brings it
 * to SCHEMA_VERSION. Every step is idempotent, so a migration cut short by a crash runs again cleanly.
 */
import type { Dialect } from './dialect.ts';
import {
  DEPENDENCY_LATENCY_COLUMN,
  type SchemaOptions,
  SPAN_COLUMN_CODECS,
  SPAN_INDEXES,
  SPAN_TABLE_SETTINGS,
  schemaStatements,
} from './schema.ts';
import type { Transport } from './transport.ts';

/**
 * 2: day-partitioned `traces` and `operations`, `dependencies` and `latency_stats`.
 * 3: bloom-filter indexes on attribute and resource values (modern form).
 * 4: a latency histogram per row of `dependencies`, for the P50/P95 of each edge.
 * 5: stronger codecs and smaller compressed blocks for `spans` (modern form).
 */
export const SCHEMA_VERSION = 5;

async function tableNames(t: Transport): Promise<Set<string>> {
  const rows = await t.rows<{ name: string }>(
    'SELECT name FROM system.tables WHERE database = currentDatabase()',
  );
  return new Set(rows.map((r) => r.name));
}

export async function currentVersion(t: Transport): Promise<number> {
  const tables = await tableNames(t);
  if (tables.has('genba_schema')) {
    const [row] = await t.rows<{ v: string | number }>('SELECT max(version) AS v FROM genba_schema');
    return Number(row?.v ?? 0);
  }
  return tables.has('spans') || tables.has('spans_local') ? 1 : 0;
}

/** Version 1 (modern form only) had unpartitioned `traces`/`operations` with SimpleAggregateFunction columns. */
async function fromVersion1(t: Transport, d: Dialect, opts: SchemaOptions): Promise<void> {
  const tables = await tableNames(t);
  for (const view of ['traces_mv', 'operations_mv', 'services']) await t.exec(`DROP TABLE IF EXISTS ${view}`);
  if (tables.has('traces') && !tables.has('traces_v1')) await t.exec('RENAME TABLE traces TO traces_v1');
  if (tables.has('operations') && !tables.has('operations_v1'))
    await t.exec('RENAME TABLE operations TO operations_v1');
  for (const ddl of schemaStatements(d, opts)) await t.exec(ddl);
  // The copies merge states, so running one twice leaves the same summaries.
  await t.exec(`INSERT INTO traces SELECT toDate(min(start_time)) AS day, trace_id,
      minState(toUnixTimestamp64Nano(start_time)), maxState(toUnixTimestamp64Nano(end_time)),
      uniqMergeState(span_ids), uniqIfMergeState(error_span_ids),
      maxIfState(toString(root_service), root_service != ''), maxIfState(toString(root_name), root_name != ''),
      groupUniqArrayState(svc)
    FROM traces_v1 ARRAY JOIN services AS svc GROUP BY trace_id`);
  await t.exec(`INSERT INTO operations SELECT toDate(max(last_seen)), service, name, kind
    FROM operations_v1 GROUP BY service, name, kind`);
  await t.exec('DROP TABLE IF EXISTS traces_v1');
  await t.exec('DROP TABLE IF EXISTS operations_v1');
}

/**
 * Version 4: the latency histogram in `dependencies`, and in a cluster also in the Distributed table
 * over it, whose columns must match. Rows from before keep an empty histogram. One ALTER adds both
 * Nested subcolumns, and a table that has them is skipped, so this runs again cleanly.
 */
async function addDependencyLatency(t: Transport, opts: SchemaOptions): Promise<void> {
  const tables = opts.cluster ? ['dependencies_local', 'dependencies'] : ['dependencies'];
  for (const table of tables) {
    const [row] = await t.rows<{ n: string | number }>(
      `SELECT count() AS n FROM system.columns
       WHERE database = currentDatabase() AND table = {table:String} AND name = 'latencyMap.bucket'`,
      { table },
    );
    if (Number(row?.n ?? 0) === 0)
      await t.exec(`ALTER TABLE ${table} ADD COLUMN ${DEPENDENCY_LATENCY_COLUMN}`);
  }
}

/**
 * Version 5: codecs and block sizes of `spans`. Both are metadata: parts written from now on, and
 * parts that merges rewrite, take them; older parts stay readable as they are. The trace-id filter
 * of older stores keeps its 0.001 rate (an index cannot be altered in place, only rebuilt).
 */
async function tuneSpans(t: Transport, opts: SchemaOptions): Promise<void> {
  const table = `spans${opts.cluster ? '_local' : ''}`;
  for (const [column, type] of Object.entries(SPAN_COLUMN_CODECS))
    await t.exec(`ALTER TABLE ${table} MODIFY COLUMN ${column} ${type}`);
  await t.exec(`ALTER TABLE ${table} MODIFY SETTING ${SPAN_TABLE_SETTINGS}`);
}

/** Creates a new store, or upgrades an older one, to SCHEMA_VERSION. Returns the version found. */
export async function migrate(t: Transport, d: Dialect, opts: SchemaOptions = {}): Promise<number> {
  const found = await currentVersion(t);
  if (found === 1) await fromVersion1(t, d, opts);
  else for (const ddl of schemaStatements(d, opts)) await t.exec(ddl);
  // Parts written before version 3 keep no attribute index; searches over them scan as before.
  if (found > 0 && found < 3 && d.form === 'modern')
    for (const index of SPAN_INDEXES)
      await t.exec(
        `ALTER TABLE spans${opts.cluster ? '_local' : ''} ADD ${index.replace('INDEX', 'INDEX IF NOT EXISTS')}`,
      );
  if (found > 0 && found < 4) await addDependencyLatency(t, opts);
  if (found > 0 && found < 5 && d.form === 'modern') await tuneSpans(t, opts);
  if (found < SCHEMA_VERSION) {
    await t.exec('CREATE TABLE IF NOT EXISTS genba_schema (version UInt32, applied DateTime) ENGINE = Log');
    await t.exec('INSERT INTO genba_schema SELECT {v:UInt32}, now()', { v: SCHEMA_VERSION });
  }
  return found;
}
