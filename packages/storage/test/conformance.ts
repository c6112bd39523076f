/**
 * The storage conformance suite. Every backend runs it: call `storageConformance` from a
 * backend's test file with a factory that opens a fresh store (and reopens the same one).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Span } from '@genba/model';
import { decodeTraceRequestJson } from '@genba/otlp';
import type { Storage } from '../src/index.ts';
import { dependencyConformance } from './dependency-conformance.ts';

export interface StoreFactory {
  /** A new, empty store. */
  open(): Promise<Storage>;
  /** The same store again after close(), as after a restart, with these options; omit when the
   * backend has no such notion. */
  reopen?(opts?: { retentionDays?: number }): Promise<Storage>;
}

export function loadFixture(name: string): Span[] {
  return decodeTraceRequestJson(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
}

const A = '5b8efff798038103d269b633813fc60c';
const B = '0000000000000000a1b2c3d4e5f60718';
const C = '7c1e0d4a9b3f2e6d5c4b3a2918070605';
const BASE = 1767225600n * 1_000_000_000n;
const MS = 1_000_000n;
const IDS: Record<string, string> = { A, B, C };
const window = { startMin: BASE - 3600n * 1000n * MS, startMax: BASE + 3600n * 1000n * MS, limit: 20 };

/** Spans compared field by field, ignoring object identity of shared resources. */
function plain(spans: Span[]): unknown[] {
  return [...spans]
    .sort((a, b) => (a.spanId < b.spanId ? -1 : 1))
    .map((s) => ({ ...s, resource: { ...s.resource }, scope: { ...s.scope } }));
}

interface QueryCase {
  name: string;
  query: {
    service: string;
    operation?: string;
    tags?: Record<string, string>;
    startMaxMs?: number;
    durationMinMs?: number;
    durationMaxMs?: number;
    limit?: number;
  };
  expect: string[];
}

export function storageConformance(name: string, factory: StoreFactory): void {
  describe(`storage conformance: ${name}`, () => {
    let store: Storage;
    const fixture = loadFixture('basic.otlp.json');

    before(async () => {
      store = await factory.open();
      await store.write(fixture);
    });
    after(async () => {
      await store.close();
    });

    test('getTrace returns every span of a trace exactly as written', async () => {
      const got = await store.getTrace(A);
      assert.deepEqual(plain(got), plain(fixture.filter((s) => s.traceId === A)));
    });

    test('getTrace finds a 64-bit trace id by its short form', async () => {
      const got = await store.getTrace('a1b2c3d4e5f60718');
      assert.equal(got.length, 1);
      assert.equal(got[0].traceId, B);
    });

    test('getTrace of an unknown trace is empty', async () => {
      assert.deepEqual(await store.getTrace('ffffffffffffffffffffffffffffffff'), []);
    });

    test('getTraces returns each asked trace', async () => {
      const got = await store.getTraces([A, C, 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee']);
      assert.deepEqual([...got.keys()].sort(), [A, C].sort());
      assert.equal(got.get(A)?.length, 3);
    });

    test('services are listed sorted', async () => {
      assert.deepEqual(await store.getServices(), ['frontend', 'legacy', 'payments']);
    });

    test('operations are listed per service, and filtered by span kind', async () => {
      const all = await store.getOperations('frontend');
      assert.deepEqual(all, [
        { name: 'GET /checkout', spanKind: 'server' },
        { name: 'GET /home', spanKind: 'server' },
        { name: 'POST /pay', spanKind: 'client' },
      ]);
      assert.deepEqual(await store.getOperations('frontend', 'client'), [
        { name: 'POST /pay', spanKind: 'client' },
      ]);
      assert.deepEqual(await store.getOperations('nobody'), []);
    });

    test('findTraces returns summaries, newest first', async () => {
      const got = await store.findTraces({ service: 'frontend', ...window });
      assert.deepEqual(
        got.map((t) => t.traceId),
        [C, A],
      );
      const a = got[1];
      assert.equal(a.rootService, 'frontend');
      assert.equal(a.rootName, 'GET /checkout');
      assert.equal(a.spanCount, 3);
      assert.equal(a.errorCount, 1);
      assert.equal(a.startTimeUnixNano, BASE);
      assert.equal(a.durationNano, 120n * MS);
      assert.deepEqual(a.services, ['frontend', 'payments']);
    });

    const cases = JSON.parse(readFileSync(new URL('./fixtures/queries.json', import.meta.url), 'utf8'))
      .cases as QueryCase[];
    for (const c of cases) {
      test(`findTraces (fixtures/queries.json): ${c.name}`, async () => {
        const q = c.query;
        const got = await store.findTraces({
          service: q.service,
          operation: q.operation,
          tags: q.tags,
          startMin: window.startMin,
          startMax: q.startMaxMs === undefined ? window.startMax : BASE + BigInt(q.startMaxMs) * MS,
          durationMin: q.durationMinMs === undefined ? undefined : BigInt(q.durationMinMs) * MS,
          durationMax: q.durationMaxMs === undefined ? undefined : BigInt(q.durationMaxMs) * MS,
          limit: q.limit ?? window.limit,
        });
        assert.deepEqual(
          got.map((t) => t.traceId),
          c.expect.map((k) => IDS[k]),
        );
      });
    }

    dependencyConformance(() => store, fixture, BASE);

    test('latencies per operation over the window, and of root spans only', async () => {
      const all = await store.getLatencies({ ...window, service: 'frontend' });
      assert.deepEqual(
        all.map((l) => [l.name, l.spanKind, l.count, l.errorCount]),
        [
          ['GET /checkout', 'server', 1, 0],
          ['GET /home', 'server', 1, 1],
          ['POST /pay', 'client', 1, 0],
        ],
      );
      const checkout = all[0];
      assert.equal(checkout.p50Nano, 120e6);
      assert.equal(checkout.p99Nano, 120e6);
      const roots = await store.getLatencies({ ...window, rootOnly: true });
      assert.deepEqual(
        roots.map((l) => [l.service, l.name]),
        [
          ['frontend', 'GET /checkout'],
          ['frontend', 'GET /home'],
          ['legacy', 'legacy-call'],
        ],
      );
    });

    test('a value that tries to end the insert data is stored as text', async () => {
      const [c] = await store.getTrace(C);
      assert.equal(c.attributes.note, 'it\'s "quoted" \\ and\n\nSELECT 1; DROP TABLE spans');
      assert.deepEqual(await store.getServices(), ['frontend', 'legacy', 'payments']);
    });

    test('a batch written twice is read once', async () => {
      const again = fixture.filter((s) => s.traceId === B);
      await store.write(again);
      assert.equal((await store.getTrace(B)).length, 1);
    });

    test('text of any length and script comes back byte for byte', async () => {
      const [b] = fixture.filter((s) => s.traceId === B);
      const attributes = {
        現場: 'ゲンバ 🚀',
        long: 'é'.repeat(100),
        a63: 'a'.repeat(63),
        a64: 'a'.repeat(64),
        a200: 'a'.repeat(200),
        mixed: `${'a'.repeat(60)}ü`,
        big: 'x'.repeat(70_000),
      };
      const id = '2000000000000000000000000000000f';
      await store.write([{ ...b, traceId: id, attributes, name: 'ünïcödé' }]);
      const [got] = await store.getTrace(id);
      assert.deepEqual(got.attributes, attributes);
      assert.equal(got.name, 'ünïcödé');
    });

    test('spans that share a scope object keep their own resource details', async () => {
      const [b] = fixture.filter((s) => s.traceId === B);
      const id = '3000000000000000000000000000000f';
      const plainResource = { ...b.resource, schemaUrl: '' };
      const richResource = { ...b.resource, schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' };
      await store.write([
        { ...b, traceId: id, spanId: '0300000000000001', attributes: {}, resource: plainResource },
        { ...b, traceId: id, spanId: '0300000000000002', attributes: {}, resource: richResource },
      ]);
      const got = await store.getTrace(id);
      assert.deepEqual(got.map((s) => [s.spanId, s.resource.schemaUrl]).sort(), [
        ['0300000000000001', ''],
        ['0300000000000002', 'https://opentelemetry.io/schemas/1.26.0'],
      ]);
    });

    test('ids that end in zero bytes are found', async () => {
      const id = '10000000000000000000000000000000';
      const [b] = fixture.filter((s) => s.traceId === B);
      await store.write([
        { ...b, traceId: id, spanId: '0100000000000000', startTimeUnixNano: b.endTimeUnixNano },
      ]);
      const got = await store.getTrace(id);
      assert.deepEqual(
        got.map((s) => [s.traceId, s.spanId]),
        [[id, '0100000000000000']],
      );
      const found = await store.findTraces({ service: 'legacy', ...window, tags: { component: 'old' } });
      assert.deepEqual(
        found.map((t) => [t.traceId, t.spanCount]),
        [
          [id, 1],
          [B, 1],
        ],
      );
    });

    if (factory.reopen) {
      test('everything written survives a restart', async () => {
        await store.close();
        store = await factory.reopen!();
        assert.deepEqual(plain(await store.getTrace(A)), plain(fixture.filter((s) => s.traceId === A)));
        assert.deepEqual(await store.getServices(), ['frontend', 'legacy', 'payments']);
      });

      test('retention: expired days are dropped on open; spans that arrive expired are counted, not stored', async () => {
        const [b] = fixture.filter((s) => s.traceId === B);
        const now = BigInt(Date.now()) * MS;
        const at = (traceId: string, start: bigint) => ({
          ...b,
          traceId,
          startTimeUnixNano: start,
          endTimeUnixNano: start + MS,
        });
        const fresh = at('40000000000000000000000000000001', now - 60_000n * MS);
        const old = at('40000000000000000000000000000002', now - 10n * 86_400_000n * MS);
        await store.write([fresh, old]);
        assert.equal((await store.getTrace(old.traceId)).length, 1);
        await store.close();
        store = await factory.reopen!({ retentionDays: 7 });
        assert.deepEqual(await store.getTrace(old.traceId), []);
        assert.deepEqual(await store.getTrace(A), [], 'the fixture, dated 2026-01-01, expired too');
        assert.equal((await store.getTrace(fresh.traceId)).length, 1);
        assert.deepEqual(await store.getServices(), ['legacy']);
        const late = at('40000000000000000000000000000003', now - 8n * 86_400_000n * MS);
        await store.write([late]);
        assert.equal(store.stats().expiredSpans, 1);
        assert.deepEqual(await store.getTrace(late.traceId), []);
      });
    }
  });
}
