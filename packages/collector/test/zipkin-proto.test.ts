/**
 * zipkin.proto3 ListOfSpans: the same spans sent as JSON and as protobuf (encoded here by a
 * small test-only writer) must reach the consumer identical.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { Span } from '@genba/model';
import type { ListeningReceiver } from '../src/component.ts';
import { Metrics } from '../src/metrics.ts';
import { createZipkinReceiver } from '../src/receivers/zipkin/zipkin-receiver.ts';

// ---- a minimal proto3 writer, enough for zipkin.proto3 ----

type JsonEndpoint = { serviceName?: string; ipv4?: string; ipv6?: string; port?: number };
type JsonSpan = {
  traceId: string;
  id: string;
  parentId?: string;
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  name?: string;
  timestamp?: number;
  duration?: number;
  localEndpoint?: JsonEndpoint;
  remoteEndpoint?: JsonEndpoint;
  annotations?: { timestamp: number; value: string }[];
  tags?: Record<string, string>;
  debug?: boolean;
  shared?: boolean;
};

class Writer {
  readonly bytes: number[] = [];
  varint(v: bigint | number): this {
    let n = BigInt(v);
    while (n >= 0x80n) {
      this.bytes.push(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    this.bytes.push(Number(n));
    return this;
  }
  tag(field: number, wire: number): this {
    return this.varint((field << 3) | wire);
  }
  len(field: number, data: Uint8Array | number[]): this {
    this.tag(field, 2).varint(data.length);
    this.bytes.push(...data);
    return this;
  }
  str(field: number, s: string | undefined): this {
    return s ? this.len(field, [...Buffer.from(s, 'utf8')]) : this;
  }
  fixed64(field: number, v: number | undefined): this {
    if (!v) return this;
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    return this.tag(field, 1).len0(b);
  }
  private len0(b: Buffer): this {
    this.bytes.push(...b);
    return this;
  }
}

const hex = (s: string) => [...Buffer.from(s, 'hex')];
const KIND = { CLIENT: 1, SERVER: 2, PRODUCER: 3, CONSUMER: 4 };

function ipv6Bytes(text: string): number[] {
  const [head, tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
}

function endpoint(e: JsonEndpoint): number[] {
  const w = new Writer().str(1, e.serviceName);
  if (e.ipv4) w.len(2, e.ipv4.split('.').map(Number));
  if (e.ipv6) w.len(3, ipv6Bytes(e.ipv6));
  if (e.port) w.tag(4, 0).varint(e.port);
  return w.bytes;
}

function encodeSpan(s: JsonSpan, extra?: (w: Writer) => void): number[] {
  const w = new Writer().len(1, hex(s.traceId));
  if (s.parentId) w.len(2, hex(s.parentId));
  w.len(3, hex(s.id));
  if (s.kind) w.tag(4, 0).varint(KIND[s.kind]);
  w.str(5, s.name).fixed64(6, s.timestamp);
  if (s.duration) w.tag(7, 0).varint(s.duration);
  if (s.localEndpoint) w.len(8, endpoint(s.localEndpoint));
  if (s.remoteEndpoint) w.len(9, endpoint(s.remoteEndpoint));
  for (const a of s.annotations ?? []) w.len(10, new Writer().fixed64(1, a.timestamp).str(2, a.value).bytes);
  for (const [k, v] of Object.entries(s.tags ?? {})) w.len(11, new Writer().str(1, k).str(2, v).bytes);
  if (s.debug) w.tag(12, 0).varint(1);
  if (s.shared) w.tag(13, 0).varint(1);
  extra?.(w);
  return w.bytes;
}

function encodeList(spans: JsonSpan[], extra?: (w: Writer) => void): Uint8Array {
  const w = new Writer();
  for (const s of spans) w.len(1, encodeSpan(s, extra));
  return Uint8Array.from(w.bytes);
}

// ---- the receiver ----

let captured: Span[] = [];
let receiver: ListeningReceiver;
before(async () => {
  receiver = await createZipkinReceiver(
    { endpoint: '127.0.0.1:0' },
    {
      consume: async (spans) => {
        captured.push(...spans);
      },
    },
    { metrics: new Metrics(), log: { warn: () => {}, info: () => {} } },
  );
});
after(() => receiver.shutdown());

async function send(body: string | Uint8Array, headers: Record<string, string>): Promise<Span[]> {
  captured = [];
  const res = await fetch(`${receiver.endpoints.http}/api/v2/spans`, { method: 'POST', body, headers });
  assert.equal(res.status, 202, await res.text());
  return captured;
}

const t0 = 1_700_000_000_123_456;
const SPANS: JsonSpan[] = [
  {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    id: '00f067aa0ba902b7',
    kind: 'SERVER',
    name: 'get /cart',
    timestamp: t0,
    duration: 25_000,
    localEndpoint: { serviceName: 'frontend', ipv4: '10.0.0.5', port: 8080 },
    remoteEndpoint: { ipv6: '2001:db8::c001', port: 443 },
    annotations: [
      { timestamp: t0 + 10, value: 'ws' },
      { timestamp: t0 + 20, value: 'exception|{"exception.type":"IOError","retries":2}|1' },
    ],
    tags: {
      'http.method': 'GET',
      'host.name': 'web-1',
      'otel.library.name': 'io.opentelemetry.http',
      'otel.library.version': '1.2.3',
      'otel.status_code': 'STATUS_CODE_ERROR',
      'otel.status_description': 'upstream timeout',
    },
    shared: true,
  },
  {
    traceId: 'a3ce929d0e0e4736',
    id: '1111111111111111',
    parentId: '00f067aa0ba902b7',
    kind: 'PRODUCER',
    name: 'send',
    timestamp: t0 + 100,
    duration: 7,
    localEndpoint: { serviceName: 'frontend', ipv4: '10.0.0.5' },
    remoteEndpoint: { serviceName: 'kafka', ipv4: '10.9.9.9', port: 9092 },
    tags: { error: 'true', 'messaging.system': 'kafka' },
    debug: true,
  },
  {
    traceId: 'a3ce929d0e0e4736',
    id: '2222222222222222',
    parentId: '1111111111111111',
    kind: 'CONSUMER',
    name: 'receive',
    duration: 3,
    localEndpoint: { serviceName: 'worker' },
    tags: { 'w3c.tracestate': 'rojo=00f067aa0ba902b7' },
  },
  { traceId: 'a3ce929d0e0e4736', id: '3333333333333333', name: 'client-call', kind: 'CLIENT', timestamp: t0 },
];

test('proto3 and JSON bodies of the same spans map to the same Genba spans', async () => {
  const fromJson = await send(JSON.stringify(SPANS), { 'content-type': 'application/json' });
  const fromProto = await send(encodeList(SPANS), { 'content-type': 'application/x-protobuf' });
  assert.equal(fromJson.length, SPANS.length);
  assert.deepEqual(fromProto, fromJson);

  // Spot checks that the shared mapping did what both forms rely on.
  const [server, producer, consumer, client] = fromProto;
  assert.equal(server.attributes['network.peer.address'], '2001:db8::c001');
  assert.equal(server.attributes['network.local.address'], '10.0.0.5');
  assert.equal(server.attributes['zipkin.shared'], true);
  assert.equal(server.scope.name, 'io.opentelemetry.http');
  assert.equal(server.resource.attributes['host.name'], 'web-1');
  assert.deepEqual(server.events[1], {
    timeUnixNano: BigInt(t0 + 20) * 1000n,
    name: 'exception',
    attributes: { 'exception.type': 'IOError', retries: 2n },
    droppedAttributesCount: 1,
  });
  assert.deepEqual(server.status, { code: 2, message: 'upstream timeout' });
  assert.deepEqual(producer.status, { code: 2, message: '' });
  assert.equal(producer.attributes.error, undefined, 'error=true only sets the status');
  assert.equal(producer.traceId, '0000000000000000a3ce929d0e0e4736');
  assert.equal(producer.attributes['zipkin.debug'], true);
  assert.equal(consumer.traceState, 'rojo=00f067aa0ba902b7');
  assert.equal(consumer.attributes['otel.zipkin.absentField.startTime'], true);
  assert.equal(client.endTimeUnixNano, client.startTimeUnixNano);
});

test('proto3: gzip, unknown fields skipped, X-B3-Flags: 1 marks every span debug', async () => {
  const unknown = (w: Writer) => {
    w.tag(99, 0).varint(7); // varint
    w.len(100, [1, 2, 3]); // length-delimited
    w.tag(101, 5).bytes.push(0, 0, 0, 0); // fixed32
  };
  const spans = await send(gzipSync(encodeList([SPANS[3]], unknown)), {
    'content-type': 'application/x-protobuf',
    'content-encoding': 'gzip',
    'x-b3-flags': '1',
  });
  assert.equal(spans.length, 1);
  assert.equal(spans[0].name, 'client-call');
  assert.equal(spans[0].attributes['zipkin.debug'], true);
});

test('proto3: an empty ListOfSpans (zero bytes) is accepted with nothing consumed', async () => {
  const spans = await send(new Uint8Array(0), { 'content-type': 'application/x-protobuf' });
  assert.deepEqual(spans, []);
});
