/**
 * Spans from the real OpenTelemetry JS SDK, serialised by the real OTLP transformer (what
 * every OTel JS exporter sends), must decode to exactly what the SDK recorded.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Attributes, Span } from '@genba/model';
import type { HrTime, Attributes as OtelAttributes } from '@opentelemetry/api';
import { createTraceState, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { decodeTraceRequest, decodeTraceRequestJson, encodeTraceRequest } from '../src/index.ts';
import { oracleDecode } from './helpers/oracle.ts';

const T0 = 1_767_225_600; // 2026-01-01, in seconds
const at = (s: number, ns: number): HrTime => [T0 + s, ns];
const nanos = (t: HrTime) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

function record(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(
      { 'service.name': 'checkout', 'service.instance.id': 'i-1', 'host.cpu.count': 8 },
      { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' },
    ),
    spanLimits: { attributeCountLimit: 12, eventCountLimit: 3, linkCountLimit: 2 },
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const http = provider.getTracer('http-lib', '2.1.0', {
    schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
  });
  const db = provider.getTracer('db-lib');

  const remote = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: 1,
    isRemote: true,
    traceState: createTraceState('vendor=abc,other=x'),
  });
  const server = http.startSpan(
    'GET /orders/{id}',
    {
      kind: SpanKind.SERVER,
      startTime: at(0, 123_456_789),
      attributes: {
        'http.request.method': 'GET',
        'http.response.status_code': 200,
        'retry.ratio': 0.25,
        'cache.hit': false,
        tags: ['a', 'b'],
        ports: [80, 443],
        weights: [1.5, 2.5],
        flags: [true, false],
        offset: -42,
        unicode: 'naïve 😀',
      },
      links: [
        {
          context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 0, isRemote: true },
          attributes: { 'link.kind': 'follows' },
        },
      ],
    },
    remote,
  );
  server.addEvent('auth.checked', { user: 'u-7', attempts: 2 }, at(0, 200_000_000));
  const query = db.startSpan(
    'SELECT orders',
    { kind: SpanKind.CLIENT, startTime: at(0, 300_000_001), attributes: { 'db.system': 'postgresql' } },
    trace.setSpan(ROOT_CONTEXT, server),
  );
  query.setStatus({ code: SpanStatusCode.ERROR, message: 'deadlock detected' });
  query.recordException(new Error('deadlock detected'), at(0, 350_000_000));
  query.end(at(0, 400_000_999));
  const busy = http.startSpan('busy', { startTime: at(1, 0) }, trace.setSpan(ROOT_CONTEXT, server));
  for (let i = 0; i < 14; i++) busy.setAttribute(`k${i}`, i);
  for (let i = 0; i < 5; i++) busy.addEvent(`e${i}`, at(1, i));
  busy.setStatus({ code: SpanStatusCode.OK });
  busy.end(at(2, 0));
  server.end(at(3, 999_999_999));
  return exporter.getFinishedSpans();
}

function attrs(a: OtelAttributes): Attributes {
  const out: Attributes = {};
  const one = (v: unknown) =>
    typeof v === 'number' ? (Number.isInteger(v) ? BigInt(v) : v) : (v as string | boolean | null);
  for (const [k, v] of Object.entries(a)) out[k] = Array.isArray(v) ? v.map(one) : one(v);
  return out;
}

/** What the SDK recorded, in the model, written without the code under test. */
function expected(s: ReadableSpan): Omit<Span, 'resource' | 'scope'> {
  const ctx = s.spanContext();
  const flags = (ctx.traceFlags & 0xff) | 0x100 | (s.parentSpanContext?.isRemote ? 0x200 : 0);
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    parentSpanId: s.parentSpanContext?.spanId ?? '',
    traceState: ctx.traceState?.serialize() ?? '',
    flags,
    name: s.name,
    kind: (s.kind + 1) as Span['kind'],
    startTimeUnixNano: nanos(s.startTime),
    endTimeUnixNano: nanos(s.endTime),
    attributes: attrs(s.attributes),
    droppedAttributesCount: s.droppedAttributesCount,
    events: s.events.map((e) => ({
      timeUnixNano: nanos(e.time),
      name: e.name,
      attributes: attrs(e.attributes ?? {}),
      droppedAttributesCount: e.droppedAttributesCount ?? 0,
    })),
    droppedEventsCount: s.droppedEventsCount,
    links: s.links.map((l) => ({
      traceId: l.context.traceId,
      spanId: l.context.spanId,
      traceState: l.context.traceState?.serialize() ?? '',
      attributes: attrs(l.attributes ?? {}),
      droppedAttributesCount: l.droppedAttributesCount ?? 0,
      flags: (l.context.traceFlags & 0xff) | 0x100 | (l.context.isRemote ? 0x200 : 0),
    })),
    droppedLinksCount: s.droppedLinksCount,
    status: { code: s.status.code as Span['status']['code'], message: s.status.message ?? '' },
  };
}

