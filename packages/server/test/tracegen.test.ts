import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { Span } from '@genba/model';
import { SpanKind, StatusCode } from '@genba/model';
import { decodeTraceRequest } from '@genba/otlp';
import { generateTrace, mulberry32, runTracegen } from '../src/tracegen/index.ts';

const T0 = 1_700_000_000_000_000_000n;
const service = (s: Span) => s.resource.attributes['service.name'] as string;

function traces(seed: number, n: number): Span[][] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => generateTrace(rng, T0 + BigInt(i) * 1_000_000_000n));
}

const MANY = traces(1234, 1000);

test('mulberry32 is deterministic and in [0, 1)', () => {
  const a = mulberry32(9);
  const b = mulberry32(9);
  for (let i = 0; i < 1000; i++) {
    const x = a();
    assert.equal(x, b());
    assert.ok(x >= 0 && x < 1);
  }
  assert.notEqual(mulberry32(1)(), mulberry32(2)());
});

test('a seed replays the same trace; another seed gives another', () => {
  assert.deepEqual(generateTrace(mulberry32(5), T0), generateTrace(mulberry32(5), T0));
  assert.notDeepEqual(generateTrace(mulberry32(5), T0), generateTrace(mulberry32(6), T0));
});

test('one root, one trace id, unique span ids, every parent present', () => {
  for (const spans of MANY) {
    const roots = spans.filter((s) => s.parentSpanId === '');
    assert.equal(roots.length, 1);
    assert.equal(roots[0].startTimeUnixNano, spans[0].startTimeUnixNano);
    const ids = new Set(spans.map((s) => s.spanId));
    assert.equal(ids.size, spans.length);
    for (const s of spans) {
      assert.equal(s.traceId, spans[0].traceId);
      assert.match(s.traceId, /^[0-9a-f]{32}$/);
      assert.match(s.spanId, /^[0-9a-f]{16}$/);
      if (s.parentSpanId !== '') assert.ok(ids.has(s.parentSpanId), `parent of ${s.name} missing`);
      assert.ok(s.endTimeUnixNano > s.startTimeUnixNano);
    }
  }
  assert.equal(new Set(MANY.map((t) => t[0].traceId)).size, MANY.length);
});

test('between 4 and 40 spans, with variable fan-out', () => {
  const sizes = MANY.map((t) => t.length);
  assert.ok(
    Math.min(...sizes) >= 4 && Math.max(...sizes) <= 40,
    `${Math.min(...sizes)}..${Math.max(...sizes)}`,
  );
  assert.ok(new Set(sizes).size >= 10, 'sizes should vary');
});

test('children lie within their parent, except consumers fed by a queue', () => {
  let checked = 0;
  for (const spans of MANY) {
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    for (const s of spans) {
      const p = byId.get(s.parentSpanId);
      if (p === undefined || s.kind === SpanKind.CONSUMER) continue;
      checked++;
      assert.ok(s.startTimeUnixNano >= p.startTimeUnixNano && s.endTimeUnixNano <= p.endTimeUnixNano, s.name);
    }
  }
  assert.ok(checked > 10_000);
});

test('HTTP CLIENT spans have one SERVER child in the callee, inside them; servers have a client parent', () => {
  for (const spans of MANY) {
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    for (const s of spans) {
      if (s.kind === SpanKind.CLIENT && s.attributes['http.request.method'] !== undefined) {
        const servers = spans.filter((c) => c.parentSpanId === s.spanId && c.kind === SpanKind.SERVER);
        assert.equal(servers.length, 1);
        assert.notEqual(service(servers[0]), service(s));
        assert.equal(
          servers[0].attributes['http.response.status_code'],
          s.attributes['http.response.status_code'],
        );
        assert.ok(servers[0].startTimeUnixNano > s.startTimeUnixNano);
        assert.ok(servers[0].endTimeUnixNano < s.endTimeUnixNano);
        assert.equal(s.attributes['peer.service'], service(servers[0]));
      }
      if (s.kind === SpanKind.SERVER && s.parentSpanId !== '') {
        assert.equal(byId.get(s.parentSpanId)?.kind, SpanKind.CLIENT);
      }
    }
  }
});

