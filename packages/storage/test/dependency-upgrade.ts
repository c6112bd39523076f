/**
 * The version 3 → 4 upgrade of `dependencies` (its latency histogram), on a backend: a store whose
 * table predates the histogram opens, keeps its old counts, and answers quantiles for new calls.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Span } from '@genba/model';
import {
  currentVersion,
  dialectForVersion,
  SCHEMA_VERSION,
  type Storage,
  type Transport,
} from '../src/index.ts';
import { loadFixture } from './conformance.ts';
import { assertLinks } from './dependency-conformance.ts';

export interface UpgradeBackend {
  /** Opens the store at a place of its own, the same place every time. */
  open(): Promise<Storage>;
  /** New raw transports to that place, one per shard in shard order; the test closes them. */
  shards(): Transport[];
  /** Set for a cluster: the Distributed table over `dependencies_local` is made again too. */
  cluster?: { name: string; database: string };
}

const MS = 1_000_000n;
const MINUTE_NS = 1767571200n * 1_000_000_000n;

async function withShards(backend: UpgradeBackend, fn: (t: Transport, i: number) => Promise<void>) {
  const shards = backend.shards();
  try {
    for (const [i, t] of shards.entries()) await fn(t, i);
  } finally {
    await Promise.all(shards.map((t) => t.close()));
  }
}

async function latencyColumns(t: Transport, table: string): Promise<string[]> {
  const rows = await t.rows<{ name: string }>(
    `SELECT name FROM system.columns WHERE database = currentDatabase() AND table = {table:String}
     AND name LIKE 'latencyMap.%' ORDER BY name`,
    { table },
  );
  return rows.map((r) => r.name);
}

export function dependencyUpgrade(name: string, backend: UpgradeBackend): void {
  test(`${name}: a version 3 store gains the dependency latency histogram, and keeps its old counts`, async () => {
    await (await backend.open()).close();
    const local = backend.cluster ? '_local' : '';
    const sql = readFileSync(new URL('./fixtures/schema-v3-dependencies.sql', import.meta.url), 'utf8');
    await withShards(backend, async (t, i) => {
      const text = dialectForVersion(await t.version()).lowText;
      const statements = sql
        .replace(/^--.*$/gm, '')
        .split(/;\s*$/m)
        .map((s) => s.trim().replaceAll('{local}', local).replaceAll('{text}', text))
        .filter((s) => s !== '' && (i === 0 || !s.startsWith('INSERT INTO dependencies')));
      for (const s of statements) await t.exec(s);
      if (backend.cluster) {
        const { name: c, database } = backend.cluster;
        await t.exec(
          `CREATE TABLE dependencies AS dependencies_local ENGINE = Distributed(${c}, ${database}, dependencies_local, rand())`,
        );
      }
      assert.equal(await currentVersion(t), 3);
    });
    // As if a migration had stopped after its first ALTER: the second run must skip that table.
    await withShards(backend, async (t, i) => {
      if (i === 0)
        await t.exec(
          `ALTER TABLE dependencies${local} ADD COLUMN latencyMap Nested(bucket UInt16, calls UInt64)`,
        );
    });

    const store = await backend.open();
    try {
      const window = [MINUTE_NS, MINUTE_NS + 59_999n * MS] as const;
      const old = { parent: 'frontend', child: 'payments', calls: 3, errors: 1, durationSumNs: '240000000' };
      const none = { relative: 0, absoluteNs: 0 };
      assertLinks(await store.getDependencies(...window), [{ ...old, p50Ms: 0, p95Ms: 0 }], none);

      // A new call in the same minute: counted with the old ones; the quantiles are its own.
      const fixture = loadFixture('basic.otlp.json');
      const later = MINUTE_NS - fixture[0].startTimeUnixNano;
      const call = fixture
        .filter((s) => s.spanId === 'a000000000000002' || s.spanId === 'a000000000000003')
        .map(
          (s): Span => ({
            ...s,
            traceId: '60000000000000000000000000000001',
            spanId: `f${s.spanId.slice(1)}`,
            parentSpanId: s.parentSpanId ? `f${s.parentSpanId.slice(1)}` : '',
            startTimeUnixNano: s.startTimeUnixNano + later,
            endTimeUnixNano: s.endTimeUnixNano + later,
          }),
        );
      await store.write(call);
      assertLinks(
        await store.getDependencies(...window),
        [{ ...old, calls: 4, errors: 2, durationSumNs: '320000000', p50Ms: 80, p95Ms: 80 }],
        { relative: 0.044, absoluteNs: 1 },
      );
    } finally {
      await store.close();
    }
    await withShards(backend, async (t) => {
      assert.equal(await currentVersion(t), SCHEMA_VERSION);
      const tables = backend.cluster ? ['dependencies_local', 'dependencies'] : ['dependencies'];
      for (const table of tables)
        assert.deepEqual(await latencyColumns(t, table), ['latencyMap.bucket', 'latencyMap.calls'], table);
    });
  });
}
