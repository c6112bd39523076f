/**
 * One SDK's side of bench/sdk.bench.ts, run in its own process: `genba` or `otel`
 * (@opentelemetry/sdk-trace-base 2.12 with @opentelemetry/context-async-hooks). Prints one JSON
 * line of figures. Both sides get the same work: a registered provider, a batch processor,
 * an exporter that drops what it gets, and an AsyncLocalStorage context manager.
 */
import type { Span, Tracer } from '@opentelemetry/api';
import { context, trace } from '@opentelemetry/api';

const which = process.argv[2];
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

interface Side {
  tracer: Tracer;
  offTracer: Tracer;
  /** Spans finished by a fresh provider, encoded to OTLP protobuf bytes as its exporter would. */
  encode(count: number): () => number;
}

async function genbaSide(): Promise<Side> {
  const sdk = await import('../packages/sdk/src/index.ts');
  const { encodeTraceRequest } = await import('@genba/otlp');
  const drop = { export: async () => ({ code: 0 as const }), shutdown: async () => {} };
  const provider = new sdk.TracerProvider({
    resource: { 'service.name': 'bench' },
    sampler: new sdk.AlwaysOnSampler(),
    spanProcessors: [new sdk.BatchSpanProcessor(drop)],
  });
  provider.register({ propagator: null });
  const off = new sdk.TracerProvider({ sampler: new sdk.AlwaysOffSampler() });
  return {
    tracer: provider.getTracer('bench'),
    offTracer: off.getTracer('bench'),
    encode(count) {
      const collect: import('../packages/sdk/src/types.ts').ReadableSpan[] = [];
      const p = new sdk.TracerProvider({
        resource: { 'service.name': 'bench' },
        spanProcessors: [
          {
            onStart() {},
            onEnd: (s) => collect.push(s),
            forceFlush: async () => {},
            shutdown: async () => {},
          },
        ],
      });
      makeSpans(p.getTracer('bench'), count);
      return () => encodeTraceRequest(collect.map((s) => s.toSpanData())).length;
    },
  };
}

async function otelSide(): Promise<Side> {
  const base = await import('@opentelemetry/sdk-trace-base');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const { ProtobufTraceSerializer } = await import('@opentelemetry/otlp-transformer');
  const drop = {
    export: (_s: unknown, cb: (r: { code: 0 }) => void) => cb({ code: 0 }),
    shutdown: async () => {},
  };
  const resource = resourceFromAttributes({ 'service.name': 'bench' });
  const provider = new base.BasicTracerProvider({
    resource,
    sampler: new base.AlwaysOnSampler(),
    spanProcessors: [new base.BatchSpanProcessor(drop)],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  const off = new base.BasicTracerProvider({ sampler: new base.AlwaysOffSampler() });
  return {
    tracer: provider.getTracer('bench'),
    offTracer: off.getTracer('bench'),
    encode(count) {
      const memory = new base.InMemorySpanExporter();
      const p = new base.BasicTracerProvider({
        resource,
        spanProcessors: [new base.SimpleSpanProcessor(memory)],
      });
      makeSpans(p.getTracer('bench'), count);
      const spans = memory.getFinishedSpans();
      return () => (ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array).length;
    },
  };
}

/** Spans like the codec bench's: 6 attributes and one event each. */
function makeSpans(tracer: Tracer, count: number): void {
  for (let i = 0; i < count; i++) {
    const span = tracer.startSpan('GET /api/orders/{id}', {
      attributes: {
        'http.request.method': 'GET',
        'http.route': '/api/orders/{id}',
        'http.response.status_code': 200,
      },
    });
    span.setAttribute('url.path', `/api/orders/${i}`);
    span.setAttribute('server.address', 'orders.internal');
    span.setAttribute('genba.component', 'orders');
    span.addEvent('cache.miss', { key: `order:${i}` });
    span.end();
  }
}

/**
 * ns per call of `op`, the best of several rounds. Each round runs a burst of calls and then
 * yields, so the batch processor can export between bursts, as it would in a service.
 */
async function nsPerOp(op: () => void, burst: number, rounds: number): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < burst; i++) op();
    const ns = Number(process.hrtime.bigint() - t0) / burst;
    if (r > 2) best = Math.min(best, ns); // the first rounds warm the JIT
    await new Promise((resolve) => setImmediate(resolve));
  }
  return best;
}

const scenario = process.argv[3];
const side = which === 'genba' ? await genbaSide() : await otelSide();
const { tracer, offTracer } = side;

async function sampled(): Promise<number> {
  return nsPerOp(
    () => {
      const span = tracer.startSpan('op');
      span.setAttribute('http.request.method', 'GET');
      span.setAttribute('http.response.status_code', 200);
      span.setAttribute('user.id', 'u-42');
      span.end();
    },
    500,
    400,
  );
}

const DEPTH = 10;
function nest(d: number): void {
  tracer.startActiveSpan('nested', (span: Span) => {
    if (d > 1) nest(d - 1);
    span.end();
  });
}

async function unsampled(): Promise<number> {
  return nsPerOp(
    () => {
      const span = offTracer.startSpan('op');
      span.setAttribute('http.request.method', 'GET');
      span.setAttribute('http.response.status_code', 200);
      span.setAttribute('user.id', 'u-42');
      span.end();
    },
    2000,
    200,
  );
}

/** Root spans with 3 attributes, started and held, not ended. */
function heapPerSpan(): number {
  const LIVE = 100_000;
  const held: Span[] = new Array(LIVE);
  gc?.();
  gc?.();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < LIVE; i++) {
    const span = tracer.startSpan('live', { root: true });
    span.setAttribute('http.request.method', 'GET');
    span.setAttribute('http.response.status_code', 200);
    span.setAttribute('user.id', `u-${i}`);
    held[i] = span;
  }
  gc?.();
  gc?.();
  const perSpan = (process.memoryUsage().heapUsed - before) / LIVE;
  if (held.length !== LIVE) throw new Error('unreachable: keeps the spans alive until measured');
  return perSpan;
}

async function encode(): Promise<number> {
  const BATCH = 512;
  const encodeOnce = side.encode(BATCH);
  const ns = await nsPerOp(() => void encodeOnce(), 5, 200);
  return (BATCH * 1e9) / ns;
}

const scenarios: Record<string, () => number | Promise<number>> = {
  sampled,
  nested: async () => (await nsPerOp(() => nest(DEPTH), 50, 400)) / DEPTH,
  unsampled,
  heapPerSpan,
  encodeSpansPerSec: encode,
};
const fn = scenarios[scenario ?? ''];
if (fn === undefined)
  throw new Error(`unknown scenario ${scenario}; one of ${Object.keys(scenarios).join(', ')}`);
console.log(JSON.stringify({ [scenario as string]: await fn() }));
context.disable();
process.exit(0);
