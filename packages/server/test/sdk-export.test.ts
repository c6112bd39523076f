/**
 * @genba/sdk's own export path against a real Genba server: BatchSpanProcessor →
 * OtlpHttpExporter → OTLP/HTTP receiver → store → Jaeger API, in each encoding.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Span } from '@genba/model';
import { emptyResource, emptyScope, emptySpan, SpanKind, StatusCode } from '@genba/model';
import type { ReadableSpan } from '@genba/sdk';
import { BatchSpanProcessor, OtlpHttpExporter } from '@genba/sdk';
import { getJson, withTempServer } from './helpers.ts';

type Server = Awaited<ReturnType<typeof withTempServer>>;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const MS = 1_000_000n;

/** A root, a child and a grandchild of one trace, as ReadableSpans the processor converts late. */
function makeTrace(service: string) {
  const resource = { ...emptyResource(), attributes: { 'service.name': service, 'host.name': 'sdk-host' } };
  const scope = { ...emptyScope(), name: 'sdk-export-test', version: '0.0.1' };
  const traceId = hex(16);
  const ids = { root: hex(8), child: hex(8), grandchild: hex(8) };
  const t0 = BigInt(Date.now() - 1000) * MS;
  const make = (
    name: string,
    spanId: string,
    parent: string,
    start: bigint,
    end: bigint,
    fill: (s: Span) => void,
  ) => {
    const s = emptySpan(resource, scope);
    s.traceId = traceId;
    s.spanId = spanId;
    s.parentSpanId = parent;
    s.name = name;
    s.startTimeUnixNano = start;
    s.endTimeUnixNano = end;
    fill(s);
    return s;
  };
  const data = [
    make('GET /orders/:id', ids.root, '', t0, t0 + 40n * MS, (s) => {
      s.kind = SpanKind.SERVER;
      s.attributes = { 'http.request.method': 'GET', 'http.response.status_code': 200n, ratio: 0.75 };
    }),
    make('load order', ids.child, ids.root, t0 + 2n * MS, t0 + 30n * MS, (s) => {
      s.kind = SpanKind.INTERNAL;
      s.attributes = { 'order.items': 3n, cached: false };
      s.events = [
        {
          timeUnixNano: t0 + 10n * MS,
          name: 'cache miss',
          attributes: { key: 'o-1' },
          droppedAttributesCount: 0,
        },
      ];
    }),
    make('SELECT orders', ids.grandchild, ids.child, t0 + 5n * MS, t0 + 25n * MS, (s) => {
      s.kind = SpanKind.CLIENT;
      s.attributes = { 'db.system': 'postgresql' };
      s.status = { code: StatusCode.ERROR, message: 'deadlock detected' };
    }),
  ];
  const spans: ReadableSpan[] = data.map((d) => ({
    name: d.name,
    traceId: d.traceId,
    spanId: d.spanId,
    sampled: true,
    toSpanData: () => d,
  }));
  return { traceId, ids, spans };
}

interface Tag {
  key: string;
  type: string;
  value: unknown;
}

interface JaegerSpan {
  spanID: string;
  operationName: string;
  references: unknown[];
  startTime: number;
  duration: number;
  tags: Tag[];
  logs: { timestamp: number; fields: Tag[] }[];
  processID: string;
}

function tag(tags: Tag[], key: string) {
  return tags.find((t) => t.key === key);
}

describe('@genba/sdk OtlpHttpExporter → Genba server → Jaeger API', () => {
  let server: Server;
  before(async () => {
    server = await withTempServer();
  });
  after(async () => server.close());

  for (const [encoding, compression] of [
    ['protobuf', 'none'],
    ['json', 'none'],
    ['protobuf', 'gzip'],
  ] as const) {
    test(`${encoding}, compression ${compression}`, async () => {
      const service = `sdk-export-${encoding}-${compression}`;
      const { traceId, ids, spans } = makeTrace(service);
      const exporter = new OtlpHttpExporter({
        url: `${server.urls.otlpHttp}/v1/traces`,
        encoding,
        compression,
      });
      const processor = new BatchSpanProcessor(exporter, {
        maxExportBatchSize: 2,
        scheduledDelayMillis: 60_000,
      });
      // Children end before their parents, as they do in a running program.
      for (const s of [...spans].reverse()) processor.onEnd(s);
      await processor.shutdown();
      const stats = processor.getExportStats();
      assert.equal(stats.exportedSpans, 3, stats.lastError ?? '');
      assert.equal(stats.successfulExports, 2, 'two batches: 2 spans, then 1');
      assert.equal(stats.droppedSpans, 0);

      const { status, body } = await getJson(`${server.urls.query}/api/traces/${traceId}`);
      assert.equal(status, 200);
      assert.equal(body.errors, null);
      const [t] = body.data;
      assert.equal(t.traceID, traceId);
      assert.equal(t.spans.length, 3);
      const jaegerSpans: JaegerSpan[] = t.spans;
      const byId = (id: string) => jaegerSpans.find((s) => s.spanID === id)!;
      const root = byId(ids.root);
      const child = byId(ids.child);
      const grandchild = byId(ids.grandchild);
      assert.deepEqual(root.references, []);
      assert.deepEqual(child.references, [{ refType: 'CHILD_OF', traceID: traceId, spanID: ids.root }]);
      assert.deepEqual(grandchild.references, [{ refType: 'CHILD_OF', traceID: traceId, spanID: ids.child }]);

      assert.equal(root.operationName, 'GET /orders/:id');
      assert.equal(root.duration, 40_000);
      assert.equal(grandchild.startTime - root.startTime, 5_000);
      assert.deepEqual(tag(root.tags, 'http.response.status_code'), {
        key: 'http.response.status_code',
        type: 'int64',
        value: 200,
      });
      assert.deepEqual(tag(root.tags, 'ratio'), { key: 'ratio', type: 'float64', value: 0.75 });
      assert.deepEqual(tag(child.tags, 'cached'), { key: 'cached', type: 'bool', value: false });
      assert.deepEqual(tag(child.tags, 'order.items'), { key: 'order.items', type: 'int64', value: 3 });
      assert.equal(tag(root.tags, 'span.kind')?.value, 'server');
      assert.equal(tag(grandchild.tags, 'span.kind')?.value, 'client');
      assert.equal(tag(grandchild.tags, 'error')?.value, true);
      assert.equal(tag(grandchild.tags, 'otel.status_description')?.value, 'deadlock detected');
      assert.equal(tag(child.tags, 'otel.scope.name')?.value, 'sdk-export-test');
      assert.deepEqual(
        child.logs[0].fields.map((f) => [f.key, f.value]),
        [
          ['event', 'cache miss'],
          ['key', 'o-1'],
        ],
      );
      const proc = t.processes[root.processID];
      assert.equal(proc.serviceName, service);
      assert.equal(tag(proc.tags, 'host.name')?.value, 'sdk-host');
    });
  }
});
