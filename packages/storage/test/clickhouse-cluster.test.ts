/**
 * The 2-shard ClickHouse cluster the scale-out runs need, and the sharding rule Genba relies on:
 * a Distributed table keyed by the trace id's last byte puts a trace on shard
 * `lastByte(traceId) % shardCount`. (18.16 takes `key % sum(shard weights)` and walks the shards
 * in their `<remote_servers>` order, so with every weight 1, shard i of the config gets
 * `key % shardCount == i`; `cluster.shards` is in that order.)
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { HttpTransport, openStore, shardOf } from '../src/index.ts';
import { loadFixture, storageConformance } from './conformance.ts';
import { dependencyUpgrade } from './dependency-upgrade.ts';
import type { ClickHouseCluster, ClickHouseServer } from './support/clickhouse-server.ts';
import { startClickHouseCluster } from './support/clickhouse-server.ts';

let cluster: ClickHouseCluster;
before(async () => {
  cluster = await startClickHouseCluster();
});
after(() => cluster?.stop());

/** POSTs `sql` with ClickHouse settings as URL parameters (18.16 has no SETTINGS clause on INSERT). */
async function post(
  server: ClickHouseServer,
  sql: string,
  settings: Record<string, string>,
): Promise<string> {
  const res = await fetch(`${server.url}/?${new URLSearchParams(settings)}`, { method: 'POST', body: sql });
  const text = await res.text();
  if (!res.ok) throw new Error(`ClickHouse ${res.status}: ${text.trim()}`);
  return text;
}

const traceIdHex = (lastByte: number) =>
  `0123456789abcdef0123456789abcd${lastByte.toString(16).padStart(2, '0')}`;

test('every shard is its own loopback server and lists all shards, in order, as cluster genba', async () => {
  assert.equal(cluster.name, 'genba');
  assert.equal(cluster.shards.length, 2);
  assert.equal(new Set(cluster.shards.map((s) => s.url)).size, 2);
  for (const [i, shard] of cluster.shards.entries()) {
    assert.match(shard.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const rows = (
      await shard.query(
        "SELECT shard_num, host_address, is_local FROM system.clusters WHERE cluster = 'genba'",
      )
    )
      .trim()
      .split('\n');
    // shard_num is 1-based; exactly this server is the local one.
    assert.deepEqual(rows, [`1\t127.0.0.1\t${i === 0 ? 1 : 0}`, `2\t127.0.0.1\t${i === 1 ? 1 : 0}`]);
  }
});

test('a Distributed table keyed by the last trace-id byte puts each trace on shard lastByte % shardCount', async () => {
  const shards = cluster.shards;
  for (const shard of shards) {
    await shard.query('CREATE DATABASE IF NOT EXISTS g');
    await shard.query(
      'CREATE TABLE g.t_local (trace_id FixedString(16), v String) ENGINE = MergeTree ORDER BY trace_id',
    );
    await shard.query(
      `CREATE TABLE g.t (trace_id FixedString(16), v String) ENGINE = ` +
        `Distributed(${cluster.name}, g, t_local, reinterpretAsUInt8(substring(trace_id, 16, 1)))`,
    );
  }
  const lastBytes = [0x00, 0x01, 0x02, 0x03];
  const values = lastBytes.map((b) => `(unhex('${traceIdHex(b)}'), 'v${b}')`).join(', ');
  // Synchronous: the HTTP 200 comes after the remote shard has the rows (the default queues them).
  await post(shards[0]!, `INSERT INTO g.t (trace_id, v) VALUES ${values}`, { insert_distributed_sync: '1' });

  // lastByte % 2: the even last bytes on shard 0, the odd ones on shard 1.
  const expected = [
    [0x00, 0x02],
    [0x01, 0x03],
  ];
  for (const [i, shard] of shards.entries()) {
    const local = (await shard.query('SELECT lower(hex(trace_id)), v FROM g.t_local ORDER BY v')).trim();
    const rows = expected[i]!.map((b) => `${traceIdHex(b)}\tv${b}`);
    assert.deepEqual(local.split('\n'), rows, `shard ${i}'s local table`);
  }
  // Right after the 200, through shard 1's Distributed table, both shards answer.
  assert.equal((await shards[1]!.query('SELECT count() FROM g.t')).trim(), '4');
});

// The conformance suite on the 2-shard cluster, through `--storage clickhouse+cluster://…`.
const clusterUrl = () =>
  `clickhouse+cluster://${cluster.shards.map((s) => s.url.replace('http://', '')).join(',')}/genba_conformance?cluster=${cluster.name}`;
storageConformance('2-shard ClickHouse 18.16 cluster', {
  open: () => openStore({ dataDir: '', storage: clusterUrl() }),
  reopen: (opts) => openStore({ dataDir: '', storage: clusterUrl(), ...opts }),
});

test('through --storage, each trace is written to one shard, by the same rule as the Distributed tables', async () => {
  const store = await openStore({
    dataDir: '',
    storage: clusterUrl().replace('genba_conformance', 'genba_routing'),
  });
  try {
    const [span] = loadFixture('basic.otlp.json');
    const ids = [0x10, 0x11, 0x12, 0x13].map(traceIdHex);
    await store.write(ids.map((traceId) => ({ ...span, traceId })));
    for (const [i, shard] of cluster.shards.entries()) {
      const local = await shard.query(
        'SELECT lower(hex(trace_id)) FROM genba_routing.spans_local ORDER BY 1',
      );
      assert.deepEqual(
        local.trim().split('\n'),
        ids.filter((_, k) => k % 2 === i),
      );
      assert.equal(shardOf(ids[i], 2), i);
    }
    const all = await cluster.shards[1].query('SELECT count() FROM genba_routing.spans');
    assert.equal(all.trim(), '4');
    for (const id of ids) assert.equal((await store.getTrace(id)).length, 1);
  } finally {
    await store.close();
  }
});

dependencyUpgrade('2-shard ClickHouse 18.16 cluster', {
  open: () => openStore({ dataDir: '', storage: clusterUrl().replace('genba_conformance', 'genba_upgrade') }),
  shards: () => cluster.shards.map((s) => new HttpTransport({ url: s.url, database: 'genba_upgrade' })),
  cluster: { name: 'genba', database: 'genba_upgrade' },
});
