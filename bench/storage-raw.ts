/**
 * The engine's own insert rate for storage.bench.ts: spans already encoded by `spansToRowBinary`,
 * inserted one chunk after another into a fresh, empty store with nothing around the insert (no
 * HTTP, no decoding, no group commit, no dependency edges). The receiver's rate over this one is
 * the share of the engine's limit that the path in front of it leaves.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Span } from '@genba/model';
import { HttpTransport, openStore, spansToRowBinary } from '@genba/storage';

export interface RawInsert {
  spans: number;
  spansPerSec?: number;
  /** Why there is no rate. */
  note?: string;
}

/** `clickhouse://[user[:password]@]host[:port][/db]`, the single-server form; not a cluster. */
const SERVER_URL = /^clickhouse(s?):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?@,]+)(?:\/([^?]*))?$/;

interface ScratchDatabase {
  storage: string;
  drop(): Promise<void>;
}

/** A database beside the bench's own on the same server, dropped before and after use. */
async function scratchDatabase(storageUrl: string): Promise<ScratchDatabase> {
  const m = SERVER_URL.exec(storageUrl);
  if (!m) throw new Error('only clickhouse://host:port/db is supported here, not a cluster');
  const [, secure, user, password, host, db] = m;
  const database = `${decodeURIComponent(db ?? '') || 'genba'}_bench_raw`;
  const admin = new HttpTransport({
    url: `http${secure}://${host.includes(':') ? host : `${host}:8123`}`,
    database: 'default',
    user: user ? decodeURIComponent(user) : undefined,
    password: password ? decodeURIComponent(password) : undefined,
  });
  const drop = () => admin.exec(`DROP DATABASE IF EXISTS \`${database}\``);
  await drop();
  const auth = user ? `${user}${password === undefined ? '' : `:${password}`}@` : '';
  return { storage: `clickhouse${secure}://${auth}${host}/${database}`, drop };
}

/** Times the insert of `spans` in chunks of `chunkSpans`, on the embedded engine or, given
 * `storageUrl`, on the same ClickHouse server in a scratch database. */
export async function rawInsertRate(
  spans: readonly Span[],
  chunkSpans: number,
  storageUrl: string | undefined,
): Promise<RawInsert> {
  // Encoded before the clock starts: the encoding is the receiver's work, not the engine's.
  const chunks: Buffer[] = [];
  for (let i = 0; i < spans.length; i += chunkSpans)
    chunks.push(spansToRowBinary(spans.slice(i, i + chunkSpans)));
  const dataDir = mkdtempSync(join(tmpdir(), 'genba-bench-storage-raw-'));
  let scratch: ScratchDatabase | undefined;
  try {
    if (storageUrl) scratch = await scratchDatabase(storageUrl);
    const store = await openStore({ dataDir, storage: scratch?.storage });
    try {
      const t = performance.now();
      for (const c of chunks) await store.insertEncoded(c);
      return { spans: spans.length, spansPerSec: (spans.length / (performance.now() - t)) * 1000 };
    } finally {
      await store.close();
    }
  } catch (err) {
    return { spans: spans.length, note: `n/a (${(err as Error).message.split('\n')[0]})` };
  } finally {
    await scratch?.drop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
}
