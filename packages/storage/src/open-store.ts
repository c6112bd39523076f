/**
 * Opens a store from its address: the embedded engine under a data directory, a ClickHouse
 * server (`clickhouse://host:8123/db`) or a cluster (`clickhouse+cluster://h1:8123,h2:8123/db?cluster=NAME`).
 * Creates the database and tables when missing, upgrades an older schema, then drops expired days.
 */
import { join } from 'node:path';
import { ChdbTransport } from './chdb-transport.ts';
import { ClickHouseStore } from './clickhouse-store.ts';
import { type Dialect, dialectForVersion, modern } from './dialect.ts';
import { StorageError } from './errors.ts';
import { HttpTransport } from './http-transport.ts';
import { migrate } from './migrations.ts';
import { parseStorageAddress } from './storage-url.ts';
import type { Transport } from './transport.ts';
import { WriteAheadLog } from './write-ahead-log.ts';

/** The write-ahead log's directory under the data directory. Its records hold rows in the span and
 * dependency layouts of this version; a change to either needs a new name here (and a reader for the old). */
const WAL_DIR = 'genba-wal-v1';

export interface EmbeddedStoreOptions {
  dataDir: string;
  /** Days to keep spans; 0 or absent keeps them for ever. */
  retentionDays?: number;
  readers?: number;
}

export interface OpenStoreOptions extends EmbeddedStoreOptions {
  /** Where spans live: absent or `embedded` for the embedded engine in `dataDir`, else a URL. */
  storage?: string;
}

/** Opens (and creates when new) the embedded store under `dataDir`. */
export async function openEmbeddedStore(opts: EmbeddedStoreOptions): Promise<ClickHouseStore> {
  const transport = new ChdbTransport({ dataDir: opts.dataDir, readers: opts.readers });
  return prepare([transport], modern, opts.retentionDays, undefined, join(opts.dataDir, WAL_DIR));
}

export async function openStore(opts: OpenStoreOptions): Promise<ClickHouseStore> {
  const where = opts.storage ?? 'embedded';
  if (where === 'embedded') return openEmbeddedStore(opts);
  const address = parseStorageAddress(where);
  const auth = { user: address.user, password: address.password, database: address.database };
  const shards = address.urls.map((url) => new HttpTransport({ url, ...auth }));
  for (const t of shards) await t.ensureDatabase();
  const dialect = dialectForVersion(await shards[0].version());
  if (address.kind === 'server') return prepare(shards, dialect, opts.retentionDays, undefined);
  const cluster = address.cluster!;
  const [row] = await shards[0].rows<{ n: string | number }>(
    'SELECT uniqExact(shard_num) AS n FROM system.clusters WHERE cluster = {c:String}',
    { c: cluster },
  );
  const n = Number(row?.n ?? 0);
  if (n === 0)
    throw new StorageError(`cluster "${cluster}" is not defined in the server's remote_servers`, 'invalid');
  if (n !== shards.length)
    throw new StorageError(
      `cluster "${cluster}" has ${n} shards but --storage lists ${shards.length} hosts; list one HTTP address per shard, in shard order`,
      'invalid',
    );
  return prepare(shards, dialect, opts.retentionDays, { name: cluster, database: address.database });
}

async function prepare(
  shards: Transport[],
  dialect: Dialect,
  retentionDays: number | undefined,
  cluster: { name: string; database: string } | undefined,
  walDir?: string,
): Promise<ClickHouseStore> {
  try {
    for (const t of shards) await migrate(t, dialect, { retentionDays, cluster });
    const wal = walDir ? await WriteAheadLog.open(walDir) : undefined;
    const store = new ClickHouseStore(
      { dialect, shards, localSuffix: cluster ? '_local' : '' },
      { retentionDays, wal: wal?.log },
    );
    // What a crash left in the log goes in before anything new, then expired days go.
    if (wal) await store.replay(wal.leftovers);
    await store.dropExpired();
    return store;
  } catch (err) {
    await Promise.all(shards.map((t) => t.close()));
    throw err;
  }
}
