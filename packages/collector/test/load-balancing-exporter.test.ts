/**
 * The `loadbalancing` exporter over real sockets: three Genba OTLP/gRPC receivers with capturing
 * consumers are the backends. Traces are cut into spans shuffled across several batches; each
 * trace must land whole on exactly one backend. Then a backend is shut down (its traces, and only
 * those, move; nothing is lost), restarted on its port (it gets its traces back), and all are
 * shut down (503 with retryAfter). Waits poll for a condition with a limit; nothing is timed.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Span } from '@genba/model';
import { emptyResource, emptyScope, emptySpan, GenbaError, mulberry32 } from '@genba/model';
import type { ListeningReceiver } from '../src/component.ts';
import { HashRing } from '../src/exporters/hash-ring.ts';
import type { LoadBalancingExporterConfig } from '../src/exporters/load-balancing-exporter.ts';
import {
  createLoadBalancingExporter,
  LoadBalancingExporter,
  loadBalancingExporterConfig,
} from '../src/exporters/load-balancing-exporter.ts';
import { startOtlpGrpcReceiver } from '../src/receivers/otlp-grpc-receiver.ts';
import { CapturingConsumer, counterValue, testContext, until } from './support/jaeger-capture.ts';

/** One backend: a real receiver and what it stored, across restarts on the same port. */
class Backend {
  sink = new CapturingConsumer();
  receiver?: ListeningReceiver;
  endpoint = '127.0.0.1:0';

  async start(): Promise<this> {
    this.receiver = await startOtlpGrpcReceiver(
      { endpoint: this.endpoint, shutdownTimeoutMs: 1000 },
      this.sink,
      testContext(),
    );
    this.endpoint = this.receiver.endpoints.grpc;
    return this;
  }

  async stop(): Promise<void> {
    await this.receiver?.shutdown();
    this.receiver = undefined;
  }

  traceIds(): Set<string> {
    return new Set(this.sink.spans.map((s) => s.traceId));
  }
}

const rng = mulberry32(20261121);
const hex = (bytes: number) =>
  Array.from({ length: bytes }, () =>
    Math.floor(rng() * 256)
      .toString(16)
      .padStart(2, '0'),
  ).join('');

/** `traces` new traces of `perTrace` spans each. */
function traces(count: number, perTrace: number, service = 'checkout'): Span[][] {
  const resource = { ...emptyResource(), attributes: { 'service.name': service } };
  const scope = emptyScope();
  return Array.from({ length: count }, () => {
    const traceId = hex(16);
    return Array.from({ length: perTrace }, (_, i) => {
      const s = emptySpan(resource, scope);
      s.traceId = traceId;
      s.spanId = hex(8);
      s.name = `op-${i}`;
      s.startTimeUnixNano = 1_700_000_000_000_000_000n + BigInt(i);
      s.endTimeUnixNano = s.startTimeUnixNano + 1000n;
      return s;
    });
  });
}

/** Deals every span into `n` batches at random, so each trace is spread over several batches. */
function deal(groups: Span[][], n: number): Span[][] {
  const batches: Span[][] = Array.from({ length: n }, () => []);
  for (const s of groups.flat()) batches[Math.floor(rng() * n)].push(s);
  return batches.filter((b) => b.length > 0);
}

function config(
  backends: Backend[],
  extra: Partial<LoadBalancingExporterConfig> = {},
): LoadBalancingExporterConfig {
  return {
    resolver: { static: { hostnames: backends.map((b) => b.endpoint) } },
    protocol: { otlp: { timeout: '2s' } },
    // Checks only when an export fails, unless a test asks for the periodic ones.
    health_check: { interval: '1h', timeout: '1s' },
    ...extra,
  };
}

/** trace id → the backends (by index) that hold any of its spans, and how many spans in all. */
function placement(backends: Backend[]): Map<string, { at: Set<number>; spans: number }> {
  const out = new Map<string, { at: Set<number>; spans: number }>();
  backends.forEach((b, i) => {
    for (const s of b.sink.spans) {
      const p = out.get(s.traceId) ?? { at: new Set<number>(), spans: 0 };
      p.at.add(i);
      p.spans++;
      out.set(s.traceId, p);
    }
  });
  return out;
}

