/**
 * Value-stream analysis throughput on tracegen's shop traces (5–60 spans each, retries, slow
 * paths, failures), in one process:
 *   per-trace analysis: adjusters + critical path + classification + components (what
 *   /api/genba/traces/{id}/analysis and every aggregate run per trace);
 *   critical path alone (the part jaeger-ui computes in the browser);
 *   OTLP protobuf decode of the same traces, as the yardstick: the cost of merely reading them.
 * No peer computes a value stream, so the ratio printed is analysis time against decode time.
 * The time for a 1 h aggregate over 10M spans is printed by storage.bench.ts, which holds such a store.
 * Run: npm run bench -- analysis
 */
import { adjustTrace, aggregate, analyzeTrace, criticalPath } from '@genba/analysis';
import type { Span } from '@genba/model';
import { decodeTraceRequest, encodeTraceRequest } from '@genba/otlp';
import { generateTrace, mulberry32 } from '@genba/server';
import { Bench } from 'tinybench';

const TRACES = 2000;

function wideTrace(spans: number): Span[] {
  // One 100k-span trace: many levels, as the UI's largest target.
  const rng = mulberry32(7);
  const out: Span[] = [];
  let t = 1_700_000_000_000_000_000n;
  while (out.length < spans) {
    const part = generateTrace(rng, t);
    t += 1_000_000n;
    const root = out[0];
    for (const s of part) {
      s.traceId = root?.traceId ?? s.traceId;
      if (root !== undefined && s.parentSpanId === '') s.parentSpanId = root.spanId;
      out.push(s);
    }
    if (out[0] !== undefined) out[0].endTimeUnixNano = t + 10_000_000_000n;
  }
  return out;
}

export async function main(): Promise<void> {
  const rng = mulberry32(42);
  const traces: Span[][] = [];
  let t = 1_700_000_000_000_000_000n;
  for (let i = 0; i < TRACES; i++, t += 50_000_000n) traces.push(generateTrace(rng, t));
  const spans = traces.reduce((n, tr) => n + tr.length, 0);
  const encoded = traces.map((tr) => encodeTraceRequest(tr));

  const bench = new Bench({ time: 2000, warmupTime: 300 });
  bench
    .add('per-trace analysis (adjust + value stream)', () => {
      for (const tr of traces) analyzeTrace(adjustTrace(tr).spans);
    })
    .add('critical path alone', () => {
      for (const tr of traces) criticalPath(tr);
    })
    .add('OTLP protobuf decode of the same traces', () => {
      for (const b of encoded) decodeTraceRequest(b);
    });
  await bench.run();

  const per = (name: string) => {
    const task = bench.tasks.find((x) => x.name === name);
    const mean = task?.result && 'latency' in task.result ? task.result.latency.mean : Number.NaN;
    return mean; // ms for all TRACES
  };
  const full = per('per-trace analysis (adjust + value stream)');
  const cp = per('critical path alone');
  const decode = per('OTLP protobuf decode of the same traces');
  const rows = [
    { what: 'per-trace analysis', traces_s: TRACES / (full / 1000), spans_s: spans / (full / 1000) },
    { what: 'critical path alone', traces_s: TRACES / (cp / 1000), spans_s: spans / (cp / 1000) },
    {
      what: 'OTLP protobuf decode (yardstick)',
      traces_s: TRACES / (decode / 1000),
      spans_s: spans / (decode / 1000),
    },
  ];
  console.log(`${TRACES} tracegen traces, ${spans} spans (${(spans / TRACES).toFixed(1)} per trace)`);
  console.table(
    rows.map((r) => ({
      what: r.what,
      'traces/s': Math.round(r.traces_s).toLocaleString('en'),
      'spans/s': Math.round(r.spans_s).toLocaleString('en'),
    })),
  );
  console.log(`analysis time / decode time: ${(full / decode).toFixed(2)}×`);

  const analyses = traces.map((tr) => analyzeTrace(tr)).filter((a) => a !== undefined);
  const t0 = performance.now();
  aggregate(analyses, { start: analyses[0].start, end: t, buckets: 12 });
  console.log(`aggregate of ${analyses.length} analysed traces: ${(performance.now() - t0).toFixed(1)} ms`);

  const wide = wideTrace(100_000);
  const t1 = performance.now();
  const a = analyzeTrace(adjustTrace(wide).spans);
  console.log(
    `one trace of ${wide.length.toLocaleString('en')} spans: adjust + analysis ${(performance.now() - t1).toFixed(0)} ms ` +
      `(${a?.segments.length} critical-path segments)`,
  );
}

await main();
