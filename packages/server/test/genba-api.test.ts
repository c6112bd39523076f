// The /api/genba analysis routes against a real server: spans in by OTLP/HTTP, answers checked
// exactly in µs against traces whose timings are known.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Span } from '@genba/model';
import { emptyScope, emptySpan, SpanKind, StatusCode } from '@genba/model';
import { encodeTraceRequest } from '@genba/otlp';
import { getJson, withTempServer } from './helpers.ts';

const MS = 1_000_000n;
const NOW = BigInt(Date.now()) * MS;
const BEFORE_START = NOW - 40n * 60_000n * MS;
const AFTER_START = NOW - 20n * 60_000n * MS;
const us = (ns: bigint) => Number(ns / 1000n);

let counter = 0;
function id(bytes: number): string {
  counter++;
  return (BigInt(counter) * 0x9e3779b97f4a7c15n)
    .toString(16)
    .slice(-bytes * 2)
    .padStart(bytes * 2, '1');
}

function span(
  traceId: string,
  service: string,
  name: string,
  kind: number,
  start: bigint,
  ms: number,
  parent?: Span,
): Span {
  const s = emptySpan(
    { attributes: { 'service.name': service }, droppedAttributesCount: 0, schemaUrl: '' },
    emptyScope(),
  );
  s.traceId = traceId;
  s.spanId = id(8);
  s.parentSpanId = parent?.spanId ?? '';
  s.name = name;
  s.kind = kind as Span['kind'];
  s.startTimeUnixNano = start;
  s.endTimeUnixNano = start + BigInt(Math.round(ms * 1000)) * 1000n;
  return s;
}

/** gateway (SERVER) → CLIENT → orders (SERVER) → inventory (SERVER) taking `inventoryMs`. */
function order(start: bigint, inventoryMs: number, declined = false): Span[] {
  const t = id(16);
  const root = span(t, 'gateway', 'POST /orders', SpanKind.SERVER, start, 20 + inventoryMs);
  const call = span(t, 'gateway', 'POST orders', SpanKind.CLIENT, start + 2n * MS, 16 + inventoryMs, root);
  const orders = span(t, 'orders', 'create', SpanKind.SERVER, start + 4n * MS, 12 + inventoryMs, call);
  const inv = span(t, 'inventory', 'reserve', SpanKind.SERVER, start + 6n * MS, inventoryMs, orders);
  const out = [root, call, orders, inv];
  if (declined) {
    const pay = span(t, 'payments', 'charge', SpanKind.SERVER, start + 7n * MS, 1, orders);
    pay.status = { code: StatusCode.ERROR, message: `card ${counter} declined` };
    out.push(pay);
  }
  return out;
}

let server: Awaited<ReturnType<typeof withTempServer>>;
const beforeTraces: Span[][] = [];
const afterTraces: Span[][] = [];
let extreme: Span[];

