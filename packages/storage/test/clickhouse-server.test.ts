/**
 * The real ClickHouse server the scale-out conformance runs need: it starts from Debian's
 * package on loopback, answers over HTTP, and keeps what it is given until stopped.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { HttpTransport, openStore } from '../src/index.ts';
import { storageConformance } from './conformance.ts';
import { dependencyUpgrade } from './dependency-upgrade.ts';
import type { ClickHouseServer } from './support/clickhouse-server.ts';
import { startClickHouse } from './support/clickhouse-server.ts';

let server: ClickHouseServer;
before(async () => {
  server = await startClickHouse();
});
after(() => server?.stop());

test('a ClickHouse server starts on loopback and reports its version', async () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.match((await server.query('SELECT version()')).trim(), /^\d+\.\d+/);
});

test('it stores and reads rows (Nested columns, as the baseline schema will use)', async () => {
  await server.query(
    'CREATE TABLE t (id UInt32, attrs Nested(key String, value String)) ENGINE = MergeTree ORDER BY id',
  );
  await server.query("INSERT INTO t VALUES (1, ['a','b'], ['x','y'])");
  assert.equal((await server.query("SELECT attrs.value[indexOf(attrs.key, 'b')] FROM t")).trim(), 'y');
});

// The conformance suite on Debian's 18.16 server, through `--storage clickhouse://…` (baseline form).
storageConformance('ClickHouse 18.16 server', {
  open: () =>
    openStore({ dataDir: '', storage: `${server.url.replace('http', 'clickhouse')}/genba_conformance` }),
  reopen: (opts) =>
    openStore({
      dataDir: '',
      storage: `${server.url.replace('http', 'clickhouse')}/genba_conformance`,
      ...opts,
    }),
});

dependencyUpgrade('ClickHouse 18.16 server', {
  open: () =>
    openStore({ dataDir: '', storage: `${server.url.replace('http', 'clickhouse')}/genba_upgrade` }),
  shards: () => [new HttpTransport({ url: server.url, database: 'genba_upgrade' })],
});
