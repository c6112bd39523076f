/**
 * Receiver throughput per protocol, and the cost of tail sampling, from one run.
 *
 * The real pipeline (validateConfig + buildPipelines + the default registry) runs in this
 * process with every receiver on a free port, into a `discard` exporter, so what shows is the
 * receiver, its decoding and mapping, and the memory limiter, not the store. Each protocol's
 * payloads are encoded before the clock starts and sent from a worker thread, so the pipeline's
 * event loop is measured on its own. A few payloads warm each path first, untimed.
 * Run: node --import tsx --expose-gc bench/receivers.bench.ts   (BENCH_RECEIVER_SPANS, default 200000)
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import {
  buildPipelines,
  type ComponentRegistry,
  DEFAULT_PIPELINES,
  defaultRegistry,
  Metrics,
  validateConfig,
} from '@genba/collector';
import type { Span } from '@genba/model';
import { encodeTraceRequest, encodeTraceRequestJson, TRACE_SERVICE_EXPORT_PATH } from '@genba/otlp';
import { generateTrace, mulberry32 } from '@genba/server';
import { z } from 'zod';
import { jaegerCompactDatagrams, jaegerHttpBodies, zipkinJson } from './receivers-encode.ts';

const TOTAL_SPANS = Number(process.env.BENCH_RECEIVER_SPANS ?? 200_000);
const BATCH_SPANS = 1000;
const CONCURRENCY = 8;
const WARMUP_PAYLOADS = 20;
/** The tail-sampling comparison sends the spans this many times, each time as new traces. */
const TAIL_ROUNDS = Number(process.env.BENCH_TAIL_ROUNDS ?? 3);
/** jaeger-client and the agent cap a datagram at 65000 bytes; stay under it. */
const UDP_MAX_BYTES = 64_000;
/** Datagrams in flight (sent, not yet taken by the pipeline): ~1.5 MB, under the 4 MiB socket buffer. */
const UDP_WINDOW = 24;
const UDP_BUFFER = 4 * 1024 * 1024;
/** DESIGN §6: the OTel Collector's published figure, about 12k spans/s per CPU; this box has 2. */
const PEER_PER_CPU = 12_000;
const PEER_CPUS = 2;
const PEER = PEER_PER_CPU * PEER_CPUS;
const MIB = 1024 * 1024;

// ---- the spans: realistic shop traces, one batch per 1000 spans ----
const rng = mulberry32(42);
const spanBatches: Span[][] = [];
let spans = 0;
let pending: Span[] = [];
const start = BigInt(Date.now()) * 1_000_000n;
while (spans < TOTAL_SPANS) {
  const t = generateTrace(rng, start + BigInt(spans) * 1000n);
  pending.push(...t);
  spans += t.length;
  if (pending.length >= BATCH_SPANS) {
    spanBatches.push(pending);
    pending = [];
  }
}
if (pending.length) spanBatches.push(pending);
const allSpans = spanBatches.flat();