async function send(spans: Span[]): Promise<void> {
  const res = await fetch(`${server.urls.otlpHttp}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body: encodeTraceRequest(spans),
  });
  assert.equal(res.status, 200);
}

async function api(path: string): Promise<any> {
  const { status, body } = await getJson(`${server.urls.query}${path}`);
  assert.equal(status, 200, JSON.stringify(body));
  return body.data;
}

before(async () => {
  server = await withTempServer();
  for (let i = 0; i < 30; i++)
    beforeTraces.push(order(BEFORE_START + BigInt(i) * 20_000n * MS, 200, i % 10 === 0));
  for (let i = 0; i < 30; i++) afterTraces.push(order(AFTER_START + BigInt(i) * 20_000n * MS, 10));
  extreme = order(AFTER_START + 700_000n * MS, 2000);
  await send([...beforeTraces, ...afterTraces, extreme].flat());
});

after(async () => {
  await server?.close();
});

describe('/api/genba', () => {
  test('critical path: epoch µs sections, ascending, merged per span', async () => {
    const [root, call, orders, inv] = afterTraces[0];
    const data = await api(`/api/genba/traces/${root.traceId}/critical-path`);
    const s = (sp: Span, a: bigint, b: bigint) => ({ spanID: sp.spanId, startTime: us(a), endTime: us(b) });
    assert.deepEqual(data, [
      s(root, root.startTimeUnixNano, call.startTimeUnixNano),
      s(call, call.startTimeUnixNano, orders.startTimeUnixNano),
      s(orders, orders.startTimeUnixNano, inv.startTimeUnixNano),
      s(inv, inv.startTimeUnixNano, inv.endTimeUnixNano),
      s(orders, inv.endTimeUnixNano, orders.endTimeUnixNano),
      s(call, orders.endTimeUnixNano, call.endTimeUnixNano),
      s(root, call.endTimeUnixNano, root.endTimeUnixNano),
    ]);
  });

  test('trace analysis: the exact shape, categories summing to the latency, the bottleneck', async () => {
    const trace = beforeTraces[1];
    const data = await api(`/api/genba/traces/${trace[0].traceId}/analysis`);
    assert.deepEqual(Object.keys(data).sort(), [
      'anomaly',
      'bottleneck',
      'categories',
      'components',
      'rootOperation',
      'rootService',
      'startTime',
      'totalLatency',
      'traceID',
      'valueAddedRatio',
    ]);
    assert.equal(data.traceID, trace[0].traceId);
    assert.equal(data.totalLatency, 220_000);
    // 4 ms of the CLIENT outside orders' SERVER is transport; the rest is processing.
    assert.deepEqual(data.categories, { processing: 216_000, waiting: 0, transport: 4_000, defect: 0 });
    assert.deepEqual(data.components, { gateway: 8_000, orders: 12_000, inventory: 200_000 });
    assert.equal(data.bottleneck, 'inventory');
    assert.equal(data.valueAddedRatio, 216 / 220);
    assert.deepEqual(Object.keys(data.anomaly).sort(), ['detected', 'reason', 'threshold']);
    assert.equal(data.anomaly.detected, false);
  });

  test('an anomaly: over 1.5 × P95 of the same root service and operation, with the reason', async () => {
    const data = await api(`/api/genba/traces/${extreme[0].traceId}/analysis`);
    assert.equal(data.anomaly.detected, true);
    assert.ok(
      data.anomaly.threshold > 200_000 && data.anomaly.threshold < 400_000,
      String(data.anomaly.threshold),
    );
    assert.match(data.anomaly.reason, /× the P95 of .* for gateway POST \/orders .*inventory/);
    const list = await api(`/api/genba/anomalies?service=gateway&start=${us(BEFORE_START)}&end=${us(NOW)}`);
    assert.deepEqual(
      list.map((a: { traceID: string }) => a.traceID),
      [extreme[0].traceId],
    );
  });

  test('value stream over a window, components and buckets', async () => {
    const q = `service=gateway&start=${us(BEFORE_START)}&end=${us(AFTER_START) - 1}&buckets=4`;
    const data = await api(`/api/genba/value-stream?${q}`);
    assert.equal(data.traceCount, 30);
    assert.equal(data.bottleneck, 'inventory');
    const c = data.categories;
    assert.equal(c.processing + c.waiting + c.transport + c.defect, data.totalLatency);
    assert.equal(data.buckets.length, 4);
    assert.equal(
      data.buckets.reduce((t: number, b: { traceCount: number }) => t + b.traceCount, 0),
      30,
    );
    // Traffic fills only the first half of the window: the other buckets' share goes to the full ones.
    const capped = await api(`/api/genba/value-stream?${q}&limit=20`);
    assert.equal(capped.traceCount, 20);
    const comps = await api(`/api/genba/components?${q}`);
    assert.deepEqual(comps, data.components);
    assert.equal(comps[0].component, 'inventory');
    assert.equal(comps[0].p50, 200_000);
    // A downstream service's own stream starts at its entry span.
    const orders = await api(
      `/api/genba/value-stream?service=orders&start=${us(BEFORE_START)}&end=${us(AFTER_START)}`,
    );
    assert.equal(orders.latency.p50, 212_000);
  });

  test('before/after shows the improvement once the slow component is restored', async () => {
    const q = [
      'service=gateway',
      `beforeStart=${us(BEFORE_START)}`,
      `beforeEnd=${us(AFTER_START - 1n)}`,
      `afterStart=${us(AFTER_START)}`,
      `afterEnd=${us(AFTER_START + 600_000n * MS)}`,
    ].join('&');
    const data = await api(`/api/genba/value-stream/compare?${q}`);
    assert.equal(data.before.traceCount, 30);
    assert.equal(data.after.traceCount, 30);
    const inv = data.components.find((c: { component: string }) => c.component === 'inventory');
    assert.equal(inv.perTrace.delta, -190_000);
    assert.equal(data.components[0].component, 'inventory');
    assert.ok(data.latencyP95.delta < -150_000);
    assert.ok(data.valueAddedRatio.delta < 0, 'less inventory work means a smaller processing share');
  });

  test('errors, diff and the Jaeger dependencies route', async () => {
    const errors = await api(`/api/genba/errors?service=payments&start=${us(BEFORE_START)}&end=${us(NOW)}`);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].messagePattern, 'card <n> declined');
    assert.equal(errors[0].count, 3);
    assert.equal(errors[0].exampleTraceIDs.length, 3);

    const diff = await api(`/api/genba/diff?a=${beforeTraces[1][0].traceId}&b=${afterTraces[1][0].traceId}`);
    const inv = diff.common.find((p: { path: string }) => p.path.endsWith('inventory:reserve'));
    assert.equal(inv.delta, -190_000);
    assert.deepEqual(diff.onlyInA, []);

    const end = Number(NOW / MS) + 1;
    const { body } = await getJson(`${server.urls.query}/api/dependencies?endTs=${end}&lookback=3600000`);
    const edges = body.data.map(
      (d: { parent: string; child: string; callCount: number }) => `${d.parent}>${d.child}:${d.callCount}`,
    );
    assert.deepEqual(edges.sort(), ['gateway>orders:61', 'orders>inventory:61', 'orders>payments:3']);
    const withLatency = await api(`/api/genba/dependencies?start=${us(BEFORE_START)}&end=${us(NOW)}`);
    const inv2 = withLatency.find((d: { child: string }) => d.child === 'inventory');
    // 30 calls of 200 ms, 30 of 10 ms and one of 2 s: the median is 200 ms, within the histogram's 4.4 %.
    assert.equal(inv2.callCount, 61);
    assert.ok(Math.abs(inv2.p50 - 200_000) <= 200_000 * 0.044, String(inv2.p50));
    assert.ok(Math.abs(inv2.p95 - 200_000) <= 200_000 * 0.044, String(inv2.p95));
    assert.equal(withLatency.find((d: { child: string }) => d.child === 'payments').errorCount, 3);
  });

  test('bad input gets a 4xx that names the problem', async () => {
    const cases: [string, number, RegExp][] = [
      ['/api/genba/value-stream', 400, /parameter 'service' is required/],
      [
        '/api/genba/value-stream?service=x&buckets=9999',
        400,
        /'buckets' must be a whole number from 0 to 500/,
      ],
      ['/api/genba/value-stream?service=x&start=yesterday', 400, /'start' must be a time in microseconds/],
      ['/api/genba/value-stream/compare?service=x', 400, /'beforeStart' is required/],
      ['/api/genba/traces/zz-not-hex/analysis', 400, /malformed traceID/],
      [`/api/genba/traces/${'ab'.repeat(16)}/critical-path`, 404, /not found/],
      ['/api/genba/diff?a=12', 400, /parameter 'b' is required/],
    ];
    for (const [path, status, message] of cases) {
      const { status: got, body } = await getJson(`${server.urls.query}${path}`);
      assert.equal(got, status, path);
      assert.match(body.errors[0].msg, message, path);
    }
  });
});
