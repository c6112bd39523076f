/**
 * Model spans → the wire formats the receivers bench sends that Genba has no encoder for:
 * Zipkin v2 JSON (shaped as a Zipkin-native client such as zipkin-js writes it: the service in
 * localEndpoint, string tags) and Jaeger Thrift (one Batch per service process, as jaeger-client
 * sends, binary over HTTP and compact emitBatch datagrams over UDP). All of it runs before the
 * clock starts, so it is written for clarity, not speed.
 */
import type { AttributeValue, Resource, Span } from '@genba/model';
import { SpanKind, StatusCode, serviceName } from '@genba/model';
import {
  type JaegerBatch,
  type JaegerSpan,
  type JaegerTag,
  TagType,
} from '../packages/collector/src/receivers/jaeger/jaeger-thrift-decoder.ts';
import {
  BinaryWriter,
  CompactWriter,
  emitBatch,
  writeBatch,
} from '../packages/collector/test/support/jaeger-thrift-writer.ts';

const KIND_NAMES: Record<number, string> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

const micros = (ns: bigint) => ns / 1000n;

/** Arrays and maps have no Zipkin or Jaeger type; clients send them as JSON text. */
function text(v: AttributeValue): string {
  if (typeof v === 'string') return v;
  if (v === null || typeof v !== 'object') return String(v);
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
}

// ---- Zipkin v2 JSON ----

function zipkinSpan(s: Span): Record<string, unknown> {
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.attributes)) tags[k] = text(v);
  if (s.scope.name) tags['otel.scope.name'] = s.scope.name;
  if (s.status.code === StatusCode.ERROR) {
    tags['otel.status_code'] = 'Error';
    tags.error = s.status.message || 'true';
  }
  const kind = s.kind === SpanKind.INTERNAL ? undefined : KIND_NAMES[s.kind]?.toUpperCase();
  return {
    traceId: s.traceId,
    id: s.spanId,
    ...(s.parentSpanId ? { parentId: s.parentSpanId } : {}),
    ...(kind ? { kind } : {}),
    name: s.name,
    timestamp: Number(micros(s.startTimeUnixNano)),
    duration: Number(micros(s.endTimeUnixNano - s.startTimeUnixNano)),
    localEndpoint: { serviceName: serviceName(s) },
    ...(s.events.length
      ? { annotations: s.events.map((e) => ({ timestamp: Number(micros(e.timeUnixNano)), value: e.name })) }
      : {}),
    tags,
  };
}

/** One `POST /api/v2/spans` body: a JSON array of Zipkin v2 spans. */
export function zipkinJson(spans: Span[]): Uint8Array {
  return Buffer.from(JSON.stringify(spans.map(zipkinSpan)));
}

// ---- Jaeger Thrift ----

const i64 = (hex: string) => (hex ? BigInt.asIntN(64, BigInt(`0x${hex}`)) : 0n);

function tag(key: string, v: AttributeValue): JaegerTag {
  if (typeof v === 'bigint') return { key, vType: TagType.LONG, vLong: v };
  if (typeof v === 'number') return { key, vType: TagType.DOUBLE, vDouble: v };
  if (typeof v === 'boolean') return { key, vType: TagType.BOOL, vBool: v };
  if (v instanceof Uint8Array) return { key, vType: TagType.BINARY, vBinary: v };
  return { key, vType: TagType.STRING, vStr: text(v) };
}

function jaegerSpan(s: Span): JaegerSpan {
  const tags = Object.entries(s.attributes).map(([k, v]) => tag(k, v));
  const kind = KIND_NAMES[s.kind];
  if (kind && s.kind !== SpanKind.INTERNAL) tags.push(tag('span.kind', kind));
  if (s.scope.name) tags.push(tag('otel.scope.name', s.scope.name));
  if (s.status.code === StatusCode.ERROR) {
    tags.push(tag('error', true));
    if (s.status.message) tags.push(tag('otel.status_description', s.status.message));
  }
  return {
    traceIdHigh: i64(s.traceId.slice(0, 16)),
    traceIdLow: i64(s.traceId.slice(16)),
    spanId: i64(s.spanId),
    parentSpanId: i64(s.parentSpanId),
    operationName: s.name,
    references: [],
    flags: 1,
    startTime: micros(s.startTimeUnixNano),
    duration: micros(s.endTimeUnixNano - s.startTimeUnixNano),
    tags,
    logs: s.events.map((e) => ({
      timestamp: micros(e.timeUnixNano),
      fields: [tag('event', e.name), ...Object.entries(e.attributes).map(([k, v]) => tag(k, v))],
    })),
  };
}

/** Spans grouped by their process (one resource object per service replica), in first-seen order. */
function byProcess(spans: Span[]): Span[][] {
  const groups = new Map<Resource, Span[]>();
  for (const s of spans) {
    const g = groups.get(s.resource);
    if (g) g.push(s);
    else groups.set(s.resource, [s]);
  }
  return [...groups.values()];
}

function batchOf(spans: Span[]): JaegerBatch {
  const attrs = spans[0].resource.attributes;
  return {
    process: {
      serviceName: serviceName(spans[0]),
      tags: Object.entries(attrs)
        .filter(([k]) => k !== 'service.name')
        .map(([k, v]) => tag(k, v)),
    },
    spans: spans.map(jaegerSpan),
  };
}

/** `POST /api/traces` bodies: Thrift-binary Batches of at most `perBatch` spans of one process. */
export function jaegerHttpBodies(spans: Span[], perBatch: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const group of byProcess(spans))
    for (let i = 0; i < group.length; i += perBatch)
      out.push(writeBatch(new BinaryWriter(), batchOf(group.slice(i, i + perBatch))).bytes());
  return out;
}

export interface Datagrams {
  packets: Uint8Array[];
  /** Spans in each packet. */
  spans: number[];
}

/** Compact `emitBatch` datagrams of one process each, every one under `maxBytes`, as the agent's clients cap them. */
export function jaegerCompactDatagrams(spans: Span[], maxBytes: number): Datagrams {
  const out: Datagrams = { packets: [], spans: [] };
  for (const group of byProcess(spans)) {
    let i = 0;
    let guess = 64;
    while (i < group.length) {
      const n = Math.min(guess, group.length - i);
      const bytes = emitBatch(new CompactWriter(), batchOf(group.slice(i, i + n)));
      if (bytes.length >= maxBytes) {
        if (n === 1) throw new Error(`one span encodes to ${bytes.length} bytes, over ${maxBytes}`);
        guess = Math.max(1, Math.floor((n * maxBytes * 0.95) / bytes.length));
        continue;
      }
      out.packets.push(bytes);
      out.spans.push(n);
      i += n;
      // Grow toward the cap: fuller datagrams, fewer of them.
      guess = Math.max(1, Math.floor((n * maxBytes * 0.95) / bytes.length));
    }
  }
  return out;
}