function assertWholeOnOne(backends: Backend[], sent: Span[][]): void {
  const where = placement(backends);
  for (const t of sent) {
    const p = where.get(t[0].traceId);
    assert.ok(p, `trace ${t[0].traceId} reached no backend`);
    assert.equal(p.at.size, 1, `trace ${t[0].traceId} was split over backends ${[...p.at].join(', ')}`);
    assert.equal(p.spans, t.length, `trace ${t[0].traceId}: ${p.spans} of ${t.length} spans arrived`);
  }
}

const open: { exporters: LoadBalancingExporter[]; backends: Backend[] } = { exporters: [], backends: [] };

async function setup(n: number, extra?: Partial<LoadBalancingExporterConfig>) {
  const backends = await Promise.all(Array.from({ length: n }, () => new Backend().start()));
  const ctx = testContext();
  const lb = createLoadBalancingExporter(config(backends, extra), ctx, 'loadbalancing/test');
  open.exporters.push(lb);
  open.backends.push(...backends);
  return { backends, lb, ctx };
}

afterEach(async () => {
  await Promise.all(open.exporters.splice(0).map((e) => e.shutdown()));
  await Promise.all(open.backends.splice(0).map((b) => b.stop()));
});

const LB = { exporter: 'loadbalancing/test' };

