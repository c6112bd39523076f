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

export interface StoreFactory {
  /** A new, empty store. */
  open(): Promise<Storage>;
  /** The same store again after close(), as after a restart; omit when the backend has no such notion. */
  reopen?(): Promise<Storage>;
}

export function loadFixture(name: string): Span[] {
  return decodeTraceRequestJson(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
}

const A = '5b8efff798038103d269b633813fc60c';
const B = '0000000000000000a1b2c3d4e5f60718';
const C = '7c1e0d4a9b3f2e6d5c4b3a2918070605';
const BASE = 1767225600n * 1_000_000_000n;
const MS = 1_000_000n;
const window = { startMin: BASE - 3600n * 1000n * MS, startMax: BASE + 3600n * 1000n * MS, limit: 20 };

/** Spans compared field by field, ignoring object identity of shared resources. */
function plain(spans: Span[]): unknown[] {
  return [...spans]
    .sort((a, b) => (a.spanId < b.spanId ? -1 : 1))
    .map((s) => ({ ...s, resource: { ...s.resource }, scope: { ...s.scope } }));
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

    test('findTraces honours operation, limit and the time window', async () => {
      const byOp = await store.findTraces({ service: 'frontend', operation: 'GET /home', ...window });
      assert.deepEqual(
        byOp.map((t) => t.traceId),
        [C],
      );
      const limited = await store.findTraces({ service: 'frontend', ...window, limit: 1 });
      assert.deepEqual(
        limited.map((t) => t.traceId),
        [C],
      );
      const early = await store.findTraces({ service: 'frontend', ...window, startMax: BASE + 1000n * MS });
      assert.deepEqual(
        early.map((t) => t.traceId),
        [A],
      );
    });

    test('duration bounds apply to the matching span', async () => {
      const slow = await store.findTraces({ service: 'legacy', ...window, durationMin: 1000n * MS });
      assert.deepEqual(
        slow.map((t) => t.traceId),
        [B],
      );
      const none = await store.findTraces({ service: 'frontend', ...window, durationMin: 1000n * MS });
      assert.deepEqual(none, []);
      const fast = await store.findTraces({ service: 'frontend', ...window, durationMax: 20n * MS });
      assert.deepEqual(
        fast.map((t) => t.traceId),
        [C],
      );
    });

    test('tags match span and resource attributes as text, all on one span', async () => {
      const find = (tags: Record<string, string>, service = 'frontend') =>
        store.findTraces({ service, ...window, tags }).then((r) => r.map((t) => t.traceId));
      assert.deepEqual(await find({ 'http.response.status_code': '500' }), [C]);
      assert.deepEqual(await find({ 'host.name': 'web-1', 'http.route': '/checkout' }), [A]);
      assert.deepEqual(await find({ 'http.route': '/checkout', 'http.response.status_code': '402' }), []);
      assert.deepEqual(await find({ amount: '12.5', retry: 'false' }, 'payments'), [A]);
      assert.deepEqual(await find({ 'error.type': "' OR 1=1 --" }, 'payments'), []);
    });

    test('intrinsic tags: error, span.kind, otel.status_code', async () => {
      const find = (tags: Record<string, string>, service = 'frontend') =>
        store.findTraces({ service, ...window, tags }).then((r) => r.map((t) => t.traceId));
      assert.deepEqual(await find({ error: 'true' }), [C]);
      assert.deepEqual(await find({ error: 'true' }, 'payments'), [A]);
      assert.deepEqual(await find({ 'span.kind': 'client' }), [A]);
      assert.deepEqual(await find({ 'otel.status_code': 'ERROR' }), [C]);
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
    }
  });
}
