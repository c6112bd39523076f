import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ChdbTransport, currentVersion, openEmbeddedStore, SCHEMA_VERSION } from '../src/index.ts';
import { storageConformance } from './conformance.ts';
import { dependencyUpgrade } from './dependency-upgrade.ts';

const dir = mkdtempSync(join(tmpdir(), 'genba-store-'));
const v3 = mkdtempSync(join(tmpdir(), 'genba-store-v3-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(v3, { recursive: true, force: true });
});

storageConformance('embedded chdb', {
  open: () => openEmbeddedStore({ dataDir: dir }),
  reopen: (opts) => openEmbeddedStore({ dataDir: dir, ...opts }),
});

test('a store made by Genba before versioned migrations opens and upgrades itself', async () => {
  const old = mkdtempSync(join(tmpdir(), 'genba-store-v1-'));
  try {
    const sql = readFileSync(new URL('./fixtures/schema-v1.sql', import.meta.url), 'utf8');
    const t = new ChdbTransport({ dataDir: old });
    const statements = sql.replace(/^--.*$/gm, '').split(/;\s*$/m);
    for (const s of statements) if (s.trim()) await t.exec(s);
    assert.equal(await currentVersion(t), 1);
    await t.close();

    const store = await openEmbeddedStore({ dataDir: old });
    try {
      const spans = await store.getTrace('11111111111111111111111111111111');
      assert.deepEqual(spans.map((s) => s.name).sort(), ['GET /cart', 'reserve']);
      assert.deepEqual(await store.getServices(), ['shop', 'stock']);
      const [summary] = await store.findTraces({
        service: 'shop',
        startMin: 0n,
        startMax: 2n ** 62n,
        limit: 5,
      });
      assert.equal(summary.rootName, 'GET /cart');
      assert.equal(summary.spanCount, 2);
      assert.equal(summary.errorCount, 1);
      assert.equal(summary.durationNano, 50_000_000n);
    } finally {
      await store.close();
    }
    const again = new ChdbTransport({ dataDir: old });
    assert.equal(await currentVersion(again), SCHEMA_VERSION);
    const indexes = await again.rows<{ name: string }>(
      "SELECT name FROM system.data_skipping_indices WHERE table = 'spans' ORDER BY name",
    );
    assert.deepEqual(
      indexes.map((i) => i.name),
      ['idx_attr_values', 'idx_resource_values', 'idx_trace_id'],
    );
    const codecs = await again.rows<{ name: string; codec: string }>(
      `SELECT name, compression_codec AS codec FROM system.columns
       WHERE database = currentDatabase() AND table = 'spans' AND name IN ('attributes', 'trace_id') ORDER BY name`,
    );
    assert.deepEqual(
      codecs.map((c) => [c.name, c.codec]),
      [
        ['attributes', 'CODEC(ZSTD(3))'],
        ['trace_id', 'CODEC(ZSTD(1))'],
      ],
    );
    const [settings] = await again.rows<{ ddl: string }>(
      "SELECT create_table_query AS ddl FROM system.tables WHERE database = currentDatabase() AND name = 'spans'",
    );
    assert.match(settings.ddl, /max_compress_block_size = 65536/);
    await again.close();
  } finally {
    rmSync(old, { recursive: true, force: true });
  }
});

dependencyUpgrade('embedded chdb', {
  open: () => openEmbeddedStore({ dataDir: v3 }),
  shards: () => [new ChdbTransport({ dataDir: v3 })],
});