describe('loadbalancing exporter', () => {
  test('every trace lands whole on exactly one backend, the one that owns it, and the three share the load', async () => {
    const { backends, lb, ctx } = await setup(3);
    const sent = traces(300, 5);
    const batches = deal(sent, 12);
    // Concurrently, as a batch processor with several in flight would.
    await Promise.all(batches.map((b) => lb.consume(b)));

    assertWholeOnOne(backends, sent);
    backends.forEach((b) => {
      for (const id of b.traceIds()) assert.equal(lb.ownerOf(id), b.endpoint);
    });
    for (const b of backends) {
      const share = b.traceIds().size / sent.length;
      assert.ok(
        share > 0.2 && share < 0.47,
        `${b.endpoint} got ${b.traceIds().size} of ${sent.length} traces`,
      );
    }
    const total = sent.length * 5;
    assert.equal(counterValue(ctx.metrics, 'genba_exporter_spans_sent_total', LB), total);
    assert.equal(counterValue(ctx.metrics, 'genba_exporter_spans_failed_total', LB), 0);
    assert.equal(counterValue(ctx.metrics, 'genba_loadbalancer_reroutes_total', LB), 0);
    for (const b of backends)
      assert.equal(
        counterValue(ctx.metrics, 'genba_loadbalancer_backend_spans_total', {
          ...LB,
          backend: b.endpoint,
          outcome: 'sent',
        }),
        b.sink.spans.length,
      );
    assert.match(ctx.metrics.render(), /^genba_loadbalancer_backend_healthy 3$/m);
  });

  test('a backend that goes down: its traces move, the others stay put, nothing is lost; back up, it gets its traces again', async () => {
    const { backends, lb, ctx } = await setup(3, {
      health_check: { interval: '50ms', timeout: '500ms', unhealthy_after: 1, healthy_after: 1 },
    });
    const early = traces(150, 4);
    // First half of each trace now, the rest after the outage starts.
    await lb.consume(
      deal(
        early.map((t) => t.slice(0, 2)),
        1,
      )[0],
    );
    const owner = new Map(early.map((t) => [t[0].traceId, lb.ownerOf(t[0].traceId) as string]));
    const down = backends[1];
    const downHad = down.traceIds();
    assert.ok(downHad.size > 0, 'the backend to stop owns some traces');
    const before = down.sink.spans.length;
    await down.stop();

    // Whether the check or the failed export notices first, no span may be refused or lost.
    const rest = early.map((t) => t.slice(2));
    const fresh = traces(150, 4);
    for (const b of deal([...rest, ...fresh], 6)) await lb.consume(b);
    await until(() => lb.healthyBackends.length === 2, 'the stopped backend to leave the ring');
    assert.equal(down.sink.spans.length, before);

    const where = placement(backends);
    for (const t of early) {
      const id = t[0].traceId;
      const p = where.get(id);
      assert.ok(p);
      assert.equal(p.spans, 4, `trace ${id}: ${p.spans} of 4 spans arrived`);
      const was = backends.findIndex((b) => b.endpoint === owner.get(id));
      // Traces of the healthy backends did not move: all four spans on their first backend.
      if (!downHad.has(id)) assert.deepEqual([...p.at], [was], `trace ${id} moved though its backend is up`);
      // The stopped backend's traces: their second half went to one live backend, the next on the ring.
      else {
        const live = [...p.at].filter((i) => i !== 1);
        assert.equal(live.length, 1, `trace ${id}'s rest was split over ${live.join(', ')}`);
      }
    }
    // Traces begun during the outage are whole on the live backends.
    assertWholeOnOne(
      backends.filter((_, i) => i !== 1),
      fresh,
    );
    assert.equal(counterValue(ctx.metrics, 'genba_exporter_spans_failed_total', LB), 0);
    assert.match(ctx.metrics.render(), /^genba_loadbalancer_backend_healthy 2$/m);

    // Back on the same port: the checks put it back in the ring.
    await down.start();
    await until(() => lb.healthyBackends.length === 3, 'the restarted backend to rejoin the ring', 10_000);
    // Its own exporter channel may still be waiting out grpc-js's reconnect backoff; until it
    // reconnects its parts move elsewhere. Every consume must still succeed.
    const full = new HashRing(backends.map((b) => b.endpoint));
    const spansBefore = down.sink.spans.length;
    for (let i = 0; down.sink.spans.length === spansBefore && i < 300; i++) {
      const mine = traces(20, 1)
        .flat()
        .filter((s) => full.owner(s.traceId) === down.endpoint);
      await lb.consume(mine);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(down.sink.spans.length > spansBefore, 'the restarted backend got no spans');
    await until(() => lb.healthyBackends.length === 3, 'all three in the ring');

    const afterRestart = traces(60, 3);
    const start = backends.map((b) => b.sink.spans.length);
    for (const b of deal(afterRestart, 3)) await lb.consume(b);
    for (const t of afterRestart) {
      const id = t[0].traceId;
      const holders = backends.filter((b, i) => b.sink.spans.slice(start[i]).some((s) => s.traceId === id));
      assert.deepEqual(
        holders.map((b) => b.endpoint),
        [full.owner(id)],
        `trace ${id} after the restart`,
      );
    }
    assert.ok(
      afterRestart.some((t) => full.owner(t[0].traceId) === down.endpoint),
      'the restarted backend owns some of the new traces',
    );
    assert.equal(counterValue(ctx.metrics, 'genba_exporter_spans_failed_total', LB), 0);
    assert.match(ctx.metrics.render(), /^genba_loadbalancer_backend_healthy 3$/m);
  });

  test('a failed part is sent once to its new owner before the batch is answered, and counted as a reroute', async () => {
    // No periodic checks: only the failed export can notice the outage.
    const { backends, lb, ctx } = await setup(2);
    const sent = traces(80, 3);
    const victim = backends[0];
    await victim.stop();
    const batch = deal(sent, 1)[0];
    const moved = batch.filter((s) => lb.ownerOf(s.traceId) === victim.endpoint).length;
    assert.ok(moved > 0);
    await lb.consume(batch);
    assert.equal(backends[1].sink.spans.length, batch.length);
    assertWholeOnOne([backends[1]], sent);
    assert.equal(counterValue(ctx.metrics, 'genba_loadbalancer_reroutes_total', LB), moved);
    assert.equal(counterValue(ctx.metrics, 'genba_exporter_spans_sent_total', LB), batch.length);
    assert.deepEqual(lb.healthyBackends, [backends[1].endpoint]);
    assert.ok(ctx.warnings.some((w) => w.includes(victim.endpoint) && w.includes('left the ring')));
  });

  test('with every backend down, consume rejects with unavailable and retryAfter 1, and counts the spans', async () => {
    const { backends, lb, ctx } = await setup(2);
    await Promise.all(backends.map((b) => b.stop()));
    const first = deal(traces(20, 2), 1)[0];
    await assert.rejects(
      lb.consume(first),
      (e: unknown) => e instanceof GenbaError && e.code === 'unavailable',
    );
    assert.deepEqual(lb.healthyBackends, []);
    const second = traces(3, 2).flat();
    await assert.rejects(lb.consume(second), (e: unknown) => {
      assert.ok(e instanceof GenbaError);
      assert.equal(e.code, 'unavailable');
      assert.equal(e.retryAfter, 1);
      assert.match(e.message, /no healthy backend/);
      return true;
    });
    assert.equal(
      counterValue(ctx.metrics, 'genba_exporter_spans_failed_total', LB),
      first.length + second.length,
    );
    assert.match(ctx.metrics.render(), /^genba_loadbalancer_backend_healthy 0$/m);
  });

  test('a live backend that refuses (throttling) keeps its traces: the refusal goes upstream, nothing moves', async () => {
    const { backends, lb, ctx } = await setup(2);
    const busy = backends[0];
    busy.sink.refuse = new GenbaError('too_many_requests', 'store is busy', { retryAfter: 2 });
    const batch = traces(40, 2).flat();
    await assert.rejects(
      lb.consume(batch),
      (e: unknown) => e instanceof GenbaError && e.retryAfter !== undefined,
    );
    assert.equal(lb.healthyBackends.length, 2);
    assert.equal(counterValue(ctx.metrics, 'genba_loadbalancer_reroutes_total', LB), 0);
    // The other backend took only its own traces.
    for (const s of backends[1].sink.spans) assert.equal(lb.ownerOf(s.traceId), backends[1].endpoint);
    const refused = batch.filter((s) => lb.ownerOf(s.traceId) === busy.endpoint).length;
    assert.equal(counterValue(ctx.metrics, 'genba_exporter_spans_failed_total', LB), refused);
  });

  test('the periodic check takes a stopped backend out with no traffic (after unhealthy_after failures) and puts it back', async () => {
    const { backends, lb } = await setup(2, {
      health_check: { interval: '30ms', timeout: '300ms', unhealthy_after: 3 },
    });
    // An empty Export is what the check sends: a Genba receiver accepts it and stores nothing.
    await until(() => backends[0].sink.calls > 0, 'a health check to reach the backend');
    assert.equal(backends[0].sink.spans.length, 0);
    await backends[0].stop();
    await until(() => lb.healthyBackends.length === 1, 'the periodic check to notice');
    assert.deepEqual(lb.healthyBackends, [backends[1].endpoint]);
    await backends[0].start();
    await until(() => lb.healthyBackends.length === 2, 'the periodic check to see it back', 10_000);
  });

  test('routing_key service keeps every span of a service on one backend', async () => {
    const { backends, lb } = await setup(3, { routing_key: 'service' });
    const services = ['gateway', 'orders', 'payments', 'inventory', 'shipping', 'billing'];
    const sent = services.flatMap((s) => traces(10, 2, s).flat());
    for (const b of deal([sent], 4)) await lb.consume(b);
    for (const svc of services) {
      const holders = backends.filter((b) =>
        b.sink.spans.some((s) => s.resource.attributes['service.name'] === svc),
      );
      assert.equal(holders.length, 1, `${svc} is on ${holders.length} backends`);
      assert.equal(holders[0].endpoint, lb.ownerOf(svc));
    }
    assert.equal(
      backends.reduce((n, b) => n + b.sink.spans.length, 0),
      sent.length,
    );
  });

  test('after shutdown consume rejects with unavailable, and shutdown twice is harmless', async () => {
    const { lb } = await setup(1);
    await lb.shutdown();
    await lb.shutdown();
    await assert.rejects(
      lb.consume(traces(1, 1).flat()),
      (e: unknown) => e instanceof GenbaError && e.code === 'unavailable',
    );
  });
});

describe('loadbalancing exporter config', () => {
  const ctx = testContext();
  const make = (c: unknown) => () =>
    new LoadBalancingExporter(c as LoadBalancingExporterConfig, ctx, 'loadbalancing');
  const refused = (c: unknown, ...parts: RegExp[]) =>
    assert.throws(make(c), (e: unknown) => {
      assert.ok(e instanceof GenbaError);
      assert.equal(e.code, 'bad_request');
      for (const p of parts) assert.match(e.message, p);
      return true;
    });
  const hosts = { static: { hostnames: ['127.0.0.1:14317'] } };

  test('dns, k8s and aws_cloud_map resolvers are refused by name', () => {
    refused({ resolver: { dns: { hostname: 'otelcol.svc' } } }, /resolver\.dns/, /only static/);
    refused({ resolver: { k8s: { service: 'lb-svc' } } }, /resolver\.k8s/, /not supported/);
    refused({ resolver: { ...hosts, aws_cloud_map: {} } }, /resolver\.aws_cloud_map/);
  });

  test('a missing resolver, no hostnames, a bad or repeated hostname name the key', () => {
    refused({}, /resolver/);
    refused({ resolver: {} }, /resolver\.static/);
    refused({ resolver: { static: { hostnames: [] } } }, /resolver\.static\.hostnames/, /at least one/);
    refused({ resolver: { static: { hostnames: ['a b:1'] } } }, /resolver\.static\.hostnames\.0/);
    refused(
      { resolver: { static: { hostnames: ['10.0.0.1:4317', 'http://10.0.0.1:4317'] } } },
      /resolver\.static\.hostnames\.1/,
      /listed twice/,
    );
    refused({ resolver: { static: { hostnames: ['https://10.0.0.1:4317'] } } }, /TLS/);
  });

  test('routing_key other than traceID or service, and unknown keys, are refused by name', () => {
    refused({ routing_key: 'resource', resolver: hosts }, /routing_key/, /traceID or service/);
    refused({ resolver: hosts, health_check: { intervall: '1s' } }, /health_check/, /intervall/);
    refused({ resolver: hosts, health_check: { unhealthy_after: 0 } }, /health_check\.unhealthy_after/);
    refused({ resolver: hosts, health_check: { interval: 'soon' } }, /health_check\.interval/);
    refused({ resolver: hosts, health_check: { interval: '0s' } }, /health_check\.interval/, /at least 10ms/);
  });

  test('protocol.otlp takes the otlp exporter settings but no endpoint and no sending queue', () => {
    refused(
      { resolver: hosts, protocol: { otlp: { endpoint: '10.0.0.1:4317' } } },
      /protocol\.otlp\.endpoint/,
    );
    refused(
      { resolver: hosts, protocol: { otlp: { sending_queue: { enabled: true } } } },
      /protocol\.otlp\.sending_queue/,
    );
    refused({ resolver: hosts, protocol: { otlp: { compression: 'zstd' } } }, /protocol\.otlp\.compression/);
    refused({ resolver: hosts, protocol: { http: {} } }, /protocol/, /http/);
  });

  test('a hostname without a port gets 4317, as in the Collector; the parsed config (as the registry passes it) is taken again', async () => {
    // The config loader parses with the schema, then the registry hands that output to create.
    const parsed = loadBalancingExporterConfig.parse({
      resolver: { static: { hostnames: ['127.0.0.1', 'localhost:14317', '::1', 'http://10.0.0.7:4317/'] } },
      protocol: { otlp: { headers: { authorization: 'Bearer x' } } },
      health_check: { enabled: false },
    });
    const lb = createLoadBalancingExporter(parsed, ctx, 'loadbalancing');
    try {
      assert.deepEqual([...lb.healthyBackends].sort(), [
        '10.0.0.7:4317',
        '127.0.0.1:4317',
        '[::1]:4317',
        'localhost:14317',
      ]);
    } finally {
      await lb.shutdown();
    }
  });
});
