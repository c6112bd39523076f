/**
 * Ingest end to end: OTLP/HTTP protobuf → receiver → embedded store, durable and queryable.
 * The sender runs in a worker thread so the server's event loop is measured on its own.
 * Prints spans/s against DESIGN's target and the event-loop delay p99 during ingest.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { encodeTraceRequest } from '@genba/otlp';
import { generateTrace, mulberry32, startServer } from '@genba/server';

const TOTAL_SPANS = Number(process.env.BENCH_INGEST_SPANS ?? 300_000);
const BATCH_SPANS = 1000;
const CONCURRENCY = 8;

const rng = mulberry32(42);
const batches: Uint8Array[] = [];
let spans = 0;
let pending = [];
const start = BigInt(Date.now()) * 1_000_000n;
while (spans < TOTAL_SPANS) {
  const t = generateTrace(rng, start + BigInt(spans) * 1000n);
  pending.push(...t);
  spans += t.length;
  if (pending.length >= BATCH_SPANS) {
    batches.push(encodeTraceRequest(pending));
    pending = [];
  }
}
if (pending.length) batches.push(encodeTraceRequest(pending));

const dataDir = mkdtempSync(join(tmpdir(), 'genba-bench-'));
const server = await startServer({ dataDir, anyPort: true, logLevel: 'silent' });
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result = await new Promise<{ ms: number; failed: number }>((resolve, reject) => {
  const w = new Worker(new URL('./ingest-sender.mjs', import.meta.url), {
    workerData: { url: `${server.urls.otlpHttp}/v1/traces`, batches, concurrency: CONCURRENCY },
  });
  w.once('message', resolve);
  w.once('error', reject);
});
// Acknowledged is durable; one read makes every acknowledged span queryable, and counts in the time.
await server.store.getServices();
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
loop.disable();

const metrics = await (await fetch(`${server.urls.query}/metrics`)).text();
const n = Number(/outcome="accepted"\} (\d+)/.exec(metrics)?.[1] ?? 0);
await server.close();
rmSync(dataDir, { recursive: true, force: true });

const rate = (spans / wallMs) * 1000;
const ms = (ns: number) => (ns / 1e6).toFixed(1);
console.table([
  {
    what: 'OTLP/HTTP protobuf → durable, embedded store',
    spans,
    batches: batches.length,
    failed: result.failed,
    accepted: n,
    'spans/s': Math.round(rate),
    'target spans/s': 100_000,
    'ratio to target': (rate / 100_000).toFixed(2),
    'loop delay p50 ms': ms(loop.percentile(50)),
    'loop delay p99 ms': ms(loop.percentile(99)),
    'loop delay max ms': ms(loop.max),
    'cpu cores': ((cpu.user + cpu.system) / 1000 / wallMs).toFixed(2),
  },
]);