function check(decoded: Span[], recorded: ReadableSpan[]): void {
  assert.equal(decoded.length, recorded.length);
  const byId = new Map(decoded.map((s) => [s.spanId, s]));
  for (const r of recorded) {
    const d = byId.get(r.spanContext().spanId);
    assert.ok(d, `span ${r.name} decoded`);
    const { resource, scope, ...rest } = d;
    assert.deepStrictEqual(rest, expected(r), r.name);
    assert.deepStrictEqual(resource, {
      attributes: { 'service.name': 'checkout', 'service.instance.id': 'i-1', 'host.cpu.count': 8n },
      droppedAttributesCount: 0,
      schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
    });
    assert.equal(scope.name, r.instrumentationScope.name);
    assert.equal(scope.version, r.instrumentationScope.version ?? '');
    assert.equal(scope.schemaUrl, r.instrumentationScope.schemaUrl ?? '');
  }
  // One resource object for the batch, one scope object per tracer.
  assert.equal(new Set(decoded.map((s) => s.resource)).size, 1);
  assert.equal(new Set(decoded.map((s) => s.scope)).size, 2);
}

test('OTel SDK spans, serialised by the OTLP transformer as protobuf, decode exactly', () => {
  const recorded = record();
  assert.equal(recorded.length, 3);
  const decoded = decodeTraceRequest(ProtobufTraceSerializer.serializeRequest(recorded)!);
  check(decoded, recorded);
  // Spot checks in plain figures, so the comparison above cannot be vacuous.
  const [query, busy, server] = decoded;
  assert.equal(server.parentSpanId, '00f067aa0ba902b7');
  assert.equal(server.traceState, 'vendor=abc,other=x');
  assert.equal(server.flags, 0x301);
  assert.equal(server.startTimeUnixNano, 1_767_225_600_123_456_789n);
  assert.equal(server.attributes['offset'], -42n);
  assert.deepStrictEqual(server.attributes['weights'], [1.5, 2.5]);
  assert.equal(server.links[0].traceId, 'a'.repeat(32));
  assert.equal(query.parentSpanId, server.spanId);
  assert.deepStrictEqual(query.status, { code: 2, message: 'deadlock detected' });
  assert.equal(query.events[0].name, 'exception');
  assert.equal(busy.droppedAttributesCount, 2);
  assert.equal(busy.droppedEventsCount, 2);
});

test('OTel SDK spans, serialised by the OTLP transformer as JSON, decode exactly', () => {
  const recorded = record();
  check(
    decodeTraceRequestJson(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(recorded)!)),
    recorded,
  );
});

test('re-encoding the transformer output with ours reads the same in protobufjs', () => {
  const bytes = ProtobufTraceSerializer.serializeRequest(record())!;
  const ours = decodeTraceRequest(bytes);
  assert.deepStrictEqual(oracleDecode(encodeTraceRequest(ours)), oracleDecode(bytes));
});
