/**
 * Retention by whole days, the same on every backend: a day partition is dropped once all of it
 * is older than the window. Dropping a partition is immediate and cheap on every engine version,
 * where a row TTL waits for merges and needs ClickHouse ≥ 19.6.
 */
import { DATA_TABLES } from './schema.ts';
import { stringLiteral } from './sql-literal.ts';
import type { Transport } from './transport.ts';

/** Drops expired partitions of every data table; returns how many it dropped. */
export async function dropExpiredPartitions(
  t: Transport,
  retentionDays: number,
  suffix = '',
): Promise<number> {
  const tables = DATA_TABLES.map((name) => `${name}${suffix}`);
  const rows = await t.rows<{ table: string; partition: string }>(
    `SELECT DISTINCT table, partition FROM system.parts
     WHERE database = currentDatabase() AND active AND has({tables:Array(String)}, table)
       AND toDate(partition) < toDate(now() - {seconds:UInt32})`,
    { tables, seconds: Math.round(retentionDays * 86_400) },
  );
  let dropped = 0;
  for (const r of rows) {
    // Both names came from the engine, and are checked against what this file knows before use.
    if (!tables.includes(r.table) || !/^\d{4}-\d{2}-\d{2}$/.test(r.partition)) continue;
    await t.exec(`ALTER TABLE ${r.table} DROP PARTITION ${stringLiteral(r.partition)}`);
    dropped++;
  }
  return dropped;
}