// ---- the pipeline: every receiver → memory_limiter → discard; a second one with tail sampling ----
const exported = new Map<string, number>();
/** What `discard` has taken, shared with the UDP sender so it can pace itself. */
const taken = new Int32Array(new SharedArrayBuffer(4));
const registry: ComponentRegistry = {
  ...defaultRegistry,
  exporters: {
    ...defaultRegistry.exporters,
    discard: {
      schema: z.object({}).strict(),
      create: (_c, _ctx, name) => ({
        consume: async (batch) => {
          exported.set(name, (exported.get(name) ?? 0) + batch.length);
          if (name === 'discard') {
            Atomics.add(taken, 0, batch.length);
            Atomics.notify(taken, 0);
          }
        },
      }),
    },
  },
};
const any = '127.0.0.1:0';
const memoryLimiter = DEFAULT_PIPELINES.processors.memory_limiter;
const config = validateConfig(
  {
    receivers: {
      otlp: { protocols: { http: { endpoint: any }, grpc: { endpoint: any } } },
      zipkin: { endpoint: any },
      jaeger: {
        protocols: {
          thrift_http: { endpoint: any },
          thrift_compact: { endpoint: any, socket_buffer_size: UDP_BUFFER },
        },
      },
      'otlp/tail': { protocols: { http: { endpoint: any } } },
    },
    processors: {
      memory_limiter: memoryLimiter,
      tail_sampling: {
        decision_wait: '1s',
        num_traces: 100_000,
        policies: [
          { name: 'some', type: 'probabilistic', probabilistic: { sampling_percentage: 10 } },
          { name: 'errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
          { name: 'slow', type: 'latency', latency: { threshold_ms: 1000 } },
        ],
      },
    },
    exporters: { discard: {}, 'discard/tail': {} },
    service: {
      pipelines: {
        traces: {
          receivers: ['otlp', 'zipkin', 'jaeger'],
          processors: ['memory_limiter'],
          exporters: ['discard'],
        },
        'traces/tail': {
          receivers: ['otlp/tail'],
          processors: ['memory_limiter', 'tail_sampling'],
          exporters: ['discard/tail'],
        },
      },
    },
  },
  registry,
  { source: 'bench/receivers.bench.ts' },
);
const metrics = new Metrics();
const warnings: string[] = [];
const log = { warn: (m: string) => warnings.push(m), info: () => {} };
const pipelines = await buildPipelines(config, registry, { metrics, log, maxBodyBytes: 16 * MIB });
const ep = pipelines.endpoints;

// ---- reading /metrics: the Metrics object the receivers count into ----
function metric(name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of metrics.render().split('\n')) {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

// ---- one measured send ----
interface Send {
  mode: 'http' | 'grpc' | 'udp';
  payloads: Uint8Array[];
  url?: string;
  contentType?: string;
  target?: string;
  host?: string;
  port?: number;
  /** Spans per payload, for UDP pacing. */
  spans?: number[];
}
interface Sent {
  ms: number;
  failed: number;
  firstError: string;
  loopP99: number;
}

async function send(s: Send): Promise<Sent> {
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const r = await new Promise<{ startAt: number; endAt: number; failed: number; firstError: string }>(
    (resolve, reject) => {
      const w = new Worker(new URL('./receivers-sender.mjs', import.meta.url), {
        workerData: {
          ...s,
          path: TRACE_SERVICE_EXPORT_PATH,
          concurrency: CONCURRENCY,
          taken: taken.buffer,
          window: UDP_WINDOW,
          stallMs: 300,
        },
      });
      loop.enable();
      w.once('message', resolve);
      w.once('error', reject);
    },
  );
  loop.disable();
  return {
    ms: r.endAt - r.startAt,
    failed: r.failed,
    firstError: r.firstError,
    loopP99: loop.percentile(99),
  };
}

interface Protocol {
  what: string;
  receiver: string;
  /** Encodes every span; runs before the clock. */
  prepare(): Send;
}

const otlpHttp = (url: string): Protocol => ({
  what: 'OTLP/HTTP protobuf',
  receiver: 'otlp_http',
  prepare: () => ({
    mode: 'http',
    url: `${url}/v1/traces`,
    contentType: 'application/x-protobuf',
    payloads: spanBatches.map((b) => encodeTraceRequest(b)),
  }),
});

const protocols: Protocol[] = [
  otlpHttp(ep.otlp.http),
  {
    what: 'OTLP/HTTP JSON',
    receiver: 'otlp_http',
    prepare: () => ({
      mode: 'http',
      url: `${ep.otlp.http}/v1/traces`,
      contentType: 'application/json',
      payloads: spanBatches.map((b) => Buffer.from(encodeTraceRequestJson(b))),
    }),
  },
  {
    what: 'OTLP/gRPC',
    receiver: 'otlp_grpc',
    prepare: () => ({
      mode: 'grpc',
      target: ep.otlp.grpc,
      payloads: spanBatches.map((b) => encodeTraceRequest(b)),
    }),
  },
  {
    what: 'Zipkin v2 JSON',
    receiver: 'zipkin',
    prepare: () => ({
      mode: 'http',
      url: `${ep.zipkin.http}/api/v2/spans`,
      contentType: 'application/json',
      payloads: spanBatches.map(zipkinJson),
    }),
  },
  {
    what: 'Jaeger Thrift binary, HTTP',
    receiver: 'jaeger_thrift_http',
    prepare: () => ({
      mode: 'http',
      url: `${ep.jaeger.thrift_http}/api/traces`,
      contentType: 'application/x-thrift',
      payloads: jaegerHttpBodies(allSpans, BATCH_SPANS),
    }),
  },
  {
    what: 'Jaeger Thrift compact, UDP',
    receiver: 'jaeger_thrift_compact',
    prepare: () => {
      const d = jaegerCompactDatagrams(allSpans, UDP_MAX_BYTES);
      const at = /^\[?(.*?)\]?:(\d+)$/.exec(ep.jaeger.thrift_compact);
      if (!at) throw new Error(`unexpected UDP endpoint ${ep.jaeger.thrift_compact}`);
      return { mode: 'udp', host: at[1], port: Number(at[2]), payloads: d.packets, spans: d.spans };
    },
  },
];

const problems: string[] = [];
const gc = (globalThis as { gc?: () => void }).gc;

interface Measured {
  spans: number;
  payloads: number;
  bytesPerSpan: number;
  accepted: number;
  sent: Sent;
  rate: number;
}

/** Warms the path on a few payloads, then sends them all and counts what the receiver accepted. */
async function measure(p: Protocol): Promise<Measured> {
  const s = p.prepare();
  const n = s.spans ? s.spans.reduce((a, b) => a + b, 0) : allSpans.length;
  const bytes = s.payloads.reduce((a, b) => a + b.byteLength, 0);
  await send({
    ...s,
    payloads: s.payloads.slice(0, WARMUP_PAYLOADS),
    spans: s.spans?.slice(0, WARMUP_PAYLOADS),
  });
  gc?.();
  const before = metric('genba_receiver_spans_total', { receiver: p.receiver, outcome: 'accepted' });
  const sent = await send(s);
  const accepted =
    metric('genba_receiver_spans_total', { receiver: p.receiver, outcome: 'accepted' }) - before;
  if (sent.failed) problems.push(`${p.what}: ${sent.failed} payloads failed, first: ${sent.firstError}`);
  if (s.mode !== 'udp' && accepted !== n)
    problems.push(`${p.what}: sent ${n} spans, the receiver accepted ${accepted}`);
  return {
    spans: n,
    payloads: s.payloads.length,
    bytesPerSpan: bytes / n,
    accepted,
    sent,
    rate: (accepted / sent.ms) * 1000,
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (ns: number) => (ns / 1e6).toFixed(1);

const rows = [];
for (const p of protocols) {
  const m = await measure(p);
  rows.push({
    protocol: p.what,
    spans: m.spans,
    payloads: m.payloads,
    'bytes/span': Math.round(m.bytesPerSpan),
    accepted: m.accepted,
    lost: m.spans - m.accepted,
    'spans/s': fmt(m.rate),
    'loop p99 ms': ms(m.sent.loopP99),
    'peer spans/s (published)': fmt(PEER),
    'ratio to peer': (m.rate / PEER).toFixed(2),
  });
}

// ---- tail sampling: the same OTLP/HTTP protobuf batches with and without it ----
// Several rounds of the spans, each round's traces under new ids, so that the run outlasts
// decision_wait and most traces are decided (and handed on) while spans still arrive.
const tailSpans: Span[][] = [];
for (let r = 0; r < TAIL_ROUNDS; r++) {
  const suffix = r.toString(16).padStart(8, '0');
  for (const b of spanBatches)
    tailSpans.push(r === 0 ? b : b.map((s) => ({ ...s, traceId: s.traceId.slice(0, 24) + suffix })));
}
const tailPayloads = tailSpans.map((b) => encodeTraceRequest(b));
const tailTotal = tailSpans.reduce((a, b) => a + b.length, 0);
const traces = new Set(tailSpans.flatMap((b) => b.map((s) => s.traceId))).size;
tailSpans.length = 0;

/** Sends every tail payload to one OTLP/HTTP receiver and counts what it accepted. */
async function otlpRun(url: string, what: string): Promise<{ accepted: number; sent: Sent; rate: number }> {
  gc?.();
  const labels = { receiver: 'otlp_http', outcome: 'accepted' };
  const before = metric('genba_receiver_spans_total', labels);
  const sent = await send({
    mode: 'http',
    url: `${url}/v1/traces`,
    contentType: 'application/x-protobuf',
    payloads: tailPayloads,
  });
  const accepted = metric('genba_receiver_spans_total', labels) - before;
  if (sent.failed) problems.push(`${what}: ${sent.failed} payloads failed, first: ${sent.firstError}`);
  if (accepted !== tailTotal)
    problems.push(`${what}: sent ${tailTotal} spans, the receiver accepted ${accepted}`);
  return { accepted, sent, rate: (accepted / sent.ms) * 1000 };
}

const plainRun = await otlpRun(ep.otlp.http, 'without tail sampling');
const tailRun = await otlpRun(ep['otlp/tail'].http, 'with tail sampling');
const heldAtEnd = metric('genba_tail_sampling_traces_held');
const keptBeforeFlush = exported.get('discard/tail') ?? 0;
await pipelines.shutdown();
const kept = exported.get('discard/tail') ?? 0;
const early = metric('genba_tail_sampling_early_decisions_total');

console.log(
  `Receivers: ${fmt(allSpans.length)} spans per protocol (batches of ${BATCH_SPANS}, ${CONCURRENCY} in flight over HTTP/gRPC),`,
  'each through the real pipeline [memory_limiter] into an exporter that discards.',
);
console.log(
  `UDP: datagrams < ${fmt(UDP_MAX_BYTES)} bytes, paced to at most ${UDP_WINDOW} not yet taken by the pipeline;`,
  'accepted is what the receiver counted, lost is what it never saw.',
);
console.log(
  `Peer: the OTel Collector's PUBLISHED figure (DESIGN §6), about ${fmt(PEER_PER_CPU)} spans/s per CPU × ${PEER_CPUS} CPUs;`,
  'not measured here, and it is for the Collector doing more (batching, exporting).',
);
console.table(rows);

console.log(
  `\nTail sampling: ${fmt(tailTotal)} spans (${TAIL_ROUNDS} rounds of the set above, new trace ids each round) over OTLP/HTTP protobuf,`,
  '[memory_limiter] vs [memory_limiter, tail_sampling] (decision_wait 1s, num_traces 100000;',
  'policies: probabilistic 10%, status_code ERROR, latency ≥ 1000 ms). The rate is spans acknowledged per second.',
);
const tailRows = [
  ['[memory_limiter]', plainRun],
  ['[memory_limiter, tail_sampling]', tailRun],
] as const;
console.table(
  tailRows.map(([pipeline, r]) => ({
    pipeline,
    spans: tailTotal,
    accepted: r.accepted,
    seconds: (r.sent.ms / 1000).toFixed(2),
    'spans/s': fmt(r.rate),
    'loop p99 ms': ms(r.sent.loopP99),
  })),
);
console.table([
  {
    'tail / plain rate': (tailRun.rate / plainRun.rate).toFixed(2),
    'throughput cost': `${((1 - tailRun.rate / plainRun.rate) * 100).toFixed(0)}%`,
    'traces sent': traces,
    'traces held at end': heldAtEnd,
    'early decisions': early,
    'spans kept during run': keptBeforeFlush,
    'spans kept after shutdown flush': kept,
    'kept %': ((kept / tailTotal) * 100).toFixed(1),
  },
]);

if (warnings.length) console.log(`\n${warnings.length} pipeline warnings, first: ${warnings[0]}`);
if (problems.length) {
  console.error(`\nFAILED:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
