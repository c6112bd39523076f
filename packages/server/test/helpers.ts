/**
 * Test helpers: a real server on free loopback ports and a temp data dir. GENBA_TEST_STORAGE
 * (e.g. clickhouse://127.0.0.1:PORT/db), when set, is the store of every server that names none.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, type ServerOptions, startServer } from '../src/index.ts';

export async function withTempServer(
  opts: Partial<ServerOptions> = {},
): Promise<RunningServer & { dataDir: string }> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'genba-server-'));
  const storage = opts.storage ?? process.env.GENBA_TEST_STORAGE;
  const server = await startServer({
    anyPort: true,
    logLevel: 'silent',
    ...opts,
    ...(storage ? { storage } : {}),
    dataDir,
  });
  return {
    ...server,
    dataDir,
    async close() {
      await server.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}