test('services, resources shared per replica, and realistic attributes', () => {
  const services = new Set(MANY.slice(0, 5).flatMap((t) => t.map(service)));
  assert.ok(services.size >= 5, [...services].join());
  for (const spans of MANY.slice(0, 100)) {
    const bySvc = new Map<string, Set<object>>();
    for (const s of spans) bySvc.set(service(s), (bySvc.get(service(s)) ?? new Set()).add(s.resource));
    for (const [svc, set] of bySvc) assert.equal(set.size, 1, `${svc} has one resource object per trace`);
  }
  const all = MANY.flat();
  const r = all[0].resource.attributes;
  for (const k of ['service.name', 'service.version', 'host.name', 'deployment.environment'])
    assert.ok(k in r, k);
  assert.ok(all.every((s) => s.scope.name !== '' && s.scope.version !== ''));
  const servers = all.filter((s) => s.kind === SpanKind.SERVER);
  assert.ok(servers.every((s) => typeof s.attributes['http.response.status_code'] === 'bigint'));
  assert.ok(
    servers.every((s) => typeof s.attributes['http.route'] === 'string' && 'url.path' in s.attributes),
  );
  const dbSystems = new Set(all.map((s) => s.attributes['db.system']).filter(Boolean));
  assert.deepEqual([...dbSystems].sort(), ['postgresql', 'redis']);
  assert.ok(all.some((s) => typeof s.attributes['db.statement'] === 'string'));
  assert.ok(all.some((s) => s.kind === SpanKind.INTERNAL));
  assert.ok(all.some((s) => s.events.some((e) => e.name === 'cache miss')));
});

test('a PRODUCER in one service feeds a CONSUMER child in another through the queue', () => {
  const producers = MANY.flat().filter((s) => s.kind === SpanKind.PRODUCER);
  assert.ok(producers.length > 100);
  for (const spans of MANY) {
    for (const c of spans.filter((s) => s.kind === SpanKind.CONSUMER)) {
      const p = spans.find((s) => s.spanId === c.parentSpanId)!;
      assert.equal(p.kind, SpanKind.PRODUCER);
      assert.notEqual(service(p), service(c));
      assert.equal(c.attributes['messaging.system'], 'kafka');
      assert.ok(c.startTimeUnixNano >= p.endTimeUnixNano);
    }
  }
});

test('about 5% of traces fail: root ERROR with HTTP 500, an exception event in the trace', () => {
  const failed = MANY.filter((t) => t[0].status.code === StatusCode.ERROR);
  const rate = failed.length / MANY.length;
  assert.ok(rate > 0.03 && rate < 0.07, `error rate ${rate}`);
  for (const t of failed) {
    assert.equal(t[0].attributes['http.response.status_code'], 500n);
    const ex = t.flatMap((s) => s.events).filter((e) => e.name === 'exception');
    assert.ok(ex.length > 0);
    for (const e of ex) {
      for (const k of ['exception.type', 'exception.message', 'exception.stacktrace'])
        assert.ok(k in e.attributes);
    }
  }
  const ok = MANY.filter((t) => t[0].status.code !== StatusCode.ERROR);
  assert.ok(ok.every((t) => t[0].attributes['http.response.status_code'] === 200n));
});

test('retries: two same-name CLIENT calls under one parent, the first failed, the second later', () => {
  let retried = 0;
  for (const spans of MANY) {
    const second = spans.filter((s) => s.attributes['http.request.resend_count'] === 1n);
    for (const s of second) {
      const first = spans.find(
        (x) =>
          x !== s && x.parentSpanId === s.parentSpanId && x.name === s.name && x.kind === SpanKind.CLIENT,
      );
      assert.ok(first, 'first attempt');
      assert.equal(first.status.code, StatusCode.ERROR);
      assert.ok(first.endTimeUnixNano <= s.startTimeUnixNano);
      retried++;
    }
  }
  assert.ok(retried > 20 && retried < 200, `${retried} retries`);
});

