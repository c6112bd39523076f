import { ChdbTransport } from './chdb-transport.ts';
import { ClickHouseStore } from './clickhouse-store.ts';
import { modernSchema } from './schema.ts';
import type { Storage } from './storage.ts';

export interface EmbeddedStoreOptions {
  dataDir: string;
  retentionDays?: number;
  readers?: number;
}

/** Opens (and creates when new) the embedded store under `dataDir`. */
export async function openEmbeddedStore(opts: EmbeddedStoreOptions): Promise<Storage> {
  const transport = new ChdbTransport({ dataDir: opts.dataDir, readers: opts.readers });
  try {
    for (const ddl of modernSchema({ retentionDays: opts.retentionDays })) await transport.exec(ddl);
  } catch (err) {
    await transport.close();
    throw err;
  }
  return new ClickHouseStore(transport);
}
