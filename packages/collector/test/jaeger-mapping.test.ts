/** Jaeger Thrift → model spans, by the rules of the OTel Collector's Jaeger translator. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SpanKind, StatusCode } from '@genba/model';
import {
  type JaegerBatch,
  type JaegerSpan,
  type JaegerTag,
  SpanRefType,
  TagType,
} from '../src/receivers/jaeger/jaeger-thrift-decoder.ts';
import { jaegerBatchToSpans } from '../src/receivers/jaeger/jaeger-to-spans.ts';
import { partitionValid } from '../src/valid-spans.ts';

const str = (key: string, vStr: string): JaegerTag => ({ key, vType: TagType.STRING, vStr });
const bool = (key: string, vBool: boolean): JaegerTag => ({ key, vType: TagType.BOOL, vBool });
const long = (key: string, vLong: bigint): JaegerTag => ({ key, vType: TagType.LONG, vLong });

function jspan(over: Partial<JaegerSpan> = {}): JaegerSpan {
  return {
    traceIdLow: 0x1111n,
    traceIdHigh: 0n,
    spanId: 0x22n,
    parentSpanId: 0n,
    operationName: 'op',
    references: [],
    flags: 1,
    startTime: 1_000_000n,
    duration: 250n,
    tags: [],
    logs: [],
    ...over,
  };
}

function one(span: JaegerSpan, process = { serviceName: 'svc', tags: [] as JaegerTag[] }) {
  const [s] = jaegerBatchToSpans({ process, spans: [span] });
  return s;
}

describe('ids and times', () => {
  test('trace id from high and low halves as unsigned hex; 64-bit ids are left-padded', () => {
    assert.equal(
      one(jspan({ traceIdHigh: -1n, traceIdLow: 1n })).traceId,
      'ffffffffffffffff0000000000000001',
    );
    assert.equal(one(jspan()).traceId, '00000000000000000000000000001111');
    assert.equal(one(jspan({ spanId: -2n })).spanId, 'fffffffffffffffe');
  });

  test('µs start and duration become ns; a negative duration does not end before the start', () => {
    const s = one(jspan({ startTime: 1_700_000_000_123_456n, duration: 789n }));
    assert.equal(s.startTimeUnixNano, 1_700_000_000_123_456_000n);
    assert.equal(s.endTimeUnixNano, 1_700_000_000_124_245_000n);
    const neg = one(jspan({ startTime: 5n, duration: -100n }));
    assert.equal(neg.endTimeUnixNano, neg.startTimeUnixNano);
  });

  test('spans with zero ids are kept for partitionValid to split off', () => {
    const spans = jaegerBatchToSpans({ spans: [jspan(), jspan({ traceIdLow: 0n }), jspan({ spanId: 0n })] });
    const { valid, rejected } = partitionValid(spans);
    assert.equal(valid.length, 1);
    assert.equal(rejected, 2);
  });
});

describe('parents and links', () => {
  const sameTrace = { traceIdLow: 0x1111n, traceIdHigh: 0n };
  test('parentSpanId wins; references other than that CHILD_OF become links', () => {
    const s = one(
      jspan({
        parentSpanId: 0x33n,
        references: [
          { refType: SpanRefType.CHILD_OF, ...sameTrace, spanId: 0x33n },
          { refType: SpanRefType.FOLLOWS_FROM, ...sameTrace, spanId: 0x44n },
        ],
      }),
    );
    assert.equal(s.parentSpanId, '0000000000000033');
    assert.deepEqual(
      s.links.map((l) => [l.spanId, l.attributes['opentracing.ref_type']]),
      [['0000000000000044', 'follows_from']],
    );
  });

  test('without parentSpanId, the first same-trace CHILD_OF reference is the parent', () => {
    const s = one(
      jspan({
        references: [
          { refType: SpanRefType.CHILD_OF, traceIdLow: 9n, traceIdHigh: 0n, spanId: 0x55n }, // other trace
          { refType: SpanRefType.FOLLOWS_FROM, ...sameTrace, spanId: 0x44n },
          { refType: SpanRefType.CHILD_OF, ...sameTrace, spanId: 0x66n },
        ],
      }),
    );
    assert.equal(s.parentSpanId, '0000000000000066');
    assert.deepEqual(
      s.links.map((l) => [l.traceId, l.spanId, l.attributes['opentracing.ref_type']]),
      [
        ['00000000000000000000000000000009', '0000000000000055', 'child_of'],
        ['00000000000000000000000000001111', '0000000000000044', 'follows_from'],
      ],
    );
  });

  test('a lone same-trace FOLLOWS_FROM is the parent (as in the Collector) and stays a link', () => {
    const s = one(
      jspan({ references: [{ refType: SpanRefType.FOLLOWS_FROM, ...sameTrace, spanId: 0x44n }] }),
    );
    assert.equal(s.parentSpanId, '0000000000000044');
    assert.equal(s.links.length, 1);
  });

  test('no parent and no references: a root without links', () => {
    const s = one(jspan());
    assert.equal(s.parentSpanId, '');
    assert.deepEqual(s.links, []);
  });
});

describe('tags', () => {
  test('types are kept: string, bool, long → bigint, double → number, binary → Uint8Array', () => {
    const s = one(
      jspan({
        tags: [
          str('s', 'text'),
          bool('b', true),
          long('l', 9_007_199_254_740_993n),
          { key: 'd', vType: TagType.DOUBLE, vDouble: 3 },
          { key: 'bin', vType: TagType.BINARY, vBinary: new Uint8Array([1, 2]) },
          { key: 'odd', vType: 9 },
        ],
      }),
    );
    assert.deepEqual(s.attributes, {
      s: 'text',
      b: true,
      l: 9_007_199_254_740_993n,
      d: 3,
      bin: new Uint8Array([1, 2]),
      odd: '<Unknown Jaeger TagType 9>',
    });
  });

  test('span.kind sets the kind and is removed; an unknown value leaves it unspecified', () => {
    const kinds = ['client', 'server', 'producer', 'consumer', 'internal', 'bogus', 'constructor'];
    const got = kinds.map((k) => one(jspan({ tags: [str('span.kind', k)] })));
    assert.deepEqual(
      got.map((s) => s.kind),
      [
        SpanKind.CLIENT,
        SpanKind.SERVER,
        SpanKind.PRODUCER,
        SpanKind.CONSUMER,
        SpanKind.INTERNAL,
        SpanKind.UNSPECIFIED,
        SpanKind.UNSPECIFIED,
      ],
    );
    for (const s of got) assert.deepEqual(s.attributes, {});
  });

  test('a tag named __proto__ stays an ordinary attribute', () => {
    const s = one(jspan({ tags: [str('__proto__', 'x'), str('a', 'b')] }));
    assert.deepEqual(Object.keys(s.attributes), ['__proto__', 'a']);
    assert.equal(Object.getPrototypeOf(s.attributes), Object.prototype);
  });

  test('w3c.tracestate becomes the trace state', () => {
    const s = one(jspan({ tags: [str('w3c.tracestate', 'vendor=1')] }));
    assert.equal(s.traceState, 'vendor=1');
    assert.deepEqual(s.attributes, {});
  });
});

describe('status', () => {
  const status = (...tags: JaegerTag[]) => {
    const s = one(jspan({ tags }));
    return { code: s.status.code, message: s.status.message, attributes: s.attributes };
  };

  test('error=true is an error, with otel.status_description as its message', () => {
    assert.deepEqual(status(bool('error', true), str('otel.status_description', 'boom')), {
      code: StatusCode.ERROR,
      message: 'boom',
      attributes: {},
    });
  });

  test('error=false is only an attribute', () => {
    assert.deepEqual(status(bool('error', false)), {
      code: StatusCode.UNSET,
      message: '',
      attributes: { error: false },
    });
  });

  test('otel.status_code OK / ERROR, removed; error=true beats it', () => {
    assert.deepEqual(status(str('otel.status_code', 'OK')), {
      code: StatusCode.OK,
      message: '',
      attributes: {},
    });
    assert.deepEqual(status(str('otel.status_code', 'ERROR'), str('otel.status_description', 'bad')), {
      code: StatusCode.ERROR,
      message: 'bad',
      attributes: {},
    });
    assert.deepEqual(status(bool('error', true), str('otel.status_code', 'OK')), {
      code: StatusCode.ERROR,
      message: '',
      attributes: {},
    });
  });

  test('without those, http.status_code decides: 5xx errors; 4xx only for a client', () => {
    const http = (code: JaegerTag, kind: string) =>
      one(jspan({ tags: [code, str('span.kind', kind), str('http.status_message', 'msg')] })).status;
    assert.deepEqual(http(long('http.status_code', 503n), 'server'), {
      code: StatusCode.ERROR,
      message: 'msg',
    });
    assert.deepEqual(http(str('http.status_code', '404'), 'client'), {
      code: StatusCode.ERROR,
      message: 'msg',
    });
    assert.deepEqual(http(long('http.status_code', 404n), 'server'), { code: StatusCode.UNSET, message: '' });
    assert.deepEqual(http(long('http.status_code', 200n), 'client'), { code: StatusCode.UNSET, message: '' });
  });
});

describe('resource, scope and events', () => {
  test('process: service.name and tags on one shared resource; hostname and jaeger.version renamed', () => {
    const batch: JaegerBatch = {
      process: {
        serviceName: 'cart',
        tags: [str('hostname', 'h1'), str('jaeger.version', 'Node-3.19.0'), str('ip', '10.0.0.1')],
      },
      spans: [jspan(), jspan({ spanId: 0x23n })],
    };
    const [a, b] = jaegerBatchToSpans(batch);
    assert.deepEqual(a.resource.attributes, {
      'service.name': 'cart',
      ip: '10.0.0.1',
      'host.name': 'h1',
      'opencensus.exporterversion': 'Jaeger-Node-3.19.0',
    });
    assert.equal(a.resource, b.resource);
  });

  test('no process: no service.name', () => {
    const [s] = jaegerBatchToSpans({ spans: [jspan()] });
    assert.deepEqual(s.resource.attributes, {});
  });

  test('otel.library.* / otel.scope.* tags name the scope, shared by spans of one library', () => {
    const lib = [str('otel.library.name', 'http-lib'), str('otel.library.version', '1.2')];
    const [a, b, c] = jaegerBatchToSpans({
      spans: [
        jspan({ tags: lib }),
        jspan({ tags: [...lib, str('k', 'v')] }),
        jspan({ tags: [str('otel.scope.name', 'db')] }),
      ],
    });
    assert.deepEqual(
      [a.scope.name, a.scope.version, c.scope.name, c.scope.version],
      ['http-lib', '1.2', 'db', ''],
    );
    assert.equal(a.scope, b.scope);
    assert.deepEqual(b.attributes, { k: 'v' });
  });

  test('logs are events named by their event field (else their message), at ns times', () => {
    const s = one(
      jspan({
        logs: [
          { timestamp: 1_000_100n, fields: [str('event', 'retry'), long('attempt', 2n)] },
          { timestamp: 1_000_200n, fields: [str('message', 'just a message')] },
          { timestamp: 1_000_300n, fields: [] },
        ],
      }),
    );
    assert.deepEqual(s.events, [
      { timeUnixNano: 1_000_100_000n, name: 'retry', attributes: { attempt: 2n }, droppedAttributesCount: 0 },
      {
        timeUnixNano: 1_000_200_000n,
        name: 'just a message',
        attributes: { message: 'just a message' },
        droppedAttributesCount: 0,
      },
      { timeUnixNano: 1_000_300_000n, name: '', attributes: {}, droppedAttributesCount: 0 },
    ]);
  });
});