test('slow paths: a few traces take many times the usual time for their route', () => {
  const byRoute = new Map<string, number[]>();
  for (const t of MANY) {
    const d = Number(t[0].endTimeUnixNano - t[0].startTimeUnixNano);
    byRoute.set(t[0].name, [...(byRoute.get(t[0].name) ?? []), d]);
  }
  let slow = 0;
  for (const ds of byRoute.values()) {
    const median = [...ds].sort((a, b) => a - b)[ds.length >> 1];
    slow += ds.filter((d) => d > 4 * median).length;
  }
  assert.ok(slow > 5 && slow < 100, `${slow} slow traces`);
});

// ---- sender ----

interface Received {
  bodies: Buffer[];
  types: string[];
  times: number[];
}

async function withServer(
  status: number,
  fn: (endpoint: string, got: Received) => Promise<void>,
): Promise<void> {
  const got: Received = { bodies: [], types: [], times: [] };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        got.bodies.push(Buffer.concat(chunks));
        got.types.push(req.headers['content-type'] ?? '');
        got.times.push(performance.now());
      }
      res.writeHead(status, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    await fn(`http://127.0.0.1:${port}`, got);
  } finally {
    server.close();
    server.closeAllConnections();
  }
}

const key = (s: Span) => `${s.traceId}/${s.spanId}`;

test('sender: posts protobuf batches that decode to the generated spans, at about the rate', async () => {
  await withServer(200, async (endpoint, got) => {
    const sent: Span[] = [];
    const generate = (rng: () => number, t: bigint) => {
      const spans = generateTrace(rng, t);
      sent.push(...spans);
      return spans;
    };
    const progress: number[] = [];
    const t0 = performance.now();
    const r = await runTracegen({
      endpoint,
      rate: 40,
      durationMs: 1000,
      seed: 3,
      generate,
      onProgress: (p) => progress.push(p.traces),
    });
    const elapsed = performance.now() - t0;
    assert.equal(r.failed, 0);
    assert.equal(r.traces, 40);
    assert.equal(r.spans, sent.length);
    assert.equal(r.traceIds.length, 40);
    assert.ok(elapsed > 800 && elapsed < 5000, `took ${elapsed} ms`);
    assert.ok(got.bodies.length >= 5, `${got.bodies.length} requests: traces go out in small batches`);
    assert.ok(got.times.at(-1)! - got.times[0] > 500, 'batches are spread over the run');
    assert.ok(got.types.every((t) => t === 'application/x-protobuf'));
    assert.equal(progress.at(-1), 40);

    const decoded = got.bodies.flatMap((b) => decodeTraceRequest(new Uint8Array(b)));
    assert.equal(decoded.length, sent.length);
    const byKey = new Map(decoded.map((s) => [key(s), s]));
    for (const s of sent) assert.deepEqual(byKey.get(key(s)), s);
    assert.deepEqual(new Set(r.traceIds), new Set(sent.map((s) => s.traceId)));
    // Start times are live: within the run, not the test's fixed epoch.
    const now = BigInt(Date.now()) * 1_000_000n;
    assert.ok(sent.every((s) => s.startTimeUnixNano > now - 60_000_000_000n));
  });
});

test('sender: non-2xx answers and network errors are counted, not thrown', async () => {
  await withServer(503, async (endpoint) => {
    const r = await runTracegen({ endpoint, rate: 50, durationMs: 300, seed: 1 });
    assert.equal(r.traces, 0);
    assert.equal(r.failed, 15);
    assert.deepEqual(r.traceIds, []);
  });
  // A port nobody listens on: bind, read the port, close.
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as AddressInfo;
  s.close();
  await once(s, 'close');
  const r = await runTracegen({ endpoint: `http://127.0.0.1:${port}`, rate: 20, durationMs: 200, seed: 1 });
  assert.equal(r.traces, 0);
  assert.equal(r.failed, 4);
});

test('sender: an abort stops the run early', async () => {
  await withServer(200, async (endpoint) => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const t0 = performance.now();
    const r = await runTracegen({ endpoint, rate: 100, durationMs: 10_000, signal: ac.signal, seed: 2 });
    assert.ok(performance.now() - t0 < 3000);
    assert.ok(r.traces > 0 && r.traces < 1000, `${r.traces} traces`);
    assert.equal(r.failed, 0);
  });
});
