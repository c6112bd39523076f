/**
 * On-disk size of a closed embedded store, read from its files alone (nothing is opened).
 * A MergeTree keeps the parts a merge replaced ("outdated") for minutes after the merge, so a
 * plain `du` right after a fast ingest counts many rows twice. Parts are therefore told apart by
 * name, as ClickHouse does: `<partition>_<min block>_<max block>_<level>[_<mutation>]`, and a part
 * whose block range another part of its partition covers at a higher level is outdated.
 * Sizes are apparent file sizes, as ClickHouse's `system.parts.bytes_on_disk` counts them.
 */
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface StoreDiskUse {
  /** Every file under the data dir, outdated parts and metadata included. */
  allFiles: number;
  /** Active parts of every table outside the `system` database. */
  activeParts: number;
  /** Active part bytes per table, keyed `table` (or `database.table` outside `default`). */
  tables: Map<string, number>;
}

interface Part {
  dir: string;
  partition: string;
  min: number;
  max: number;
  level: number;
  mutation: number;
}

const PART_NAME = /^([^_]+)_(\d+)_(\d+)_(\d+)(?:_(\d+))?$/;

/** Bytes of every regular file under `path`, symlinks not followed. */
export function treeBytes(path: string): number {
  const st = lstatSync(path);
  if (st.isFile()) return st.size;
  if (!st.isDirectory()) return 0;
  let sum = 0;
  for (const e of readdirSync(path)) sum += treeBytes(join(path, e));
  return sum;
}

/** ClickHouse's rule: `a` replaced `b` when it spans b's blocks at a level and mutation no lower. */
function covers(a: Part, b: Part): boolean {
  const same = a.min === b.min && a.max === b.max && a.level === b.level && a.mutation === b.mutation;
  return (
    !same &&
    a.partition === b.partition &&
    a.min <= b.min &&
    a.max >= b.max &&
    a.level >= b.level &&
    a.mutation >= b.mutation
  );
}

function activePartBytes(tableDir: string): number {
  const parts: Part[] = [];
  for (const name of readdirSync(tableDir)) {
    const m = PART_NAME.exec(name);
    if (!m) continue; // detached/, format_version.txt, tmp_* and delete_tmp_* directories
    const dir = join(tableDir, name);
    if (!statSync(dir).isDirectory()) continue;
    parts.push({
      dir,
      partition: m[1],
      min: Number(m[2]),
      max: Number(m[3]),
      level: Number(m[4]),
      mutation: Number(m[5] ?? 0),
    });
  }
  let sum = 0;
  for (const p of parts) if (!parts.some((q) => covers(q, p))) sum += treeBytes(p.dir);
  return sum;
}

/** Measures a chdb/ClickHouse data dir laid out as `data/<database>/<table>` → `store/…/<uuid>`. */
export function storeDiskUse(dataDir: string): StoreDiskUse {
  const tables = new Map<string, number>();
  const dataRoot = join(dataDir, 'data');
  for (const db of readdirSync(dataRoot)) {
    if (db === 'system' || db === 'INFORMATION_SCHEMA' || db === 'information_schema') continue;
    for (const table of readdirSync(join(dataRoot, db))) {
      const dir = realpathSync(join(dataRoot, db, table));
      if (!statSync(dir).isDirectory()) continue;
      tables.set(db === 'default' ? table : `${db}.${table}`, activePartBytes(dir));
    }
  }
  let activeParts = 0;
  for (const b of tables.values()) activeParts += b;
  return { allFiles: treeBytes(dataDir), activeParts, tables };
}
